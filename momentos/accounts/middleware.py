"""Puts the current organisation and the user's membership in it on every request."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from momentos.accounts.http import SessionRequest
from momentos.accounts.selectors import membership_for_session

SESSION_KEY = "momentos_organization"


class CurrentMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = membership_for_session(
            user=request.user, organization_id=request.session.get(SESSION_KEY)
        )
        # From here on every request is a SessionRequest (and a MemberRequest past member_required).
        session_request = cast(SessionRequest, request)
        session_request.membership = membership
        session_request.organization = membership.organization if membership else None
        user = request.user
        # A user's saved language wins over the browser's, unless they switched this session.
        lang = getattr(user, "language", "") if getattr(user, "is_authenticated", False) else ""
        if lang and not request.COOKIES.get("django_language"):
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)

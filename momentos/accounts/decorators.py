"""View guards: log in, belong to an organisation, hold a capability (else 404, as if nothing were there)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability

P = ParamSpec("P")


def member_required(
    capability: Capability | None = None,
) -> Callable[
    [Callable[Concatenate[MemberRequest, P], HttpResponse]], Callable[Concatenate[HttpRequest, P], HttpResponse]
]:
    """Guard a view; the view receives the request as a ``MemberRequest`` (see its docstring)."""

    def decorator(
        view: Callable[Concatenate[MemberRequest, P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return render(request, "accounts/no_organization.html", status=403)
            if capability is not None and not membership.can(capability):
                raise Http404
            # Checked above: a logged-in user with a membership (set by CurrentMembershipMiddleware).
            return view(cast(MemberRequest, request), *args, **kwargs)

        return wrapped

    return decorator

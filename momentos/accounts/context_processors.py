"""Template context: the current membership, organisation and the navigation it allows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from momentos.accounts.navigation import navigation_for
from momentos.accounts.selectors import memberships_of_user


def membership(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    others = []
    if member is not None and user is not None:
        others = [m for m in memberships_of_user(user=user) if m.pk != member.pk]
    return {
        "membership": member,
        "organization": getattr(request, "organization", None),
        "other_memberships": others,
        "navigation": navigation_for(member, getattr(request, "resolver_match", None)),
    }

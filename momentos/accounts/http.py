"""Request types that say what a guard has already established, so views need neither checks nor casts.

These classes are never instantiated: Django builds a plain ``HttpRequest`` and the middleware, the
view guard or the API authentication set the attributes. The classes only tell the type checker what a
view may rely on once the request has passed its guard.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from momentos.accounts.models import ApiToken, Membership, Organization, User


class SessionRequest(HttpRequest):
    """Any request after ``CurrentMembershipMiddleware``: the membership chosen for the session, if any."""

    membership: Membership | None
    organization: Organization | None


class MemberRequest(SessionRequest):
    """A request that passed ``member_required``: a logged-in user acting in one organisation.

    ``member_required`` lets a request through only when ``user`` is authenticated (so a ``User``,
    never ``AnonymousUser``) and ``CurrentMembershipMiddleware`` found an active ``membership`` of
    that user, which holds the guard's capability when one was asked for; ``organization`` is that
    membership's organisation. ``htmx`` is set on every request by django-htmx's middleware.
    """

    user: User
    membership: Membership
    organization: Organization
    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """A request to an API operation that passed ``ApiTokenAuth``: it acts for the token's organisation."""

    organization: Organization
    api_token: ApiToken

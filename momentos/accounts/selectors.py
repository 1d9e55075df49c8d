"""Reads of the accounts app, always from a member's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from momentos.accounts.models import (
    ApiToken,
    Branch,
    Channel,
    Invitation,
    Membership,
    MembershipBranch,
    MembershipTeam,
    OpeningHours,
    Team,
    User,
)
from momentos.core.access import scoped_queryset

if TYPE_CHECKING:
    from momentos.accounts.models import Organization


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organization")
        .order_by("organization__name")
    )


def membership_for_session(*, user: Any, organization_id: Any) -> Membership | None:
    """The active membership of ``user`` in the chosen organisation, else their first one."""
    if not getattr(user, "is_authenticated", False):
        return None
    qs = memberships_of_user(user=user)
    if organization_id:
        chosen = qs.filter(organization_id=organization_id).first()
        if chosen is not None:
            return chosen
    return qs.first()


def branch_list(*, scope: Membership, search: str = "") -> QuerySet[Branch]:
    qs = scoped_queryset(Branch, scope=scope).annotate(
        span_count=Count("opening_hours", distinct=True), holiday_count=Count("holidays", distinct=True)
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(city__icontains=search) | Q(code__icontains=search))
    return qs.order_by("name")


def opening_hours_by_weekday(*, branch: Branch) -> dict[int, list[OpeningHours]]:
    days: dict[int, list[OpeningHours]] = {d: [] for d in range(7)}
    for span in OpeningHours.objects.filter(branch=branch).order_by("weekday", "opens"):
        days[span.weekday].append(span)
    return days


def weekly_hours(*, branch: Branch) -> list[dict[str, Any]]:
    """Each weekday with its label and spans, Monday first, for display."""
    from momentos.accounts.choices import Weekday

    days = opening_hours_by_weekday(branch=branch)
    return [{"label": day.label, "spans": days[day.value]} for day in Weekday]


def team_list(*, scope: Membership, search: str = "") -> QuerySet[Team]:
    qs = scoped_queryset(Team, scope=scope).select_related("branch")
    qs = qs.annotate(member_count=Count("membershipteam", distinct=True))
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("name")


def channel_list(*, organization: Organization) -> QuerySet[Channel]:
    return Channel.objects.for_organization(organization).order_by("kind")


def member_list(*, scope: Membership, search: str = "", role: str = "") -> QuerySet[Membership]:
    qs = (
        scoped_queryset(Membership, scope=scope)
        .select_related("user")
        .prefetch_related(
            Prefetch("membershipbranch_set", queryset=MembershipBranch.objects.select_related("branch")),
            Prefetch("membershipteam_set", queryset=MembershipTeam.objects.select_related("team")),
        )
    )
    if search:
        qs = qs.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    if role:
        qs = qs.filter(role=role)
    return qs.distinct().order_by("user__full_name")


def invitation_list(*, scope: Membership) -> QuerySet[Invitation]:
    return scoped_queryset(Invitation, scope=scope).select_related("invited_by").order_by("-created_at")


def api_token_list(*, scope: Membership) -> QuerySet[ApiToken]:
    return (
        scoped_queryset(ApiToken, scope=scope)
        .select_related("created_by")
        .order_by("revoked_at", "-created_at")
    )


def user_exists(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()

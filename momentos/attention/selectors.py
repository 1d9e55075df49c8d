"""Reads of the attention app: interactions as a member's scope or an API token sees them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from momentos.accounts.models import Branch
from momentos.attention.models import Interaction, MomentReached, StandardResult
from momentos.core.access import scoped_queryset

LIST_RELATED = ("branch", "channel", "agent", "team")


@dataclass(frozen=True)
class InteractionFilters:
    """What a list of interactions can be narrowed by; empty values do not filter.

    ``started_from`` and ``started_to`` as dates mean days of each branch's own calendar (a supervisor
    in Bogotá and one in Manila both get their local 2 March); as aware datetimes they are instants.
    """

    branch: Any = None
    channel: str = ""
    outcome: str = ""
    started_from: date | datetime | None = None
    started_to: date | datetime | None = None
    search: str = ""
    team: Any = None
    agent: Any = None  # a user
    segment: Any = None
    moment: Any = None  # interactions that reached this moment of truth


def _start_of(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _is_day(value: date | datetime | None) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A zone the database should not hold: the server's zone rather than a failing list.
        return ZoneInfo(settings.TIME_ZONE)


def _local_midnight(day: date, zone: ZoneInfo) -> datetime | None:
    """The first instant of ``day`` in ``zone`` (23 or 25 hours before the next on a DST change).

    None when it lies outside what a datetime can hold (year 1 east of UTC, the day after 9999-12-31):
    such a bound keeps every interaction, so it is left out.
    """
    try:
        return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    except OverflowError:
        return None


def _next_day(day: date) -> date | None:
    try:
        return day + timedelta(days=1)
    except OverflowError:
        return None


def _branch_zones(organization: Any, branch: Any) -> dict[str, list[Any]]:
    """The time zones of the branches in play (``branch`` or all the organisation's), with their ids."""
    if isinstance(branch, Branch):
        return {branch.time_zone: [branch.pk]}
    qs = Branch.objects.for_organization(organization)
    if branch:
        qs = qs.filter(pk=branch)
    zones: dict[str, list[Any]] = defaultdict(list)
    for pk, zone in qs.values_list("pk", "time_zone"):
        zones[zone].append(pk)
    return zones


def _local_days(
    qs: QuerySet[Interaction], organization: Any, filters: InteractionFilters
) -> QuerySet[Interaction]:
    """``qs`` narrowed to the date bounds read in each branch's time zone: one range per zone, OR-ed.

    Every interaction has a branch, so the organisation's own zone is never needed.
    """
    first = filters.started_from if _is_day(filters.started_from) else None
    last = filters.started_to if _is_day(filters.started_to) else None
    if first is None and last is None:
        return qs
    after_last = _next_day(last) if last is not None else None
    period = Q()
    zones = _branch_zones(organization, filters.branch)
    for name, branch_ids in zones.items():
        zone = _zone(name)
        bounds: dict[str, datetime] = {}
        if first is not None and (start := _local_midnight(first, zone)) is not None:
            bounds["started_at__gte"] = start
        if after_last is not None and (end := _local_midnight(after_last, zone)) is not None:
            bounds["started_at__lt"] = end
        period |= Q(branch_id__in=branch_ids, **bounds)
    return qs.filter(period) if zones else qs.none()


def _filter(
    qs: QuerySet[Interaction], filters: InteractionFilters, *, organization: Any
) -> QuerySet[Interaction]:
    if filters.branch:
        qs = qs.filter(branch=filters.branch)
    if filters.channel:
        qs = qs.filter(channel__kind=filters.channel)
    if filters.team:
        qs = qs.filter(team=filters.team)
    if filters.agent:
        qs = qs.filter(agent=filters.agent)
    if filters.segment:
        qs = qs.filter(segment=filters.segment)
    if filters.moment:
        qs = qs.filter(
            Exists(MomentReached.objects.filter(interaction_id=OuterRef("pk"), moment=filters.moment))
        )
    if filters.outcome == "open":
        qs = qs.filter(outcome__isnull=True)
    elif filters.outcome == "closed":
        qs = qs.filter(outcome__isnull=False)
    elif filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if isinstance(filters.started_from, datetime):
        qs = qs.filter(started_at__gte=_start_of(filters.started_from))
    if isinstance(filters.started_to, datetime):
        qs = qs.filter(started_at__lte=_start_of(filters.started_to))
    # A date is a whole day of the interaction's branch, its "to" included.
    qs = _local_days(qs, organization, filters)
    if filters.search:
        term = filters.search
        qs = qs.filter(
            Q(reason__icontains=term) | Q(customer_ref__icontains=term) | Q(external_id__icontains=term)
        )
    return qs


def interaction_list(*, scope: Any, filters: InteractionFilters | None = None) -> QuerySet[Interaction]:
    """The interactions ``scope`` may see (supervisors their branches and teams, agents their own), newest first."""
    qs = scoped_queryset(Interaction, scope=scope).select_related(*LIST_RELATED)
    filters = filters or InteractionFilters()
    return _filter(qs, filters, organization=scope.organization_id).order_by("-started_at", "-id")


def interaction_list_for_organization(
    *, organization: Any, filters: InteractionFilters | None = None
) -> QuerySet[Interaction]:
    """Every interaction of ``organization`` (an API token acts for the whole organisation)."""
    qs = Interaction.objects.for_organization(organization).select_related(*LIST_RELATED)
    filters = filters or InteractionFilters()
    return _filter(qs, filters, organization=organization).order_by("-started_at", "-id")


def interaction_detail_queryset() -> QuerySet[Interaction]:
    """Everything the detail of an interaction shows, in a fixed number of queries."""
    return Interaction.objects.select_related(*LIST_RELATED, "segment").prefetch_related(
        Prefetch(
            "moments_reached",
            queryset=MomentReached.objects.select_related("moment").order_by(
                "reached_at", "moment__position"
            ),
        ),
        Prefetch(
            "standard_results",
            queryset=StandardResult.objects.select_related("standard__moment").order_by(
                "standard__moment__position", "standard__name"
            ),
        ),
    )

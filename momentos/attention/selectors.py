"""Reads of the attention app: interactions as a member's scope or an API token sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from momentos.attention.models import Interaction, MomentReached, StandardResult
from momentos.core.access import scoped_queryset

LIST_RELATED = ("branch", "channel", "agent", "team")


@dataclass(frozen=True)
class InteractionFilters:
    """What a list of interactions can be narrowed by; empty values do not filter."""

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


def _start_of(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.combine(value, time.min))


def _filter(qs: QuerySet[Interaction], filters: InteractionFilters) -> QuerySet[Interaction]:
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
    if filters.started_from:
        qs = qs.filter(started_at__gte=_start_of(filters.started_from))
    if filters.started_to:
        # A date "to" includes the whole day.
        end = filters.started_to
        if isinstance(end, datetime):
            qs = qs.filter(started_at__lte=_start_of(end))
        else:
            qs = qs.filter(started_at__lt=_start_of(end + timedelta(days=1)))
    if filters.search:
        term = filters.search
        qs = qs.filter(
            Q(reason__icontains=term) | Q(customer_ref__icontains=term) | Q(external_id__icontains=term)
        )
    return qs


def interaction_list(*, scope: Any, filters: InteractionFilters | None = None) -> QuerySet[Interaction]:
    """The interactions ``scope`` may see (supervisors their branches and teams, agents their own), newest first."""
    qs = scoped_queryset(Interaction, scope=scope).select_related(*LIST_RELATED)
    return _filter(qs, filters or InteractionFilters()).order_by("-started_at", "-id")


def interaction_list_for_organization(
    *, organization: Any, filters: InteractionFilters | None = None
) -> QuerySet[Interaction]:
    """Every interaction of ``organization`` (an API token acts for the whole organisation)."""
    qs = Interaction.objects.for_organization(organization).select_related(*LIST_RELATED)
    return _filter(qs, filters or InteractionFilters()).order_by("-started_at", "-id")


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

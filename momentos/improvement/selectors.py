"""Reads of continuous improvement: lists, overdue actions, and the indicator before and after a version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from momentos.accounts.models import Organization
from momentos.core.models import Scope
from momentos.improvement.choices import COMMITTED_STATUSES
from momentos.improvement.models import ImprovementAction

# The longest window compared on each side of the version's publication.
MAX_WINDOW_DAYS = 90


def organization_today(organization: Any) -> date:
    """Today in the organisation's time zone."""
    if not isinstance(organization, Organization):
        organization = Organization.objects.only("time_zone").get(
            pk=getattr(organization, "pk", organization)
        )
    return timezone.localdate(timezone=ZoneInfo(organization.time_zone))


@dataclass(frozen=True)
class ActionFilters:
    search: str = ""
    status: str = ""
    owner: Any = None
    source: str = ""
    branch: Any = None
    overdue: bool = False


def action_list(*, scope: Scope, filters: ActionFilters | None = None, today: date | None = None) -> QuerySet:
    filters = filters or ActionFilters()
    qs = ImprovementAction.objects.visible_to(scope).select_related("owner", "branch")
    if filters.search:
        qs = qs.filter(Q(title__icontains=filters.search) | Q(description__icontains=filters.search))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner is not None:
        qs = qs.filter(owner=filters.owner)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.branch is not None:
        qs = qs.filter(branch=filters.branch)
    if filters.overdue:
        qs = qs.filter(
            status__in=COMMITTED_STATUSES, due_date__lt=today or organization_today(scope.organization_id)
        )
    # Proposals (no due date yet) first on both databases, then the soonest due.
    return qs.order_by(F("due_date").asc(nulls_first=True), "-created_at", "id")


def overdue_actions(scope: Scope, limit: int = 5, *, today: date | None = None) -> list[ImprovementAction]:
    """Committed actions past their due date that ``scope`` may see, the most overdue first."""
    today = today or organization_today(scope.organization_id)
    qs = (
        ImprovementAction.objects.visible_to(scope)
        .filter(status__in=COMMITTED_STATUSES, due_date__lt=today)
        .select_related("owner", "branch")
        .order_by("due_date", "created_at")
    )
    actions = list(qs[:limit])
    for action in actions:
        action.days_overdue = (today - action.due_date).days if action.due_date else 0
    return actions


def overdue_count(scope: Scope, *, today: date | None = None) -> int:
    today = today or organization_today(scope.organization_id)
    return (
        ImprovementAction.objects.visible_to(scope)
        .filter(status__in=COMMITTED_STATUSES, due_date__lt=today)
        .count()
    )


# -- before / after ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BeforeAfter:
    """The indicator over equal windows just before and since the closing version came into force."""

    label: str
    unit: str  # "percent" | "score" | "seconds" | "points"
    in_force_on: date
    days: int
    before_start: date
    before_end: date
    after_start: date
    after_end: date
    before: Decimal | None
    after: Decimal | None
    before_n: int
    after_n: int
    lower_is_better: bool = False

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def improved(self) -> bool | None:
        delta = self.delta
        if delta is None or delta == 0:
            return None
        return delta < 0 if self.lower_is_better else delta > 0


@dataclass(frozen=True)
class BeforeAfterPending:
    """Why there is no comparison yet (no version, nothing to measure, not in force long enough)."""

    reason: str


def windows(in_force_on: date, today: date) -> tuple[date, date, date, date, int] | None:
    """(before start, before end, after start, after end, days): whole days since the version, up to yesterday.

    The after window runs from the day the version came into force to yesterday (today is not over),
    at most MAX_WINDOW_DAYS long; the before window has the same length and ends the day before.
    """
    days = min((today - in_force_on).days, MAX_WINDOW_DAYS)
    if days < 1:
        return None
    after_start = in_force_on
    after_end = in_force_on + timedelta(days=days - 1)
    before_end = in_force_on - timedelta(days=1)
    before_start = in_force_on - timedelta(days=days)
    return before_start, before_end, after_start, after_end, days


def _moment_score(engine: Any, organization: Any, filters: Any, moment: Any) -> tuple[Decimal | None, int]:
    for score in engine.moment_scores(organization, filters, cycle=moment.cycle):
        m = getattr(score, "moment", None)
        moment_id = getattr(m, "pk", None) or getattr(score, "moment_id", None)
        if moment_id == moment.pk:
            value = getattr(score, "score", None)
            rating = getattr(score, "rating", None)
            n = getattr(rating, "denominator", 0) if rating is not None else 0
            return (Decimal(str(value)) if value is not None else None), int(n or 0)
    return None, 0


def action_before_after(
    action: ImprovementAction, *, today: date | None = None
) -> BeforeAfter | BeforeAfterPending:
    """Compare the action's indicator before and after its closing version was published.

    The indicator: the linked objective's (in its branch and channel), else the linked moment's
    combined score, else the NPS of the detractor's branch.
    """
    version = action.closing_version
    if version is None or version.published_at is None:
        return BeforeAfterPending(
            _("Link the published protocol version that closes this action to compare.")
        )
    if action.objective_id is None and action.moment_id is None and action.follow_up_id is None:
        return BeforeAfterPending(_("Link an objective or a moment of truth to measure the change."))
    organization = action.organization
    tz = ZoneInfo(organization.time_zone)
    today = today or timezone.localdate(timezone=tz)
    in_force_on = timezone.localdate(version.published_at, timezone=tz)
    # A version superseded since was in force only until the day before its successor.
    until = today
    if version.superseded_at is not None:
        until = min(today, timezone.localdate(version.superseded_at, timezone=tz))
    bounds = windows(in_force_on, until)
    if bounds is None:
        return BeforeAfterPending(
            _("The version came into force on %(date)s: the comparison starts after its first full day.")
            % {"date": date_format(in_force_on, "DATE_FORMAT")}
        )
    before_start, before_end, after_start, after_end, days = bounds
    try:
        from momentos.insight import engine
        from momentos.insight.filters import Filters
    except ImportError:
        return BeforeAfterPending(_("The indicators are not available yet."))

    common: dict[str, Any] = {
        "in_force_on": in_force_on,
        "days": days,
        "before_start": before_start,
        "before_end": before_end,
        "after_start": after_start,
        "after_end": after_end,
    }
    if action.objective is not None:
        objective = action.objective
        base = engine.objective_filters(objective, today)
        before = engine.compute(
            organization, objective.indicator, base.replace(start=before_start, end=before_end)
        )
        after = engine.compute(
            organization, objective.indicator, base.replace(start=after_start, end=after_end)
        )
        return BeforeAfter(
            label=str(objective.get_indicator_display()),
            unit=after.unit,
            before=before.value,
            after=after.value,
            before_n=before.denominator,
            after_n=after.denominator,
            lower_is_better=objective.comparison in {"lte", "lt"},
            **common,
        )
    branch_ids = (action.branch_id,) if action.branch_id else ()
    if action.moment is not None:
        moment = action.moment
        b_value, b_n = _moment_score(
            engine, organization, Filters(start=before_start, end=before_end, branch_ids=branch_ids), moment
        )
        a_value, a_n = _moment_score(
            engine, organization, Filters(start=after_start, end=after_end, branch_ids=branch_ids), moment
        )
        return BeforeAfter(
            label=_("Score of the moment “%(moment)s” (0–100)") % {"moment": moment.name},
            unit="points",
            before=b_value,
            after=a_value,
            before_n=b_n,
            after_n=a_n,
            **common,
        )
    before = engine.compute(
        organization, "nps", Filters(start=before_start, end=before_end, branch_ids=branch_ids)
    )
    after = engine.compute(
        organization, "nps", Filters(start=after_start, end=after_end, branch_ids=branch_ids)
    )
    return BeforeAfter(
        label=_("NPS"),
        unit=after.unit,
        before=before.value,
        after=after.value,
        before_n=before.denominator,
        after_n=after.denominator,
        **common,
    )

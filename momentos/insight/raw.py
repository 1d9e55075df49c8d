"""Indicator sums computed straight from the raw rows: the reference the rollups must always equal.

Every function returns sums (``Sums``, a mapping of counter name to integer) per group key: ``None``
for the whole selection, a dimension's id for a breakdown, or a local date for a series. The engine
turns sums into values, so the rollups only have to produce the same sums.

Days are local: an interaction belongs to the date of ``started_at`` in its branch's time zone, a
survey answer to the date of its response's ``submitted_at`` there. The period is applied per time
zone as a range of instants, so the indexes on the time columns serve it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from momentos.accounts.models import Branch
from momentos.attention.business_hours import BusinessCalendar, calendar_for_branch, elapsed_business_time
from momentos.attention.choices import Outcome, StandardStatus, TickAnswer
from momentos.attention.models import ChecklistTick, Interaction, MomentReached, StandardResult
from momentos.insight.filters import Filters
from momentos.surveys.choices import QuestionKind
from momentos.surveys.models import Answer

Sums = dict[str, int]
Grouped = dict[Any, Sums]

# The counters of each family of indicators.
INTERACTION_COUNTERS = ("closed", "resolved", "fcr", "attention_us", "frt_n", "frt_sum")
SURVEY_KINDS = (QuestionKind.CSAT, QuestionKind.NPS, QuestionKind.CES, QuestionKind.MOMENT_RATING)
SURVEY_COUNTERS = tuple(f"{kind}_{c}" for kind in SURVEY_KINDS for c in ("n", "sum", "top", "low"))
STANDARD_COUNTERS = ("met", "missed")
CHECKLIST_COUNTERS = ("yes_weight", "weight", "applications", "critical_failures")

# The lowest score that counts as "top" (CSAT 4–5, CES 5–7, NPS promoters 9–10, moment rating 4–5)
# and the highest that counts as "low" (NPS detractors 0–6; the alert marks of the other scales).
TOP_FROM = {QuestionKind.CSAT: 4, QuestionKind.NPS: 9, QuestionKind.CES: 5, QuestionKind.MOMENT_RATING: 4}
LOW_UPTO = {QuestionKind.CSAT: 2, QuestionKind.NPS: 6, QuestionKind.CES: 3, QuestionKind.MOMENT_RATING: 2}

GROUPS = ("branch", "channel", "team", "agent", "segment", "moment", "standard")

_MICRO = timedelta(microseconds=1)


def empty(counters: Iterable[str]) -> Sums:
    return dict.fromkeys(counters, 0)


def add_into(target: Sums, other: Sums) -> Sums:
    for key, value in other.items():
        target[key] = target.get(key, 0) + int(value or 0)
    return target


def local_day_start(day: date, zone: str) -> datetime:
    """The first instant of local date ``day`` in time zone ``zone``."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone))


def business_seconds(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Whole business seconds between two instants in a branch's calendar (the first response time)."""
    if end <= start:
        return 0
    return int(elapsed_business_time(calendar, start, end).total_seconds())


def _zones(organization: Any, filters: Filters) -> dict[str, list[Any]]:
    """The time zones of the organisation's branches (those the filters keep), with their branch ids."""
    qs = Branch.objects.for_organization(organization)
    if filters.branch_ids:
        qs = qs.filter(pk__in=filters.branch_ids)
    zones: dict[str, list[Any]] = defaultdict(list)
    for pk, zone in qs.values_list("pk", "time_zone"):
        zones[zone].append(pk)
    return zones


def _dimension_q(filters: Filters, columns: dict[str, str]) -> Q:
    condition = Q()
    for name, column in (
        ("branch_ids", columns["branch"]),
        ("channel_ids", columns["channel"]),
        ("team_ids", columns["team"]),
        ("agent_ids", columns["agent"]),
        ("segment_ids", columns["segment"]),
    ):
        ids = getattr(filters, name)
        if ids:
            condition &= Q(**{f"{column}__in": ids})
    return condition


def _in_period(
    qs: QuerySet[Any],
    organization: Any,
    filters: Filters,
    *,
    branch_column: str,
    time_column: str,
    group: str | None,
    key_expression: Any,
) -> QuerySet[Any]:
    """``qs`` limited to the period (a range of instants per time zone), annotated with the key ``_key``."""
    zones = _zones(organization, filters)
    if not zones:
        # No branch: nothing to count, but grouped callers still read ``_key``.
        return qs.none().annotate(_key=Value(None, output_field=DateField())) if group else qs.none()
    period = Q()
    day_cases = []
    for zone, branch_ids in zones.items():
        lo = local_day_start(filters.start, zone)
        hi = local_day_start(filters.end + timedelta(days=1), zone)
        in_zone = Q(**{f"{branch_column}__in": branch_ids})
        period |= in_zone & Q(**{f"{time_column}__gte": lo, f"{time_column}__lt": hi})
        day_cases.append(When(in_zone, then=TruncDate(time_column, tzinfo=ZoneInfo(zone))))
    qs = qs.filter(period)
    if group == "day":
        return qs.annotate(_key=Case(*day_cases, output_field=DateField()))
    if group is not None:
        return qs.annotate(_key=key_expression)
    return qs


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile of an ordered set."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def _aggregate_rows(part: Any, aggregates: dict[str, Any], group: str | None) -> list[dict[str, Any]]:
    """The aggregates over ``part``: one row for the whole, or one row per ``_key`` when grouped."""
    if group is None:
        return [part.aggregate(**aggregates)]
    return list(part.values("_key").annotate(**aggregates).order_by())


def _key_of(row: dict[str, Any], group: str | None) -> Any:
    return row["_key"] if group is not None else None


# Interactions --------------------------------------------------------------------------------------

INTERACTION_COLUMNS = {
    "branch": "branch_id",
    "channel": "channel_id",
    "team": "team_id",
    "agent": "agent_id",
    "segment": "segment_id",
    "moment": "moments_reached__moment_id",
}


def closed_interactions(
    organization: Any, filters: Filters, *, group: str | None = None
) -> QuerySet[Interaction]:
    """The closed interactions the filters select, before the period (applied per time zone).

    Grouped by moment, an interaction appears once per moment it reached (of the filter's, if any).
    """
    qs = Interaction.objects.for_organization(organization).filter(closed_at__isnull=False)
    qs = qs.filter(_dimension_q(filters, INTERACTION_COLUMNS))
    if group == "moment":
        # The key (moments_reached__moment_id) reuses this join, so only these moments are keys.
        if filters.moment_ids:
            qs = qs.filter(moments_reached__moment_id__in=filters.moment_ids)
        else:
            qs = qs.filter(moments_reached__isnull=False)
    if filters.moment_ids:
        qs = qs.filter(
            Exists(
                MomentReached.objects.filter(
                    organization_id=getattr(organization, "pk", organization),
                    interaction_id=OuterRef("pk"),
                    moment_id__in=filters.moment_ids,
                )
            )
        )
    return qs


def _interaction_key(group: str | None) -> Any:
    if group is None or group == "day":
        return None
    if group == "standard":
        raise ValueError("interaction indicators have no breakdown by standard")
    return F(INTERACTION_COLUMNS[group])


def _duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("closed_at") - F("started_at"), output_field=DurationField())


def interaction_sums(organization: Any, filters: Filters, *, group: str | None = None) -> Grouped:
    """Closed, resolved, resolved at the first contact, attention time (µs) and first response time
    (business seconds, computed here from the timestamps in the branch's calendar) per group."""
    result: Grouped = {}
    part = _in_period(
        closed_interactions(organization, filters, group=group),
        organization,
        filters,
        branch_column="branch_id",
        time_column="started_at",
        group=group,
        key_expression=_interaction_key(group),
    )
    aggregates = {
        "closed": Count("pk"),
        "resolved": Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
        "fcr": Count("pk", filter=Q(outcome=Outcome.RESOLVED, contacts=1)),
        "attention": Sum(_duration()),
    }
    rows = _aggregate_rows(part, aggregates, group)
    for row in rows:
        sums = result.setdefault(_key_of(row, group), empty(INTERACTION_COUNTERS))
        attention = row["attention"] or timedelta()
        add_into(
            sums,
            {
                "closed": row["closed"],
                "resolved": row["resolved"],
                "fcr": row["fcr"],
                "attention_us": attention // _MICRO,
            },
        )
    calendars: dict[Any, BusinessCalendar] = {}
    fields = ["branch_id", "started_at", "first_response_at"] + (["_key"] if group is not None else [])
    for row in part.filter(first_response_at__isnull=False).values(*fields).order_by():
        branch_id = row["branch_id"]
        if branch_id not in calendars:
            calendars[branch_id] = calendar_for_branch(Branch.objects.get(pk=branch_id))
        seconds = business_seconds(calendars[branch_id], row["started_at"], row["first_response_at"])
        sums = result.setdefault(_key_of(row, group), empty(INTERACTION_COUNTERS))
        sums["frt_n"] += 1
        sums["frt_sum"] += seconds
    if group is None:
        result.setdefault(None, empty(INTERACTION_COUNTERS))
    return result


def percentile_index(n: int, fraction: float) -> int:
    """The 0-based index of the ``fraction`` percentile of ``n`` sorted values (the nearest-rank rule,
    as PostgreSQL's percentile_disc): the first value with at least that fraction at or below it."""
    return max(0, math.ceil(fraction * n) - 1)


def attention_percentiles(
    organization: Any, filters: Filters, *, group: str | None = None
) -> dict[Any, tuple[Decimal, Decimal]]:
    """Median and p90 of the attention time (seconds) of the closed interactions, per group, from raw rows.

    Nearest rank (a value that occurred, never an interpolation). On PostgreSQL one percentile_disc
    query; elsewhere the durations are read and sorted here.
    """
    part = _in_period(
        closed_interactions(organization, filters, group=group),
        organization,
        filters,
        branch_column="branch_id",
        time_column="started_at",
        group=group,
        key_expression=_interaction_key(group),
    )
    result: dict[Any, tuple[Decimal, Decimal]] = {}
    if connection.vendor == "postgresql":
        aggregates = {
            "median": PercentileDisc(_duration(), fraction=0.5, output_field=DurationField()),
            "p90": PercentileDisc(_duration(), fraction=0.9, output_field=DurationField()),
        }
        rows = _aggregate_rows(part, aggregates, group)
        for row in rows:
            if row["median"] is not None:
                result[_key_of(row, group)] = (
                    _seconds(row["median"] // _MICRO),
                    _seconds(row["p90"] // _MICRO),
                )
        return result
    durations: dict[Any, list[int]] = defaultdict(list)
    fields = ["_us"] + (["_key"] if group is not None else [])
    for row in part.annotate(_us=_duration()).values(*fields).order_by():
        durations[_key_of(row, group)].append(row["_us"] // _MICRO)
    for key, values in durations.items():
        values.sort()
        n = len(values)
        result[key] = (
            _seconds(values[percentile_index(n, 0.5)]),
            _seconds(values[percentile_index(n, 0.9)]),
        )
    return result


def _seconds(microseconds: int) -> Decimal:
    return Decimal(int(microseconds)) / Decimal(1_000_000)


# Survey answers ------------------------------------------------------------------------------------

ANSWER_COLUMNS = {
    "branch": "response__branch_id",
    "channel": "response__channel_id",
    "team": "response__team_id",
    "agent": "response__interaction__agent_id",
    "segment": "response__interaction__segment_id",
}


def answer_moment() -> Coalesce:
    """The moment an answer is about: its question's (a moment rating), else its response's."""
    return Coalesce("question__moment_id", "response__moment_id")


def counted_answers(organization: Any, filters: Filters) -> QuerySet[Answer]:
    """Scored answers of the survey kinds that count, outside responses sent by staff."""
    qs = Answer.objects.for_organization(organization).filter(
        kind__in=SURVEY_KINDS, value__isnull=False, response__flagged_staff=False
    )
    qs = qs.filter(_dimension_q(filters, ANSWER_COLUMNS))
    if filters.moment_ids:
        qs = qs.annotate(_moment=answer_moment()).filter(_moment__in=filters.moment_ids)
    return qs


def _answer_key(group: str | None) -> Any:
    if group is None or group == "day":
        return None
    if group == "moment":
        return answer_moment()
    if group == "standard":
        raise ValueError("survey indicators have no breakdown by standard")
    return F(ANSWER_COLUMNS[group])


def survey_sums(organization: Any, filters: Filters, *, group: str | None = None) -> Grouped:
    """Per survey kind: answers (n), sum of scores, top answers and low answers, per group."""
    result: Grouped = {}
    base = counted_answers(organization, filters)
    aggregates: dict[str, Any] = {}
    for kind in SURVEY_KINDS:
        aggregates[f"{kind}_n"] = Count("pk", filter=Q(kind=kind))
        aggregates[f"{kind}_sum"] = Sum("value", filter=Q(kind=kind))
        aggregates[f"{kind}_top"] = Count("pk", filter=Q(kind=kind, value__gte=TOP_FROM[kind]))
        aggregates[f"{kind}_low"] = Count("pk", filter=Q(kind=kind, value__lte=LOW_UPTO[kind]))
    part = _in_period(
        base,
        organization,
        filters,
        branch_column="response__branch_id",
        time_column="response__submitted_at",
        group=group,
        key_expression=_answer_key(group),
    )
    rows = _aggregate_rows(part, aggregates, group)
    for row in rows:
        sums = result.setdefault(_key_of(row, group), empty(SURVEY_COUNTERS))
        add_into(sums, {name: row[name] for name in SURVEY_COUNTERS})
    if group is None:
        result.setdefault(None, empty(SURVEY_COUNTERS))
    return result


# Standards -----------------------------------------------------------------------------------------

RESULT_COLUMNS = {
    "branch": "interaction__branch_id",
    "channel": "interaction__channel_id",
    "team": "interaction__team_id",
    "agent": "interaction__agent_id",
    "segment": "interaction__segment_id",
    "moment": "standard__moment_id",
    "standard": "standard_id",
}


def standard_sums(organization: Any, filters: Filters, *, group: str | None = None) -> Grouped:
    """Met and missed verdicts of the service standards on closed interactions, per group."""
    result: Grouped = {}
    qs = StandardResult.objects.for_organization(organization).filter(
        interaction__closed_at__isnull=False, status__in=[StandardStatus.MET, StandardStatus.MISSED]
    )
    qs = qs.filter(_dimension_q(filters, RESULT_COLUMNS))
    if filters.moment_ids:
        qs = qs.filter(standard__moment_id__in=filters.moment_ids)
    aggregates = {
        "met": Count("pk", filter=Q(status=StandardStatus.MET)),
        "missed": Count("pk", filter=Q(status=StandardStatus.MISSED)),
    }
    key = F(RESULT_COLUMNS[group]) if group is not None and group != "day" else None
    part = _in_period(
        qs,
        organization,
        filters,
        branch_column="interaction__branch_id",
        time_column="interaction__started_at",
        group=group,
        key_expression=key,
    )
    rows = _aggregate_rows(part, aggregates, group)
    for row in rows:
        add_into(
            result.setdefault(_key_of(row, group), empty(STANDARD_COUNTERS)),
            {"met": row["met"], "missed": row["missed"]},
        )
    if group is None:
        result.setdefault(None, empty(STANDARD_COUNTERS))
    return result


# Checklists ----------------------------------------------------------------------------------------

TICK_COLUMNS = {
    "branch": "interaction__branch_id",
    "channel": "interaction__channel_id",
    "team": "interaction__team_id",
    "agent": "interaction__agent_id",
    "segment": "interaction__segment_id",
    "moment": "item__moment_id",
}


def checklist_sums(organization: Any, filters: Filters, *, group: str | None = None) -> Grouped:
    """Checklist applications (one per interaction and moment) of closed interactions, per group.

    An application scores its weighted "yes" over its weighted "yes" + "no" (N/A left out); one
    critical "no" scores it 0 over the same denominator. Applications with nothing but N/A count nothing.
    """
    if group == "standard":
        raise ValueError("checklist compliance has no breakdown by standard")
    qs = ChecklistTick.objects.for_organization(organization).filter(
        interaction__closed_at__isnull=False, answer__in=[TickAnswer.YES, TickAnswer.NO]
    )
    qs = qs.filter(_dimension_q(filters, TICK_COLUMNS))
    if filters.moment_ids:
        qs = qs.filter(item__moment_id__in=filters.moment_ids)
    key = F(TICK_COLUMNS[group]) if group is not None and group != "day" else None
    applications: dict[tuple[Any, Any, Any], list[int]] = {}
    part = _in_period(
        qs,
        organization,
        filters,
        branch_column="interaction__branch_id",
        time_column="interaction__started_at",
        group=group,
        key_expression=key,
    )
    fields = ["interaction_id", "item__moment_id", "answer", "item__weight", "item__critical"]
    if group is not None:
        fields.append("_key")
    for row in part.values(*fields).order_by():
        app = applications.setdefault(
            (_key_of(row, group), row["interaction_id"], row["item__moment_id"]), [0, 0, 0]
        )
        app[1] += row["item__weight"]
        if row["answer"] == TickAnswer.YES:
            app[0] += row["item__weight"]
        elif row["item__critical"]:
            app[2] = 1
    result: Grouped = {}
    for (group_key, _interaction, _moment), (yes, weight, critical) in applications.items():
        sums = result.setdefault(group_key, empty(CHECKLIST_COUNTERS))
        sums["yes_weight"] += 0 if critical else yes
        sums["weight"] += weight
        sums["applications"] += 1
        sums["critical_failures"] += critical
    if group is None:
        result.setdefault(None, empty(CHECKLIST_COUNTERS))
    return result

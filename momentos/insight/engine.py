"""The indicator engine: every indicator of the product's definitions table, for any filters.

Values come from the rollups (``source="rollup"``, the default, fast at any size) or straight from
the raw rows (``source="raw"``, the reference); both give the same sums, and so the same values,
which a property test checks. Medians and p90 of the attention time always come from the raw rows.

An empty denominator gives ``value=None`` ("no data"), never 0. Survey indicators say whether they
rest on enough answers (``enough``: at least the organisation's ``min_sample_size``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from momentos.cycle.choices import TIME_INDICATORS, Comparison, Indicator
from momentos.insight import raw
from momentos.insight.filters import Filters, period_bounds

SOURCES = ("rollup", "raw")
BUCKETS = ("day", "week", "month")
BREAKDOWNS = ("branch", "channel", "team", "agent", "segment", "moment", "standard")

PERCENT = "percent"
SCORE = "score"
SECONDS = "seconds"

UNITS: dict[str, str] = {
    Indicator.CSAT: PERCENT,
    Indicator.NPS: SCORE,
    Indicator.CES: SCORE,
    Indicator.RESOLUTION_RATE: PERCENT,
    Indicator.FIRST_CONTACT_RESOLUTION: PERCENT,
    Indicator.ATTENTION_TIME: SECONDS,
    Indicator.FIRST_RESPONSE_TIME: SECONDS,
    Indicator.STANDARD_COMPLIANCE: PERCENT,
    Indicator.CHECKLIST_COMPLIANCE: PERCENT,
    Indicator.TRAINING_COVERAGE: PERCENT,
}

SURVEY_INDICATORS = frozenset({Indicator.CSAT, Indicator.NPS, Indicator.CES})
INTERACTION_INDICATORS = frozenset(
    {
        Indicator.RESOLUTION_RATE,
        Indicator.FIRST_CONTACT_RESOLUTION,
        Indicator.ATTENTION_TIME,
        Indicator.FIRST_RESPONSE_TIME,
    }
)

# How far a value may miss its target and still be "at risk" rather than "off target":
# points for percentages and NPS, points of the 1–7 scale for CES, a fraction of the target for times.
AT_RISK_POINTS = Decimal(5)
AT_RISK_CES_POINTS = Decimal("0.3")
AT_RISK_TIME_FRACTION = Decimal("0.10")

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class Value:
    """One indicator over one selection: the value and the numbers behind it."""

    indicator: str
    value: Decimal | None
    numerator: Decimal
    denominator: int
    enough: bool
    detail: dict[str, Decimal | int | None] = field(default_factory=dict)
    unit: str = PERCENT

    @property
    def has_data(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class MomentScore:
    """How one moment of truth is doing: customer ratings, standards, checklist and a combined 0–100."""

    moment: Any
    rating_mean: Decimal | None
    rating_top_pct: Decimal | None
    rating_n: int
    standard_compliance: Value
    checklist_compliance: Value
    score: Decimal | None
    is_worst: bool = False


def _family(indicator: str) -> str:
    if indicator in SURVEY_INDICATORS:
        return "survey"
    if indicator in INTERACTION_INDICATORS:
        return "interaction"
    if indicator == Indicator.STANDARD_COMPLIANCE:
        return "standard"
    if indicator == Indicator.CHECKLIST_COMPLIANCE:
        return "checklist"
    if indicator == Indicator.TRAINING_COVERAGE:
        return "training"
    raise ValueError(f"unknown indicator {indicator!r}")


def _check(indicator: str, source: str) -> None:
    _family(indicator)
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _pct(part: int, whole: int) -> Decimal | None:
    return _round(Decimal(part) * _HUNDRED / Decimal(whole)) if whole else None


def _sums_reader(family: str, source: str) -> Callable[..., raw.Grouped]:
    if source == "rollup":
        from momentos.insight import rollups

        return rollups.reader(family)
    return {
        "interaction": raw.interaction_sums,
        "survey": raw.survey_sums,
        "standard": raw.standard_sums,
        "checklist": raw.checklist_sums,
    }[family]


def _sums(organization: Any, family: str, filters: Filters, *, source: str, group: str | None) -> raw.Grouped:
    if family == "training":
        return {None: {}} if group is None else {}
    if filters.is_empty_selection:
        return {None: raw.empty(_counters(family))} if group is None else {}
    return _sums_reader(family, source)(organization, filters, group=group)


def _counters(family: str) -> tuple[str, ...]:
    return {
        "interaction": raw.INTERACTION_COUNTERS,
        "survey": raw.SURVEY_COUNTERS,
        "standard": raw.STANDARD_COUNTERS,
        "checklist": raw.CHECKLIST_COUNTERS,
        "training": (),
    }[family]


def value_from_sums(
    organization: Any,
    indicator: str,
    sums: dict[str, int],
    *,
    percentiles: tuple[Decimal, Decimal] | None = None,
) -> Value:
    """The value of ``indicator`` from its family's sums (``raw`` counters)."""
    s = {name: int(sums.get(name, 0) or 0) for name in _counters(_family(indicator))}
    unit = UNITS[indicator]
    min_sample = int(getattr(organization, "min_sample_size", 0) or 0)

    if indicator in SURVEY_INDICATORS:
        kind = str(indicator)
        n, total, top, low = (s[f"{kind}_{c}"] for c in ("n", "sum", "top", "low"))
        enough = n >= min_sample
        if indicator == Indicator.CSAT:
            return Value(indicator, _pct(top, n), Decimal(top), n, enough, {}, unit)
        if indicator == Indicator.NPS:
            promoters, detractors = _pct(top, n), _pct(low, n)
            value = _round(Decimal(top - low) * _HUNDRED / Decimal(n)) if n else None
            detail: dict[str, Decimal | int | None] = {
                "promoters_pct": promoters,
                "detractors_pct": detractors,
                "promoters": top,
                "detractors": low,
            }
            return Value(indicator, value, Decimal(top - low), n, enough, detail, unit)
        mean = _round(Decimal(total) / Decimal(n)) if n else None
        return Value(indicator, mean, Decimal(total), n, enough, {"top_pct": _pct(top, n)}, unit)

    if indicator == Indicator.RESOLUTION_RATE:
        return Value(
            indicator, _pct(s["resolved"], s["closed"]), Decimal(s["resolved"]), s["closed"], True, {}, unit
        )
    if indicator == Indicator.FIRST_CONTACT_RESOLUTION:
        return Value(
            indicator, _pct(s["fcr"], s["resolved"]), Decimal(s["fcr"]), s["resolved"], True, {}, unit
        )
    if indicator == Indicator.ATTENTION_TIME:
        closed = s["closed"]
        seconds = Decimal(s["attention_us"]) / _MILLION
        average = _round(seconds / closed) if closed else None
        median, p90 = percentiles if percentiles else (None, None)
        return Value(
            indicator, average, seconds, closed, True, {"mean": average, "median": median, "p90": p90}, unit
        )
    if indicator == Indicator.FIRST_RESPONSE_TIME:
        n = s["frt_n"]
        mean = _round(Decimal(s["frt_sum"]) / n) if n else None
        return Value(indicator, mean, Decimal(s["frt_sum"]), n, True, {"mean": mean}, unit)
    if indicator == Indicator.STANDARD_COMPLIANCE:
        applied = s["met"] + s["missed"]
        return Value(
            indicator,
            _pct(s["met"], applied),
            Decimal(s["met"]),
            applied,
            True,
            {"met": s["met"], "missed": s["missed"]},
            unit,
        )
    if indicator == Indicator.CHECKLIST_COMPLIANCE:
        return Value(
            indicator,
            _pct(s["yes_weight"], s["weight"]),
            Decimal(s["yes_weight"]),
            s["weight"],
            True,
            {"applications": s["applications"], "critical_failures": s["critical_failures"]},
            unit,
        )
    # Training coverage: no training data exists yet, so there is never a denominator.
    return Value(indicator, None, Decimal(0), 0, True, {}, unit)


def _has_denominator(value: Value) -> bool:
    return value.denominator > 0


def compute(
    organization: Any, indicator: str, filters: Filters, *, source: str = "rollup", percentiles: bool = True
) -> Value:
    """``indicator`` over ``filters``, from the rollups or the raw rows.

    ``percentiles=False`` leaves the attention time's median and p90 empty (they are read from raw rows:
    a page that does not show them should not pay for them)."""
    _check(indicator, source)
    family = _family(indicator)
    sums = _sums(organization, family, filters, source=source, group=None).get(None, {})
    found = None
    if percentiles and indicator == Indicator.ATTENTION_TIME and sums.get("closed"):
        found = raw.attention_percentiles(organization, filters).get(None)
    return value_from_sums(organization, indicator, sums, percentiles=found)


def compute_many(
    organization: Any,
    indicators: Iterable[str],
    filters: Filters,
    *,
    source: str = "rollup",
    percentiles: bool = True,
) -> dict[str, Value]:
    """Several indicators over the same filters, reading each family's sums once (see ``compute``)."""
    wanted = list(indicators)
    for indicator in wanted:
        _check(indicator, source)
    by_family: dict[str, dict[str, int]] = {}
    result: dict[str, Value] = {}
    for indicator in wanted:
        family = _family(indicator)
        if family not in by_family:
            by_family[family] = _sums(organization, family, filters, source=source, group=None).get(None, {})
        sums = by_family[family]
        found = None
        if percentiles and indicator == Indicator.ATTENTION_TIME and sums.get("closed"):
            found = raw.attention_percentiles(organization, filters).get(None)
        result[indicator] = value_from_sums(organization, indicator, sums, percentiles=found)
    return result


def bucket_start(day: date, bucket: str) -> date:
    if bucket == "day":
        return day
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown bucket {bucket!r}")


def _buckets(filters: Filters, bucket: str) -> list[date]:
    starts: list[date] = []
    day = filters.start
    while day <= filters.end:
        start = bucket_start(day, bucket)
        if not starts or starts[-1] != start:
            starts.append(start)
        day += timedelta(days=1)
    return starts


def series(
    organization: Any,
    indicator: str,
    filters: Filters,
    *,
    bucket: str = "day",
    source: str = "rollup",
    percentiles: bool = True,
) -> list[tuple[date, Value]]:
    """``indicator`` per day, week (from Monday) or month over the period, every bucket listed
    (a bucket with nothing in it is "no data"); a first or last bucket may be partial."""
    return series_many(
        organization, [indicator], filters, bucket=bucket, source=source, percentiles=percentiles
    )[indicator]


def series_many(
    organization: Any,
    indicators: Iterable[str],
    filters: Filters,
    *,
    bucket: str = "day",
    source: str = "rollup",
    percentiles: bool = True,
) -> dict[str, list[tuple[date, Value]]]:
    """Several indicators' ``series`` over the same filters, reading each family's daily sums once."""
    wanted = list(indicators)
    for indicator in wanted:
        _check(indicator, source)
    if bucket not in BUCKETS:
        raise ValueError(f"unknown bucket {bucket!r}")
    by_family: dict[str, dict[date, dict[str, int]]] = {}
    result: dict[str, list[tuple[date, Value]]] = {}
    for indicator in wanted:
        family = _family(indicator)
        if family not in by_family:
            merged: dict[date, dict[str, int]] = {}
            for day, sums in _sums(organization, family, filters, source=source, group="day").items():
                if day is None:
                    continue
                raw.add_into(merged.setdefault(bucket_start(day, bucket), {}), sums)
            by_family[family] = merged
        merged = by_family[family]
        found: dict[Any, tuple[Decimal, Decimal]] = {}
        if percentiles and indicator == Indicator.ATTENTION_TIME:
            for start in _buckets(filters, bucket):
                if merged.get(start, {}).get("closed"):
                    part = filters.replace(
                        start=max(start, filters.start), end=min(_bucket_end(start, bucket), filters.end)
                    )
                    pair = raw.attention_percentiles(organization, part).get(None)
                    if pair:
                        found[start] = pair
        result[indicator] = [
            (
                start,
                value_from_sums(organization, indicator, merged.get(start, {}), percentiles=found.get(start)),
            )
            for start in _buckets(filters, bucket)
        ]
    return result


def _bucket_end(start: date, bucket: str) -> date:
    if bucket == "day":
        return start
    if bucket == "week":
        return start + timedelta(days=6)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def breakdown(
    organization: Any,
    indicator: str,
    filters: Filters,
    *,
    by: str,
    source: str = "rollup",
    percentiles: bool = True,
) -> list[tuple[UUID | None, Value]]:
    """``indicator`` per branch, channel, team, agent, segment, moment or standard (standard
    compliance only); only the groups with data, best value first (None: rows without that dimension).

    An interaction that reached several moments counts once in each of them.
    """
    _check(indicator, source)
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    if by == "standard" and indicator != Indicator.STANDARD_COMPLIANCE:
        raise ValueError("only standard compliance breaks down by standard")
    family = _family(indicator)
    grouped = _sums(organization, family, filters, source=source, group=by)
    found: dict[Any, tuple[Decimal, Decimal]] = {}
    if percentiles and indicator == Indicator.ATTENTION_TIME and grouped:
        found = raw.attention_percentiles(organization, filters, group=by)
    values = [
        (key, value_from_sums(organization, indicator, sums, percentiles=found.get(key)))
        for key, sums in grouped.items()
    ]
    values = [(key, value) for key, value in values if _has_denominator(value)]
    lower_is_better = indicator in TIME_INDICATORS
    values.sort(
        key=lambda kv: (
            kv[1].value is None,
            (kv[1].value or Decimal(0)) * (1 if lower_is_better else -1),
            str(kv[0]),
        )
    )
    return values


def moment_scores(
    organization: Any, filters: Filters, *, cycle: Any, source: str = "rollup"
) -> list[MomentScore]:
    """Each moment of ``cycle`` in order: the customers' ratings of it (mean 1–5, % scoring 4–5), its
    standard and checklist compliance, and a combined score 0–100, the mean of those of the three that
    have data (ratings as % 4–5). The worst moment is the lowest combined score with data."""
    from momentos.cycle.models import Moment

    moments = list(Moment.objects.for_organization(organization).filter(cycle=cycle).order_by("position"))
    ids = tuple(m.pk for m in moments)
    # Restricting to the cycle's moments keeps the three breakdowns to this cycle.
    narrowed = (
        filters.replace(moment_ids=tuple(i for i in filters.moment_ids if i in ids) or ids)
        if ids
        else filters
    )
    if not ids:
        return []
    survey = _sums(organization, "survey", narrowed, source=source, group="moment")
    standards = _sums(organization, "standard", narrowed, source=source, group="moment")
    checklists = _sums(organization, "checklist", narrowed, source=source, group="moment")
    kind = "moment_rating"
    scores: list[MomentScore] = []
    for moment in moments:
        s = survey.get(moment.pk, {})
        n = int(s.get(f"{kind}_n", 0) or 0)
        mean = _round(Decimal(s.get(f"{kind}_sum", 0)) / n) if n else None
        top_pct = _pct(int(s.get(f"{kind}_top", 0) or 0), n)
        standard = value_from_sums(organization, Indicator.STANDARD_COMPLIANCE, standards.get(moment.pk, {}))
        checklist = value_from_sums(
            organization, Indicator.CHECKLIST_COMPLIANCE, checklists.get(moment.pk, {})
        )
        parts = [p for p in (top_pct, standard.value, checklist.value) if p is not None]
        combined = _round(sum(parts, Decimal(0)) / len(parts)) if parts else None
        scores.append(
            MomentScore(
                moment=moment,
                rating_mean=mean,
                rating_top_pct=top_pct,
                rating_n=n,
                standard_compliance=standard,
                checklist_compliance=checklist,
                score=combined,
            )
        )
    scored = [s for s in scores if s.score is not None]
    if scored:
        worst = min(scored, key=lambda s: (s.score, s.moment.position))
        scores = [MomentScore(**{**s.__dict__, "is_worst": True}) if s is worst else s for s in scores]
    return scores


def _target_in_unit(indicator: str, target: Decimal) -> Decimal:
    # Time targets are set in minutes; values are in seconds.
    return target * 60 if indicator in TIME_INDICATORS else target


def _margin(indicator: str, target: Decimal) -> Decimal:
    if indicator in TIME_INDICATORS:
        return abs(target) * AT_RISK_TIME_FRACTION
    if indicator == Indicator.CES:
        return AT_RISK_CES_POINTS
    return AT_RISK_POINTS


def _meets(value: Decimal, comparison: str, target: Decimal) -> bool:
    if comparison == Comparison.GTE:
        return value >= target
    if comparison == Comparison.GT:
        return value > target
    if comparison == Comparison.LTE:
        return value <= target
    if comparison == Comparison.LT:
        return value < target
    raise ValueError(f"unknown comparison {comparison!r}")


def status(value: Value, objective: Any) -> str:
    """Where ``value`` stands against ``objective``'s target.

    "no_data" without a denominator; "not_enough" when a survey indicator rests on fewer answers than
    the organisation's minimum sample; "on_target" when the comparison holds; "at_risk" when it
    misses by no more than the margin (5 points for percentages and NPS, 0.3 for CES, 10 % of the
    target for times); "off_target" beyond. Time targets are in minutes, compared with the mean.
    """
    if value.value is None:
        return "no_data"
    if not value.enough:
        return "not_enough"
    target = _target_in_unit(value.indicator, Decimal(objective.target))
    comparison = objective.comparison
    if _meets(value.value, comparison, target):
        return "on_target"
    margin = _margin(value.indicator, target)
    if comparison in (Comparison.GTE, Comparison.GT):
        shifted = target - margin
    else:
        shifted = target + margin
    inclusive = Comparison.GTE if comparison in (Comparison.GTE, Comparison.GT) else Comparison.LTE
    return "at_risk" if _meets(value.value, inclusive, shifted) else "off_target"


def objective_filters(objective: Any, today: date) -> Filters:
    """The objective's current period up to ``today`` and its scope (branch, channel)."""
    start, end = period_bounds(objective.period, today)
    return Filters(
        start=start,
        end=end,
        branch_ids=(objective.branch_id,) if objective.branch_id else (),
        channel_ids=(objective.channel_id,) if objective.channel_id else (),
    )

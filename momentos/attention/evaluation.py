"""How an interaction measures against each service standard of its channel's cycle (pure: no queries).

Each metric is an interval or a count taken from the interaction:

- ``first_response_time``: started → first response;
- ``attention_time``: started → closed;
- ``wait_time``: started (the customer's arrival) → the standard's moment reached;
- ``moment_duration``: the moment reached → the next moment reached (or the close, for the last one);
- ``contacts``: the number of contacts the customer needed.

Intervals are counted on the wall clock, or in the branch's business hours when the standard says so.
A standard whose data is missing (no close yet, moment never reached, no threshold, a unit that does not
fit the metric) is ``not_applicable``; it is stored like the others so a denominator can exclude it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from momentos.attention.choices import StandardStatus
from momentos.cycle.choices import Comparison, StandardMetric, Unit

# The metrics an interaction carries; a moment's customer rating comes from surveys, not from here.
INTERACTION_METRICS = frozenset(
    {
        StandardMetric.FIRST_RESPONSE_TIME,
        StandardMetric.ATTENTION_TIME,
        StandardMetric.WAIT_TIME,
        StandardMetric.MOMENT_DURATION,
        StandardMetric.CONTACTS,
    }
)

SECONDS_PER_UNIT = {
    Unit.SECONDS: Decimal(1),
    Unit.MINUTES: Decimal(60),
    Unit.HOURS: Decimal(3600),
    # A business "day" is 24 hours of business time, not a working day: the unit stays a length of time.
    Unit.DAYS: Decimal(86400),
}

CENTS = Decimal("0.01")

Clock = Callable[[datetime, datetime], timedelta]


def wall_clock(start: datetime, end: datetime) -> timedelta:
    return end - start


@dataclass(frozen=True)
class Measurement:
    status: str
    measured: Decimal | None
    unit: str


def compare(value: Decimal, comparison: str, threshold: Decimal) -> bool:
    if comparison == Comparison.LTE:
        return value <= threshold
    if comparison == Comparison.LT:
        return value < threshold
    if comparison == Comparison.GTE:
        return value >= threshold
    if comparison == Comparison.GT:
        return value > threshold
    raise ValueError(f"unknown comparison {comparison!r}")


def seconds(delta: timedelta) -> Decimal:
    return Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / Decimal(1_000_000)


def interval(
    metric: str,
    *,
    interaction: Any,
    moment_id: Any,
    reached: Mapping[Any, datetime],
    positions: Mapping[Any, int],
) -> tuple[datetime, datetime] | None:
    """The (start, end) the metric measures on this interaction, or None when the data is not there."""
    started = interaction.started_at
    if metric == StandardMetric.FIRST_RESPONSE_TIME:
        end = interaction.first_response_at
        return (started, end) if end else None
    if metric == StandardMetric.ATTENTION_TIME:
        end = interaction.closed_at
        return (started, end) if end else None
    if metric == StandardMetric.WAIT_TIME:
        end = reached.get(moment_id)
        return (started, end) if end else None
    if metric == StandardMetric.MOMENT_DURATION:
        begin = reached.get(moment_id)
        if begin is None:
            return None
        # The moment lasts until the customer reaches the next one (ties broken by cycle position).
        order = sorted(reached, key=lambda mid: (reached[mid], positions.get(mid, 0)))
        following = order.index(moment_id) + 1
        end = reached[order[following]] if following < len(order) else interaction.closed_at
        return (begin, end) if end else None
    return None


def standard_measure(
    *,
    standard: Any,
    interaction: Any,
    reached: Mapping[Any, datetime],
    positions: Mapping[Any, int],
    clock: Callable[[], Clock],
) -> Measurement:
    """The verdict of ``standard`` on ``interaction``; ``clock()`` gives the clock to count intervals with."""
    unit = standard.unit
    if standard.threshold is None:
        return Measurement(StandardStatus.NOT_APPLICABLE, None, unit)
    if standard.metric == StandardMetric.CONTACTS:
        value = Decimal(interaction.contacts)
        unit = Unit.COUNT
    else:
        if unit not in SECONDS_PER_UNIT:
            return Measurement(StandardStatus.NOT_APPLICABLE, None, unit)
        span = interval(
            standard.metric,
            interaction=interaction,
            moment_id=standard.moment_id,
            reached=reached,
            positions=positions,
        )
        if span is None or span[1] < span[0]:
            return Measurement(StandardStatus.NOT_APPLICABLE, None, unit)
        value = seconds(clock()(*span)) / SECONDS_PER_UNIT[unit]
    met = compare(value, standard.comparison, standard.threshold)
    return Measurement(
        StandardStatus.MET if met else StandardStatus.MISSED, value.quantize(CENTS, ROUND_HALF_UP), unit
    )


def interaction_measure(
    *,
    interaction: Any,
    standards: Iterable[Any],
    reached: Mapping[Any, datetime],
    positions: Mapping[Any, int],
    business_clock: Callable[[], Clock],
) -> list[tuple[Any, Measurement]]:
    """(standard, measurement) for every standard an interaction can be measured against."""
    results = []
    for standard in standards:
        if standard.metric not in INTERACTION_METRICS:
            continue
        clock = business_clock if standard.business_hours else (lambda: wall_clock)
        results.append(
            (
                standard,
                standard_measure(
                    standard=standard,
                    interaction=interaction,
                    reached=reached,
                    positions=positions,
                    clock=clock,
                ),
            )
        )
    return results

"""Business time: how much of a stretch of real time a branch was open, and when a deadline falls.

A branch is open at an instant when its own wall clock (its IANA time zone) shows a time inside one of
the spans of that wall-clock date: the weekly hours of the weekday, or the holiday's hours when the date
is a holiday. This definition decides the daylight-saving cases by itself: on a spring-forward night the
skipped wall-clock hour never happens, so a span across it is an hour shorter in real time; on a
fall-back night the repeated hour happens twice, so a span across it is an hour longer. See
docs/adr/0002-business-hours.md.

All arithmetic is on real instants (UTC), one stretch of constant UTC offset at a time, stepping a day
at a time; nothing loops per minute.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from momentos.accounts.models import Branch

__all__ = [
    "BusinessCalendar",
    "Span",
    "add_business_time",
    "calendar_for_branch",
    "elapsed_business_time",
    "is_open",
]

_TICK = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)
_DAY = timedelta(days=1)
# UTC offsets are sampled once per probe and a change between two samples is located by bisection.
# This assumes at most one offset change per probe; tzdata has none closer together in any zone today.
_PROBE = timedelta(hours=24)
_MIDNIGHT = time()


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """One stretch of opening on a local date, from ``opens`` up to (not including) ``closes``."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opening hours are local wall-clock times and carry no time zone")
        if self.closes <= self.opens:
            raise ValueError(f"a span must close after it opens ({self.opens} to {self.closes})")

    @property
    def offsets(self) -> tuple[timedelta, timedelta]:
        """Start and end as time since local midnight."""
        return _since_midnight(self.opens), _since_midnight(self.closes)


def _since_midnight(value: time) -> timedelta:
    return timedelta(
        hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
    )


def _normalise(spans: Iterable[Span]) -> tuple[Span, ...]:
    # Overlapping or touching spans are merged so that no instant is counted twice.
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.opens <= merged[-1].closes:
            if span.closes > merged[-1].closes:
                merged[-1] = Span(merged[-1].opens, span.closes)
        else:
            merged.append(span)
    return tuple(merged)


def _as_span(value: Span | tuple[time, time]) -> Span:
    return value if isinstance(value, Span) else Span(*value)


@dataclass(frozen=True)
class BusinessCalendar:
    """The opening of one branch: its time zone, weekly hours (Monday=0) and holidays.

    ``holidays`` maps a date to the spans that replace the weekly hours that day; an empty tuple means
    closed all day. Build one with :meth:`build` (tests, pure data) or :func:`calendar_for_branch`.
    """

    zone: ZoneInfo
    weekly: tuple[tuple[Span, ...], ...] = ((),) * 7
    holidays: Mapping[date, tuple[Span, ...]] = field(default_factory=dict, hash=False)
    _weekly_offsets: tuple[tuple[tuple[timedelta, timedelta], ...], ...] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _holiday_offsets: dict[date, tuple[tuple[timedelta, timedelta], ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly hours need exactly seven days, Monday first")
        weekly = tuple(_normalise(day) for day in self.weekly)
        holidays = {day: _normalise(spans) for day, spans in self.holidays.items()}
        # A frozen dataclass: normalised copies are stored through object.__setattr__ once, here.
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "_weekly_offsets", tuple(tuple(s.offsets for s in day) for day in weekly))
        object.__setattr__(
            self,
            "_holiday_offsets",
            {day: tuple(s.offsets for s in spans) for day, spans in holidays.items()},
        )

    @classmethod
    def build(
        cls,
        *,
        time_zone: str,
        weekly: Mapping[int, Iterable[Span | tuple[time, time]]] | None = None,
        holidays: Mapping[date, Span | tuple[time, time] | None] | None = None,
    ) -> BusinessCalendar:
        """A calendar from plain values: ``weekly`` maps a weekday (Monday=0) to its spans; a holiday
        maps to ``None`` when closed all day, or to the one span it is open instead of the weekly hours.
        """
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {time_zone!r}") from exc
        days: list[list[Span]] = [[] for _ in range(7)]
        for weekday, spans in (weekly or {}).items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday}")
            days[weekday].extend(_as_span(s) for s in spans)
        closed: dict[date, tuple[Span, ...]] = {
            day: () if span is None else (_as_span(span),) for day, span in (holidays or {}).items()
        }
        return cls(zone=zone, weekly=tuple(tuple(d) for d in days), holidays=closed)

    @property
    def time_zone(self) -> str:
        return self.zone.key

    @property
    def ever_opens(self) -> bool:
        """Whether any weekday or holiday has opening hours at all."""
        return any(self.weekly) or any(self.holidays.values())

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """The opening spans of a local date: the holiday's if it is one, else the weekday's."""
        holiday = self.holidays.get(day)
        return holiday if holiday is not None else self.weekly[day.weekday()]

    def _offsets_on(self, day: date) -> tuple[tuple[timedelta, timedelta], ...]:
        holiday = self._holiday_offsets.get(day)
        return holiday if holiday is not None else self._weekly_offsets[day.weekday()]

    def _last_opening_day(self) -> date | None:
        """The last date with any opening, or None when the weekly hours reopen forever."""
        if any(self.weekly):
            return None
        return max((day for day, spans in self.holidays.items() if spans), default=None)


def calendar_for_branch(branch: Branch) -> BusinessCalendar:
    """The business calendar of ``branch``, read in two queries (weekly hours, then holidays)."""
    from momentos.accounts.models import Holiday, OpeningHours

    weekly: dict[int, list[tuple[time, time]]] = {}
    hours = (
        OpeningHours.objects.for_organization(branch.organization_id)
        .filter(branch=branch)
        .values_list("weekday", "opens", "closes")
    )
    for weekday, opens, closes in hours:
        weekly.setdefault(weekday, []).append((opens, closes))
    holidays: dict[date, tuple[time, time] | None] = {
        day: None if opens is None else (opens, closes)
        for day, opens, closes in Holiday.objects.for_organization(branch.organization_id)
        .filter(branch=branch)
        .values_list("date", "opens", "closes")
    }
    return BusinessCalendar.build(time_zone=branch.time_zone, weekly=weekly, holidays=holidays)


def elapsed_business_time(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """How long the branch was open between ``start`` (included) and ``end`` (excluded)."""
    lo, hi = _utc(start, "start"), _utc(end, "end")
    if hi < lo:
        raise ValueError("end before start")
    total = timedelta()
    for opens, closes in _open_stretches(calendar, lo, hi):
        total += closes - opens
    return total


def add_business_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The instant at which ``duration`` of business time has elapsed since ``start`` (a deadline).

    The answer is in the branch's time zone. Raises ValueError when the calendar never opens again.
    """
    lo = _utc(start, "start")
    if duration < timedelta():
        raise ValueError("duration must not be negative")
    remaining = duration
    if remaining:
        horizon = calendar._last_opening_day()
        if horizon is None and not calendar.ever_opens:
            raise ValueError("the calendar never opens")
        # Without weekly hours only holidays open; two days past the last one covers any UTC offset.
        until = None if horizon is None else datetime.combine(horizon + 2 * _DAY, _MIDNIGHT)
        for opens, closes in _open_stretches(calendar, lo, until):
            if closes - opens >= remaining:
                lo = opens + remaining
                break
            remaining -= closes - opens
        else:
            raise ValueError("the calendar does not open again after start")
    return lo.replace(tzinfo=UTC).astimezone(calendar.zone)


def is_open(calendar: BusinessCalendar, instant: datetime) -> bool:
    """Whether the branch is open at ``instant``."""
    at = _utc(instant, "instant")
    return next(_open_stretches(calendar, at, at + _TICK), None) is not None


def _utc(value: Any, name: str) -> datetime:
    """``value`` as a naive UTC datetime (internal arithmetic); naive input is refused."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(UTC).replace(tzinfo=None)


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always knows its offset at an instant
    return offset


def _offset_change(zone: ZoneInfo, lo: datetime, hi: datetime, new: timedelta) -> datetime:
    """The first instant in (lo, hi] with offset ``new``; lo and hi are whole seconds, as tzdata is."""
    while hi - lo > _SECOND:
        mid = lo + (hi - lo) // _SECOND // 2 * _SECOND
        if _offset(zone, mid) == new:
            hi = mid
        else:
            lo = mid
    return hi


def _steady_stretches(
    zone: ZoneInfo, start: datetime, end: datetime | None
) -> Iterator[tuple[datetime, datetime, timedelta]]:
    """Consecutive (from, to, offset) over [start, end) in UTC, each at most a day, one offset each."""
    probe = start.replace(minute=0, second=0, microsecond=0)
    offset = _offset(zone, probe)
    current = start
    while end is None or current < end:
        following = probe + _PROBE
        next_offset = _offset(zone, following)
        if next_offset != offset:
            change = _offset_change(zone, probe, following, next_offset)
            if change > current:
                yield current, min(change, end) if end is not None else change, offset
                current = change
            offset = next_offset
        if end is not None and current >= end:
            return
        stop = min(following, end) if end is not None else following
        if stop > current:
            yield current, stop, offset
        current = probe = following


def _open_stretches(
    calendar: BusinessCalendar, start: datetime, end: datetime | None
) -> Iterator[tuple[datetime, datetime]]:
    """The open parts of [start, end) in UTC, in order (touching parts are not merged)."""
    for lo, hi, offset in _steady_stretches(calendar.zone, start, end):
        # With one offset, wall-clock time is UTC shifted by it: a local span maps to one UTC interval.
        day = (lo + offset).date()
        last = (hi + offset - _TICK).date()
        while day <= last:
            midnight = datetime.combine(day, _MIDNIGHT) - offset
            for opens, closes in calendar._offsets_on(day):
                a = max(lo, midnight + opens)
                b = min(hi, midnight + closes)
                if a < b:
                    yield a, b
            day += _DAY

"""Business time: worked examples (daylight saving, holidays, weekends) and properties over random calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from momentos.attention.business_hours import (
    BusinessCalendar,
    Span,
    add_business_time,
    calendar_for_branch,
    elapsed_business_time,
    is_open,
)

SANTIAGO = ZoneInfo("America/Santiago")
MADRID = ZoneInfo("Europe/Madrid")
NINE_TO_SIX = [(time(9), time(18))]
WEEKDAYS_NINE_TO_SIX = {day: NINE_TO_SIX for day in range(5)}


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def at(zone: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=zone, fold=fold)  # type: ignore[misc]


def office(time_zone: str, **kwargs: object) -> BusinessCalendar:
    return BusinessCalendar.build(time_zone=time_zone, weekly=WEEKDAYS_NINE_TO_SIX, **kwargs)  # type: ignore[arg-type]


# Worked examples -------------------------------------------------------------------------------------


def test_friday_evening_to_monday_morning_counts_only_the_open_hours():
    calendar = office("America/Bogota")
    bogota = calendar.zone
    # 2025-05-16 is a Friday: 17:30–18:00 on Friday and 09:00–09:30 on Monday.
    assert elapsed_business_time(
        calendar, at(bogota, 2025, 5, 16, 17, 30), at(bogota, 2025, 5, 19, 9, 30)
    ) == hours(1)


def test_a_range_across_a_weekend_counts_saturday_hours_only_where_the_branch_opens():
    weekly = {**WEEKDAYS_NINE_TO_SIX, 5: [(time(10), time(14))]}
    calendar = BusinessCalendar.build(time_zone="America/Mexico_City", weekly=weekly)
    mexico = calendar.zone
    start, end = at(mexico, 2025, 5, 16, 16), at(mexico, 2025, 5, 19, 11)
    # Friday 16–18, Saturday 10–14, Sunday closed, Monday 9–11.
    assert elapsed_business_time(calendar, start, end) == hours(8)
    weekdays_only = office("America/Mexico_City")
    assert elapsed_business_time(weekdays_only, start, end) == hours(4)


def test_several_spans_a_day_leave_the_lunch_break_out():
    calendar = BusinessCalendar.build(
        time_zone="Europe/Madrid", weekly={2: [(time(9), time(14)), (time(16), time(19))]}
    )
    # Wednesday 2025-05-14 from 12:00 to 17:00: 12–14 and 16–17.
    assert elapsed_business_time(calendar, at(MADRID, 2025, 5, 14, 12), at(MADRID, 2025, 5, 14, 17)) == hours(
        3
    )
    assert not is_open(calendar, at(MADRID, 2025, 5, 14, 15))


def test_a_full_holiday_closes_the_branch_all_day():
    calendar = office("America/Bogota", holidays={date(2025, 5, 19): None})
    bogota = calendar.zone
    # Friday 17:00 to Tuesday 10:00 with Monday a holiday: Friday 17–18 and Tuesday 9–10.
    assert elapsed_business_time(calendar, at(bogota, 2025, 5, 16, 17), at(bogota, 2025, 5, 20, 10)) == hours(
        2
    )
    assert not is_open(calendar, at(bogota, 2025, 5, 19, 12))


def test_a_partial_holiday_replaces_the_weekly_hours_of_that_day():
    calendar = office(
        "Europe/Madrid",
        holidays={date(2025, 12, 24): (time(10), time(13)), date(2025, 12, 27): (time(11), time(12))},
    )
    # Wednesday 24 December opens 10–13 instead of 9–18.
    assert elapsed_business_time(calendar, at(MADRID, 2025, 12, 24), at(MADRID, 2025, 12, 25)) == hours(3)
    assert not is_open(calendar, at(MADRID, 2025, 12, 24, 9, 30))
    assert is_open(calendar, at(MADRID, 2025, 12, 24, 12, 59))
    # A partial holiday on a Saturday opens a day that is otherwise closed.
    assert elapsed_business_time(calendar, at(MADRID, 2025, 12, 27), at(MADRID, 2025, 12, 28)) == hours(1)


def test_santiago_spring_forward_night_shortens_a_span_across_the_skipped_hour():
    # On 2025-09-07 the clocks jump from Saturday 24:00 to Sunday 01:00.
    calendar = BusinessCalendar.build(time_zone="America/Santiago", weekly={6: [(time(0), time(2))]})
    assert elapsed_business_time(
        calendar, at(SANTIAGO, 2025, 9, 6, 12), at(SANTIAGO, 2025, 9, 7, 12)
    ) == hours(1)
    # A normal Sunday keeps both hours.
    assert elapsed_business_time(
        calendar, at(SANTIAGO, 2025, 9, 13, 12), at(SANTIAGO, 2025, 9, 14, 12)
    ) == hours(2)


def test_santiago_fall_back_night_lengthens_a_span_across_the_repeated_hour():
    # On 2025-04-05 the clocks go back from Saturday 24:00 to Saturday 23:00: 23:00–24:00 happens twice.
    calendar = BusinessCalendar.build(time_zone="America/Santiago", weekly={5: [(time(22), time(23, 30))]})
    assert elapsed_business_time(
        calendar, at(SANTIAGO, 2025, 4, 5, 12), at(SANTIAGO, 2025, 4, 6, 12)
    ) == hours(2)
    assert is_open(calendar, at(SANTIAGO, 2025, 4, 5, 23, 15, fold=0))
    assert is_open(calendar, at(SANTIAGO, 2025, 4, 5, 23, 15, fold=1))
    assert not is_open(calendar, at(SANTIAGO, 2025, 4, 5, 23, 45, fold=1))


def test_santiago_office_hours_across_the_change_count_local_hours_not_utc_hours():
    calendar = office("America/Santiago")
    # Friday 17:00 (UTC−4) to Monday 10:00 (UTC−3): 1 hour each side, though the UTC clock moved differently.
    start, end = at(SANTIAGO, 2025, 9, 5, 17), at(SANTIAGO, 2025, 9, 8, 10)
    assert start.utcoffset() != end.utcoffset()
    assert elapsed_business_time(calendar, start, end) == hours(2)
    assert add_business_time(calendar, start, hours(2)) == end


def test_madrid_spring_forward_span_from_one_to_three_lasts_one_real_hour():
    # On 2025-03-30 Madrid's clocks jump from 02:00 to 03:00.
    calendar = BusinessCalendar.build(
        time_zone="Europe/Madrid", weekly={6: [(time(1), time(3)), (time(10), time(11))]}
    )
    day, next_day = at(MADRID, 2025, 3, 30), at(MADRID, 2025, 3, 31)
    assert elapsed_business_time(calendar, day, next_day) == hours(2)
    assert elapsed_business_time(calendar, day, at(MADRID, 2025, 3, 30, 3)) == hours(1)


def test_madrid_span_opening_inside_the_skipped_hour_opens_when_the_clock_jumps():
    calendar = BusinessCalendar.build(time_zone="Europe/Madrid", weekly={6: [(time(2, 30), time(4))]})
    assert elapsed_business_time(calendar, at(MADRID, 2025, 3, 30), at(MADRID, 2025, 3, 31)) == hours(1)
    assert add_business_time(calendar, at(MADRID, 2025, 3, 29, 12), timedelta(minutes=1)) == at(
        MADRID, 2025, 3, 30, 3, 1
    )


def test_madrid_fall_back_adds_the_repeated_hour_to_spans_that_cover_it():
    # On 2025-10-26 Madrid's clocks go back from 03:00 to 02:00.
    day, next_day = at(MADRID, 2025, 10, 26), at(MADRID, 2025, 10, 27)
    across = BusinessCalendar.build(time_zone="Europe/Madrid", weekly={6: [(time(1), time(3))]})
    assert elapsed_business_time(across, day, next_day) == hours(3)
    # Closing at 02:30: open 01:00–02:30, closed 02:30–03:00, then 02:00–02:30 again on the second pass.
    partly = BusinessCalendar.build(time_zone="Europe/Madrid", weekly={6: [(time(1), time(2, 30))]})
    assert elapsed_business_time(partly, day, next_day) == hours(2)
    assert not is_open(partly, at(MADRID, 2025, 10, 26, 2, 45, fold=0))
    assert is_open(partly, at(MADRID, 2025, 10, 26, 2, 15, fold=1))


def test_deadline_two_business_hours_after_a_late_friday_message_is_monday_morning():
    calendar = office("Europe/Madrid")
    deadline = add_business_time(calendar, at(MADRID, 2025, 5, 16, 17), hours(2))
    assert deadline == at(MADRID, 2025, 5, 19, 10)
    assert deadline.tzinfo == MADRID


def test_deadline_that_uses_up_a_span_exactly_is_its_closing_time():
    calendar = office("Europe/Madrid")
    assert add_business_time(calendar, at(MADRID, 2025, 5, 16, 16), hours(2)) == at(MADRID, 2025, 5, 16, 18)


def test_deadline_skips_a_full_holiday():
    calendar = office("Europe/Madrid", holidays={date(2025, 5, 19): None})
    assert add_business_time(calendar, at(MADRID, 2025, 5, 16, 17), hours(2)) == at(MADRID, 2025, 5, 20, 10)


def test_deadline_from_a_closed_moment_starts_counting_at_the_next_opening():
    calendar = office("Europe/Madrid")
    assert add_business_time(calendar, at(MADRID, 2025, 5, 17, 12), timedelta(minutes=30)) == at(
        MADRID, 2025, 5, 19, 9, 30
    )


def test_zero_duration_is_the_start_itself_even_when_closed():
    calendar = office("Europe/Madrid")
    start = at(MADRID, 2025, 5, 17, 12)
    assert add_business_time(calendar, start, timedelta()) == start


def test_opening_is_inclusive_and_closing_exclusive():
    calendar = office("Europe/Madrid")
    assert is_open(calendar, at(MADRID, 2025, 5, 16, 9))
    assert not is_open(calendar, at(MADRID, 2025, 5, 16, 18))
    assert is_open(calendar, at(MADRID, 2025, 5, 16, 17, 59, 59, 999999))
    assert not is_open(calendar, at(MADRID, 2025, 5, 17, 10))


def test_instants_in_other_zones_are_compared_as_the_same_real_moments():
    calendar = office("Europe/Madrid")
    # 07:00 UTC is 09:00 in Madrid in summer.
    assert is_open(calendar, datetime(2025, 5, 16, 7, tzinfo=UTC))
    assert not is_open(calendar, datetime(2025, 5, 16, 6, 59, tzinfo=UTC))
    assert elapsed_business_time(
        calendar, datetime(2025, 5, 16, 6, tzinfo=UTC), at(SANTIAGO, 2025, 5, 16, 4)
    ) == hours(1)


def test_overlapping_spans_are_counted_once():
    calendar = BusinessCalendar.build(
        time_zone="UTC", weekly={0: [(time(9), time(12)), (time(11), time(13)), (time(13), time(14))]}
    )
    assert calendar.weekly[0] == (Span(time(9), time(14)),)
    start = datetime(2025, 5, 12, tzinfo=UTC)
    assert elapsed_business_time(calendar, start, start + timedelta(days=1)) == hours(5)


def test_three_years_of_office_hours_add_up_day_by_day():
    calendar = office("America/Santiago")
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    # 784 weekdays from 2024 to 2026 (Santiago is behind UTC, so the range starts on 2023-12-31 local).
    assert elapsed_business_time(calendar, start, end) == hours(784 * 9)


# Bad input -------------------------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    calendar = office("UTC")
    naive = datetime(2025, 5, 16, 12)
    aware = datetime(2025, 5, 16, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        elapsed_business_time(calendar, naive, aware)
    with pytest.raises(ValueError, match="end must be a timezone-aware datetime"):
        elapsed_business_time(calendar, aware, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(calendar, naive, hours(1))
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(calendar, naive)


def test_end_before_start_is_refused():
    calendar = office("UTC")
    start = datetime(2025, 5, 16, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="end before start"):
        elapsed_business_time(calendar, start, start - timedelta(microseconds=1))
    assert elapsed_business_time(calendar, start, start) == timedelta()


def test_negative_durations_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_business_time(office("UTC"), datetime(2025, 5, 16, tzinfo=UTC), -hours(1))


def test_a_deadline_on_a_calendar_that_never_opens_is_refused():
    start = datetime(2025, 5, 16, tzinfo=UTC)
    with pytest.raises(ValueError, match="never opens"):
        add_business_time(BusinessCalendar.build(time_zone="UTC"), start, hours(1))
    only_past = BusinessCalendar.build(time_zone="UTC", holidays={date(2025, 1, 1): (time(9), time(10))})
    with pytest.raises(ValueError, match="does not open again"):
        add_business_time(only_past, start, hours(1))
    # The same holiday-only calendar does give a deadline before its one opening.
    assert add_business_time(only_past, datetime(2024, 12, 1, tzinfo=UTC), hours(1)) == datetime(
        2025, 1, 1, 10, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "unknown time zone"),
        ({"time_zone": "UTC", "weekly": {7: NINE_TO_SIX}}, "weekday must be"),
        ({"time_zone": "UTC", "weekly": {0: [(time(18), time(9))]}}, "must close after it opens"),
        ({"time_zone": "UTC", "weekly": {0: [(time(9), time(9))]}}, "must close after it opens"),
        ({"time_zone": "UTC", "holidays": {date(2025, 1, 1): (time(12), time(11))}}, "must close after"),
    ],
)
def test_invalid_calendars_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.build(**kwargs)


# Reading a branch ------------------------------------------------------------------------------------


def test_calendar_for_branch_reads_hours_and_holidays_in_two_queries(org, django_assert_num_queries):
    from momentos.accounts import services
    from momentos.accounts.tests.factories import make_branch

    branch = make_branch(org, time_zone="Europe/Madrid")
    services.opening_hours_replace(
        branch=branch,
        spans=[(0, time(9), time(14)), (0, time(16), time(19)), (4, time(9), time(15))],
    )
    services.holiday_add(branch=branch, date=date(2025, 5, 12), name="Closed")
    services.holiday_add(branch=branch, date=date(2025, 5, 16), name="Short", opens=time(10), closes=time(12))
    other = make_branch(org, time_zone="Europe/Madrid")
    services.opening_hours_replace(branch=other, spans=[(2, time(8), time(20))])

    with django_assert_num_queries(2):
        calendar = calendar_for_branch(branch)

    assert calendar.time_zone == "Europe/Madrid"
    assert calendar.spans_on(date(2025, 5, 19)) == (Span(time(9), time(14)), Span(time(16), time(19)))
    assert calendar.spans_on(date(2025, 5, 12)) == ()
    assert calendar.spans_on(date(2025, 5, 16)) == (Span(time(10), time(12)),)
    assert calendar.spans_on(date(2025, 5, 14)) == ()
    week = at(MADRID, 2025, 5, 12), at(MADRID, 2025, 5, 19)
    assert elapsed_business_time(calendar, *week) == hours(2)
    assert elapsed_business_time(calendar_for_branch(other), *week) == hours(12)


# Properties over random calendars --------------------------------------------------------------------

ZONES = [
    "America/Santiago",
    "America/Mexico_City",
    "Europe/Madrid",
    "America/Bogota",
    "UTC",
    "America/Havana",  # changes at midnight
    "Australia/Lord_Howe",  # half-hour daylight saving
    "Asia/Kolkata",  # half-hour offset
]
RANGE_START = datetime(2024, 1, 1, tzinfo=UTC)
RANGE_DAYS = 3 * 365


@cache
def offset_changes(zone_name: str) -> tuple[datetime, ...]:
    """Days (as UTC midnights) on which the zone changes offset, so that examples land near them."""
    zone = ZoneInfo(zone_name)
    days = [RANGE_START + timedelta(days=n) for n in range(RANGE_DAYS)]
    return tuple(
        day
        for day, following in zip(days, days[1:], strict=False)
        if day.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset()
    )


minute_of_day = st.integers(min_value=0, max_value=24 * 60 - 1)


@st.composite
def spans(draw: st.DrawFn, max_spans: int = 3) -> list[tuple[time, time]]:
    marks = sorted(draw(st.sets(minute_of_day, max_size=2 * max_spans)))
    pairs = list(zip(marks[::2], marks[1::2], strict=False))
    return [(time(a // 60, a % 60), time(b // 60, b % 60)) for a, b in pairs]


one_span = st.lists(minute_of_day, min_size=2, max_size=2, unique=True).map(
    lambda marks: tuple(time(m // 60, m % 60) for m in sorted(marks))
)


@st.composite
def scenarios(draw: st.DrawFn, *, open_weekly: bool = False) -> tuple[BusinessCalendar, datetime]:
    """A random calendar and an anchor instant, often a day or two before a daylight-saving change."""
    zone = draw(st.sampled_from(ZONES))
    changes = offset_changes(zone)
    if changes and draw(st.booleans()):
        anchor = draw(st.sampled_from(changes)) - timedelta(hours=draw(st.integers(0, 60)))
    else:
        anchor = RANGE_START + timedelta(minutes=draw(st.integers(0, RANGE_DAYS * 24 * 60)))
    weekly = {day: draw(spans()) for day in range(7)}
    if open_weekly:
        assume(any(weekly.values()))
    anchor_day = anchor.astimezone(ZoneInfo(zone)).date()
    holiday_days = draw(st.sets(st.integers(-1, 10), max_size=4))
    holidays = {anchor_day + timedelta(days=n): draw(st.none() | one_span) for n in holiday_days}
    return BusinessCalendar.build(time_zone=zone, weekly=weekly, holidays=holidays), anchor


def after(anchor: datetime, max_minutes: int) -> st.SearchStrategy[datetime]:
    return st.integers(0, max_minutes).map(lambda m: anchor + timedelta(minutes=m))


def open_by_wall_clock(calendar: BusinessCalendar, instant: datetime) -> bool:
    """The definition, read straight off the branch's wall clock."""
    wall = instant.astimezone(calendar.zone)
    local = wall.time().replace(tzinfo=None)
    return any(span.opens <= local < span.closes for span in calendar.spans_on(wall.date()))


PROPERTY = settings(max_examples=150, deadline=None)
TWO_WEEKS = 14 * 24 * 60


@PROPERTY
@given(data=st.data(), scenario=scenarios())
def test_elapsed_is_additive_over_consecutive_ranges(data, scenario):
    calendar, anchor = scenario
    a, b, c = sorted(data.draw(st.lists(after(anchor, TWO_WEEKS), min_size=3, max_size=3)))
    assert elapsed_business_time(calendar, a, c) == elapsed_business_time(
        calendar, a, b
    ) + elapsed_business_time(calendar, b, c)


@PROPERTY
@given(data=st.data(), scenario=scenarios())
def test_elapsed_never_exceeds_wall_clock_time(data, scenario):
    calendar, anchor = scenario
    a, b = sorted(data.draw(st.lists(after(anchor, TWO_WEEKS), min_size=2, max_size=2)))
    assert timedelta() <= elapsed_business_time(calendar, a, b) <= b - a


@PROPERTY
@given(data=st.data(), zone=st.sampled_from(ZONES))
def test_a_branch_closed_throughout_accumulates_nothing(data, zone):
    anchor = RANGE_START + timedelta(minutes=data.draw(st.integers(0, RANGE_DAYS * 24 * 60)))
    end = data.draw(after(anchor, 60 * 24 * 60))
    first_day = anchor.astimezone(ZoneInfo(zone)).date()
    # Weekly hours exist, but every local day of the range is a full holiday.
    holidays = {first_day + timedelta(days=n): None for n in range(-1, 62)}
    calendar = BusinessCalendar.build(time_zone=zone, weekly=WEEKDAYS_NINE_TO_SIX, holidays=holidays)
    assert elapsed_business_time(calendar, anchor, end) == timedelta()
    assert elapsed_business_time(BusinessCalendar.build(time_zone=zone), anchor, end) == timedelta()


@PROPERTY
@given(
    scenario=scenarios(open_weekly=True),
    duration=st.integers(0, 300 * 3600 * 10**6).map(lambda us: timedelta(microseconds=us)),
)
def test_deadline_and_elapsed_are_inverse(scenario, duration):
    calendar, start = scenario
    deadline = add_business_time(calendar, start, duration)
    assert deadline >= start
    assert elapsed_business_time(calendar, start, deadline) == duration
    if duration:
        # The deadline is the first instant at which that much business time has passed.
        assert elapsed_business_time(calendar, start, deadline - timedelta(microseconds=1)) < duration
        assert is_open(calendar, deadline - timedelta(microseconds=1))


@PROPERTY
@given(data=st.data(), scenario=scenarios())
def test_is_open_follows_the_wall_clock(data, scenario):
    calendar, anchor = scenario
    instant = data.draw(after(anchor, TWO_WEEKS)) + timedelta(
        microseconds=data.draw(st.integers(0, 60 * 10**6 - 1))
    )
    assert is_open(calendar, instant) == open_by_wall_clock(calendar, instant)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), scenario=scenarios())
def test_elapsed_matches_counting_open_minutes_on_the_wall_clock(data, scenario):
    # Spans, offsets and instants all fall on whole minutes, so sampling each minute is exact.
    calendar, anchor = scenario
    start = data.draw(after(anchor, 2 * 24 * 60))
    end = data.draw(after(start, 3 * 24 * 60))
    minutes = int((end - start) / timedelta(minutes=1))
    expected = sum(open_by_wall_clock(calendar, start + timedelta(minutes=m)) for m in range(minutes))
    assert elapsed_business_time(calendar, start, end) == timedelta(minutes=expected)

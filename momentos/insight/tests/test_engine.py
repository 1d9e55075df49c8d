"""Every indicator against hand-computed fixtures, from the raw rows and from the rollups.

The fixture (week of Monday 2 March 2026):

Centro (Bogotá, open Mon–Fri 9–17) and Madrid (open every day 8–20).

| # | branch | channel | agent | started (local) | first response | closed | outcome | contacts | moments |
| i1 | Centro | phone | ana | Mon 09:00 | 09:05 (300 s) | 09:10 (600 s) | resolved | 1 | Welcome, Solve |
| i2 | Centro | phone | ben | Mon 16:00 | Tue 09:30 (5,400 business s) | Tue 10:00 (64,800 s) | resolved | 2 | Welcome |
| i3 | Centro | e-mail | ana | Wed 11:00 | — | 11:20 (1,200 s) | escalated | 1 | — |
| i4 | Centro | phone | ana | Wed 12:00 | — | open | — | 1 | Welcome |
| i5 | Madrid | phone | ben | Thu 10:00 | 10:01 (60 s) | 10:06 (360 s) | unresolved | 1 | — |
| i6 | Centro | phone | ana | Sun 1 March 23:30 (Monday in UTC) | — | +100 s | resolved | 1 | — |
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from momentos.accounts import services as account_services
from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import make_branch, make_member, make_organization, make_team
from momentos.attention.choices import Outcome, StandardStatus, TickAnswer
from momentos.attention.models import ChecklistTick, MomentReached, StandardResult
from momentos.attention.tests.factories import channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import Comparison, Indicator, Period, StandardMetric
from momentos.cycle.models import ChecklistItem, Objective, Segment, ServiceStandard
from momentos.insight import engine
from momentos.insight.filters import NOTHING, Filters, filters_from_query, period_bounds, restrict_to_scope
from momentos.insight.tests.factories import make_answers, make_scored_version

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
MADRID = ZoneInfo("Europe/Madrid")
WEEK = Filters(start=date(2026, 3, 2), end=date(2026, 3, 8))
SOURCES = ["raw", "rollup"]


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def mad(*args: int) -> datetime:
    return datetime(*args, tzinfo=MADRID)


@pytest.fixture
def world() -> SimpleNamespace:
    org = make_organization()
    org.min_sample_size = 3
    org.save()
    centro = make_branch(org, name="Centro", time_zone="America/Bogota")
    madrid = make_branch(org, name="Madrid", time_zone="Europe/Madrid")
    account_services.opening_hours_replace(branch=centro, spans=[(d, time(9), time(17)) for d in range(5)])
    account_services.opening_hours_replace(branch=madrid, spans=[(d, time(8), time(20)) for d in range(7)])
    phone = channel_of(org, ChannelKind.PHONE)
    email = channel_of(org, ChannelKind.EMAIL)
    team = make_team(org, branch=centro)
    ana_member = make_member(org, role=Role.AGENT, teams=[team])
    ben_member = make_member(org, role=Role.AGENT)
    ana, ben = ana_member.user, ben_member.user
    segment = Segment.objects.create(organization=org, name="Pymes")
    welcome, solve = make_cycle_for(phone, "Welcome", "Solve")

    i1 = make_interaction(
        org,
        branch=centro,
        channel=phone,
        team=team,
        agent=ana,
        segment=segment,
        started_at=bog(2026, 3, 2, 9, 0),
        first_response_at=bog(2026, 3, 2, 9, 5),
        closed_at=bog(2026, 3, 2, 9, 10),
        outcome=Outcome.RESOLVED,
        contacts=1,
    )
    i2 = make_interaction(
        org,
        branch=centro,
        channel=phone,
        agent=ben,
        started_at=bog(2026, 3, 2, 16, 0),
        first_response_at=bog(2026, 3, 3, 9, 30),
        closed_at=bog(2026, 3, 3, 10, 0),
        outcome=Outcome.RESOLVED,
        contacts=2,
    )
    i3 = make_interaction(
        org,
        branch=centro,
        channel=email,
        agent=ana,
        started_at=bog(2026, 3, 4, 11, 0),
        closed_at=bog(2026, 3, 4, 11, 20),
        outcome=Outcome.ESCALATED,
    )
    i4 = make_interaction(org, branch=centro, channel=phone, agent=ana, started_at=bog(2026, 3, 4, 12, 0))
    i5 = make_interaction(
        org,
        branch=madrid,
        channel=phone,
        agent=ben,
        started_at=mad(2026, 3, 5, 10, 0),
        first_response_at=mad(2026, 3, 5, 10, 1),
        closed_at=mad(2026, 3, 5, 10, 6),
        outcome=Outcome.UNRESOLVED,
    )
    make_interaction(
        org,
        branch=centro,
        channel=phone,
        agent=ana,
        started_at=bog(2026, 3, 1, 23, 30),
        closed_at=bog(2026, 3, 1, 23, 31, 40),
        outcome=Outcome.RESOLVED,
    )
    for interaction, moment in ((i1, welcome), (i1, solve), (i2, welcome), (i4, welcome)):
        MomentReached.objects.create(
            organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
        )

    s1 = ServiceStandard.objects.create(
        organization=org, moment=welcome, name="Greet fast", metric=StandardMetric.WAIT_TIME, threshold=1
    )
    s2 = ServiceStandard.objects.create(
        organization=org, moment=solve, name="Solve fast", metric=StandardMetric.ATTENTION_TIME, threshold=5
    )
    for interaction, standard, status in (
        (i1, s1, StandardStatus.MET),
        (i1, s2, StandardStatus.MISSED),
        (i2, s1, StandardStatus.MET),
        (i2, s2, StandardStatus.NOT_APPLICABLE),
        (i4, s1, StandardStatus.MISSED),
    ):
        StandardResult.objects.create(
            organization=org, interaction=interaction, standard=standard, status=status, unit="minutes"
        )

    c1 = ChecklistItem.objects.create(organization=org, moment=welcome, position=1, text="Greets", weight=2)
    c2 = ChecklistItem.objects.create(
        organization=org, moment=welcome, position=2, text="Names", weight=1, critical=True
    )
    c3 = ChecklistItem.objects.create(organization=org, moment=solve, position=1, text="Confirms", weight=3)
    for interaction, item, answer in (
        (i1, c1, TickAnswer.YES),
        (i1, c2, TickAnswer.YES),
        (i1, c3, TickAnswer.NO),
        (i2, c1, TickAnswer.YES),
        (i2, c2, TickAnswer.NO),
        (i2, c3, TickAnswer.NOT_APPLICABLE),
        (i4, c1, TickAnswer.NO),
    ):
        ChecklistTick.objects.create(
            organization=org,
            interaction=interaction,
            item=item,
            answer=answer,
            ticked_at=interaction.started_at,
        )

    version = make_scored_version(org, moments=(welcome, solve))
    make_answers(
        version,
        interaction=i1,
        submitted_at=bog(2026, 3, 2, 9, 15),
        csat=5,
        nps=10,
        ces=6,
        ratings={welcome: 5},
    )
    make_answers(
        version,
        interaction=i2,
        submitted_at=bog(2026, 3, 3, 11, 0),
        csat=4,
        nps=7,
        ces=2,
        ratings={welcome: 2},
    )
    make_answers(
        version, branch=centro, moment=solve, submitted_at=bog(2026, 3, 4, 12, 0), csat=2, nps=3, ces=7
    )
    make_answers(
        version, interaction=i3, submitted_at=bog(2026, 3, 4, 12, 0), csat=1, nps=0, flagged_staff=True
    )
    make_answers(version, branch=madrid, submitted_at=mad(2026, 3, 6, 12, 0), csat=1, nps=9)
    return SimpleNamespace(**locals())


def value(world: SimpleNamespace, indicator: str, source: str, **kw: object) -> engine.Value:
    return engine.compute(world.org, indicator, WEEK.replace(**kw), source=source)


@pytest.mark.parametrize("source", SOURCES)
def test_interaction_indicators(world: SimpleNamespace, source: str) -> None:
    resolution = value(world, Indicator.RESOLUTION_RATE, source)
    assert (resolution.value, resolution.numerator, resolution.denominator) == (Decimal("50.00"), 2, 4)
    fcr = value(world, Indicator.FIRST_CONTACT_RESOLUTION, source)
    assert (fcr.value, fcr.numerator, fcr.denominator) == (Decimal("50.00"), 1, 2)
    attention = value(world, Indicator.ATTENTION_TIME, source)
    assert attention.value == Decimal("16740.00")
    assert attention.numerator == Decimal(66960)
    assert attention.denominator == 4
    assert attention.detail["median"] == Decimal(600)
    assert attention.detail["p90"] == Decimal(64800)
    assert attention.unit == "seconds"
    frt = value(world, Indicator.FIRST_RESPONSE_TIME, source)
    assert (frt.value, frt.numerator, frt.denominator) == (Decimal("1920.00"), 5760, 3)


@pytest.mark.parametrize("source", SOURCES)
def test_local_day_of_each_branch(world: SimpleNamespace, source: str) -> None:
    # i6 started on Sunday in Bogotá (already Monday in UTC): it belongs to Sunday.
    sunday = value(world, Indicator.RESOLUTION_RATE, source, start=date(2026, 3, 1), end=date(2026, 3, 1))
    assert (sunday.value, sunday.denominator) == (Decimal("100.00"), 1)
    thursday = value(world, Indicator.RESOLUTION_RATE, source, start=date(2026, 3, 5), end=date(2026, 3, 5))
    assert (thursday.value, thursday.denominator) == (Decimal("0.00"), 1)


@pytest.mark.parametrize("source", SOURCES)
def test_survey_indicators(world: SimpleNamespace, source: str) -> None:
    csat = value(world, Indicator.CSAT, source)
    assert (csat.value, csat.numerator, csat.denominator, csat.enough) == (Decimal("50.00"), 2, 4, True)
    nps = value(world, Indicator.NPS, source)
    assert (nps.value, nps.denominator) == (Decimal("25.00"), 4)
    assert nps.detail["promoters_pct"] == Decimal("50.00")
    assert nps.detail["detractors_pct"] == Decimal("25.00")
    ces = value(world, Indicator.CES, source)
    assert (ces.value, ces.denominator) == (Decimal("5.00"), 3)
    assert ces.detail["top_pct"] == Decimal("66.67")


@pytest.mark.parametrize("source", SOURCES)
def test_standard_and_checklist_compliance(world: SimpleNamespace, source: str) -> None:
    standard = value(world, Indicator.STANDARD_COMPLIANCE, source)
    assert (standard.value, standard.numerator, standard.denominator) == (Decimal("66.67"), 2, 3)
    checklist = value(world, Indicator.CHECKLIST_COMPLIANCE, source)
    assert (checklist.value, checklist.numerator, checklist.denominator) == (Decimal("33.33"), 3, 9)
    assert checklist.detail == {"applications": 3, "critical_failures": 1}


@pytest.mark.parametrize("source", SOURCES)
def test_enough_follows_the_minimum_sample(world: SimpleNamespace, source: str) -> None:
    madrid = value(world, Indicator.CSAT, source, branch_ids=(world.madrid.pk,))
    assert (madrid.value, madrid.denominator, madrid.enough) == (Decimal("0.00"), 1, False)
    world.org.min_sample_size = 1
    assert engine.compute(
        world.org, Indicator.CSAT, WEEK.replace(branch_ids=(world.madrid.pk,)), source=source
    ).enough


@pytest.mark.parametrize("source", SOURCES)
def test_flagged_staff_responses_are_not_counted(world: SimpleNamespace, source: str) -> None:
    # i3's response (CSAT 1, NPS 0) was sent by staff: ana's answers are only i1's.
    ana = value(world, Indicator.CSAT, source, agent_ids=(world.ana.pk,))
    assert (ana.value, ana.denominator) == (Decimal("100.00"), 1)
    email = value(world, Indicator.NPS, source, channel_ids=(world.email.pk,))
    assert (email.value, email.denominator) == (None, 0)


@pytest.mark.parametrize("source", SOURCES)
def test_moment_filter(world: SimpleNamespace, source: str) -> None:
    solve = (world.solve.pk,)
    resolution = value(world, Indicator.RESOLUTION_RATE, source, moment_ids=solve)
    assert (resolution.value, resolution.denominator) == (Decimal("100.00"), 1)
    welcome = value(world, Indicator.RESOLUTION_RATE, source, moment_ids=(world.welcome.pk,))
    assert (welcome.value, welcome.denominator) == (Decimal("100.00"), 2)
    standard = value(world, Indicator.STANDARD_COMPLIANCE, source, moment_ids=solve)
    assert (standard.value, standard.denominator) == (Decimal("0.00"), 1)
    checklist = value(world, Indicator.CHECKLIST_COMPLIANCE, source, moment_ids=(world.welcome.pk,))
    assert (checklist.value, checklist.denominator) == (Decimal("50.00"), 6)
    # The QR response about Solve (CSAT 2) is the only survey answer about that moment.
    csat = value(world, Indicator.CSAT, source, moment_ids=solve)
    assert (csat.value, csat.denominator) == (Decimal("0.00"), 1)


@pytest.mark.parametrize("source", SOURCES)
def test_dimensions(world: SimpleNamespace, source: str) -> None:
    assert value(world, Indicator.RESOLUTION_RATE, source, team_ids=(world.team.pk,)).denominator == 1
    assert value(world, Indicator.RESOLUTION_RATE, source, segment_ids=(world.segment.pk,)).value == Decimal(
        "100.00"
    )
    madrid = value(world, Indicator.FIRST_RESPONSE_TIME, source, branch_ids=(world.madrid.pk,))
    assert (madrid.value, madrid.denominator) == (Decimal("60.00"), 1)
    email = value(world, Indicator.ATTENTION_TIME, source, channel_ids=(world.email.pk,))
    assert (email.value, email.detail["median"]) == (Decimal("1200.00"), Decimal(1200))


@pytest.mark.parametrize("source", SOURCES)
def test_empty_selection_is_no_data(source: str) -> None:
    org = make_organization()
    for indicator in Indicator.values:
        result = engine.compute(org, indicator, WEEK, source=source)
        assert result.value is None, indicator
        assert result.denominator == 0
    assert engine.compute(org, Indicator.ATTENTION_TIME, WEEK, source=source).detail["median"] is None


@pytest.mark.parametrize("source", SOURCES)
def test_all_detractors(source: str) -> None:
    org = make_organization()
    branch = make_branch(org, time_zone="America/Bogota")
    version = make_scored_version(org)
    for csat, nps in ((1, 0), (2, 3), (3, 6)):
        make_answers(version, branch=branch, submitted_at=bog(2026, 3, 3, 10, 0), csat=csat, nps=nps)
    nps_value = engine.compute(org, Indicator.NPS, WEEK, source=source)
    assert nps_value.value == Decimal("-100.00")
    assert nps_value.detail["detractors_pct"] == Decimal("100.00")
    assert engine.compute(org, Indicator.CSAT, WEEK, source=source).value == Decimal("0.00")


def test_training_coverage_has_no_data_yet(world: SimpleNamespace) -> None:
    assert value(world, Indicator.TRAINING_COVERAGE, "rollup").value is None


@pytest.mark.parametrize("source", SOURCES)
def test_agent_scope_sees_own_figures_only(world: SimpleNamespace, source: str) -> None:
    mine = restrict_to_scope(WEEK, world.ana_member)
    assert mine.agent_ids == (world.ana.pk,)
    resolution = engine.compute(world.org, Indicator.RESOLUTION_RATE, mine, source=source)
    assert (resolution.value, resolution.denominator) == (Decimal("50.00"), 2)
    # Asking for another agent's figures gives nothing of theirs.
    theirs = restrict_to_scope(WEEK.replace(agent_ids=(world.ben.pk,)), world.ana_member)
    assert theirs.agent_ids == (NOTHING,)
    assert engine.compute(world.org, Indicator.RESOLUTION_RATE, theirs, source=source).value is None
    filters, errors = filters_from_query(
        QueryDict(f"agent={world.ben.pk}"), organization=world.org, scope=world.ana_member
    )
    assert "agent" in errors
    assert filters.agent_ids == (world.ana.pk,)


def test_supervisor_scope_is_their_branches(world: SimpleNamespace) -> None:
    supervisor = make_member(world.org, role=Role.SUPERVISOR, branches=[world.madrid])
    scoped = restrict_to_scope(WEEK, supervisor)
    assert scoped.branch_ids == (world.madrid.pk,)
    assert engine.compute(world.org, Indicator.RESOLUTION_RATE, scoped).denominator == 1
    nobody = make_member(world.org, role=Role.SUPERVISOR)
    assert engine.compute(world.org, Indicator.RESOLUTION_RATE, restrict_to_scope(WEEK, nobody)).value is None
    manager = make_member(world.org, role=Role.QUALITY_MANAGER)
    assert restrict_to_scope(WEEK, manager) == WEEK


@pytest.mark.parametrize("source", SOURCES)
def test_series_lists_every_day(world: SimpleNamespace, source: str) -> None:
    days = engine.series(world.org, Indicator.RESOLUTION_RATE, WEEK, bucket="day", source=source)
    assert [d for d, _v in days] == [date(2026, 3, d) for d in range(2, 9)]
    assert [v.value for _d, v in days] == [
        Decimal("100.00"),
        None,
        Decimal("0.00"),
        Decimal("0.00"),
        None,
        None,
        None,
    ]
    weeks = engine.series(world.org, Indicator.ATTENTION_TIME, WEEK, bucket="week", source=source)
    assert weeks[0][0] == date(2026, 3, 2)
    assert (weeks[0][1].value, weeks[0][1].detail["median"]) == (Decimal("16740.00"), Decimal(600))
    months = engine.series(
        world.org, Indicator.CSAT, WEEK.replace(start=date(2026, 2, 20)), bucket="month", source=source
    )
    assert [(d, v.value) for d, v in months] == [
        (date(2026, 2, 1), None),
        (date(2026, 3, 1), Decimal("50.00")),
    ]


@pytest.mark.parametrize("source", SOURCES)
def test_breakdowns(world: SimpleNamespace, source: str) -> None:
    by_branch = engine.breakdown(world.org, Indicator.RESOLUTION_RATE, WEEK, by="branch", source=source)
    assert [(k, v.value) for k, v in by_branch] == [
        (world.centro.pk, Decimal("66.67")),
        (world.madrid.pk, Decimal("0.00")),
    ]
    by_standard = engine.breakdown(
        world.org, Indicator.STANDARD_COMPLIANCE, WEEK, by="standard", source=source
    )
    assert [(k, v.value) for k, v in by_standard] == [
        (world.s1.pk, Decimal("100.00")),
        (world.s2.pk, Decimal("0.00")),
    ]
    by_team = engine.breakdown(world.org, Indicator.RESOLUTION_RATE, WEEK, by="team", source=source)
    assert {k: v.denominator for k, v in by_team} == {world.team.pk: 1, None: 3}
    by_moment = engine.breakdown(world.org, Indicator.CSAT, WEEK, by="moment", source=source)
    assert {k: v.denominator for k, v in by_moment} == {world.solve.pk: 1, None: 3}
    by_agent = engine.breakdown(world.org, Indicator.ATTENTION_TIME, WEEK, by="agent", source=source)
    assert [k for k, _v in by_agent] == [world.ana.pk, world.ben.pk]  # shortest first
    assert dict(by_agent)[world.ben.pk].detail["median"] == Decimal(360)
    with pytest.raises(ValueError):
        engine.breakdown(world.org, Indicator.CSAT, WEEK, by="standard")


@pytest.mark.parametrize("source", SOURCES)
def test_moment_scores(world: SimpleNamespace, source: str) -> None:
    scores = engine.moment_scores(world.org, WEEK, cycle=world.welcome.cycle, source=source)
    welcome, solve = scores
    assert (welcome.moment, welcome.rating_mean, welcome.rating_top_pct, welcome.rating_n) == (
        world.welcome,
        Decimal("3.50"),
        Decimal("50.00"),
        2,
    )
    assert welcome.standard_compliance.value == Decimal("100.00")
    assert welcome.checklist_compliance.value == Decimal("50.00")
    assert welcome.score == Decimal("66.67")
    assert (solve.rating_n, solve.score, solve.is_worst, welcome.is_worst) == (
        0,
        Decimal("0.00"),
        True,
        False,
    )


def objective(indicator: str, comparison: str, target: str) -> Objective:
    return Objective(indicator=indicator, comparison=comparison, target=Decimal(target), period=Period.MONTH)


def test_status() -> None:
    def v(indicator: str, number: str | None, enough: bool = True) -> engine.Value:
        return engine.Value(indicator, None if number is None else Decimal(number), Decimal(0), 1, enough, {})

    csat = objective(Indicator.CSAT, Comparison.GTE, "85")
    assert engine.status(v(Indicator.CSAT, "85"), csat) == "on_target"
    assert engine.status(v(Indicator.CSAT, "80"), csat) == "at_risk"
    assert engine.status(v(Indicator.CSAT, "79.99"), csat) == "off_target"
    assert engine.status(v(Indicator.CSAT, None), csat) == "no_data"
    assert engine.status(v(Indicator.CSAT, "99", enough=False), csat) == "not_enough"
    # Time targets are minutes; values are seconds.
    attention = objective(Indicator.ATTENTION_TIME, Comparison.LTE, "10")
    assert engine.status(v(Indicator.ATTENTION_TIME, "600"), attention) == "on_target"
    assert engine.status(v(Indicator.ATTENTION_TIME, "660"), attention) == "at_risk"
    assert engine.status(v(Indicator.ATTENTION_TIME, "661"), attention) == "off_target"
    nps = objective(Indicator.NPS, Comparison.GT, "0")
    assert engine.status(v(Indicator.NPS, "0"), nps) == "at_risk"
    assert engine.status(v(Indicator.NPS, "-6"), nps) == "off_target"


def test_objective_filters(world: SimpleNamespace) -> None:
    target = Objective.objects.create(
        organization=world.org,
        title="CSAT",
        indicator=Indicator.CSAT,
        target=80,
        period=Period.QUARTER,
        branch=world.centro,
    )
    filters = engine.objective_filters(target, date(2026, 5, 20))
    assert (filters.start, filters.end, filters.branch_ids, filters.channel_ids) == (
        date(2026, 4, 1),
        date(2026, 5, 20),
        (world.centro.pk,),
        (),
    )


def test_period_bounds_and_previous() -> None:
    today = date(2026, 11, 25)  # a Wednesday
    assert period_bounds(Period.WEEK, today) == (date(2026, 11, 23), today)
    assert period_bounds(Period.MONTH, today) == (date(2026, 11, 1), today)
    assert period_bounds(Period.QUARTER, today) == (date(2026, 10, 1), today)
    assert period_bounds(Period.YEAR, today) == (date(2026, 1, 1), today)
    previous = WEEK.previous()
    assert (previous.start, previous.end) == (date(2026, 2, 23), date(2026, 3, 1))


def test_filters_from_query(world: SimpleNamespace) -> None:
    today = date(2026, 3, 18)
    filters, errors = filters_from_query(QueryDict(""), organization=world.org, today=today)
    assert (filters.start, filters.end, errors) == (date(2026, 3, 1), today, {})
    query = QueryDict(mutable=True)
    query.update({"period": "custom", "start": "2026-03-02", "end": "2026-03-08"})
    query.setlist("branch", [str(world.centro.pk), str(world.madrid.pk)])
    query.setlist("moment", [str(world.solve.pk)])
    filters, errors = filters_from_query(query, organization=world.org, today=today)
    assert errors == {}
    assert filters == WEEK.replace(
        branch_ids=(world.centro.pk, world.madrid.pk), moment_ids=(world.solve.pk,)
    )
    # Links carry the filters back.
    again = QueryDict(mutable=True)
    for key, val in filters.as_query().items():
        again.setlist(key, val if isinstance(val, list) else [val])
    assert filters_from_query(again, organization=world.org, today=today)[0] == filters

    other = make_organization()
    foreign = make_branch(other)
    bad = QueryDict(f"start=2026-13-01&branch={foreign.pk}&channel=nope&period=custom")
    filters, errors = filters_from_query(bad, organization=world.org, today=today)
    assert set(errors) == {"start", "branch", "channel"}
    assert filters.branch_ids == () and filters.channel_ids == ()
    _f, errors = filters_from_query(QueryDict("start=2026-03-09&end=2026-03-01"), organization=world.org)
    assert set(errors) == {"end"}
    _f, errors = filters_from_query(QueryDict("period=decade"), organization=world.org)
    assert set(errors) == {"period"}
    filters, _e = filters_from_query(QueryDict("period=week"), organization=world.org, today=today)
    assert (filters.start, filters.end) == (date(2026, 3, 16), today)


def test_compute_many(world: SimpleNamespace) -> None:
    values = engine.compute_many(world.org, [Indicator.CSAT, Indicator.NPS, Indicator.CES], WEEK)
    assert values[Indicator.NPS].value == Decimal("25.00")
    assert set(values) == {Indicator.CSAT, Indicator.NPS, Indicator.CES}


def test_unknown_indicator_or_source_is_refused(world: SimpleNamespace) -> None:
    with pytest.raises(ValueError):
        engine.compute(world.org, "happiness", WEEK)
    with pytest.raises(ValueError):
        engine.compute(world.org, Indicator.CSAT, WEEK, source="guess")


def test_percentiles_can_be_left_out(world: SimpleNamespace) -> None:
    without = engine.compute(world.org, Indicator.ATTENTION_TIME, WEEK, percentiles=False)
    assert (without.value, without.detail["median"], without.detail["p90"]) == (
        Decimal("16740.00"),
        None,
        None,
    )
    many = engine.compute_many(world.org, [Indicator.ATTENTION_TIME], WEEK, percentiles=False)
    assert many[Indicator.ATTENTION_TIME] == without
    by_branch = engine.breakdown(world.org, Indicator.ATTENTION_TIME, WEEK, by="branch", percentiles=False)
    assert all(v.detail["median"] is None for _k, v in by_branch)

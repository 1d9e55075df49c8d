"""The bulk demo generator: what it writes is what the product itself would have stored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Avg, Count, F, Q

from momentos.accounts.models import Organization
from momentos.attention.business_hours import calendar_for_branch, elapsed_business_time
from momentos.attention.demo import SLOW_BRANCH, WEAK_MOMENT
from momentos.attention.models import ChecklistTick, Interaction, MomentReached, StandardResult
from momentos.attention.services import interactions_evaluate
from momentos.demo import load_demo
from momentos.demo_data import Generator, World, generate
from momentos.surveys.choices import ALERTING_KINDS, SCALES
from momentos.surveys.models import Alert, Answer, FollowUp, Response, SurveyLink

COUNT = 1_500
NOW = datetime(2026, 3, 18, 17, 0, tzinfo=UTC)  # a Wednesday; the 90 days behind it cross daylight saving


@pytest.fixture(scope="module")
def org(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Organization]:
    """The demo organisation with ``COUNT`` generated interactions, in small chunks so several are written."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(interactions=0)
            organization = Organization.objects.get(name="Banco Horizonte")
            report = generate(organization, count=COUNT, now=NOW, chunk=400)
            organization.report = report  # type: ignore[attr-defined]
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield organization
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_counts_and_ratios(org: Any) -> None:
    interactions = Interaction.objects.for_organization(org)
    assert interactions.count() == COUNT
    assert interactions.filter(closed_at__isnull=True).count() == 3
    closed = interactions.exclude(closed_at=None).count()
    # Every closed interaction got the link of the survey of its channel; about three in ten answered.
    links = SurveyLink.objects.for_organization(org)
    assert links.count() == closed
    responses = Response.objects.for_organization(org).count()
    assert 0.22 < responses / closed < 0.34
    assert links.exclude(used_at=None).count() == responses
    # The report counts what was written.
    report = org.report.counts
    assert report["interactions"] == COUNT
    assert report["responses"] == responses
    assert report["moments_reached"] == MomentReached.objects.for_organization(org).count()
    assert report["standard_results"] == StandardResult.objects.for_organization(org).count()
    assert report["checklist_ticks"] == ChecklistTick.objects.for_organization(org).count() > 0
    assert report["alerts"] == Alert.objects.for_organization(org).count() > 0
    resolved = interactions.filter(outcome="resolved").count()
    assert 0.75 < resolved / closed < 0.9


@pytest.mark.django_db
def test_standard_results_are_what_the_evaluation_stores_for_the_same_interaction(org: Any) -> None:
    def verdicts() -> dict[tuple[Any, Any], tuple[str, Decimal | None, str]]:
        return {
            (i, s): (status, measured, unit)
            for i, s, status, measured, unit in StandardResult.objects.for_organization(org).values_list(
                "interaction_id", "standard_id", "status", "measured", "unit"
            )
        }

    generated = verdicts()
    interactions = list(Interaction.objects.for_organization(org).select_related("branch"))
    for first in range(0, len(interactions), 500):
        interactions_evaluate(interactions=interactions[first : first + 500])
    evaluated = verdicts()
    assert len(generated) > COUNT * 3
    assert generated == evaluated


@pytest.mark.django_db
def test_first_response_seconds_are_business_seconds_of_the_branch(org: Any) -> None:
    if not any(f.name == "first_response_seconds" for f in Interaction._meta.get_fields()):
        pytest.skip("no first_response_seconds column")
    calendars: dict[Any, Any] = {}
    checked = 0
    for interaction in Interaction.objects.for_organization(org).select_related("branch"):
        if interaction.first_response_at is None:
            assert interaction.first_response_seconds is None
            continue
        calendar = calendars.setdefault(interaction.branch_id, calendar_for_branch(interaction.branch))
        elapsed = elapsed_business_time(calendar, interaction.started_at, interaction.first_response_at)
        assert interaction.first_response_seconds == int(elapsed.total_seconds()), interaction.pk
        checked += 1
    assert checked > COUNT * 0.9


@pytest.mark.django_db
def test_moments_and_ticks_belong_to_the_interactions_cycle(org: Any) -> None:
    reached = MomentReached.objects.for_organization(org)
    assert reached.exclude(moment__cycle__channel=F("interaction__channel")).count() == 0
    assert reached.filter(reached_at__lt=F("interaction__started_at")).count() == 0
    ticks = ChecklistTick.objects.for_organization(org)
    assert ticks.exclude(item__moment__cycle__channel=F("interaction__channel")).count() == 0
    pairs = set(reached.values_list("interaction_id", "moment_id"))
    assert all(pair in pairs for pair in ticks.values_list("interaction_id", "item__moment_id"))
    assert set(ticks.values_list("answer", flat=True)) == {"yes", "no", "na"}


@pytest.mark.django_db
def test_responses_answers_and_alerts_are_consistent(org: Any) -> None:
    responses = Response.objects.for_organization(org).select_related("interaction", "link")
    for response in responses:
        interaction = response.interaction
        assert response.link is not None and response.link.interaction_id == interaction.pk
        assert response.link.used_at == response.submitted_at
        assert response.link.version_id == response.version_id
        assert (response.branch_id, response.channel_id, response.team_id) == (
            interaction.branch_id,
            interaction.channel_id,
            interaction.team_id,
        )
        assert interaction.closed_at < response.submitted_at < NOW
    # Every required score is there; every score is on its scale.
    answers = Answer.objects.for_organization(org)
    per_response = answers.values("response_id").annotate(n=Count("id", filter=~Q(kind="free_text")))
    assert min(r["n"] for r in per_response) >= 3
    for kind, value in answers.exclude(value=None).values_list("kind", "value"):
        low, high, _mark = SCALES[kind]
        assert low <= value <= high
    # An alert and its follow-up for each low score of an alerting kind, and only for those.
    low_scores = {
        a.pk
        for a in answers.filter(kind__in=ALERTING_KINDS).select_related("question")
        if a.question.is_low(a.value)
    }
    alerts = Alert.objects.for_organization(org)
    assert set(alerts.values_list("answer_id", flat=True)) == low_scores
    assert FollowUp.objects.for_organization(org).count() == alerts.count()
    assert alerts.exclude(response_id=F("answer__response_id")).count() == 0
    assert alerts.exclude(branch_id=F("response__branch_id")).count() == 0
    old = FollowUp.objects.for_organization(org).filter(alert__created_at__lt=NOW - timedelta(days=6))
    assert old.exclude(status="done").count() == 0


@pytest.mark.django_db
def test_the_waiting_room_and_chapinero_stand_out(org: Any) -> None:
    ticks = (
        ChecklistTick.objects.for_organization(org)
        .exclude(answer="na")
        .values("item__moment__name")
        .annotate(n=Count("id"), yes=Count("id", filter=Q(answer="yes")))
    )
    rates = {r["item__moment__name"]: r["yes"] / r["n"] for r in ticks if r["n"] >= 30}
    assert min(rates, key=lambda name: rates[name]) == WEAK_MOMENT
    waits = (
        StandardResult.objects.for_organization(org)
        .filter(standard__moment__name=WEAK_MOMENT)
        .exclude(measured=None)
        .values("interaction__branch__code")
        .annotate(mean=Avg("measured"))
    )
    by_branch = {r["interaction__branch__code"]: r["mean"] for r in waits}
    assert max(by_branch, key=lambda code: by_branch[code]) == SLOW_BRANCH
    # Customers who waited long rate the wait lower.
    ratings = Answer.objects.for_organization(org).filter(kind="moment_rating")
    assert ratings.count() > 20
    assert ratings.aggregate(m=Avg("value"))["m"] < 4


@pytest.mark.django_db
def test_the_same_seed_and_now_give_the_same_data(org: Any) -> None:
    world = World(org)

    def shape(seed: int | None) -> list[tuple[Any, ...]]:
        records = Generator(world, count=300, now=NOW, seed=seed).records()
        return [
            (
                r.branch.pk,
                r.channel.pk,
                r.agent.pk,
                r.started_at,
                r.closed_at,
                r.first_response_seconds,
                tuple(r.reached),
                tuple(r.results),
                tuple(r.ticks),
                r.response and tuple((q.pk, v, t) for q, _k, v, t, _f in r.response.answers),
            )
            for r in records
        ]

    first = shape(None)
    assert first == shape(None)
    assert first != shape(7)
    by_day: dict[int, int] = defaultdict(int)
    for row in first:
        by_day[row[3].weekday()] += 1
    assert (
        by_day[0] > by_day[5]
    )  # Mondays busier than Saturdays (UTC weekday is the local one at these hours)

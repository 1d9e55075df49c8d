"""Raw rows deleted through the ORM keep the rollups equal to the raw rows, without a rebuild."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from momentos.accounts.models import Branch
from momentos.attention.choices import Outcome
from momentos.attention.models import Interaction
from momentos.cycle.choices import Indicator
from momentos.insight import engine, rollups
from momentos.insight.models import RollupDirty
from momentos.insight.tests.factories import make_scored_version
from momentos.insight.tests.test_rollups import WEEK, bog, closed, dirty
from momentos.surveys.choices import ResponseSource
from momentos.surveys.models import Answer, Response
from momentos.surveys.services import AnswerData, response_submit

pytestmark = pytest.mark.django_db

INDICATORS = sorted(engine.INTERACTION_INDICATORS | engine.SURVEY_INDICATORS)


def assert_equal_to_raw(org: Any) -> None:
    for indicator in INDICATORS:
        assert engine.compute(org, indicator, WEEK) == engine.compute(org, indicator, WEEK, source="raw"), (
            indicator
        )


def answer(org: Any, interaction: Interaction, *, csat: int, at: Any) -> Response:
    version = make_scored_version(org)
    values = {"csat": csat, "nps": 9, "ces": 6}
    response = response_submit(
        version=version,
        answers={q.pk: AnswerData(value=values[q.kind]) for q in version.questions.all()},
        source=ResponseSource.LINK,
        language="es",
        interaction=interaction,
    )
    Response.objects.filter(pk=response.pk).update(submitted_at=at)
    return Response.objects.get(pk=response.pk)


@pytest.fixture
def org() -> Any:
    from momentos.accounts.tests.factories import make_organization

    return make_organization()


@pytest.fixture
def branch(org: Any) -> Any:
    from momentos.accounts.tests.factories import make_branch

    return make_branch(org, time_zone="America/Bogota")


def test_a_deleted_interaction_leaves_its_day(org: Any, branch: Any) -> None:
    keep = closed(org, branch, started=bog(2026, 3, 2, 10, 0))
    gone = closed(org, branch, started=bog(2026, 3, 2, 11, 0), outcome=Outcome.UNRESOLVED)
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).denominator == 2
    gone.delete()
    assert dirty(org) == {(branch.pk, date(2026, 3, 2))}
    result = engine.compute(org, Indicator.RESOLUTION_RATE, WEEK)
    assert (result.numerator, result.denominator) == (1, 1)
    assert_equal_to_raw(org)
    assert Interaction.objects.filter(pk=keep.pk).exists()


def test_a_queryset_delete_marks_every_day_it_touched(org: Any, branch: Any) -> None:
    for day in (2, 3, 4):
        closed(org, branch, started=bog(2026, 3, day, 10, 0))
    rollups.refresh(org)
    Interaction.objects.for_organization(org).filter(started_at__lt=bog(2026, 3, 4, 0, 0)).delete()
    assert dirty(org) == {(branch.pk, date(2026, 3, 2)), (branch.pk, date(2026, 3, 3))}
    assert engine.compute(org, Indicator.RESOLUTION_RATE, WEEK).denominator == 1
    assert_equal_to_raw(org)


def test_an_open_interaction_deleted_marks_nothing(org: Any, branch: Any) -> None:
    from momentos.attention.tests.factories import make_interaction

    make_interaction(org, branch=branch, started_at=bog(2026, 3, 2, 10, 0)).delete()
    assert dirty(org) == set()


def test_a_deleted_response_and_a_deleted_answer_leave_the_survey_figures(org: Any, branch: Any) -> None:
    first = answer(
        org, closed(org, branch, started=bog(2026, 3, 2, 10, 0)), csat=5, at=bog(2026, 3, 2, 12, 0)
    )
    second = answer(
        org, closed(org, branch, started=bog(2026, 3, 3, 10, 0)), csat=1, at=bog(2026, 3, 3, 12, 0)
    )
    assert engine.compute(org, Indicator.CSAT, WEEK).denominator == 2
    first.delete()
    assert engine.compute(org, Indicator.CSAT, WEEK).denominator == 1
    Answer.objects.filter(response=second, kind="csat").delete()
    assert engine.compute(org, Indicator.CSAT, WEEK).denominator == 0
    assert engine.compute(org, Indicator.NPS, WEEK).denominator == 1
    assert_equal_to_raw(org)


def test_deleting_an_interaction_marks_the_later_day_of_its_response(org: Any, branch: Any) -> None:
    interaction = closed(org, branch, started=bog(2026, 3, 2, 17, 0))
    answer(org, interaction, csat=4, at=bog(2026, 3, 4, 9, 0))  # answered two days later
    rollups.refresh(org)
    interaction.delete()
    assert dirty(org) == {(branch.pk, date(2026, 3, 2)), (branch.pk, date(2026, 3, 4))}
    assert Response.objects.for_organization(org).get().interaction_id is None
    assert_equal_to_raw(org)


def test_deleting_a_branch_with_its_rows_leaves_no_mark_behind(org: Any, branch: Any) -> None:
    answer(org, closed(org, branch, started=bog(2026, 3, 2, 10, 0)), csat=5, at=timezone.now())
    rollups.refresh(org)
    Branch.objects.filter(pk=branch.pk).delete()
    assert not RollupDirty.objects.filter(branch_id=branch.pk).exists()
    assert_equal_to_raw(org)

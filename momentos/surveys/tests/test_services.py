"""Survey rules: versions freeze once answered, the database guards score ranges, low scores raise alerts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from momentos.accounts.tests.factories import make_branch
from momentos.attention.models import MomentReached
from momentos.attention.tests.factories import channel_of, make_interaction
from momentos.core.errors import DomainError
from momentos.cycle.tests.factories import make_moment
from momentos.surveys import selectors, services
from momentos.surveys.choices import QuestionKind
from momentos.surveys.models import Alert, Answer, FollowUp, Question
from momentos.surveys.services import AlreadyAnswered, QuestionData
from momentos.surveys.tests.factories import (
    answers_for,
    make_link,
    make_response,
    make_survey,
    standard_questions,
)

pytestmark = pytest.mark.django_db


def test_editing_a_survey_without_answers_keeps_its_version(org: Any) -> None:
    survey = make_survey(org)
    version = survey.current_version
    saved = services.survey_questions_save(survey=survey, questions=standard_questions()[:1])
    assert saved.pk == version.pk
    assert saved.questions.count() == 1


def test_editing_a_survey_with_answers_starts_a_new_version_and_keeps_old_answers(org: Any) -> None:
    survey = make_survey(org)
    link = make_link(org)
    old = make_response(org, link=link)
    old_version = old.version
    old_question_ids = set(Answer.objects.filter(response=old).values_list("question_id", flat=True))
    new = services.survey_questions_save(
        survey=old_version.survey, questions=[QuestionData(kind=QuestionKind.CES, text_es="Fue fácil")]
    )
    assert new.number == old_version.number + 1
    assert Question.objects.filter(version=old_version).count() == 4
    assert set(Answer.objects.filter(response=old).values_list("question_id", flat=True)) == old_question_ids
    assert survey.current_version.number == 1  # the other survey is untouched


@pytest.mark.parametrize(("kind", "value"), [("nps", 11), ("nps", -1), ("csat", 0), ("csat", 6), ("ces", 8)])
def test_database_refuses_scores_out_of_their_scale(org: Any, kind: str, value: int) -> None:
    answer = make_response(org).answers.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(kind=kind, value=value)


def test_service_refuses_scores_out_of_range(org: Any) -> None:
    link = make_link(org)
    with pytest.raises(DomainError):
        services.response_submit(
            version=link.version,
            answers=answers_for(link.version, 12, 3),
            source="link",
            language="es",
            link=link,
        )


def test_an_interaction_answers_once_even_through_a_second_link(org: Any) -> None:
    interaction = make_interaction(org)
    survey = make_survey(org)
    first, _t = services.link_create(interaction=interaction, survey=survey)
    second, _t = services.link_create(interaction=interaction, survey=survey)
    make_response(org, link=first)
    with pytest.raises(AlreadyAnswered):
        make_response(org, link=second)


@pytest.mark.parametrize(
    ("scores", "alerts"), [((6, 5), 1), ((9, 2), 1), ((0, 1), 2), ((7, 3), 0), ((10, 5), 0)]
)
def test_detractors_and_low_satisfaction_raise_alerts_with_follow_ups(
    org: Any, scores: tuple[int, int], alerts: int
) -> None:
    response = make_response(org, scores=scores)
    assert Alert.objects.filter(response=response).count() == alerts
    assert FollowUp.objects.filter(alert__response=response, status="open").count() == alerts
    for alert in Alert.objects.filter(response=response):
        assert alert.branch_id == response.branch_id


def test_low_moment_rating_raises_an_alert(org: Any) -> None:
    moment = make_moment(org)
    survey = make_survey(
        org,
        questions=[QuestionData(kind=QuestionKind.MOMENT_RATING, text_es="La bienvenida", moment=moment)],
    )
    link, _t = services.link_create(interaction=make_interaction(org), survey=survey)
    make_response(org, link=link, scores=(1,))
    assert Alert.objects.get().kind == QuestionKind.MOMENT_RATING


def test_moment_rating_needs_its_moment(org: Any) -> None:
    with pytest.raises(DomainError):
        make_survey(org, questions=[QuestionData(kind=QuestionKind.MOMENT_RATING, text_es="La espera")])


def test_the_most_specific_active_survey_applies_to_an_interaction(org: Any) -> None:
    branch = make_branch(org)
    interaction = make_interaction(org, branch=branch)
    general = make_survey(org, name="General")
    specific = make_survey(org, name="Phone here", branches=[branch], channels=[channel_of(org)])
    make_survey(org, name="Elsewhere", branches=[make_branch(org)])
    assert selectors.survey_for_interaction(interaction) == specific
    specific.is_active = False
    specific.save()
    assert selectors.survey_for_interaction(interaction) == general


def test_a_moment_trigger_needs_the_interaction_to_reach_that_moment(org: Any) -> None:
    moment = make_moment(org)
    interaction = make_interaction(org)
    survey = make_survey(org, moments=[moment])
    assert selectors.survey_for_interaction(interaction) is None
    MomentReached.objects.create(
        organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
    )
    assert selectors.survey_for_interaction(interaction) == survey


def test_survey_link_for_interaction_gives_a_url_and_a_qr_code(org: Any) -> None:
    make_survey(org)
    url, svg = services.survey_link_for_interaction(
        make_interaction(org), base_url="https://momentos.example"
    )
    assert url.startswith("https://momentos.example/s/")
    assert svg.startswith("<svg") and "</svg>" in svg


def test_no_survey_for_the_interaction_is_a_domain_error(org: Any) -> None:
    with pytest.raises(DomainError):
        services.survey_link_for_interaction(make_interaction(org))


def test_replacing_the_questions_of_an_unanswered_version_is_seen_at_once(org: Any) -> None:
    survey = make_survey(org)
    version = survey.current_version
    assert len(selectors.version_questions(version)) == 4  # read once, remembered
    services.survey_questions_save(
        survey=survey, questions=[QuestionData(kind=QuestionKind.CSAT, text_es="¿Todo bien?")]
    )
    version.refresh_from_db()
    assert survey.current_version == version  # no answers yet: the same version, new questions
    assert [q.text_es for q in selectors.version_questions(version)] == ["¿Todo bien?"]

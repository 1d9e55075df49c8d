"""Factories for surveys, registered for the tenant-isolation test."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from momentos.accounts.models import Branch, Channel, Organization
from momentos.accounts.tests.factories import make_branch
from momentos.attention.models import Interaction
from momentos.attention.tests.factories import make_interaction
from momentos.core.testing import tenant_factory
from momentos.cycle.tests.factories import make_moment
from momentos.surveys import services
from momentos.surveys.choices import QuestionKind, ResponseSource
from momentos.surveys.models import (
    Alert,
    Answer,
    Choice,
    EmailInvitation,
    FollowUp,
    QrCode,
    Question,
    Response,
    Survey,
    SurveyBranch,
    SurveyChannel,
    SurveyLink,
    SurveyMoment,
    SurveyOptOut,
    SurveyVersion,
)
from momentos.surveys.services import AnswerData, QuestionData

_seq = itertools.count(1)


def standard_questions() -> list[QuestionData]:
    """NPS with a follow-up, CSAT, a single choice and an optional free text."""
    return [
        QuestionData(
            kind=QuestionKind.NPS,
            text_es="¿Nos recomendaría a un amigo?",
            text_en="Would you recommend us to a friend?",
            followup_es="¿Qué salió mal?",
            followup_en="What went wrong?",
        ),
        QuestionData(kind=QuestionKind.CSAT, text_es="¿Quedó satisfecho?", text_en="Were you satisfied?"),
        QuestionData(
            kind=QuestionKind.SINGLE_CHOICE,
            text_es="¿Volvería?",
            text_en="Would you come back?",
            required=False,
            choices=[("Sí", "Yes"), ("No", "No")],
        ),
        QuestionData(kind=QuestionKind.FREE_TEXT, text_es="Comentarios", text_en="Comments", required=False),
    ]


@tenant_factory(Survey)
def make_survey(organization: Organization, **fields: Any) -> Survey:
    fields.setdefault("name", f"Survey {next(_seq)}")
    fields.setdefault("questions", standard_questions())
    return services.survey_create(organization=organization, **fields)


@tenant_factory(SurveyVersion)
def make_version(organization: Organization) -> SurveyVersion:
    return make_survey(organization).current_version


@tenant_factory(Question)
def make_question(organization: Organization) -> Question:
    return make_version(organization).questions.first()


@tenant_factory(Choice)
def make_choice(organization: Organization) -> Choice:
    return Choice.objects.filter(question__version=make_version(organization)).first()


@tenant_factory(SurveyChannel)
def make_survey_channel(organization: Organization) -> SurveyChannel:
    channel = Channel.objects.for_organization(organization).first()
    survey = make_survey(organization, channels=[channel])
    return SurveyChannel.objects.get(survey=survey)


@tenant_factory(SurveyBranch)
def make_survey_branch(organization: Organization) -> SurveyBranch:
    survey = make_survey(organization, branches=[make_branch(organization)])
    return SurveyBranch.objects.get(survey=survey)


@tenant_factory(SurveyMoment)
def make_survey_moment(organization: Organization) -> SurveyMoment:
    survey = make_survey(organization, moments=[make_moment(organization)])
    return SurveyMoment.objects.get(survey=survey)


@tenant_factory(QrCode)
def make_qr_code(
    organization: Organization, *, branch: Branch | None = None, survey: Survey | None = None
) -> QrCode:
    return services.qr_code_for_branch(
        survey=survey or make_survey(organization), branch=branch or make_branch(organization)
    )


def make_link_with_token(
    organization: Organization, *, interaction: Interaction | None = None, survey: Survey | None = None
) -> tuple[SurveyLink, str]:
    interaction = interaction or make_interaction(organization)
    return services.link_create(interaction=interaction, survey=survey or make_survey(organization))


@tenant_factory(SurveyLink)
def make_link(organization: Organization) -> SurveyLink:
    return make_link_with_token(organization)[0]


def answers_for(version: SurveyVersion, *scores: int) -> dict[Any, AnswerData]:
    """Answers to the scored questions of ``version``, in order."""
    scored = [q for q in version.questions.order_by("position") if q.scale]
    return {q.pk: AnswerData(value=v) for q, v in zip(scored, scores, strict=False)}


@tenant_factory(Response)
def make_response(organization: Organization, *, scores: tuple[int, ...] = (9, 5), **fields: Any) -> Response:
    link = fields.pop("link", None) or make_link(organization)
    return services.response_submit(
        version=link.version,
        answers=answers_for(link.version, *scores),
        source=ResponseSource.LINK,
        language="es",
        link=link,
        **fields,
    )


@tenant_factory(Answer)
def make_answer(organization: Organization) -> Answer:
    return make_response(organization).answers.first()


@tenant_factory(Alert)
def make_alert(organization: Organization) -> Alert:
    return make_response(organization, scores=(2, 4)).alerts.get()


@tenant_factory(FollowUp)
def make_follow_up(organization: Organization) -> FollowUp:
    return make_alert(organization).follow_up


def expire(link: SurveyLink) -> None:
    SurveyLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


@tenant_factory(EmailInvitation)
def make_invitation(organization: Organization, **fields: Any) -> EmailInvitation:
    fields.setdefault("interaction", make_interaction(organization))
    fields.setdefault("email", f"customer{next(_seq)}@example.org")
    fields.setdefault("base_url", "https://momentos.example")
    if not SurveyVersion.objects.for_organization(organization).exists():
        make_survey(organization)
    return services.email_invitation_send(**fields)


@tenant_factory(SurveyOptOut)
def make_opt_out(organization: Organization, *, email: str = "") -> SurveyOptOut:
    email = email or f"gone{next(_seq)}@example.org"
    return services.opt_out_record(
        organization_id=organization.pk,
        email_hash=services.email_hash(organization_id=organization.pk, email=email),
    )

"""Factories for insight: survey answers written directly (any instant, any score) and the rollup rows."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from momentos.accounts.models import Branch, Organization
from momentos.attention.models import Interaction
from momentos.core.testing import tenant_factory
from momentos.cycle.models import Moment
from momentos.insight.models import (
    ChecklistRollup,
    InteractionRollup,
    ReportDelivery,
    RollupDirty,
    StandardRollup,
    SurveyRollup,
)
from momentos.surveys.choices import QuestionKind, ResponseSource
from momentos.surveys.models import Answer, Question, Response, Survey, SurveyVersion

_seq = itertools.count(1)

SCORED_KINDS = (QuestionKind.CSAT, QuestionKind.NPS, QuestionKind.CES)


def make_scored_version(organization: Organization, *, moments: tuple[Moment, ...] = ()) -> SurveyVersion:
    """A survey version with one CSAT, one NPS and one CES question, and a rating of each moment given."""
    survey = Survey.objects.create(organization=organization, name=f"Insight survey {next(_seq)}")
    version = SurveyVersion.objects.create(organization=organization, survey=survey, number=1)
    position = itertools.count(1)
    for kind in SCORED_KINDS:
        Question.objects.create(
            organization=organization, version=version, position=next(position), kind=kind, text_es=kind
        )
    for moment in moments:
        Question.objects.create(
            organization=organization,
            version=version,
            position=next(position),
            kind=QuestionKind.MOMENT_RATING,
            text_es=f"¿Cómo fue {moment.name}?",
            moment=moment,
        )
    return version


def question_of(version: SurveyVersion, kind: str, moment: Moment | None = None) -> Question:
    qs = version.questions.filter(kind=kind)
    if moment is not None:
        qs = qs.filter(moment=moment)
    return qs.get()


def make_answers(
    version: SurveyVersion,
    *,
    submitted_at: datetime,
    branch: Branch | None = None,
    interaction: Interaction | None = None,
    moment: Moment | None = None,
    flagged_staff: bool = False,
    csat: int | None = None,
    nps: int | None = None,
    ces: int | None = None,
    ratings: dict[Moment, int] | None = None,
) -> Response:
    """One response with the given scores (None: question left unanswered)."""
    if interaction is not None:
        branch = interaction.branch
    assert branch is not None
    response = Response.objects.create(
        organization_id=version.organization_id,
        version=version,
        interaction=interaction,
        branch=branch,
        channel_id=interaction.channel_id if interaction else None,
        team_id=interaction.team_id if interaction else None,
        moment=moment,
        source=ResponseSource.LINK if interaction else ResponseSource.QR,
        language="es",
        submitted_at=submitted_at,
        flagged_staff=flagged_staff,
    )
    answers: list[Answer] = []
    for kind, value in ((QuestionKind.CSAT, csat), (QuestionKind.NPS, nps), (QuestionKind.CES, ces)):
        if value is not None:
            question = question_of(version, kind)
            answers.append(
                Answer(
                    organization_id=version.organization_id,
                    response=response,
                    question=question,
                    kind=kind,
                    value=value,
                )
            )
    for rated, value in (ratings or {}).items():
        question = question_of(version, QuestionKind.MOMENT_RATING, rated)
        answers.append(
            Answer(
                organization_id=version.organization_id,
                response=response,
                question=question,
                kind=QuestionKind.MOMENT_RATING,
                value=value,
            )
        )
    Answer.objects.bulk_create(answers)
    return response


@tenant_factory(ReportDelivery)
def make_report_delivery(organization: Organization) -> ReportDelivery:
    return ReportDelivery.objects.create(
        organization=organization, week_start=date(2026, 3, 2) + timedelta(weeks=next(_seq))
    )


def _rollup_dimensions(organization: Organization) -> dict[str, object]:
    from momentos.accounts.tests.factories import make_branch

    return {"organization": organization, "day": date(2026, 3, 2), "branch": make_branch(organization)}


@tenant_factory(InteractionRollup)
def make_interaction_rollup(organization: Organization) -> InteractionRollup:
    return InteractionRollup.objects.create(**_rollup_dimensions(organization), closed=1, resolved=1)


@tenant_factory(SurveyRollup)
def make_survey_rollup(organization: Organization) -> SurveyRollup:
    return SurveyRollup.objects.create(
        **_rollup_dimensions(organization), kind=QuestionKind.CSAT, n=1, total=5, top=1
    )


@tenant_factory(StandardRollup)
def make_standard_rollup(organization: Organization) -> StandardRollup:
    from momentos.cycle.models import ServiceStandard
    from momentos.cycle.tests.factories import make_standard

    # An existing standard when there is one: every channel may already have its cycle.
    standard = ServiceStandard.objects.for_organization(organization).first() or make_standard(organization)
    return StandardRollup.objects.create(
        **_rollup_dimensions(organization), moment=standard.moment, standard=standard, met=1
    )


@tenant_factory(ChecklistRollup)
def make_checklist_rollup(organization: Organization) -> ChecklistRollup:
    return ChecklistRollup.objects.create(
        **_rollup_dimensions(organization), yes_weight=1, weight=1, applications=1
    )


@tenant_factory(RollupDirty)
def make_rollup_dirty(organization: Organization) -> RollupDirty:
    return RollupDirty.objects.create(**_rollup_dimensions(organization))

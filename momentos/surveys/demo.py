"""The demo bank's voice of the customer: two surveys, a QR code per branch, and about a third of the customers answering.

Scores follow what happened to each customer (a long wait, a missed standard, an unresolved case lower
them), so the demo's detractors and alerts sit where the service was weak. Submitted through the
surveys services, as a customer's answer would be, then dated back to a few hours after the visit.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from momentos.demo import register_demo_step

SEED = 2025
RESPONSE_RATE = 0.35
CLOSED_AFTER_DAYS = 6  # alerts older than this have had their follow-up done
WAIT_MOMENT = "Espera"

LOW_COMMENTS = [
    "Esperé demasiado tiempo para que me atendieran.",
    "Tuve que explicar mi caso dos veces.",
    "Nadie me dio una solución clara.",
    "Me pidieron volver otro día con más documentos.",
    "La respuesta llegó tarde y no resolvía lo que pregunté.",
]
HIGH_COMMENTS = [
    "Muy amable la persona que me atendió.",
    "Rápido y sin complicaciones.",
    "Me explicaron todo con paciencia.",
    "",
    "",
    "",
]
SUPERVISORS = {
    "CDMX-01": "supervisora.centro@demo.momentos.app",
    "BOG-01": "supervisor.chapinero@demo.momentos.app",
}
TEAM_SUPERVISOR = "supervisora.contacto@demo.momentos.app"
QUALITY_MANAGER = "calidad@demo.momentos.app"


def _general_questions() -> list[Any]:
    from momentos.surveys.choices import QuestionKind
    from momentos.surveys.services import QuestionData

    return [
        QuestionData(
            kind=QuestionKind.CSAT,
            text_es="¿Qué tan satisfecho quedó con la atención de hoy?",
            text_en="How satisfied are you with today's service?",
        ),
        QuestionData(
            kind=QuestionKind.NPS,
            text_es="¿Qué tan probable es que recomiende Banco Horizonte a un familiar o colega?",
            text_en="How likely are you to recommend Banco Horizonte to a relative or colleague?",
            followup_es="¿Qué deberíamos haber hecho distinto?",
            followup_en="What should we have done differently?",
        ),
        QuestionData(
            kind=QuestionKind.CES,
            text_es="Resolver su trámite con nosotros fue fácil.",
            text_en="Sorting out your request with us was easy.",
        ),
        QuestionData(
            kind=QuestionKind.FREE_TEXT,
            text_es="¿Algo más que quiera contarnos?",
            text_en="Anything else you would like to tell us?",
            required=False,
        ),
    ]


def surveys_demo_step(context: dict[str, Any]) -> None:
    """The surveys customers get when their interaction closes; run before the interactions arrive."""
    from momentos.accounts.models import Channel
    from momentos.cycle.models import Moment
    from momentos.surveys.choices import QuestionKind
    from momentos.surveys.services import QuestionData, qr_code_for_branch, survey_create

    org = context["organization"]
    general = survey_create(
        organization=org, name="Satisfacción después de la atención", questions=_general_questions()
    )
    in_person = Channel.objects.for_organization(org).filter(kind="in_person").first()
    wait = (
        Moment.objects.for_organization(org).filter(cycle__channel=in_person, name=WAIT_MOMENT).first()
        if in_person
        else None
    )
    survey = general
    if in_person is not None and wait is not None:
        questions = _general_questions()
        questions.insert(
            1,
            QuestionData(
                kind=QuestionKind.MOMENT_RATING,
                text_es="¿Cómo valora el tiempo que esperó antes de ser atendido?",
                text_en="How do you rate the time you waited before being served?",
                moment=wait,
                required=False,
                followup_es="¿Cuánto tiempo cree que esperó?",
                followup_en="How long do you think you waited?",
            ),
        )
        survey = survey_create(
            organization=org, name="Visita a la sucursal", channels=[in_person], questions=questions
        )
    for branch in context["branches"].values():
        qr_code_for_branch(survey=survey, branch=branch)


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _Answers:
    """Scores that follow the quality of the service the customer got."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)

    def quality(self, interaction: Any, missed: int) -> float:
        q = 0.93 - 0.1 * missed - 0.08 * (interaction.contacts > 1)
        q -= {"escalated": 0.15, "unresolved": 0.4, "abandoned": 0.45}.get(interaction.outcome or "", 0)
        return max(0.0, min(1.0, q + self.rng.gauss(0, 0.1)))

    def for_question(self, question: Any, *, quality: float, waited: float | None) -> Any:
        from momentos.surveys.choices import QuestionKind
        from momentos.surveys.services import AnswerData

        rng = self.rng
        if question.kind == QuestionKind.CSAT:
            value = _clamp(rng.gauss(1.5 + 3.7 * quality, 0.6), 1, 5)
        elif question.kind == QuestionKind.NPS:
            value = _clamp(rng.gauss(2.5 + 8.0 * quality, 1.2), 0, 10)
        elif question.kind == QuestionKind.CES:
            value = _clamp(rng.gauss(1.8 + 5.2 * quality, 0.8), 1, 7)
        elif question.kind == QuestionKind.MOMENT_RATING:
            if waited is None:
                return None
            value = _clamp(6.2 - waited / 5 + rng.gauss(0, 0.6), 1, 5)
        elif question.kind == QuestionKind.FREE_TEXT:
            text = rng.choice(HIGH_COMMENTS) if quality > 0.6 else rng.choice(LOW_COMMENTS)
            return AnswerData(text=text) if text else None
        else:
            return None
        followup = rng.choice(LOW_COMMENTS) if question.is_low(value) and question.followup_es else ""
        return AnswerData(value=value, followup_text=followup)


def responses_demo_step(context: dict[str, Any]) -> None:
    """About a third of the customers whose interaction closed answer the survey link they got."""
    from momentos.accounts.models import User
    from momentos.attention.models import StandardResult
    from momentos.surveys import selectors
    from momentos.surveys.choices import FollowUpOutcome, FollowUpStatus, ResponseSource
    from momentos.surveys.models import Alert, Response, SurveyLink
    from momentos.surveys.services import follow_up_update, response_submit

    org = context["organization"]
    links = list(
        SurveyLink.objects.for_organization(org)
        .filter(source=ResponseSource.LINK, used_at__isnull=True)
        .select_related("interaction__branch", "interaction__team", "version")
        .order_by("interaction__started_at", "id")
    )
    if not links:
        return
    missed: dict[Any, int] = defaultdict(int)
    waited: dict[Any, float] = {}
    for interaction_id, status, moment_name, measured, unit in (
        StandardResult.objects.for_organization(org)
        .filter(interaction_id__in=[link.interaction_id for link in links])
        .values_list("interaction_id", "status", "standard__moment__name", "measured", "unit")
    ):
        missed[interaction_id] += status == "missed"
        if moment_name == WAIT_MOMENT and measured is not None and unit == "minutes":
            waited[interaction_id] = float(measured)
    answers = _Answers()
    questions = {}
    submitted: list[Response] = []
    # The demo's supervisors have made-up addresses: the alert e-mails are not sent anywhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for link in links:
            if answers.rng.random() >= RESPONSE_RATE:
                continue
            interaction = link.interaction
            if link.version_id not in questions:
                questions[link.version_id] = selectors.version_questions(link.version)
            quality = answers.quality(interaction, missed[interaction.pk])
            data = {
                q.pk: a
                for q in questions[link.version_id]
                if (a := answers.for_question(q, quality=quality, waited=waited.get(interaction.pk)))
            }
            response = response_submit(
                version=link.version,
                answers=data,
                source=ResponseSource.LINK,
                language="en" if interaction.branch.code == "MAD-01" and answers.rng.random() < 0.2 else "es",
                link=link,
            )
            response.submitted_at = interaction.closed_at + timedelta(
                minutes=answers.rng.uniform(8, 2 * 24 * 60)
            )
            submitted.append(response)
    Response.objects.bulk_update(submitted, ["submitted_at"])
    SurveyLink.objects.bulk_update([_used(r) for r in submitted if r.link is not None], ["used_at"])

    # Alerts dated with their response; the older ones have been followed up by the branch's supervisor.
    users = {
        u.email: u
        for u in User.objects.filter(email__in=[*SUPERVISORS.values(), TEAM_SUPERVISOR, QUALITY_MANAGER])
    }
    at = {r.pk: r.submitted_at for r in submitted}
    alerts = list(
        Alert.objects.for_organization(org)
        .filter(response_id__in=list(at))
        .select_related("branch", "team", "follow_up")
    )
    for alert in alerts:
        alert.created_at = at[alert.response_id]
    Alert.objects.bulk_update(alerts, ["created_at"])
    now = timezone.now()
    for alert in alerts:
        owner = users.get(
            TEAM_SUPERVISOR
            if alert.team and alert.team.name == "Centro de contacto"
            else SUPERVISORS.get(alert.branch.code, QUALITY_MANAGER)
        )
        old = alert.created_at < now - timedelta(days=CLOSED_AFTER_DAYS)
        outcome = answers.rng.choice(
            [
                FollowUpOutcome.RESOLVED,
                FollowUpOutcome.RESOLVED,
                FollowUpOutcome.UNREACHABLE,
                FollowUpOutcome.NOT_RESOLVED,
            ]
        )
        follow_up_update(
            follow_up=alert.follow_up,
            owner=owner,
            due_date=alert.created_at.date() + timedelta(days=2),
            status=FollowUpStatus.DONE if old else FollowUpStatus.OPEN,
            outcome=outcome if old else "",
            notes="Se llamó al cliente y se revisó el caso con el equipo." if old else "",
        )


def _used(response: Any) -> Any:
    response.link.used_at = response.submitted_at
    return response.link


# The surveys exist before the interactions close (attention's step, 40), so each closed one gets its link.
register_demo_step(surveys_demo_step, order=30)
register_demo_step(responses_demo_step, order=50)

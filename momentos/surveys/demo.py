"""The demo bank's voice of the customer: two surveys, a QR code per branch, and about three customers in ten answering.

Scores follow what happened to each customer (a long wait, a missed standard, an unresolved case lower
them), so the demo's detractors and alerts sit where the service was weak. The responses are written
by the demo generator (``momentos.demo_data``) with the interactions, dated a few hours after the
visit; the alerts of the last days are still open, the older ones followed up by the branch's supervisor.
"""

from __future__ import annotations

import random
from typing import Any

from momentos.demo import register_demo_step

SEED = 2025
RESPONSE_RATE = 0.3
CLOSED_AFTER_DAYS = 6  # alerts older than this have had their follow-up done
FOLLOW_UP_OUTCOMES = ["resolved", "resolved", "unreachable", "not_resolved"]
FOLLOW_UP_NOTES = "Se llamó al cliente y se revisó el caso con el equipo."
CONTACT_CENTRE_TEAM = "Centro de contacto"
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


class Answers:
    """Scores that follow the quality of the service the customer got (drawn from the generator's ``rng``)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

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
            value = _clamp(5.8 - waited / 4 + rng.gauss(0, 0.6), 1, 5)
        elif question.kind == QuestionKind.FREE_TEXT:
            text = rng.choice(HIGH_COMMENTS) if quality > 0.6 else rng.choice(LOW_COMMENTS)
            return AnswerData(text=text) if text else None
        else:
            return None
        followup = rng.choice(LOW_COMMENTS) if question.is_low(value) and question.followup_es else ""
        return AnswerData(value=value, followup_text=followup)


# The surveys exist before the interactions close (attention's step, 40), so each closed one gets its link;
# the generator that writes the interactions writes the links, responses and alerts with them.
register_demo_step(surveys_demo_step, order=30)

"""Three months of the demo bank's customer service: the story the generator (``momentos.demo_data``) tells.

The data has a shape worth exploring: busier mornings and Mondays, closed Sundays, a slower branch
(Chapinero), a waiting room that often misses its standard and its checklist, mostly resolved outcomes,
and a contact centre working the phone, chat, e-mail and WhatsApp. A fixed seed makes it the same for
every load on the same day; ``momentos demo --interactions N`` scales it to millions.
"""

from __future__ import annotations

import math
import random
import sys
import time as time_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from momentos.demo import register_demo_step

DEFAULT_INTERACTIONS = 600
PROGRESS_FROM = 100_000  # from this many interactions the command shows its progress
DAYS = 90
SEED = 2024
WEAK_MOMENT = "Espera"
SLOW_BRANCH = "BOG-01"
CONTACT_CENTRE_BRANCH = "CDMX-01"

# Who attends where: (agent e-mail, branch code, team, share of the volume, channel mix).
IN_BRANCH = {"in_person": 0.86, "phone": 0.14}
REMOTE = {"phone": 0.38, "chat": 0.26, "whatsapp": 0.22, "email": 0.14}
DESKS = [
    ("agente.centro@demo.momentos.app", "CDMX-01", "Atención en ventanilla", 0.17, IN_BRANCH),
    ("agente2.centro@demo.momentos.app", "CDMX-01", "Atención en ventanilla", 0.15, IN_BRANCH),
    ("agente.chapinero@demo.momentos.app", "BOG-01", "Atención en ventanilla", 0.15, IN_BRANCH),
    ("agente.providencia@demo.momentos.app", "SCL-01", "Atención en ventanilla", 0.12, IN_BRANCH),
    ("agente.granvia@demo.momentos.app", "MAD-01", "Atención en ventanilla", 0.13, IN_BRANCH),
    ("agente.contacto@demo.momentos.app", CONTACT_CENTRE_BRANCH, "Centro de contacto", 0.28, REMOTE),
]

REASONS = [
    ("Aclaración de un cargo no reconocido", 14),
    ("Bloqueo y reposición de tarjeta", 12),
    ("Apertura de cuenta de ahorro", 10),
    ("Consulta sobre un crédito personal", 9),
    ("Actualización de datos personales", 8),
    ("Acceso a la banca en línea", 11),
    ("Transferencia al extranjero", 5),
    ("Reclamo por comisión cobrada", 7),
    ("Certificado bancario", 6),
    ("Cancelación de un producto", 4),
    ("Aumento del cupo de la tarjeta", 6),
    ("Pago de servicios", 7),
]
SEGMENTS = [
    ("Clientes frecuentes", 45),
    ("Clientes nuevos", 22),
    ("Personas mayores", 18),
    ("Clientes empresa", 15),
]
WEEKDAY_WEIGHT = [1.45, 1.1, 1.0, 1.0, 1.15, 0.45, 0.0]  # Monday … Sunday (branches closed on Sunday)
# Hour of arrival (local time) and its weight: mornings are busier; 14–15 h the branches close for lunch.
WEEKDAY_HOURS = [(9, 1.5), (10, 1.7), (11, 1.5), (12, 1.1), (13, 0.8), (15, 0.8), (16, 0.7), (17, 0.5)]
SATURDAY_HOURS = [(10, 1.3), (11, 1.1), (12, 0.7)]
OUTCOMES = [("resolved", 83), ("escalated", 9), ("unresolved", 5), ("abandoned", 3)]


@dataclass(frozen=True)
class Profile:
    """How a channel unfolds: the first response delay and the gap before each moment after the first (seconds)."""

    first_response: tuple[float, float]  # median, spread (log-normal sigma)
    gaps: Sequence[tuple[float, float]]
    close_after: tuple[float, float]
    business_hours: bool = False  # replies wait for the branch to be open (e-mail, WhatsApp)


PROFILES = {
    # Arrival, waiting room (the weak moment), greeting, listening, diagnosis, answer, close; follow-up apart.
    "in_person": Profile(
        (14, 0.55), [(0, 0), (20, 0.4), (45, 0.4), (75, 0.4), (150, 0.5), (60, 0.4)], (30, 0.4)
    ),
    "phone": Profile((11, 0.5), [(6, 0.3), (40, 0.4), (80, 0.5), (170, 0.5), (50, 0.4)], (20, 0.3)),
    "chat": Profile((28, 0.6), [(20, 0.3), (90, 0.4), (150, 0.5), (240, 0.5), (60, 0.4)], (30, 0.3)),
    "whatsapp": Profile(
        (360, 0.7), [(30, 0.3), (300, 0.5), (600, 0.5), (1200, 0.6), (300, 0.4)], (120, 0.4), True
    ),
    "email": Profile(
        (3000, 0.6), [(60, 0.3), (600, 0.4), (1800, 0.5), (5400, 0.6), (900, 0.4)], (300, 0.4), True
    ),
}


# A share of the attentions are guided in the attention console, where the agent ticks each moment's
# checklist: most items are done, the waiting room's least (nobody checks on the customers waiting).
GUIDED_SHARE = 0.15
CHECKLIST_YES_DEFAULT = 0.9
CHECKLIST_YES = {WEAK_MOMENT: 0.62}


def open_at(local: datetime) -> datetime:
    """``local`` if the branch is open then, else the next opening (Mon–Fri 9–14 and 15–18, Sat 10–13)."""
    for _ in range(8):
        day, clock = local.weekday(), local.time()
        spans = (
            [(time(9), time(14)), (time(15), time(18))]
            if day < 5
            else [(time(10), time(13))]
            if day == 5
            else []
        )
        for opens, closes in spans:
            if clock < opens:
                return local.replace(hour=opens.hour, minute=_opening_minute(local), second=0, microsecond=0)
            if clock < closes:
                return local
        local = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return local


def _opening_minute(local: datetime) -> int:
    # A few minutes after opening, varying with the day so replies do not all land on the hour.
    return (local.day * 7) % 20


def waiting_minutes(rng: random.Random, branch: str, start: datetime) -> float:
    """Minutes in the waiting room: longer at the slow branch, on Mondays and in the late morning rush."""
    median = 7.0 * (1.5 if branch == SLOW_BRANCH else 1.0)
    if start.weekday() == 0:
        median *= 1.25
    if 10 <= start.hour < 12:
        median *= 1.15
    return max(0.5, median * math.exp(rng.gauss(0, 0.5)))


def interactions_demo_step(context: dict[str, Any]) -> None:
    """The interactions, with what the product stores for each (see ``momentos.demo_data``)."""
    from momentos.demo_data import generate, rollups_rebuild

    count = context.get("interactions")
    count = DEFAULT_INTERACTIONS if count is None else max(0, count)
    progress = context.get("progress") or (_progress_printer() if count >= PROGRESS_FROM else None)
    context["generated"] = generate(
        context["organization"], count=count, now=context.get("now"), progress=progress
    )
    rollups_rebuild(context["organization"])


def _progress_printer() -> Any:
    began = time_module.monotonic()
    shown = [0]

    def show(done: int, total: int) -> None:
        if done < total and done - shown[0] < total / 20:
            return  # about every 5 %
        shown[0] = done
        elapsed = time_module.monotonic() - began
        rate = done / elapsed if elapsed else 0.0
        left = (total - done) / rate if rate else 0.0
        remaining = f"{left / 60:,.0f} min" if left >= 120 else f"{left:,.0f} s"
        print(
            f"  interactions: {done:,} of {total:,} ({rate:,.0f}/s, about {remaining} left)",
            file=sys.stderr,
            flush=True,
        )

    return show


# After the starter kit (20) and the surveys (30), which must exist for the links and answers.
register_demo_step(interactions_demo_step, order=40)

"""Three months of the demo bank's customer service, ingested like a helpdesk export so every standard is measured.

The data has a shape worth exploring: busier mornings and Mondays, closed Sundays, a slower branch
(Chapinero), a waiting room that often misses its standard, mostly resolved outcomes, and a contact
centre working the phone, chat, e-mail and WhatsApp. A fixed seed makes it the same for every load
on the same day.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from momentos.demo import register_demo_step

DEFAULT_INTERACTIONS = 600
DAYS = 90
SEED = 2024
BATCH = 500
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


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma)) if sigma else median


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _open_at(local: datetime) -> datetime:
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


class _Generator:
    def __init__(self, context: dict[str, Any], *, count: int, now: datetime) -> None:
        from momentos.cycle.models import Moment, Segment

        self.rng = random.Random(SEED)
        self.now = now
        self.count = count
        self.branches = context["branches"]
        org = context["organization"]
        self.segments = [
            (name, weight)
            for name, weight in SEGMENTS
            if Segment.objects.for_organization(org).filter(name=name).exists()
        ]
        self.moments: dict[str, list[str]] = {}
        for kind, name in (
            Moment.objects.for_organization(org)
            .order_by("cycle__channel__kind", "position")
            .values_list("cycle__channel__kind", "name")
        ):
            self.moments.setdefault(kind, []).append(name)
        days = [now.date() - timedelta(days=n) for n in range(1, DAYS + 1)]
        self.days = [(d, WEEKDAY_WEIGHT[d.weekday()]) for d in days if not (d.month == 12 and d.day == 25)]

    def rows(self) -> list[Any]:
        open_now = 3 if self.count >= 50 else 0
        rows = [self._closed(i) for i in range(self.count - open_now)]
        rows += [self._open(self.count - open_now + i, i) for i in range(open_now)]
        return rows

    def _desk(self) -> tuple[str, str, str, dict[str, float]]:
        email, branch, team, _share, mix = _weighted(self.rng, [(d, d[3]) for d in DESKS])
        return email, branch, team, mix

    def _start(self, tz: ZoneInfo) -> datetime:
        day = _weighted(self.rng, self.days)
        hours = SATURDAY_HOURS if day.weekday() == 5 else WEEKDAY_HOURS
        hour = _weighted(self.rng, hours)
        return datetime(
            day.year, day.month, day.day, hour, self.rng.randrange(60), self.rng.randrange(60), tzinfo=tz
        )

    def _base(self, index: int, channel: str, email: str, branch: str, team: str, start: datetime) -> Any:
        from momentos.attention.services import IngestRow

        return IngestRow(
            index=index,
            external_id=f"DEMO-{index + 1:05d}",
            branch=branch,
            channel=channel,
            team=team,
            agent=email,
            segment=_weighted(self.rng, self.segments) if self.segments else "",
            reason=_weighted(self.rng, REASONS),
            customer_ref=f"CLI-{self.rng.randrange(10_000, 99_999)}",
            started_at=start,
        )

    def _closed(self, index: int) -> Any:
        from momentos.attention.services import MomentRef

        rng = self.rng
        email, branch, team, mix = self._desk()
        channel = _weighted(rng, list(mix.items()))
        tz = ZoneInfo(self.branches[branch].time_zone)
        start = self._start(tz)
        row = self._base(index, channel, email, branch, team, start)
        profile = PROFILES[channel]
        names = self.moments.get(channel, [])
        outcome = _weighted(rng, OUTCOMES)
        fix = _open_at if profile.business_hours else (lambda value: value)

        row.first_response_at = fix(start + timedelta(seconds=_lognormal(rng, *profile.first_response)))
        at = start
        reached = [MomentRef(reached_at=start, name=names[0])] if names else []
        # The last moment is the follow-up, reached only when the case needs one.
        service = names[1:-1]
        stop = 0 if outcome == "abandoned" else len(service)
        for position, name in enumerate(service[:stop]):
            if channel == "in_person" and name == WEAK_MOMENT:
                at += timedelta(seconds=self._waiting(branch, start) * 60)
            else:
                gap = profile.gaps[min(position, len(profile.gaps) - 1)]
                at = fix(at + timedelta(seconds=_lognormal(rng, *gap)))
            reached.append(MomentRef(reached_at=at, name=name))
        if outcome == "abandoned":
            row.first_response_at = None if channel == "in_person" else row.first_response_at
            at += timedelta(minutes=rng.uniform(2, 8))
        closed = fix(at + timedelta(seconds=_lognormal(rng, *profile.close_after)))
        if row.first_response_at and row.first_response_at > closed:
            closed = row.first_response_at + timedelta(minutes=1)
        row.closed_at = closed
        row.resolved_at = closed if outcome == "resolved" else None
        row.outcome = outcome
        row.contacts = 1 if rng.random() < (0.93 if outcome == "resolved" else 0.4) else rng.choice([2, 2, 3])
        if names and len(names) > 2 and outcome in {"escalated", "unresolved"} or rng.random() < 0.08:
            follow_up = _open_at((closed + timedelta(hours=rng.uniform(16, 40))).astimezone(tz))
            if follow_up < self.now and names:
                reached.append(MomentRef(reached_at=follow_up, name=names[-1]))
        row.moments = reached
        return row

    def _waiting(self, branch: str, start: datetime) -> float:
        """Minutes in the waiting room: longer at the slow branch, on Mondays and in the late morning rush."""
        median = 7.0 * (1.5 if branch == SLOW_BRANCH else 1.0)
        if start.weekday() == 0:
            median *= 1.25
        if 10 <= start.hour < 12:
            median *= 1.15
        return max(0.5, _lognormal(self.rng, median, 0.5))

    def _open(self, index: int, n: int) -> Any:
        """Attentions under way right now, so the console and the live view are not empty."""
        from momentos.attention.services import MomentRef

        email, branch, team, _share, _mix = DESKS[n]
        start = self.now - timedelta(minutes=4 + 9 * n)
        row = self._base(index, "in_person", email, branch, team, start)
        row.first_response_at = start + timedelta(seconds=20)
        names = self.moments.get("in_person", [])[: 2 + n]
        row.moments = [
            MomentRef(reached_at=start + timedelta(minutes=3 * i), name=m) for i, m in enumerate(names)
        ]
        return row


def interactions_demo_step(context: dict[str, Any]) -> None:
    from momentos.attention.services import interactions_ingest

    count = context.get("interactions")
    count = DEFAULT_INTERACTIONS if count is None else max(0, count)
    rows = _Generator(context, count=count, now=timezone.now()).rows()
    for first in range(0, len(rows), BATCH):
        report = interactions_ingest(
            organization=context["organization"], rows=rows[first : first + BATCH], all_or_nothing=True
        )
        context.setdefault("interaction_ids", []).extend(r.id for r in report.rows)


# After the starter kit (20) and the survey it closes with (30); before the survey answers (50).
register_demo_step(interactions_demo_step, order=40)

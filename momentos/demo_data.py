"""The demo bank's service history in bulk: N interactions with everything the product would have stored.

For each interaction the generator writes what ingestion, the attention console and the surveys would
have written: the moments it reached, the verdict of every service standard of its cycle (measured
by ``momentos.attention.evaluation``, the same code ingestion runs, on the branch's business calendar
when the standard says so), the checklist ticks of a guided attention, the survey link its close
attached, and — for about three customers in ten — the response, its answers and, for a low score,
the alert and its follow-up.

Rows are generated in chunks and written per chunk (COPY on PostgreSQL, multi-row inserts elsewhere),
so memory stays flat whatever the number asked for, and nothing goes through the ORM row by row.
A seed and a ``now`` make the content the same for every run.

The shape of the data (the story the demo tells) lives in ``momentos.attention.demo`` (when, where,
how long) and ``momentos.surveys.demo`` (what customers answer).
"""

from __future__ import annotations

import math
import os
import random
import time as clock
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction

CHUNK = 10_000


# --- ids --------------------------------------------------------------------------------------------


class _Ids:
    """UUIDv7 ids (as ``momentos.core.ids.uuid7`` makes them) without a system call per row: the random
    part is drawn once per batch of 2**16 and a counter fills the low bits, so ids stay unique and
    time-ordered."""

    def __init__(self) -> None:
        self._next = 0
        self._left = 0

    def __call__(self) -> str:
        """The next id in its canonical text form (what COPY and the SQLite backend read)."""
        if not self._left:
            millis = clock.time_ns() // 1_000_000
            rand = int.from_bytes(os.urandom(10), "big")
            value = (millis & ((1 << 48) - 1)) << 80
            value |= 0x7 << 76
            value |= (rand >> 68) << 64 & (((1 << 12) - 1) << 64)
            value |= 0b10 << 62
            value |= (rand & ((1 << 62) - 1)) & ~0xFFFF
            self._next, self._left = value, 1 << 16
        self._left -= 1
        self._next += 1
        h = f"{self._next - 1:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# --- what an interaction carries ------------------------------------------------------------------


@dataclass
class Record:
    """One generated interaction and everything stored with it (plain values, ids of the world's rows)."""

    index: int
    branch: Any
    channel: Any
    team: Any
    agent: Any
    segment: Any
    reason: str
    customer_ref: str
    started_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    contacts: int = 1
    reached: list[tuple[Any, datetime]] = field(default_factory=list)  # (moment id, reached at)
    first_response_seconds: int | None = None
    results: list[tuple[Any, str, Any, str]] = field(
        default_factory=list
    )  # standard id, status, measured, unit
    ticks: list[tuple[Any, str, datetime]] = field(default_factory=list)  # item id, answer, ticked at
    response: Any = None  # a _Response when the customer answered

    @property
    def branch_id(self) -> Any:
        return self.branch.pk


@dataclass
class _Response:
    version: Any
    submitted_at: datetime
    language: str
    answers: list[tuple[Any, str, int | None, str, str]]  # question, kind, value, text, follow-up text


# --- the organisation as loaded once -----------------------------------------------------------------


class World:
    """The demo organisation's branches, channels, people, cycles, standards, checklists and surveys."""

    def __init__(self, organization: Any) -> None:
        from momentos.accounts.models import Branch, Channel, Team, User
        from momentos.attention.business_hours import calendar_for_branch, elapsed_business_time
        from momentos.attention.evaluation import INTERACTION_METRICS
        from momentos.attention.models import Interaction
        from momentos.cycle.models import ChecklistItem, Moment, Segment, ServiceStandard
        from momentos.surveys import selectors

        org_id = organization.pk
        self.organization = organization
        self.branches = {b.code: b for b in Branch.objects.for_organization(org_id)}
        self.clocks = {
            b.pk: partial(_business_elapsed, calendar_for_branch(b), elapsed_business_time)
            for b in self.branches.values()
        }
        self.zones = {b.pk: ZoneInfo(b.time_zone) for b in self.branches.values()}
        self.channels = {c.kind: c for c in Channel.objects.for_organization(org_id).filter(is_active=True)}
        self.teams = {t.name: t for t in Team.objects.for_organization(org_id)}
        self.agents = {
            u.email: u for u in User.objects.filter(memberships__organization_id=org_id).distinct()
        }
        self.segments = {s.name: s for s in Segment.objects.for_organization(org_id)}
        self.moments: dict[Any, list[Any]] = {}
        for moment in (
            Moment.objects.for_organization(org_id).select_related("cycle").order_by("position", "name")
        ):
            self.moments.setdefault(moment.cycle.channel_id, []).append(moment)
        self.standards: dict[Any, list[Any]] = {}
        for standard in (
            ServiceStandard.objects.for_organization(org_id)
            .filter(metric__in=INTERACTION_METRICS)
            .select_related("moment__cycle")
            .order_by("moment__position", "name")
        ):
            self.standards.setdefault(standard.moment.cycle.channel_id, []).append(standard)
        self.positions = {
            channel_id: {s.moment_id: s.moment.position for s in standards}
            for channel_id, standards in self.standards.items()
        }
        self.items: dict[Any, list[Any]] = {}
        for item in ChecklistItem.objects.for_organization(org_id).order_by("position"):
            self.items.setdefault(item.moment_id, []).append(item)
        # The survey each (branch, channel) gets when an interaction closes, as the surveys app picks it.
        probes = [
            Interaction(organization_id=org_id, branch=b, channel=c, id=uuid.uuid4())
            for b in self.branches.values()
            for c in self.channels.values()
        ]
        chosen = selectors.surveys_for_interactions(probes)
        self.versions: dict[tuple[Any, Any], Any] = {}
        self.questions: dict[Any, list[Any]] = {}
        for probe in probes:
            survey = chosen.get(probe.pk)
            version = survey.current_version if survey else None
            if version is None:
                continue
            self.versions[(probe.branch_id, probe.channel_id)] = version
            if version.pk not in self.questions:
                self.questions[version.pk] = selectors.version_questions(version)


def _business_elapsed(
    calendar: Any, exact: Callable[..., timedelta], start: datetime, end: datetime
) -> timedelta:
    """``elapsed_business_time``, with a shortcut for the common case of both ends in one opening span of
    the same local day: the branch is open all along, so business time is real time (daylight-saving
    changes included). Anything else goes to the exact computation."""
    zone = calendar.zone
    a, b = start.astimezone(zone), end.astimezone(zone)
    if a.date() == b.date() and end >= start:
        ta, tb = a.time(), b.time()
        for span in calendar.spans_on(a.date()):
            if span.opens <= ta and tb < span.closes:
                return end - start
    return exact(calendar, start, end)


# --- the generator ---------------------------------------------------------------------------------


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma)) if sigma else median


class _Picker:
    """A weighted choice over fixed options with one ``random()`` call (cumulative weights, bisection)."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        from itertools import accumulate

        self.values = [v for v, _w in pairs]
        self.cumulative = list(accumulate(w for _v, w in pairs))
        self.total = self.cumulative[-1] if self.cumulative else 0.0

    def __call__(self, rng: random.Random) -> Any:
        from bisect import bisect_right

        return self.values[
            min(bisect_right(self.cumulative, rng.random() * self.total), len(self.values) - 1)
        ]


class Generator:
    """Interactions as ``Record``s, in a fixed order for a seed and a ``now``."""

    def __init__(
        self, world: World, *, count: int, now: datetime, seed: int | None = None, first: int = 0
    ) -> None:
        from momentos.attention import demo as story
        from momentos.surveys import demo as voice

        self.story, self.voice = story, voice
        self.world = world
        self.count = count
        self.first = first
        self.now = now
        self.rng = random.Random(story.SEED if seed is None else seed)
        self.answers = voice.Answers(self.rng)
        self.desks = _Picker(
            [
                (d, d[3])
                for d in story.DESKS
                if d[1] in world.branches and d[2] in world.teams and d[0] in world.agents
            ]
        )
        self.mixes = {
            id(mix): _Picker([(world.channels[k], w) for k, w in mix.items() if k in world.channels])
            for mix in (story.IN_BRANCH, story.REMOTE)
        }
        self.segments = _Picker([(world.segments[n], w) for n, w in story.SEGMENTS if n in world.segments])
        self.reasons = _Picker(story.REASONS)
        self.outcomes = _Picker(story.OUTCOMES)
        days = [now.date() - timedelta(days=n) for n in range(1, story.DAYS + 1)]
        self.days = _Picker(
            [(d, story.WEEKDAY_WEIGHT[d.weekday()]) for d in days if not (d.month == 12 and d.day == 25)]
        )
        self.weekday_hours = _Picker(story.WEEKDAY_HOURS)
        self.saturday_hours = _Picker(story.SATURDAY_HOURS)

    def records(self) -> Iterator[Record]:
        """The interactions numbered ``first`` to ``first + count - 1`` (their external ids follow the
        numbers); the first set of a data set ends with three attentions under way."""
        open_now = 3 if self.count >= 50 and self.first == 0 else 0
        for index in range(self.count - open_now):
            yield self._closed(self.first + index)
        for n in range(open_now):
            yield self._open(self.first + self.count - open_now + n, n)

    # -- one interaction

    def _start(self, zone: ZoneInfo) -> datetime:
        rng = self.rng
        day = self.days(rng)
        hour = (self.saturday_hours if day.weekday() == 5 else self.weekday_hours)(rng)
        local = datetime(
            day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=zone
        )
        return local

    def _closed(self, index: int) -> Record:
        story, rng, world = self.story, self.rng, self.world
        email, code, team, _share, mix = self.desks(rng)
        branch = world.branches[code]
        channel = self.mixes[id(mix)](rng)
        zone = world.zones[branch.pk]
        start = self._start(zone)
        record = Record(
            index=index,
            branch=branch,
            channel=channel,
            team=world.teams[team],
            agent=world.agents[email],
            segment=self.segments(rng) if self.segments.values else None,
            reason=self.reasons(rng),
            customer_ref=f"CLI-{rng.randrange(10_000, 99_999)}",
            started_at=start,
        )
        profile = story.PROFILES[channel.kind]
        moments = world.moments.get(channel.pk, [])
        outcome = self.outcomes(rng)
        fix = story.open_at if profile.business_hours else _same

        first_response: datetime | None = fix(
            start + timedelta(seconds=_lognormal(rng, *profile.first_response))
        )
        at = start
        reached = [(moments[0], start)] if moments else []
        # The last moment is the follow-up, reached only when the case needs one.
        service = moments[1:-1]
        stop = 0 if outcome == "abandoned" else len(service)
        for position, moment in enumerate(service[:stop]):
            if channel.kind == "in_person" and moment.name == story.WEAK_MOMENT:
                at += timedelta(seconds=story.waiting_minutes(rng, code, start) * 60)
            else:
                gap = profile.gaps[min(position, len(profile.gaps) - 1)]
                at = fix(at + timedelta(seconds=_lognormal(rng, *gap)))
            reached.append((moment, at))
        if outcome == "abandoned":
            first_response = None if channel.kind == "in_person" else first_response
            at += timedelta(minutes=rng.uniform(2, 8))
        closed = fix(at + timedelta(seconds=_lognormal(rng, *profile.close_after)))
        if first_response and first_response > closed:
            closed = first_response + timedelta(minutes=1)
        contacts = 1 if rng.random() < (0.93 if outcome == "resolved" else 0.4) else rng.choice([2, 2, 3])
        if moments and (len(moments) > 2 and outcome in {"escalated", "unresolved"} or rng.random() < 0.08):
            follow_up = story.open_at((closed + timedelta(hours=rng.uniform(16, 40))).astimezone(zone))
            if follow_up < self.now:
                reached.append((moments[-1], follow_up))
        # Stored in UTC, so every interval below is real elapsed time, as on a row read back.
        record.started_at = start.astimezone(UTC)
        record.first_response_at = first_response.astimezone(UTC) if first_response else None
        record.closed_at = closed.astimezone(UTC)
        record.resolved_at = record.closed_at if outcome == "resolved" else None
        record.outcome = outcome
        record.contacts = contacts
        record.reached = [(m.pk, t.astimezone(UTC)) for m, t in reached]
        self._evaluate(record)
        self._tick(record, reached)
        self._respond(record)
        return record

    def _open(self, index: int, n: int) -> Record:
        """Attentions under way right now, so the console and the live view are not empty."""
        world = self.world
        email, code, team, _share, _mix = self.story.DESKS[n]
        branch = world.branches[code]
        channel = world.channels["in_person"]
        start = self.now - timedelta(minutes=4 + 9 * n)
        rng = self.rng
        record = Record(
            index=index,
            branch=branch,
            channel=channel,
            team=world.teams[team],
            agent=world.agents[email],
            segment=self.segments(rng) if self.segments.values else None,
            reason=self.reasons(rng),
            customer_ref=f"CLI-{rng.randrange(10_000, 99_999)}",
            started_at=start.astimezone(UTC),
            first_response_at=(start + timedelta(seconds=20)).astimezone(UTC),
        )
        moments = world.moments.get(channel.pk, [])[: 2 + n]
        record.reached = [(m.pk, record.started_at + timedelta(minutes=3 * i)) for i, m in enumerate(moments)]
        self._evaluate(record)
        return record

    # -- what the product stores with it

    def _evaluate(self, record: Record) -> None:
        from momentos.attention.evaluation import interaction_measure

        business = self.world.clocks[record.branch.pk]
        if record.first_response_at is not None:
            # Whole business seconds, as insight counts them (``momentos.insight.raw.business_seconds``).
            elapsed = business(record.started_at, record.first_response_at).total_seconds()
            record.first_response_seconds = max(0, int(elapsed))
        record.results = [
            (standard.pk, str(m.status), m.measured, str(m.unit))
            for standard, m in interaction_measure(
                interaction=record,
                standards=self.world.standards.get(record.channel.pk, []),
                reached=dict(record.reached),
                positions=self.world.positions.get(record.channel.pk, {}),
                business_clock=lambda: business,
            )
        ]

    def _tick(self, record: Record, reached: list[tuple[Any, datetime]]) -> None:
        """A share of the attentions are guided in the console, where the agent ticks each moment's checklist."""
        story, rng = self.story, self.rng
        if rng.random() >= story.GUIDED_SHARE:
            return
        slow = record.branch.code == story.SLOW_BRANCH
        for moment, at in reached:
            base = story.CHECKLIST_YES.get(moment.name, story.CHECKLIST_YES_DEFAULT) - 0.06 * slow
            for item in self.world.items.get(moment.pk, ()):
                draw = rng.random()
                answer = "na" if draw < 0.04 else "yes" if draw < 0.04 + base * 0.96 else "no"
                record.ticks.append((item.pk, answer, (at + timedelta(seconds=20)).astimezone(UTC)))

    def _respond(self, record: Record) -> None:
        voice, rng = self.voice, self.rng
        version = self.world.versions.get((record.branch.pk, record.channel.pk))
        if version is None or record.closed_at is None or rng.random() >= voice.RESPONSE_RATE:
            return
        submitted = record.closed_at + timedelta(minutes=rng.uniform(8, 2 * 24 * 60))
        if submitted >= self.now:
            return  # the customer has not answered yet
        missed = sum(1 for _s, status, _m, _u in record.results if status == "missed")
        waited = next(
            (
                float(measured)
                for standard_id, _st, measured, unit in record.results
                if measured is not None and unit == "minutes" and standard_id in self._wait_standards
            ),
            None,
        )
        quality = self.answers.quality(record, missed)
        answers = []
        for question in self.world.questions[version.pk]:
            data = self.answers.for_question(question, quality=quality, waited=waited)
            if data is None:
                continue
            value = data.value
            answers.append(
                (
                    question,
                    question.kind,
                    value,
                    data.text.strip(),
                    data.followup_text.strip() if question.is_low(value) else "",
                )
            )
        if not answers:
            return
        language = "en" if record.branch.code == "MAD-01" and rng.random() < 0.2 else "es"
        record.response = _Response(version, submitted, language, answers)

    @property
    def _wait_standards(self) -> set[Any]:
        cached = getattr(self, "_wait_ids", None)
        if cached is None:
            cached = {
                s.pk
                for standards in self.world.standards.values()
                for s in standards
                if s.moment.name == self.story.WEAK_MOMENT and s.metric == "wait_time"
            }
            self._wait_ids = cached
        return cached


def _same(value: datetime) -> datetime:
    return value


def _link_days() -> int:
    from momentos.surveys import conf

    return conf.link_days()


# --- writing ---------------------------------------------------------------------------------------


@dataclass
class Report:
    """How many rows of each kind were written, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


class _Tables:
    """Rows of one chunk, per table, as lines of PostgreSQL's COPY text format (tab-separated, ``\\N`` for
    null); written in one go per table."""

    def __init__(self) -> None:
        self.rows: dict[str, list[str]] = {}

    def add(self, table: str, line: str) -> None:
        self.rows.setdefault(table, []).append(line)


NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def _text(value: str) -> str:
    return value.translate(_ESCAPES)


def _ts(value: datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _opt(value: Any) -> str:
    return NULL if value is None else str(value)


def _field(raw: str) -> str | None:
    """One field of a COPY text line back to its value (the SQLite path)."""
    if raw == NULL:
        return None
    if "\\" not in raw:
        return raw
    out, i = [], 0
    while i < len(raw):
        pair = raw[i : i + 2]
        if pair in _UNESCAPES:
            out.append(_UNESCAPES[pair])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _columns() -> dict[str, tuple[type[Any], tuple[str, ...]]]:
    from momentos.attention.models import ChecklistTick, Interaction, MomentReached, StandardResult
    from momentos.surveys.models import Alert, Answer, FollowUp, Response, SurveyLink

    base = ("id", "created_at", "updated_at", "organization_id")
    interaction: tuple[str, ...] = (
        *base,
        "branch_id",
        "channel_id",
        "team_id",
        "agent_id",
        "segment_id",
        "reason",
        "customer_ref",
        "external_id",
        "started_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "outcome",
        "contacts",
        "notes",
    )
    if _has_first_response_seconds():
        interaction = (*interaction, "first_response_seconds")
    return {
        "interactions": (Interaction, interaction),
        "moments_reached": (MomentReached, (*base, "interaction_id", "moment_id", "reached_at")),
        "standard_results": (
            StandardResult,
            (*base, "interaction_id", "standard_id", "status", "measured", "unit"),
        ),
        "checklist_ticks": (ChecklistTick, (*base, "interaction_id", "item_id", "answer", "ticked_at")),
        "survey_links": (
            SurveyLink,
            (*base, "version_id", "interaction_id", "token_hash", "source", "expires_at", "used_at"),
        ),
        "responses": (
            Response,
            (
                *base,
                "version_id",
                "interaction_id",
                "branch_id",
                "channel_id",
                "team_id",
                "moment_id",
                "source",
                "link_id",
                "qr_code_id",
                "language",
                "submitted_at",
                "flagged_staff",
                "client_hash",
            ),
        ),
        "answers": (
            Answer,
            (*base, "response_id", "question_id", "kind", "value", "choice_ids", "text", "followup_text"),
        ),
        "alerts": (
            Alert,
            (*base, "response_id", "answer_id", "branch_id", "team_id", "kind", "score", "comment"),
        ),
        "follow_ups": (
            FollowUp,
            (*base, "alert_id", "owner_id", "due_date", "status", "outcome", "notes"),
        ),
    }


def _has_first_response_seconds() -> bool:
    from momentos.attention.models import Interaction

    return any(f.attname == "first_response_seconds" for f in Interaction._meta.concrete_fields)


class _Writer:
    """Turns records into rows and writes each chunk: COPY on PostgreSQL, multi-row INSERTs elsewhere."""

    def __init__(self, world: World, *, now: datetime) -> None:
        from momentos.surveys import demo as voice
        from momentos.surveys.choices import ALERTING_KINDS
        from momentos.surveys.tokens import hash_token, link_token

        self.world = world
        self.now = now
        self.stamp = now.isoformat()
        self.org = str(world.organization.pk)
        self.ids = _Ids()
        self.columns = _columns()
        self.with_frs = "first_response_seconds" in self.columns["interactions"][1]
        self.postgres = connection.vendor == "postgresql"
        self.alerting = set(ALERTING_KINDS)
        self.token_hash = lambda link_id: hash_token(link_token(uuid.UUID(link_id)))
        self.voice = voice
        owners = {code: world.agents.get(email) for code, email in voice.SUPERVISORS.items()}
        self.owners = {code: str(u.pk) for code, u in owners.items() if u is not None}
        team_owner = world.agents.get(voice.TEAM_SUPERVISOR)
        quality = world.agents.get(voice.QUALITY_MANAGER)
        self.team_owner = str(team_owner.pk) if team_owner else None
        self.quality_manager = str(quality.pk) if quality else NULL
        self.closed_after = timedelta(days=voice.CLOSED_AFTER_DAYS)
        self.follow_up_days = timedelta(days=_follow_up_days())
        self.link_days = timedelta(days=_link_days())
        self.outcome_rng = random.Random(voice.SEED)
        # Text forms of the world's ids, computed once.
        self.pk: dict[int, str] = {}
        self.keep: list[Any] = []

    def _id(self, obj: Any) -> str:
        """The text form of a world row's id (or of an id), computed once per object."""
        text = self.pk.get(id(obj))
        if text is None:
            if obj is None:
                return NULL
            text = self.pk[id(obj)] = str(getattr(obj, "pk", obj))
            self.keep.append(obj)  # the cache is keyed by identity: keep the object alive
        return text

    def rows(self, records: Sequence[Record], tables: _Tables) -> None:
        stamp, org, new, pk = self.stamp, self.org, self.ids, self._id
        add = tables.add
        for r in records:
            iid = new()
            line = (
                f"{iid}\t{stamp}\t{stamp}\t{org}\t{pk(r.branch)}\t{pk(r.channel)}\t{pk(r.team)}\t"
                f"{pk(r.agent)}\t{pk(r.segment)}\t{_text(r.reason)}\t{_text(r.customer_ref)}\t"
                f"DEMO-{r.index + 1:05d}\t{_ts(r.started_at)}\t{_ts(r.first_response_at)}\t"
                f"{_ts(r.resolved_at)}\t{_ts(r.closed_at)}\t{_opt(r.outcome)}\t{r.contacts}\t"
            )
            if self.with_frs:
                line += f"\t{_opt(r.first_response_seconds)}"
            add("interactions", line)
            for moment_id, at in r.reached:
                add("moments_reached", f"{new()}\t{stamp}\t{stamp}\t{org}\t{iid}\t{pk(moment_id)}\t{_ts(at)}")
            for standard_id, status, measured, unit in r.results:
                add(
                    "standard_results",
                    f"{new()}\t{stamp}\t{stamp}\t{org}\t{iid}\t{pk(standard_id)}\t{status}\t{_opt(measured)}\t{unit}",
                )
            for item_id, answer, at in r.ticks:
                t = _ts(at)
                add("checklist_ticks", f"{new()}\t{t}\t{t}\t{org}\t{iid}\t{pk(item_id)}\t{answer}\t{t}")
            if r.closed_at is None:
                continue
            version = self.world.versions.get((r.branch.pk, r.channel.pk))
            if version is None:
                continue
            link_id = new()
            response = r.response
            closed = _ts(r.closed_at)
            used = _ts(response.submitted_at if response else None)
            add(
                "survey_links",
                f"{link_id}\t{closed}\t{closed if response is None else used}\t{org}\t{pk(version)}\t{iid}\t"
                f"{self.token_hash(link_id)}\tlink\t{_ts(r.closed_at + self.link_days)}\t{used}",
            )
            if response is not None:
                self._response(r, iid, link_id, response, tables)

    def _response(self, r: Record, iid: str, link_id: str, response: _Response, tables: _Tables) -> None:
        org, new, pk, add = self.org, self.ids, self._id, tables.add
        at = _ts(response.submitted_at)
        rid = new()
        team = pk(r.team)
        branch = pk(r.branch)
        add(
            "responses",
            f"{rid}\t{at}\t{at}\t{org}\t{pk(response.version)}\t{iid}\t{branch}\t{pk(r.channel)}\t{team}\t"
            f"{NULL}\tlink\t{link_id}\t{NULL}\t{response.language}\t{at}\tf\t",
        )
        low: list[tuple[str, str, int]] = []
        for question, kind, value, text, followup in response.answers:
            aid = new()
            add(
                "answers",
                f"{aid}\t{at}\t{at}\t{org}\t{rid}\t{pk(question)}\t{kind}\t{_opt(value)}\t[]\t"
                f"{_text(text)}\t{_text(followup)}",
            )
            if value is not None and kind in self.alerting and question.is_low(value):
                low.append((aid, kind, value))
        if not low:
            return
        comment = _text(" ".join(f or t for _q, _k, _v, t, f in response.answers if f or t).strip())
        old = response.submitted_at < self.now - self.closed_after
        owner = self._owner(r)
        due = (
            response.submitted_at.astimezone(self.world.zones[r.branch.pk]).date() + self.follow_up_days
        ).isoformat()
        for answer_id, kind, score in low:
            alert_id = new()
            add(
                "alerts",
                f"{alert_id}\t{at}\t{at}\t{org}\t{rid}\t{answer_id}\t{branch}\t{team}\t{kind}\t{score}\t{comment}",
            )
            if old:
                outcome = self.outcome_rng.choice(self.voice.FOLLOW_UP_OUTCOMES)
                done = _ts(response.submitted_at + timedelta(days=1))
                notes = _text(self.voice.FOLLOW_UP_NOTES)
                add(
                    "follow_ups",
                    f"{new()}\t{at}\t{done}\t{org}\t{alert_id}\t{owner}\t{due}\tdone\t{outcome}\t{notes}",
                )
            else:
                add("follow_ups", f"{new()}\t{at}\t{at}\t{org}\t{alert_id}\t{owner}\t{due}\topen\t\t")

    def _owner(self, r: Record) -> str:
        if r.team is not None and r.team.name == self.voice.CONTACT_CENTRE_TEAM and self.team_owner:
            return self.team_owner
        return self.owners.get(r.branch.code) or self.quality_manager

    def write(self, tables: _Tables, report: Report) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                # Demo data: losing the last chunk in a crash costs nothing, waiting for each flush does.
                cursor.execute("SET LOCAL synchronous_commit = off")
            if self.postgres and _may_skip_triggers(cursor):
                # The rows are consistent by construction: skip the per-row foreign key checks at commit.
                cursor.execute("SET LOCAL session_replication_role = replica")
            for name, (model, columns) in self.columns.items():
                lines = tables.rows.get(name)
                if not lines:
                    continue
                if self.postgres:
                    with connection.wrap_database_errors:
                        _copy(cursor.cursor, model, columns, lines)
                else:
                    _insert(cursor, model, columns, lines)
                report.add(name, len(lines))


def _may_skip_triggers(cursor: Any) -> bool:
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return bool(cursor.fetchone()[0])


def _follow_up_days() -> int:
    from momentos.surveys import conf

    return conf.follow_up_days()


def _copy(cursor: Any, model: type[Any], columns: Sequence[str], lines: list[str]) -> None:
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(quote(model._meta.db_table), ", ".join(quote(c) for c in columns))
    with cursor.copy(sql) as copy:
        for first in range(0, len(lines), 2_000):
            copy.write("\n".join(lines[first : first + 2_000]) + "\n")


def _insert(cursor: Any, model: type[Any], columns: Sequence[str], lines: list[str]) -> None:
    """Multi-row INSERTs of the same lines, values prepared as Django would (no model instance, no signal)."""
    from django.db.models import JSONField

    fields = [next(f for f in model._meta.concrete_fields if f.attname == c) for c in columns]
    # A JSON value arrives already encoded; every other value goes through its field.
    prepare = [(lambda v: v) if isinstance(f, JSONField) else partial(_prepare, f) for f in fields]
    quote = connection.ops.quote_name
    per = max(1, 900 // len(columns))  # SQLite caps the number of parameters of one statement
    # Names of the model's own table and columns, quoted; the values are parameters.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    )
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for first in range(0, len(lines), per):
        batch = lines[first : first + per]
        params = [p(_field(raw)) for line in batch for p, raw in zip(prepare, line.split("\t"), strict=True)]
        cursor.execute(head + ", ".join([one] * len(batch)), params)


def _prepare(field: Any, value: str | None) -> Any:
    if value is None:
        return None
    return field.get_db_prep_save(field.to_python(value), connection)


def generate(
    organization: Any,
    *,
    count: int,
    now: datetime | None = None,
    seed: int | None = None,
    chunk: int = CHUNK,
    first: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Write ``count`` interactions of the demo organisation and all that goes with them; see the module.

    ``first`` numbers them after the ``first`` already written (external ids ``DEMO-<number>``), to grow
    a data set; give that set another ``seed`` so it does not repeat the first one.
    """
    from django.utils import timezone

    began = clock.perf_counter()
    now = now or timezone.now()
    world = World(organization)
    generator = Generator(world, count=max(0, count), now=now, seed=seed, first=first)
    writer = _Writer(world, now=now)
    report = Report()
    batch: list[Record] = []
    done = 0
    for record in generator.records():
        batch.append(record)
        if len(batch) >= chunk:
            done += _flush(writer, batch, report)
            if progress:
                progress(done, count)
    if batch:
        done += _flush(writer, batch, report)
        if progress:
            progress(done, count)
    report.seconds = clock.perf_counter() - began
    return report


def rollups_rebuild(organization: Any) -> dict[str, int]:
    """Recompute insight's rollups from the rows just written (bulk writes send no signals)."""
    try:
        from momentos.insight import rollups
    except ImportError:  # pragma: no cover - insight not installed
        return {}
    rebuild: Callable[[Any], dict[str, int]] | None = getattr(rollups, "rebuild", None)
    return rebuild(organization) if rebuild else {}


def _flush(writer: _Writer, batch: list[Record], report: Report) -> int:
    tables = _Tables()
    writer.rows(batch, tables)
    writer.write(tables, report)
    n = len(batch)
    batch.clear()
    return n

"""Writes of the attention app: record interactions one at a time or in bulk, and evaluate them.

Ingestion takes rows that name things the way another system knows them (a branch by id or code, a
channel by kind, an agent by e-mail, a segment or team by name, a moment by name or position) and
resolves every name with one query per kind of thing, whatever the number of rows. It is idempotent
by external id: a row whose external id is already stored is reported ``unchanged`` with the stored
id, and nothing about the stored interaction changes.
"""

from __future__ import annotations

import gc
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from operator import attrgetter
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.accounts.models import Branch, Channel, Organization, Team, User
from momentos.attention import hooks
from momentos.attention.business_hours import calendar_for_branch, elapsed_business_time
from momentos.attention.choices import Outcome
from momentos.attention.evaluation import INTERACTION_METRICS, Clock, interaction_measure
from momentos.attention.models import Interaction, MomentReached, StandardResult
from momentos.core.errors import DomainError
from momentos.core.ids import uuid7
from momentos.cycle.models import Moment, Segment, ServiceStandard

MAX_BULK_ROWS = 1000


class RowsRejected(DomainError):
    """An all-or-nothing batch with at least one bad row: nothing was stored."""

    code = "rows_invalid"
    status = 422


class TooManyRows(DomainError):
    """A batch over ``MAX_BULK_ROWS``: refused whole, before reading any row."""

    code = "too_many_rows"
    status = 413


# --- evaluation ------------------------------------------------------------------------------------


class _Calendars:
    """Each branch's business-hours calendar, built once per batch and only when a standard needs it."""

    def __init__(self) -> None:
        self._clocks: dict[Any, Clock] = {}
        self._makers: dict[Any, Callable[[], Clock]] = {}

    def clock_for(self, branch: Branch) -> Callable[[], Clock]:
        maker = self._makers.get(branch.pk)
        if maker is None:

            def make() -> Clock:
                clock = self._clocks.get(branch.pk)
                if clock is None:
                    clock = self._clocks[branch.pk] = partial(
                        elapsed_business_time, calendar_for_branch(branch)
                    )
                return clock

            maker = self._makers[branch.pk] = make
        return maker


def _standards_by_channel(*, organization_id: Any, channel_ids: Iterable[Any]) -> dict[Any, list[Any]]:
    standards = (
        ServiceStandard.objects.for_organization(organization_id)
        .filter(moment__cycle__channel_id__in=set(channel_ids), metric__in=INTERACTION_METRICS)
        .select_related("moment__cycle")
        .order_by("moment__position", "name")
    )
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for standard in standards:
        grouped[standard.moment.cycle.channel_id].append(standard)
    return grouped


def _positions(standards: Sequence[ServiceStandard]) -> dict[Any, int]:
    return {s.moment_id: s.moment.position for s in standards}


def _measures_for(
    interaction: Interaction,
    *,
    reached: Mapping[Any, datetime],
    standards: Sequence[ServiceStandard],
    positions: Mapping[Any, int],
    calendars: _Calendars,
) -> list[tuple[ServiceStandard, Any]]:
    return interaction_measure(
        interaction=interaction,
        standards=standards,
        reached=reached,
        positions=positions,
        business_clock=calendars.clock_for(interaction.branch),
    )


def _results_for(
    interaction: Interaction,
    *,
    reached: Mapping[Any, datetime],
    standards: Sequence[ServiceStandard],
    calendars: _Calendars,
    positions: Mapping[Any, int] | None = None,
) -> list[StandardResult]:
    return [
        StandardResult(
            organization_id=interaction.organization_id,
            interaction=interaction,
            standard=standard,
            status=measurement.status,
            measured=measurement.measured,
            unit=measurement.unit,
        )
        for standard, measurement in _measures_for(
            interaction,
            reached=reached,
            standards=standards,
            positions=_positions(standards) if positions is None else positions,
            calendars=calendars,
        )
    ]


def interactions_evaluate(*, interactions: Sequence[Interaction]) -> list[StandardResult]:
    """Measure each interaction against its cycle's standards and store the verdicts, replacing earlier ones.

    A fixed number of queries for any number of interactions (plus one calendar per branch that has a
    business-hours standard).
    """
    if not interactions:
        return []
    organization_id = interactions[0].organization_id
    if any(i.organization_id != organization_id for i in interactions):
        raise ValueError("interactions of several organisations cannot be evaluated together")
    ids = [i.pk for i in interactions]
    reached: dict[Any, dict[Any, datetime]] = defaultdict(dict)
    for interaction_id, moment_id, reached_at in MomentReached.objects.filter(
        organization_id=organization_id, interaction_id__in=ids
    ).values_list("interaction_id", "moment_id", "reached_at"):
        reached[interaction_id][moment_id] = reached_at
    standards = _standards_by_channel(
        organization_id=organization_id, channel_ids={i.channel_id for i in interactions}
    )
    calendars = _Calendars()
    results = [
        result
        for interaction in interactions
        for result in _results_for(
            interaction,
            reached=reached[interaction.pk],
            standards=standards.get(interaction.channel_id, []),
            calendars=calendars,
        )
    ]
    with transaction.atomic():
        StandardResult.objects.filter(organization_id=organization_id, interaction_id__in=ids).delete()
        return StandardResult.objects.bulk_create(results)


def interaction_evaluate(*, interaction: Interaction) -> list[StandardResult]:
    """Measure one interaction against its cycle's standards; see ``interactions_evaluate``."""
    return interactions_evaluate(interactions=[interaction])


# --- ingestion -------------------------------------------------------------------------------------


@dataclass
class MomentRef:
    """A moment of the channel's cycle, named by name or by position, and when it was reached."""

    reached_at: datetime
    name: str = ""
    position: int | None = None


@dataclass
class IngestRow:
    """One interaction as another system describes it; ``index`` is its place in the batch (from 0)."""

    index: int
    branch: str
    channel: str
    started_at: datetime
    external_id: str = ""
    team: str = ""
    agent: str = ""
    segment: str = ""
    reason: str = ""
    customer_ref: str = ""
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    contacts: int = 1
    notes: str = ""
    moments: list[MomentRef] = field(default_factory=list)


@dataclass
class RowResult:
    index: int
    status: str  # "created", "unchanged" or "error"
    external_id: str = ""
    id: uuid.UUID | None = None
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass
class IngestReport:
    rows: list[RowResult]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "error"]


def row_error(index: int, *, external_id: str = "", errors: list[dict[str, str]]) -> RowResult:
    return RowResult(index=index, status="error", external_id=external_id, errors=errors)


def _err(field_name: str, code: str, message: str) -> dict[str, str]:
    return {"field": field_name, "code": code, "message": message}


class _Lookups:
    """Everything a batch names, loaded with one query per kind of thing."""

    def __init__(self, organization: Organization, rows: Sequence[IngestRow]) -> None:
        org_id = organization.pk
        self._branch_refs: dict[str, tuple[Branch | None, dict[str, str] | None]] = {}
        self._zones: dict[str, ZoneInfo] = {}
        self.branches_by_id: dict[str, Branch] = {}
        self.branches_by_code: dict[str, list[Branch]] = defaultdict(list)
        for branch in Branch.objects.for_organization(org_id):
            self.branches_by_id[str(branch.pk)] = branch
            if branch.code:
                self.branches_by_code[branch.code.strip().lower()].append(branch)
        self.channels = {c.kind: c for c in Channel.objects.for_organization(org_id)}

        emails = {r.agent.strip().lower() for r in rows if r.agent}
        self.agents: dict[str, User] = {}
        if emails:
            self.agents = {
                u.email.lower(): u
                for u in User.objects.filter(memberships__organization_id=org_id, email__in=emails).distinct()
            }
        self.teams: dict[str, Team] = {}
        if any(r.team for r in rows):
            self.teams = {t.name.lower(): t for t in Team.objects.for_organization(org_id)}
        self.segments: dict[str, Segment] = {}
        if any(r.segment for r in rows):
            self.segments = {s.name.lower(): s for s in Segment.objects.for_organization(org_id)}

        channel_ids = {c.pk for c in self.channels.values()}
        self.moments_by_name: dict[tuple[Any, str], Moment] = {}
        self.moments_by_position: dict[tuple[Any, int], Moment] = {}
        if any(r.moments for r in rows):
            for moment in Moment.objects.for_organization(org_id).select_related("cycle"):
                self.moments_by_name.setdefault(
                    (moment.cycle.channel_id, moment.name.strip().lower()), moment
                )
                self.moments_by_position.setdefault((moment.cycle.channel_id, moment.position), moment)
        self.standards = _standards_by_channel(organization_id=org_id, channel_ids=channel_ids)

        external_ids = {r.external_id for r in rows if r.external_id}
        self.existing: dict[str, Any] = {}
        if external_ids:
            self.existing = dict(
                Interaction.objects.for_organization(org_id)
                .filter(external_id__in=external_ids)
                .values_list("external_id", "pk")
            )

    def branch(self, ref: str) -> tuple[Branch | None, dict[str, str] | None]:
        """The branch a row names by id or code (read once per distinct reference in the batch)."""
        try:
            return self._branch_refs[ref]
        except KeyError:
            found = self._branch_refs[ref] = self._find_branch(ref.strip())
            return found

    def _find_branch(self, ref: str) -> tuple[Branch | None, dict[str, str] | None]:
        try:
            found = self.branches_by_id.get(str(uuid.UUID(ref)))
        except ValueError:
            found = None
        if found:
            return found, None
        candidates = self.branches_by_code.get(ref.lower(), [])
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            return None, _err(
                "branch",
                "ambiguous_branch",
                _("Several branches have the code “%(ref)s”; send the branch id instead.") % {"ref": ref},
            )
        return None, _err(
            "branch", "unknown_branch", _("No branch has the id or code “%(ref)s”.") % {"ref": ref}
        )

    def time_zone(self, branch: Branch | None) -> ZoneInfo:
        key = branch.time_zone if branch else "UTC"
        try:
            return self._zones[key]
        except KeyError:
            zone = self._zones[key] = ZoneInfo(key)
            return zone


_TEXT_LIMITS: dict[str, int] = {
    name: cast(Any, Interaction._meta.get_field(name)).max_length
    for name in ("external_id", "reason", "customer_ref")
}
_OUTCOMES = frozenset(Outcome.values)


def _localise(value: datetime, tz: ZoneInfo) -> datetime:
    """A time without an offset is read in the branch's time zone, as a helpdesk export usually means it."""
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _aware(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if value is None else _localise(value, tz)


# The interaction's concrete fields in table order: ingestion fills most of them, and any other one (a
# figure derived later, a field added since) starts at its default.
_INTERACTION_FIELDS = tuple(Interaction._meta.concrete_fields)
_positional_interaction: Callable[..., Interaction] = Interaction
_RELATIONS = tuple(
    cast(Any, Interaction._meta.get_field(name)) for name in ("branch", "channel", "team", "agent", "segment")
)


def _new_interaction(values: dict[str, Any], related: Sequence[Any]) -> Interaction:
    """An unsaved interaction from its values by attribute name; a field not given gets its default.

    Built positionally, as Django builds the rows it reads (several times cheaper than by keyword), with
    the branch, channel, team, agent and segment already at hand cached on it, so that the evaluation and
    the receivers of ``interactions_closed`` read them without a query.
    """
    interaction = _positional_interaction(
        *[values[f.attname] if f.attname in values else f.get_default() for f in _INTERACTION_FIELDS]
    )
    for relation, obj in zip(_RELATIONS, related, strict=True):
        if obj is not None:
            relation.set_cached_value(interaction, obj)
    return interaction


def _before_start_message(name: str) -> str:
    if name == "first_response_at":
        return _("The first response comes before the start.")
    if name == "resolved_at":
        return _("The resolution comes before the start.")
    return _("The interaction is closed before it started.")


def _build(
    row: IngestRow, *, organization: Organization, lookups: _Lookups, now: datetime | None = None
) -> tuple[Interaction | None, list[tuple[Moment, datetime]], list[dict[str, str]]]:
    errors: list[dict[str, str]] = []
    for name, limit in _TEXT_LIMITS.items():
        if len(getattr(row, name) or "") > limit:
            errors.append(_err(name, "too_long", _("At most %(limit)d characters.") % {"limit": limit}))
    branch, branch_error = lookups.branch(row.branch or "")
    if branch_error:
        errors.append(branch_error)
    channel = lookups.channels.get((row.channel or "").strip().lower())
    if channel is None:
        errors.append(
            _err(
                "channel",
                "unknown_channel",
                _("No channel of kind “%(ref)s”; use one of: %(kinds)s.")
                % {"ref": row.channel, "kinds": ", ".join(sorted(lookups.channels))},
            )
        )
    agent = None
    if row.agent:
        agent = lookups.agents.get(row.agent.strip().lower())
        if agent is None:
            errors.append(
                _err(
                    "agent",
                    "unknown_agent",
                    _("No member of the organisation has the e-mail “%(ref)s”.") % {"ref": row.agent},
                )
            )
    team = None
    if row.team:
        team = lookups.teams.get(row.team.strip().lower())
        if team is None:
            errors.append(_err("team", "unknown_team", _("No team is named “%(ref)s”.") % {"ref": row.team}))
    segment = None
    if row.segment:
        segment = lookups.segments.get(row.segment.strip().lower())
        if segment is None:
            errors.append(
                _err(
                    "segment",
                    "unknown_segment",
                    _("No customer segment is named “%(ref)s”.") % {"ref": row.segment},
                )
            )
    if row.outcome and row.outcome not in _OUTCOMES:
        errors.append(
            _err(
                "outcome",
                "invalid",
                _("Unknown outcome; use one of: %(values)s.") % {"values": ", ".join(Outcome.values)},
            )
        )
    if row.contacts < 1:
        errors.append(_err("contacts", "invalid", _("An interaction needs at least one contact.")))

    tz = lookups.time_zone(branch)
    started = _localise(row.started_at, tz)
    first_response_at = _aware(row.first_response_at, tz)
    resolved_at = _aware(row.resolved_at, tz)
    closed_at = _aware(row.closed_at, tz)
    for name, value in (
        ("first_response_at", first_response_at),
        ("resolved_at", resolved_at),
        ("closed_at", closed_at),
    ):
        if value is not None and value < started:
            errors.append(_err(name, "before_start", _before_start_message(name)))

    moments: list[tuple[Moment, datetime]] = []
    seen: set[Any] = set()
    for i, ref in enumerate(row.moments):
        where = f"moments.{i}"
        moment = None
        if channel is not None:
            if ref.name:
                moment = lookups.moments_by_name.get((channel.pk, ref.name.strip().lower()))
            elif ref.position is not None:
                moment = lookups.moments_by_position.get((channel.pk, ref.position))
        if not ref.name and ref.position is None:
            errors.append(_err(where, "invalid", _("Name the moment by its name or its position.")))
            continue
        if moment is None:
            if channel is not None:
                errors.append(
                    _err(
                        where,
                        "unknown_moment",
                        _("The %(channel)s service cycle has no moment “%(ref)s”.")
                        % {"channel": channel.get_kind_display(), "ref": ref.name or ref.position},
                    )
                )
            continue
        if moment.pk in seen:
            errors.append(_err(where, "duplicate_moment", _("This moment is listed twice.")))
            continue
        seen.add(moment.pk)
        reached_at = _localise(ref.reached_at, tz)
        if reached_at < started:
            errors.append(_err(where, "before_start", _("The moment is reached before the start.")))
            continue
        moments.append((moment, reached_at))

    if errors or branch is None or channel is None:
        return None, [], errors
    now = now or timezone.now()
    values = {
        "id": uuid7(),
        "created_at": now,
        "updated_at": now,
        "organization_id": organization.pk,
        "branch_id": branch.pk,
        "channel_id": channel.pk,
        "team_id": team.pk if team else None,
        "agent_id": agent.pk if agent else None,
        "segment_id": segment.pk if segment else None,
        "reason": row.reason.strip(),
        "customer_ref": row.customer_ref.strip(),
        "external_id": row.external_id,
        "started_at": started,
        "first_response_at": first_response_at,
        "resolved_at": resolved_at,
        "closed_at": closed_at,
        "outcome": row.outcome or None,
        "contacts": row.contacts,
        "notes": row.notes,
    }
    return _new_interaction(values, (branch, channel, team, agent, segment)), moments, []


_TEXT_FIELDS = (
    "external_id",
    "branch",
    "channel",
    "team",
    "agent",
    "segment",
    "reason",
    "customer_ref",
    "notes",
)


def _nul_errors(row: IngestRow) -> list[dict[str, str]]:
    """Errors for text with a NUL character, which PostgreSQL cannot store nor look up (checked first)."""
    texts = [getattr(row, name) or "" for name in _TEXT_FIELDS]
    names = [ref.name for ref in row.moments]
    if "\x00" not in "".join(texts) and "\x00" not in "".join(names):
        return []
    message = _("This text contains a NUL character, which cannot be stored.")
    errors = [
        _err(name, "invalid", message)
        for name, text in zip(_TEXT_FIELDS, texts, strict=True)
        if "\x00" in text
    ]
    errors.extend(_err(f"moments.{i}", "invalid", message) for i, name in enumerate(names) if "\x00" in name)
    return errors


def _ingest_once(
    *,
    organization: Organization,
    rows: Sequence[IngestRow],
    rejected: Sequence[RowResult],
    all_or_nothing: bool,
) -> IngestReport:
    results: list[RowResult] = list(rejected)
    readable: list[IngestRow] = []
    for row in rows:
        nul_errors = _nul_errors(row)
        if nul_errors:
            results.append(row_error(row.index, external_id=row.external_id or "", errors=nul_errors))
        else:
            readable.append(row)
    lookups = _Lookups(organization, readable)
    now = timezone.now()
    new: list[tuple[Interaction, list[tuple[Moment, datetime]]]] = []
    in_batch: dict[str, int] = {}
    for row in sorted(readable, key=lambda r: r.index):
        external_id = (row.external_id or "").strip()
        row.external_id = external_id
        if external_id:
            if external_id in in_batch:
                results.append(
                    row_error(
                        row.index,
                        external_id=external_id,
                        errors=[
                            _err(
                                "external_id",
                                "duplicate_in_batch",
                                _("Row %(first)d of this batch already has this external id.")
                                % {"first": in_batch[external_id]},
                            )
                        ],
                    )
                )
                continue
            in_batch[external_id] = row.index
            if external_id in lookups.existing:
                results.append(
                    RowResult(
                        index=row.index,
                        status="unchanged",
                        external_id=external_id,
                        id=lookups.existing[external_id],
                    )
                )
                continue
        interaction, moments, errors = _build(row, organization=organization, lookups=lookups, now=now)
        if interaction is None:
            results.append(row_error(row.index, external_id=external_id, errors=errors))
            continue
        new.append((interaction, moments))
        results.append(
            RowResult(index=row.index, status="created", external_id=external_id, id=interaction.pk)
        )
    results.sort(key=lambda r: r.index)
    report = IngestReport(rows=results)
    if all_or_nothing and report.errors:
        raise RowsRejected(
            _("%(count)d of %(total)d rows have errors; nothing was stored.")
            % {"count": len(report.errors), "total": len(results)},
            details=[
                {"index": r.index, "external_id": r.external_id, "errors": r.errors} for r in report.errors
            ],
        )
    if not new:
        return report

    interactions = [i for i, _m in new]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _store_with_copy(new, organization_id=organization.pk, standards=lookups.standards)
        else:
            _store_with_orm(new, organization_id=organization.pk, standards=lookups.standards)
        hooks.send_interactions_closed([i for i in interactions if i.closed_at is not None])
    return report


def _store_with_orm(
    new: Sequence[tuple[Interaction, list[tuple[Moment, datetime]]]],
    *,
    organization_id: Any,
    standards: Mapping[Any, list[ServiceStandard]],
) -> None:
    calendars = _Calendars()
    positions = {channel_id: _positions(s) for channel_id, s in standards.items()}
    reached_rows: list[MomentReached] = []
    standard_results: list[StandardResult] = []
    for interaction, moments in new:
        reached_rows.extend(
            MomentReached(
                organization_id=organization_id, interaction=interaction, moment=moment, reached_at=reached_at
            )
            for moment, reached_at in moments
        )
        standard_results.extend(
            _results_for(
                interaction,
                reached={m.pk: t for m, t in moments},
                standards=standards.get(interaction.channel_id, []),
                positions=positions.get(interaction.channel_id, {}),
                calendars=calendars,
            )
        )
    Interaction.objects.bulk_create([i for i, _m in new])
    MomentReached.objects.bulk_create(reached_rows)
    StandardResult.objects.bulk_create(standard_results)


def _fields(model: type[Any], attnames: Sequence[str]) -> tuple[Any, ...]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return tuple(by_attname[a] for a in attnames)


_copy_types_cache: dict[tuple[Any, ...], list[str] | None] = {}


def _copy_types(cursor: Any, fields: Sequence[Any]) -> list[str] | None:
    """Each column's PostgreSQL type for a binary COPY, or None when one is not a type psycopg knows.

    Binary rows cost PostgreSQL less to read than text (no parsing of times and UUIDs).
    """
    key = tuple(fields)
    if key not in _copy_types_cache:
        names: list[str] | None = []
        for f in fields:
            # "varchar(200)" and "numeric(14, 2)" are sent as varchar and numeric; the column casts them.
            name = (f.db_type(connection) or "").split("(", 1)[0].strip()
            if not name or cursor.adapters.types.get(name) is None:
                names = None
                break
            cast(list[str], names).append(name)
        _copy_types_cache[key] = names
    return _copy_types_cache[key]


def _copy_rows(cursor: Any, model: type[Any], fields: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``rows`` (values in ``fields`` order) into ``model``'s table with one COPY."""
    quote = connection.ops.quote_name
    types = _copy_types(cursor, fields)
    sql = "COPY {} ({}) FROM STDIN{}".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        " (FORMAT BINARY)" if types else "",
    )
    with cursor.copy(sql) as copy:
        if types:
            copy.set_types(types)
        for row in rows:
            copy.write_row(row)


# The values of these fields go to COPY as they are (psycopg adapts UUIDs, aware datetimes, text and
# integers); any other field's value is prepared for the database the way the ORM would.
_COPY_AS_IS = (
    models.UUIDField,
    models.DateTimeField,
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.ForeignKey,
)
_COPY_PREPARE = tuple((i, f) for i, f in enumerate(_INTERACTION_FIELDS) if not isinstance(f, _COPY_AS_IS))
_interaction_values = attrgetter(*(f.attname for f in _INTERACTION_FIELDS))
_REACHED_FIELDS = _fields(
    MomentReached,
    ("id", "created_at", "updated_at", "organization_id", "interaction_id", "moment_id", "reached_at"),
)
_RESULT_FIELDS = _fields(
    StandardResult,
    (
        "id",
        "created_at",
        "updated_at",
        "organization_id",
        "interaction_id",
        "standard_id",
        "status",
        "measured",
        "unit",
    ),
)


def _store_with_copy(
    new: Sequence[tuple[Interaction, list[tuple[Moment, datetime]]]],
    *,
    organization_id: Any,
    standards: Mapping[Any, list[ServiceStandard]],
) -> None:
    """PostgreSQL: the same rows as ``_store_with_orm``, written with COPY (no INSERT to build and parse)."""
    now = timezone.now()
    calendars = _Calendars()
    positions = {channel_id: _positions(s) for channel_id, s in standards.items()}
    interaction_rows: list[Sequence[Any]] = []
    reached_rows: list[tuple[Any, ...]] = []
    result_rows: list[tuple[Any, ...]] = []
    for interaction, moments in new:
        interaction.created_at = interaction.updated_at = now
        values: Sequence[Any] = _interaction_values(interaction)
        if _COPY_PREPARE:
            prepared = list(values)
            for i, f in _COPY_PREPARE:
                prepared[i] = f.get_db_prep_save(prepared[i], connection)
            values = prepared
        interaction_rows.append(values)
        interaction_id = interaction.pk
        reached: dict[Any, datetime] = {}
        for moment, reached_at in moments:
            reached[moment.pk] = reached_at
            reached_rows.append((uuid7(), now, now, organization_id, interaction_id, moment.pk, reached_at))
        for standard, measurement in _measures_for(
            interaction,
            reached=reached,
            standards=standards.get(interaction.channel_id, []),
            positions=positions.get(interaction.channel_id, {}),
            calendars=calendars,
        ):
            result_rows.append(
                (
                    uuid7(),
                    now,
                    now,
                    organization_id,
                    interaction_id,
                    standard.pk,
                    str(measurement.status),
                    measurement.measured,
                    str(measurement.unit),
                )
            )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        _copy_rows(raw, Interaction, _INTERACTION_FIELDS, interaction_rows)
        if reached_rows:
            _copy_rows(raw, MomentReached, _REACHED_FIELDS, reached_rows)
        if result_rows:
            _copy_rows(raw, StandardResult, _RESULT_FIELDS, result_rows)
    for interaction, _moments in new:
        interaction._state.adding = False
        interaction._state.db = connection.alias


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a batch is read, built and written.

    A batch allocates tens of thousands of objects that live until it is stored; the collector would
    scan them again and again and promote them, which then triggers full collections of the whole
    process (a third of a batch's CPU time in a server). The batch makes no reference cycles to wait
    for: its objects are freed as usual when it is done, and the collector resumes. A no-op when the
    collector is already off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def interactions_ingest(
    *,
    organization: Organization,
    rows: Sequence[IngestRow],
    rejected: Sequence[RowResult] = (),
    all_or_nothing: bool = False,
) -> IngestReport:
    """Store the valid rows (all of them or none with ``all_or_nothing``) and report on every row.

    ``rejected`` are rows the caller could not even read (an unparsable date, a missing field); they
    count as errors, so that an all-or-nothing batch with one of them stores nothing.
    A batch with more than ``MAX_BULK_ROWS`` rows is refused whole.
    """
    total = len(rows) + len(rejected)
    if total > MAX_BULK_ROWS:
        raise TooManyRows(
            _("A batch holds at most %(max)d rows; this one has %(count)d. Split it into smaller batches.")
            % {"max": MAX_BULK_ROWS, "count": total}
        )
    with collector_paused():
        try:
            return _ingest_once(
                organization=organization, rows=rows, rejected=rejected, all_or_nothing=all_or_nothing
            )
        except IntegrityError:
            # Another request stored some of these external ids in the meantime: read them again, once.
            return _ingest_once(
                organization=organization, rows=rows, rejected=rejected, all_or_nothing=all_or_nothing
            )

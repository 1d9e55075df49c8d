"""Rollups: the sums of every indicator per local day and dimensions, always equal to the raw rows.

Upkeep works by partition, one branch and one local day: a write marks its partition dirty
(``mark_dirty``, one upsert into ``RollupDirty``); ``refresh`` claims dirty partitions, deletes their
rollup rows and recomputes them from the raw rows with ``INSERT … SELECT … GROUP BY`` (consecutive
days of a branch in one statement), so a partition is always either the exact sums of its raw rows or
marked dirty. ``rebuild`` recomputes a whole organisation the same way in one statement per rollup.

The first response time in business seconds is the one figure SQL cannot compute (it needs the
branch's calendar): ``Interaction.first_response_seconds`` is filled here, where it is still empty,
before a partition is summed.

Readers return the same ``Sums`` as ``momentos.insight.raw``; the engine turns them into values.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from momentos.accounts.models import Branch
from momentos.attention.business_hours import BusinessCalendar, calendar_for_branch
from momentos.attention.models import ChecklistTick, Interaction, MomentReached, StandardResult
from momentos.cycle.models import ChecklistItem, ServiceStandard
from momentos.insight import raw
from momentos.insight.filters import Filters
from momentos.insight.models import (
    ChecklistRollup,
    InteractionRollup,
    RollupDirty,
    StandardRollup,
    SurveyRollup,
)
from momentos.surveys.models import Answer, Question, Response

logger = logging.getLogger(__name__)

ROLLUP_MODELS = (InteractionRollup, SurveyRollup, StandardRollup, ChecklistRollup)
# Partitions a page refreshes before it reads; the rest is left to the refresh task.
READ_REFRESH_LIMIT = 400
# Organisations refreshed once for the block of reads under way (``reads_refreshed_once``).
_REFRESHED: ContextVar[frozenset[Any]] = ContextVar("insight_rollups_refreshed", default=frozenset())
_FILL_BATCH = 2000


def _org_id(organization: Any) -> Any:
    return getattr(organization, "pk", organization)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# Marking ---------------------------------------------------------------------------------------------


def mark_dirty(organization: Any, keys: Iterable[tuple[Any, date]]) -> int:
    """Record that the partitions ``keys`` ((branch id, local day)) must be recomputed.

    An upsert that touches the row even when it exists, so a refresh running at the same time
    waits for this transaction rather than reading the partition without its new rows.
    """
    org_id = _org_id(organization)
    unique = sorted({(branch_id, day) for branch_id, day in keys if branch_id is not None}, key=str)
    if not unique:
        return 0
    now = timezone.now()
    RollupDirty.objects.bulk_create(
        [
            RollupDirty(organization_id=org_id, branch_id=branch_id, day=day, created_at=now, updated_at=now)
            for branch_id, day in unique
        ],
        update_conflicts=True,
        unique_fields=["organization", "branch", "day"],
        update_fields=["updated_at"],
    )
    return len(unique)


def mark_dirty_part(organization: Any, branch_id: Any, day: date, *, source: str) -> tuple[str, list[Any]]:
    """``mark_dirty`` of one partition as a part of someone else's statement: ``INSERT … SELECT … FROM
    {source} ON CONFLICT …``, written only when ``source`` (a part before it) returned a row, and
    committed with it. The same upsert, so it waits for a refresh that holds the mark, as above."""
    from momentos.core.ids import uuid7

    now = timezone.now()
    table = connection.ops.quote_name(RollupDirty._meta.db_table)  # noqa: SLF001
    sql = (
        f"INSERT INTO {table} (id, created_at, updated_at, organization_id, branch_id, day)"  # noqa: S608
        f" SELECT %s::uuid, %s::timestamptz, %s::timestamptz, %s::uuid, %s::uuid, %s::date FROM {source}"
        " ON CONFLICT (organization_id, branch_id, day) DO UPDATE SET updated_at = EXCLUDED.updated_at"
    )
    return sql, [uuid7(), now, now, _org_id(organization), branch_id, day]


def branch_zones(branch_ids: Iterable[Any]) -> dict[Any, str]:
    ids = {b for b in branch_ids if b is not None}
    if not ids:
        return {}
    return dict(Branch.objects.filter(pk__in=ids).values_list("pk", "time_zone"))


# Time zones of branches as the marking receivers see them: read once a minute per process at most
# (a write marks its partition on every save; a branch's zone almost never changes, and a change is
# forgotten here at once by the receiver in the process that made it).
ZONE_CACHE_SECONDS = 60.0
_zone_cache: dict[Any, tuple[float, str]] = {}


def marking_zones(branch_ids: Iterable[Any]) -> dict[Any, str]:
    import time as time_module

    now = time_module.monotonic()
    ids = {b for b in branch_ids if b is not None}
    found = {
        b: hit[1]
        for b in ids
        if (hit := _zone_cache.get(b)) is not None and now - hit[0] < ZONE_CACHE_SECONDS
    }
    missing = ids - set(found)
    if missing:
        fresh = branch_zones(missing)
        unusable = {b for b, zone in fresh.items() if _zone_info(zone) is None}
        if unusable:
            fresh.update(_fallback_zones(unusable))
        _zone_cache.update({b: (now, zone) for b, zone in fresh.items()})
        found.update(fresh)
    return found


def _fallback_zones(branch_ids: set[Any]) -> dict[Any, str]:
    """For branches whose zone is unusable: their organisation's zone, or UTC; a marking never raises."""
    fallback: dict[Any, str] = {}
    for pk, zone, org_zone in Branch.objects.filter(pk__in=branch_ids).values_list(
        "pk", "time_zone", "organization__time_zone"
    ):
        fallback[pk] = org_zone if _zone_info(org_zone) is not None else "UTC"
        logger.warning(
            "Branch %s has an unusable time zone %r; its local days are read in %s.", pk, zone, fallback[pk]
        )
    return fallback


def forget_zone(branch_id: Any) -> None:
    _zone_cache.pop(branch_id, None)


def _zone_info(zone: Any) -> ZoneInfo | None:
    """The ZoneInfo of ``zone``, or None when the name is empty, malformed or unknown."""
    try:
        return ZoneInfo(zone)
    except (ValueError, KeyError, TypeError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


def local_day(instant: datetime, zone: str) -> date:
    tz = _zone_info(zone)
    if tz is None:
        logger.warning("Unusable time zone %r; the local day is read in UTC.", zone)
        return instant.astimezone(UTC).date()
    return instant.astimezone(tz).date()


def interaction_keys(rows: Iterable[tuple[Any, datetime]]) -> set[tuple[Any, date]]:
    """The partitions of interactions given as (branch id, started_at)."""
    pairs = [(b, t) for b, t in rows if b is not None and t is not None]
    zones = marking_zones(b for b, _t in pairs)
    return {(b, local_day(t, zones[b])) for b, t in pairs if b in zones}


def keys_naming(organization: Any, **column: Any) -> set[tuple[Any, date]]:
    """The partitions whose rollup rows name a dimension (e.g. ``team_id=...``), in every rollup that has it."""
    org_id = _org_id(organization)
    ((name, _value),) = column.items()
    keys: set[tuple[Any, date]] = set()
    for model in ROLLUP_MODELS:
        if name not in {f.attname for f in model._meta.concrete_fields}:
            continue
        keys.update(
            model.objects.filter(organization_id=org_id, **column).values_list("branch_id", "day").distinct()
        )
    return keys


def keys_naming_agent(user_id: Any) -> dict[Any, set[tuple[Any, date]]]:
    """Per organisation, the partitions whose rollup rows name the agent ``user_id``."""
    found: dict[Any, set[tuple[Any, date]]] = defaultdict(set)
    for model in ROLLUP_MODELS:
        for org_id, branch_id, day in (
            model.objects.filter(agent_id=user_id)
            .values_list("organization_id", "branch_id", "day")
            .distinct()
        ):
            found[org_id].add((branch_id, day))
    return found


def keys_of_branch(organization: Any, branch_id: Any) -> set[tuple[Any, date]]:
    """Every partition of a branch, in the rollups as they are and in its raw rows' local days now."""
    org_id = _org_id(organization)
    keys: set[tuple[Any, date]] = set()
    for model in ROLLUP_MODELS:
        keys.update(
            model.objects.filter(organization_id=org_id, branch_id=branch_id)
            .values_list("branch_id", "day")
            .distinct()
        )
    zone = branch_zones([branch_id]).get(branch_id)
    if zone is not None:
        from zoneinfo import ZoneInfo

        from django.db.models.functions import TruncDate

        tz = ZoneInfo(zone)
        for qs, column in (
            (Interaction.objects.filter(organization_id=org_id, branch_id=branch_id), "started_at"),
            (Response.objects.filter(organization_id=org_id, branch_id=branch_id), "submitted_at"),
        ):
            days = qs.annotate(_day=TruncDate(column, tzinfo=tz)).values_list("_day", flat=True).distinct()
            keys.update((branch_id, day) for day in days)
    return keys


def forget_branch(organization: Any, branch_id: Any) -> None:
    """A deleted branch: its rollup rows and dirty marks go with it."""
    org_id = _org_id(organization)
    for model in (*ROLLUP_MODELS, RollupDirty):
        model.objects.filter(organization_id=org_id, branch_id=branch_id).delete()


# Refreshing ------------------------------------------------------------------------------------------


def pending(organization: Any) -> int:
    return RollupDirty.objects.for_organization(organization).count()


def _claim(org_id: Any, limit: int | None) -> list[tuple[Any, date]]:
    qs = RollupDirty.objects.filter(organization_id=org_id).order_by("branch_id", "day")
    if _postgres():
        qs = qs.select_for_update(skip_locked=True)
    if limit is not None:
        qs = qs[:limit]
    claimed = list(qs.values_list("pk", "branch_id", "day"))
    if claimed:
        RollupDirty.objects.filter(pk__in=[pk for pk, _b, _d in claimed]).delete()
    return [(branch_id, day) for _pk, branch_id, day in claimed]


def refresh(organization: Any, *, limit: int | None = None) -> int:
    """Recompute the organisation's dirty partitions (at most ``limit``); returns how many were done.

    Each batch is one transaction: a failure leaves its partitions marked for the next attempt.
    """
    org_id = _org_id(organization)
    done = 0
    batch = limit if limit is not None else 2000
    while True:
        with transaction.atomic():
            keys = _claim(org_id, batch)
            if keys:
                recompute(org_id, keys)
        done += len(keys)
        if not keys or limit is not None or len(keys) < batch:
            return done


def refresh_before_read(organization: Any) -> None:
    """Bring the organisation's rollups up to date before a page reads them (bounded)."""
    org_id = _org_id(organization)
    if org_id in _REFRESHED.get():
        return
    if RollupDirty.objects.filter(organization_id=org_id).exists():
        refresh(organization, limit=READ_REFRESH_LIMIT)


@contextmanager
def reads_refreshed_once(organization: Any) -> Iterator[None]:
    """Refresh the organisation's marked partitions once, then read without checking again inside the
    block: a page that reads many figures pays for one check, not one per read."""
    refresh_before_read(organization)
    token = _REFRESHED.set(_REFRESHED.get() | {_org_id(organization)})
    try:
        yield
    finally:
        _REFRESHED.reset(token)


def _runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def recompute(organization: Any, keys: Iterable[tuple[Any, date]]) -> None:
    """Replace the rollup rows of the partitions ``keys`` with sums of their raw rows (in the caller's
    transaction)."""
    org_id = _org_id(organization)
    by_branch: dict[Any, list[date]] = defaultdict(list)
    for branch_id, day in keys:
        by_branch[branch_id].append(day)
    zones = branch_zones(by_branch)
    now = timezone.now()
    for branch_id, days in by_branch.items():
        if branch_id not in zones:
            # The branch is gone (and its raw rows with it): nothing of it may stay in the rollups.
            for model in ROLLUP_MODELS:
                model.objects.filter(organization_id=org_id, branch_id=branch_id).delete()
            continue
        zone = zones[branch_id]
        for first, last in _runs(days):
            lo = raw.local_day_start(first, zone)
            hi = raw.local_day_start(last + timedelta(days=1), zone)
            fill_first_response(org_id, branch_id=branch_id, lo=lo, hi=hi)
            for model in ROLLUP_MODELS:
                model.objects.filter(
                    organization_id=org_id, branch_id=branch_id, day__gte=first, day__lte=last
                ).delete()
            _insert_all(org_id, now=now, branch_id=branch_id, lo=lo, hi=hi)


def rebuild(organization: Any) -> dict[str, int]:
    """Recompute every rollup of the organisation from its raw rows; returns the rows written per rollup."""
    org_id = _org_id(organization)
    started = timezone.now()
    fill_first_response(org_id)
    counts: dict[str, int] = {}
    with transaction.atomic():
        RollupDirty.objects.filter(organization_id=org_id, updated_at__lte=started).delete()
        for model in ROLLUP_MODELS:
            model.objects.filter(organization_id=org_id).delete()
        counts = _insert_all(org_id, now=started)
    return counts


# First response in business seconds -------------------------------------------------------------------


def fill_first_response(
    organization: Any, *, branch_id: Any = None, lo: datetime | None = None, hi: datetime | None = None
) -> int:
    """Fill ``first_response_seconds`` where it is empty, from the timestamps and the branch's calendar."""
    org_id = _org_id(organization)
    qs = Interaction.objects.filter(
        organization_id=org_id, first_response_at__isnull=False, first_response_seconds__isnull=True
    )
    if branch_id is not None:
        qs = qs.filter(branch_id=branch_id)
    if lo is not None and hi is not None:
        qs = qs.filter(started_at__gte=lo, started_at__lt=hi)
    calendars: dict[Any, BusinessCalendar] = {}
    filled = 0
    last = None
    while True:
        # Keyset pages in key order: each page starts where the last one ended, never from the top.
        page = qs.order_by("pk") if last is None else qs.filter(pk__gt=last).order_by("pk")
        rows = list(page.values_list("pk", "branch_id", "started_at", "first_response_at")[:_FILL_BATCH])
        if not rows:
            return filled
        last = rows[-1][0]
        updates = []
        for pk, branch, started_at, first_response_at in rows:
            if branch not in calendars:
                calendars[branch] = calendar_for_branch(Branch.objects.get(pk=branch))
            seconds = raw.business_seconds(calendars[branch], started_at, first_response_at)
            updates.append(Interaction(pk=pk, first_response_seconds=seconds))
        Interaction.objects.bulk_update(updates, ["first_response_seconds"])
        filled += len(updates)


# SQL --------------------------------------------------------------------------------------------------


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _new_id() -> tuple[str, list[Any]]:
    """A key per inserted row. On PostgreSQL keys increase within a statement (a UUIDv7 prefix of this
    statement, then the row's number), so the primary key index is appended to, not written at random."""
    if _postgres():
        from momentos.core.ids import uuid7

        return "(%s || lpad(to_hex(row_number() OVER ()), 12, '0'))::uuid", [uuid7().hex[:20]]
    return "lower(hex(randomblob(16)))", []


def _day(column: str) -> str:
    """The local date of instant ``column`` in the branch ``b``'s time zone."""
    if _postgres():
        return f"(({column}) AT TIME ZONE b.time_zone)::date"
    return f"django_datetime_cast_date({column}, b.time_zone, 'UTC')"


def _microseconds(end: str, start: str) -> str:
    if _postgres():
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) * 1000000)::bigint"
    return f"django_timestamp_diff({end}, {start})"


def _db(value: Any) -> Any:
    """A UUID or an aware datetime as the database driver wants it in a raw query."""
    import uuid

    if isinstance(value, uuid.UUID):
        return value if _postgres() else value.hex
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _columns(model: Any, names: Iterable[str]) -> str:
    fields = {f.name: f.column for f in model._meta.concrete_fields}
    return ", ".join(connection.ops.quote_name(fields.get(n, n)) for n in names)


_DIMENSIONS = ("organization", "day", "branch", "channel", "team", "agent", "segment", "moment")


def _partition(
    alias: str, time_column: str, branch_id: Any, lo: datetime | None, hi: datetime | None
) -> tuple[str, list[Any]]:
    if branch_id is None:
        return "", []
    return (
        f" AND {alias}.branch_id = %s AND {alias}.{time_column} >= %s AND {alias}.{time_column} < %s",
        [_db(branch_id), _db(lo), _db(hi)],
    )


def _run(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _insert_all(
    org_id: Any,
    *,
    now: datetime,
    branch_id: Any = None,
    lo: datetime | None = None,
    hi: datetime | None = None,
) -> dict[str, int]:
    return {
        "interaction": _insert_interactions(org_id, now, branch_id, lo, hi),
        "survey": _insert_surveys(org_id, now, branch_id, lo, hi),
        "standard": _insert_standards(org_id, now, branch_id, lo, hi),
        "checklist": _insert_checklists(org_id, now, branch_id, lo, hi),
    }


def _insert_interactions(org_id: Any, now: datetime, branch_id: Any, lo: Any, hi: Any) -> int:
    where, where_params = _partition("i", "started_at", branch_id, lo, hi)
    day = _day("i.started_at")
    columns = _columns(
        InteractionRollup,
        (
            "id",
            "created_at",
            "updated_at",
            *_DIMENSIONS,
            "closed",
            "resolved",
            "fcr",
            "attention_us",
            "frt_n",
            "frt_sum",
        ),
    )
    written = 0
    for moment, join in (
        ("NULL", ""),
        ("mr.moment_id", f"JOIN {_table(MomentReached)} mr ON mr.interaction_id = i.id"),
    ):
        group_moment = ", mr.moment_id" if join else ""
        new_id, id_params = _new_id()
        sql = f"""
            INSERT INTO {_table(InteractionRollup)} ({columns})
            SELECT {new_id}, %s, %s, i.organization_id, {day}, i.branch_id, i.channel_id, i.team_id,
                   i.agent_id, i.segment_id, {moment},
                   COUNT(*),
                   SUM(CASE WHEN i.outcome = 'resolved' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN i.outcome = 'resolved' AND i.contacts = 1 THEN 1 ELSE 0 END),
                   SUM({_microseconds("i.closed_at", "i.started_at")}),
                   COUNT(CASE WHEN i.first_response_at IS NOT NULL THEN i.first_response_seconds END),
                   COALESCE(SUM(CASE WHEN i.first_response_at IS NOT NULL THEN i.first_response_seconds END), 0)
            FROM {_table(Interaction)} i
            JOIN {_table(Branch)} b ON b.id = i.branch_id
            {join}
            WHERE i.organization_id = %s AND i.closed_at IS NOT NULL{where}
            GROUP BY i.organization_id, {day}, i.branch_id, i.channel_id, i.team_id, i.agent_id,
                     i.segment_id{group_moment}
        """  # noqa: S608 - names and constants of this module only; values are parameters
        written += _run(sql, [*id_params, _db(now), _db(now), _db(org_id), *where_params])
    return written


def _score_case(thresholds: Mapping[Any, int], operator: str) -> str:
    return " OR ".join(
        f"(a.kind = '{kind}' AND a.value {operator} {int(v)})" for kind, v in thresholds.items()
    )


def _insert_surveys(org_id: Any, now: datetime, branch_id: Any, lo: Any, hi: Any) -> int:
    where, where_params = _partition("r", "submitted_at", branch_id, lo, hi)
    day = _day("r.submitted_at")
    kinds = ", ".join(f"'{kind}'" for kind in raw.SURVEY_KINDS)
    moment = "COALESCE(q.moment_id, r.moment_id)"
    columns = _columns(
        SurveyRollup, ("id", "created_at", "updated_at", *_DIMENSIONS, "kind", "n", "total", "top", "low")
    )
    new_id, id_params = _new_id()
    sql = f"""
        INSERT INTO {_table(SurveyRollup)} ({columns})
        SELECT {new_id}, %s, %s, r.organization_id, {day}, r.branch_id, r.channel_id, r.team_id,
               i.agent_id, i.segment_id, {moment}, a.kind,
               COUNT(*), SUM(a.value),
               SUM(CASE WHEN {_score_case(raw.TOP_FROM, ">=")} THEN 1 ELSE 0 END),
               SUM(CASE WHEN {_score_case(raw.LOW_UPTO, "<=")} THEN 1 ELSE 0 END)
        FROM {_table(Answer)} a
        JOIN {_table(Response)} r ON r.id = a.response_id
        JOIN {_table(Question)} q ON q.id = a.question_id
        JOIN {_table(Branch)} b ON b.id = r.branch_id
        LEFT JOIN {_table(Interaction)} i ON i.id = r.interaction_id
        WHERE a.organization_id = %s AND r.flagged_staff = %s AND a.value IS NOT NULL
              AND a.kind IN ({kinds}){where}
        GROUP BY r.organization_id, {day}, r.branch_id, r.channel_id, r.team_id, i.agent_id, i.segment_id,
                 {moment}, a.kind
    """  # noqa: S608 - names and constants of this module only; values are parameters
    return _run(sql, [*id_params, _db(now), _db(now), _db(org_id), False, *where_params])


def _insert_standards(org_id: Any, now: datetime, branch_id: Any, lo: Any, hi: Any) -> int:
    where, where_params = _partition("i", "started_at", branch_id, lo, hi)
    day = _day("i.started_at")
    columns = _columns(
        StandardRollup, ("id", "created_at", "updated_at", *_DIMENSIONS, "standard", "met", "missed")
    )
    new_id, id_params = _new_id()
    sql = f"""
        INSERT INTO {_table(StandardRollup)} ({columns})
        SELECT {new_id}, %s, %s, i.organization_id, {day}, i.branch_id, i.channel_id, i.team_id,
               i.agent_id, i.segment_id, st.moment_id, sr.standard_id,
               SUM(CASE WHEN sr.status = 'met' THEN 1 ELSE 0 END),
               SUM(CASE WHEN sr.status = 'missed' THEN 1 ELSE 0 END)
        FROM {_table(StandardResult)} sr
        JOIN {_table(Interaction)} i ON i.id = sr.interaction_id
        JOIN {_table(Branch)} b ON b.id = i.branch_id
        JOIN {_table(ServiceStandard)} st ON st.id = sr.standard_id
        WHERE sr.organization_id = %s AND i.closed_at IS NOT NULL AND sr.status IN ('met', 'missed'){where}
        GROUP BY i.organization_id, {day}, i.branch_id, i.channel_id, i.team_id, i.agent_id, i.segment_id,
                 st.moment_id, sr.standard_id
    """  # noqa: S608 - names and constants of this module only; values are parameters
    return _run(sql, [*id_params, _db(now), _db(now), _db(org_id), *where_params])


def _insert_checklists(org_id: Any, now: datetime, branch_id: Any, lo: Any, hi: Any) -> int:
    where, where_params = _partition("i", "started_at", branch_id, lo, hi)
    day = _day("i.started_at")
    dims = "organization_id, day, branch_id, channel_id, team_id, agent_id, segment_id, moment_id"
    columns = _columns(
        ChecklistRollup,
        (
            "id",
            "created_at",
            "updated_at",
            *_DIMENSIONS,
            "yes_weight",
            "weight",
            "applications",
            "critical_failures",
        ),
    )
    # One inner row per application (interaction × moment); a critical "no" scores it 0.
    new_id, id_params = _new_id()
    sql = f"""
        INSERT INTO {_table(ChecklistRollup)} ({columns})
        SELECT {new_id}, %s, %s, {dims},
               SUM(CASE WHEN critical = 1 THEN 0 ELSE yes_weight END), SUM(weight), COUNT(*), SUM(critical)
        FROM (
            SELECT i.organization_id AS organization_id, {day} AS day, i.branch_id AS branch_id,
                   i.channel_id AS channel_id, i.team_id AS team_id, i.agent_id AS agent_id,
                   i.segment_id AS segment_id, it.moment_id AS moment_id,
                   SUM(CASE WHEN t.answer = 'yes' THEN it.weight ELSE 0 END) AS yes_weight,
                   SUM(it.weight) AS weight,
                   MAX(CASE WHEN t.answer = 'no' AND it.critical THEN 1 ELSE 0 END) AS critical
            FROM {_table(ChecklistTick)} t
            JOIN {_table(Interaction)} i ON i.id = t.interaction_id
            JOIN {_table(Branch)} b ON b.id = i.branch_id
            JOIN {_table(ChecklistItem)} it ON it.id = t.item_id
            WHERE t.organization_id = %s AND i.closed_at IS NOT NULL AND t.answer IN ('yes', 'no'){where}
            GROUP BY i.organization_id, {day}, i.branch_id, i.channel_id, i.team_id, i.agent_id,
                     i.segment_id, it.moment_id, t.interaction_id
        ) application
        GROUP BY {dims}
    """  # noqa: S608 - names and constants of this module only; values are parameters
    return _run(sql, [*id_params, _db(now), _db(now), _db(org_id), *where_params])


# Reading ----------------------------------------------------------------------------------------------

_COLUMN = {
    "branch": "branch_id",
    "channel": "channel_id",
    "team": "team_id",
    "agent": "agent_id",
    "segment": "segment_id",
    "moment": "moment_id",
    "standard": "standard_id",
    "day": "day",
}


def _base(model: Any, organization: Any, filters: Filters) -> QuerySet[Any]:
    qs = model.objects.filter(
        organization_id=_org_id(organization), day__gte=filters.start, day__lte=filters.end
    )
    for name, column in (
        ("branch_ids", "branch_id"),
        ("channel_ids", "channel_id"),
        ("team_ids", "team_id"),
        ("agent_ids", "agent_id"),
        ("segment_ids", "segment_id"),
    ):
        ids = getattr(filters, name)
        if ids:
            qs = qs.filter(**{f"{column}__in": ids})
    return qs


def _grouped(
    qs: QuerySet[Any], group: str | None, counters: dict[str, str], empty: tuple[str, ...]
) -> raw.Grouped:
    aggregates = {name: Sum(column) for name, column in counters.items()}
    result: raw.Grouped = {}
    if group is None:
        row = qs.aggregate(**aggregates)
        result[None] = raw.add_into(raw.empty(empty), row)
        return result
    if group not in _COLUMN:
        raise ValueError(f"unknown group {group!r}")
    for row in qs.annotate(_key=F(_COLUMN[group])).values("_key").annotate(**aggregates).order_by():
        raw.add_into(result.setdefault(row.pop("_key"), raw.empty(empty)), row)
    return result


def interaction_sums(organization: Any, filters: Filters, *, group: str | None = None) -> raw.Grouped:
    if group == "standard":
        raise ValueError("interaction indicators have no breakdown by standard")
    if len(filters.moment_ids) > 1 and group != "moment":
        # An interaction that reached two of the moments is one interaction: only the raw rows know.
        return raw.interaction_sums(organization, filters, group=group)
    refresh_before_read(organization)
    qs = _base(InteractionRollup, organization, filters)
    if group == "moment":
        qs = qs.filter(moment_id__isnull=False)
        if filters.moment_ids:
            qs = qs.filter(moment_id__in=filters.moment_ids)
    elif filters.moment_ids:
        qs = qs.filter(moment_id=filters.moment_ids[0])
    else:
        qs = qs.filter(moment_id__isnull=True)
    counters = {name: name for name in raw.INTERACTION_COUNTERS}
    return _grouped(qs, group, counters, raw.INTERACTION_COUNTERS)


def survey_sums(organization: Any, filters: Filters, *, group: str | None = None) -> raw.Grouped:
    if group == "standard":
        raise ValueError("survey indicators have no breakdown by standard")
    refresh_before_read(organization)
    qs = _base(SurveyRollup, organization, filters)
    if filters.moment_ids:
        qs = qs.filter(moment_id__in=filters.moment_ids)
    result: raw.Grouped = {}
    if group is not None:
        if group not in _COLUMN:
            raise ValueError(f"unknown group {group!r}")
        keyed = qs.annotate(_key=F(_COLUMN[group])).values("_key", "kind")
    else:
        keyed = qs.values("kind")
    rows = keyed.annotate(n_=Sum("n"), total_=Sum("total"), top_=Sum("top"), low_=Sum("low")).order_by()
    for row in rows:
        sums = result.setdefault(row["_key"] if group is not None else None, raw.empty(raw.SURVEY_COUNTERS))
        kind = row["kind"]
        for counter in ("n", "total", "top", "low"):
            name = f"{kind}_{'sum' if counter == 'total' else counter}"
            sums[name] = sums.get(name, 0) + int(row[f"{counter}_"] or 0)
    if group is None:
        result.setdefault(None, raw.empty(raw.SURVEY_COUNTERS))
    return result


def standard_sums(organization: Any, filters: Filters, *, group: str | None = None) -> raw.Grouped:
    refresh_before_read(organization)
    qs = _base(StandardRollup, organization, filters)
    if filters.moment_ids:
        qs = qs.filter(moment_id__in=filters.moment_ids)
    return _grouped(qs, group, {"met": "met", "missed": "missed"}, raw.STANDARD_COUNTERS)


def checklist_sums(organization: Any, filters: Filters, *, group: str | None = None) -> raw.Grouped:
    if group == "standard":
        raise ValueError("checklist compliance has no breakdown by standard")
    refresh_before_read(organization)
    qs = _base(ChecklistRollup, organization, filters)
    if filters.moment_ids:
        qs = qs.filter(moment_id__in=filters.moment_ids)
    counters = {name: name for name in raw.CHECKLIST_COUNTERS}
    return _grouped(qs, group, counters, raw.CHECKLIST_COUNTERS)


def reader(family: str) -> Callable[..., raw.Grouped]:
    """The function that reads ``family``'s sums from the rollups."""
    return {
        "interaction": interaction_sums,
        "survey": survey_sums,
        "standard": standard_sums,
        "checklist": checklist_sums,
    }[family]


# Command line and demo ------------------------------------------------------------------------------------


def rebuild_command(*, organization: str | None = None) -> int:
    """``momentos rollups rebuild [--organization SLUG]``: rebuild and say how long each organisation took."""
    import sys
    import time as time_module

    from momentos.accounts.models import Organization

    organizations = Organization.objects.order_by("slug")
    if organization:
        organizations = organizations.filter(slug=organization)
        if not organizations.exists():
            print(f"momentos: no organisation with the short name {organization!r}", file=sys.stderr)
            return 2
    for org in organizations:
        began = time_module.monotonic()
        counts = rebuild(org)
        elapsed = time_module.monotonic() - began
        detail = ", ".join(f"{name} {count:,}" for name, count in counts.items())
        print(f"{org.slug}: rollup rows written in {elapsed:.1f} s ({detail})")
    return 0


def demo_step(context: dict[str, Any]) -> None:
    """After the demo data: rebuild the rollups if nobody did, else refresh what is still marked."""
    organization = context["organization"]
    if not any(model.objects.filter(organization_id=organization.pk).exists() for model in ROLLUP_MODELS):
        rebuild(organization)
    else:
        refresh(organization)

"""Backups that move between SQLite and PostgreSQL: every row of every model, read in one snapshot.

The file is gzip'd JSON Lines: a header line (format, the applied migrations), one line per row in
Django's serialisation (parents before children), and an end line with the number of rows, so a
truncated file is recognised as such. Both directions stream, so memory stays bounded whatever the
size of the database: the backup reads each table in chunks inside one read-only snapshot; the
restore reads the file twice, first to check it whole (nothing is touched when it is damaged), then to
load it in one transaction.

Rows that `migrate` recreates with database-specific ids (content types, permissions) are not copied;
references to them are written as natural keys. Sessions, log-in attempts and the task queue are not
part of a backup. For a very large PostgreSQL installation, `pg_dump` is faster; this format is the
one that moves between databases and versions of momentos.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack
from itertools import islice
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

FORMAT = "momentos-backup/2"
SKIP_APPS = {"sessions", "contenttypes", "admin", "axes", "django_tasks_database"}
SKIP_MODELS = {"auth.permission"}
# Rows migrate creates itself: referenced by natural key, never copied.
NATURAL_KEY_MODELS = {"contenttypes.contenttype", "auth.permission"}
CHUNK = 1000


class BackupError(Exception):
    """The backup file is unreadable, of another format, or does not fit this database."""


def _included(model: type[Model]) -> bool:
    meta = model._meta
    return (
        meta.managed
        and not meta.proxy
        and meta.app_label not in SKIP_APPS
        and meta.label_lower not in SKIP_MODELS
    )


def _models(*, auto_created: bool = False) -> list[type[Model]]:
    """The backed-up models, each after the models its foreign keys point to (cycles broken by name)."""
    models = [m for m in apps.get_models(include_auto_created=auto_created) if _included(m)]
    models.sort(key=lambda m: m._meta.label_lower)
    remaining = set(models)
    ordered: list[type[Model]] = []
    while remaining:
        ready = [
            m
            for m in models
            if m in remaining
            and not any(
                f.related_model in remaining and f.related_model is not m
                for f in m._meta.concrete_fields
                if f.is_relation
            )
        ]
        # A cycle of foreign keys: constraints are checked at commit, so any order inside it loads.
        step = ready or [next(m for m in models if m in remaining)]
        ordered.extend(step)
        remaining.difference_update(step)
    return ordered


class _Serializer(PythonSerializer):
    """Django's serialiser, with natural keys for references to the rows `migrate` recreates."""

    def _natural_for(self, field: Any) -> None:
        self.use_natural_foreign_keys = field.related_model._meta.label_lower in NATURAL_KEY_MODELS

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        self._natural_for(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        self._natural_for(field)
        super().handle_m2m_field(obj, field)


class _Encoder(DjangoJSONEncoder):
    """Keeps microseconds, which DjangoJSONEncoder rounds to milliseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _through(field: Any) -> Any:
    """The model of an M2M field's rows (typed loosely: the stubs call it optional)."""
    return field.remote_field.through


def _rows(model: type[Model]) -> Iterator[dict[str, Any]]:
    m2m = [f.name for f in model._meta.many_to_many if _through(f)._meta.auto_created]
    queryset = model._base_manager.order_by("pk").prefetch_related(*m2m)
    iterator = queryset.iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        yield from _Serializer().serialize(chunk)


def backup_write(path: Path) -> int:
    """Write the whole database to ``path`` (replaced only when complete); returns the number of rows."""
    connection = connections[DEFAULT_DB_ALIAS]
    tmp = path.with_name(path.name + ".part")
    count = 0
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One snapshot for every table; must be the transaction's first statement.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            migrations = sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())
            # The file holds password hashes and token digests: only its owner may read it.
            descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
                header = {"format": FORMAT, "database": connection.vendor, "migrations": migrations}
                out.write(json.dumps(header) + "\n")
                for model in _models():
                    for row in _rows(model):
                        out.write(json.dumps(row, cls=_Encoder, ensure_ascii=False) + "\n")
                        count += 1
                out.write(json.dumps({"end": True, "rows": count}) + "\n")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def _read(path: Path) -> Iterator[dict[str, Any]]:
    """Every line of the file as a JSON object, with the errors of a damaged file as BackupError."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BackupError(f"{path} is damaged: line {number} is not valid JSON") from exc
                if not isinstance(item, dict):
                    raise BackupError(f"{path} is damaged: line {number} is not a JSON object")
                yield item
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not a readable momentos backup ({exc})") from exc


def _check(path: Path) -> dict[str, Any]:
    """Read the whole file once; return its header when it is a complete backup of known models."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    known = {m._meta.label_lower for m in _models()}
    lines = _read(path)
    header = next(lines, None)
    if header is None or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a momentos backup")
    rows = 0
    end = None
    for item in lines:
        if end is not None:
            raise BackupError(f"{path} is damaged: there is data after its end")
        if item.get("end") is True:
            end = item
        elif item.get("model") in known and isinstance(item.get("fields"), dict):
            rows += 1
        else:
            raise BackupError(
                f"{path} is damaged or from another application: row {rows + 1} is {item!r:.80}"
            )
    if end is None:
        raise BackupError(f"{path} is incomplete: it ends before its last row (truncated?)")
    if end.get("rows") != rows:
        raise BackupError(f"{path} is damaged: it says {end.get('rows')} rows, it holds {rows}")
    return header


def _insert(model: type[Model], objects: list[Model]) -> None:
    """INSERT the rows as they are: like bulk_create, but raw, so auto_now fields keep their values."""
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    if model._meta.auto_created:
        fields = [f for f in fields if not f.primary_key]  # new ids for M2M rows
    if not objects:
        return
    size = max(1, connections[DEFAULT_DB_ALIAS].ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        model._base_manager._insert(  # type: ignore[attr-defined]
            objects[start : start + size], fields=fields, raw=True, using=DEFAULT_DB_ALIAS
        )


def _load(path: Path) -> int:
    count = 0
    rows = (item for item in _read(path) if "model" in item)
    while chunk := list(islice(rows, CHUNK)):
        batch: dict[type[Model], list[Any]] = {}
        for deserialized in serializers.deserialize("python", chunk, ignorenonexistent=True):
            batch.setdefault(type(deserialized.object), []).append(deserialized)
        for model, objects in batch.items():
            if model._meta.parents:
                # Multi-table inheritance: each table's row is in the file; save this table's part.
                for deserialized in objects:
                    deserialized.save(force_insert=True)
            else:
                _insert(model, [d.object for d in objects])
            for field in model._meta.many_to_many:
                through = _through(field)
                if not through._meta.auto_created:
                    continue  # an explicit through model is a model of its own, with its own rows
                source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
                _insert(
                    through,
                    [
                        through(**{source: d.object.pk, target: value})
                        for d in objects
                        for value in (d.m2m_data or {}).get(field.name, [])
                    ],
                )
            count += len(objects)
    return count


def backup_restore(
    path: Path, *, replace: bool = False, guards: Sequence[Callable[[], AbstractContextManager[Any]]] = ()
) -> int:
    """Load ``path`` into this database, all or nothing; refuses a non-empty database unless ``replace``.

    ``guards`` are context managers entered around the load: the way an app that protects its rows
    with database triggers (published protocol versions) lets a restore write them. The caller wires
    them in, so this module depends on no domain app.
    """
    from django.core.management import call_command

    header = _check(path)
    call_command("migrate", interactive=False, verbosity=0)
    connection = connections[DEFAULT_DB_ALIAS]
    applied = {f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()}
    missing = set(header.get("migrations", [])) - applied
    if missing:
        raise BackupError(
            "the backup comes from a newer momentos; upgrade first (missing: "
            + ", ".join(sorted(missing)[:5])
            + ")"
        )
    tables = _models(auto_created=True)
    try:
        with transaction.atomic(), ExitStack() as stack:
            for guard in guards:
                stack.enter_context(guard())
            if any(m._base_manager.exists() for m in tables):
                if not replace:
                    raise BackupError("the database is not empty; restore into an empty one or add --replace")
                # Foreign keys are checked at commit, so children go first only out of tidiness.
                for model in reversed(tables):
                    model._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)
            count = _load(path)
            statements = connection.ops.sequence_reset_sql(no_style(), tables)
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
    except (DeserializationError, DatabaseError, ValueError, LookupError) as exc:
        raise BackupError(f"{path} does not fit this database; nothing was changed ({exc})") from exc
    return count

"""Backups that move between SQLite and PostgreSQL: every row of every model, read in one snapshot.

The file is a gzip'd JSON document: a header (format, version, the applied migrations) and Django's
own serialisation of each model, parents before children, so it restores on either database.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "momentos-backup/1"
SKIP_APPS = {"sessions", "contenttypes", "admin", "axes", "django_tasks_db"}


class BackupError(Exception):
    """The backup file is unreadable, of another format, or does not fit this database."""


def _models() -> list[Any]:
    from django.core.serializers import sort_dependencies

    app_list = [(cfg, None) for cfg in apps.get_app_configs() if cfg.label not in SKIP_APPS]
    return [
        m for m in sort_dependencies(app_list, allow_cycles=True) if not m._meta.proxy and m._meta.managed
    ]


def backup_write(path: Path) -> int:
    """Write the whole database to ``path``; returns the number of records."""
    count = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        migrations = sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())
        tmp = path.with_suffix(path.suffix + ".part")
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            out.write(json.dumps({"format": FORMAT, "migrations": migrations})[:-1] + ', "models": [')
            first = True
            for model in _models():
                qs = model._default_manager.order_by("pk")
                for obj in qs.iterator(chunk_size=2000):
                    data = serializers.serialize("json", [obj])[1:-1]
                    out.write(("" if first else ",\n") + data)
                    first = False
                    count += 1
            out.write("]}")
        tmp.replace(path)
    return count


def backup_restore(path: Path, *, replace: bool = False) -> int:
    """Load ``path`` into this database, all or nothing; refuses a non-empty database unless ``replace``."""
    from django.core.management import call_command

    if not path.exists():
        raise BackupError(f"no such file: {path}")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not a momentos backup ({exc.__class__.__name__})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(
            f"{path} is not a momentos backup (format {document.get('format')!r})"
            if isinstance(document, dict)
            else f"{path} is not a momentos backup"
        )
    call_command("migrate", interactive=False, verbosity=0)
    applied = {f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()}
    missing = set(document.get("migrations", [])) - applied
    if missing:
        raise BackupError(
            "the backup comes from a newer momentos; upgrade first (missing: "
            + ", ".join(sorted(missing)[:5])
            + ")"
        )
    models = _models()
    with transaction.atomic():
        if any(m._default_manager.exists() for m in models):
            if not replace:
                raise BackupError("the database is not empty; restore into an empty one or add --replace")
            for model in reversed(models):
                model._default_manager.all().delete()
        count = 0
        objects = serializers.deserialize(
            "json", json.dumps(document.get("models", [])), ignorenonexistent=True
        )
        for obj in objects:
            obj.save()
            count += 1
        conn = connections[DEFAULT_DB_ALIAS]
        sequences = conn.ops.sequence_reset_sql(no_style(), models)
        if sequences:
            with conn.cursor() as cursor:
                for sql in sequences:
                    cursor.execute(sql)
    return count

"""The import run: a file's rows, a chunk at a time, through the bulk ingestion service; and import jobs.

Memory stays flat whatever the size of the file: rows are read one at a time, handed to the service in
chunks of ``MAX_BULK_ROWS``, only the first ``max_errors`` problems are kept, and the external ids seen
so far (to catch a duplicate within the file) live in a temporary SQLite file on disk, not in memory.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from momentos.accounts.models import Organization, User
from momentos.attention import services as ingestion
from momentos.attention.api import InteractionIn
from momentos.attention.choices import ImportStatus
from momentos.attention.importing.mapping import ColumnMap
from momentos.attention.importing.readers import ImportFileError, Table, open_table
from momentos.attention.models import ColumnMapping, ImportJob

MAX_ERRORS = 100
Progress = Callable[[str, int, int], None]  # phase ("checking" or "importing"), rows read, rows in the file


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    total: int = 0
    processed: int = 0
    created: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    stored: bool = False
    message: str = ""

    def add_errors(self, errors: Iterable[dict[str, Any]], limit: int) -> None:
        for error in errors:
            if len(self.errors) >= limit:
                return
            self.errors.append(error)


class _SeenIds:
    """External ids already met in this file and the line of each, kept on disk."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="momentos-import-")
        self._db = sqlite3.connect(Path(self._dir.name) / "seen.sqlite3")
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000;"
            "CREATE TABLE seen (id TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID;"
        )

    def first_lines(self, pairs: list[tuple[str, int]]) -> dict[int, int]:
        """For each (external id, line) already seen — earlier in the file or in ``pairs`` — the first line."""
        earlier: dict[str, int] = {}
        ids = list({external_id for external_id, _line in pairs})
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            earlier.update(self._db.execute(f"SELECT id, line FROM seen WHERE id IN ({marks})", part))  # noqa: S608
        duplicates: dict[int, int] = {}
        new: list[tuple[str, int]] = []
        for external_id, line in pairs:
            if external_id in earlier:
                duplicates[line] = earlier[external_id]
            else:
                earlier[external_id] = line
                new.append((external_id, line))
        self._db.executemany("INSERT INTO seen (id, line) VALUES (?, ?)", new)
        return duplicates

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()


def _chunks(records: Iterator[tuple[int, list[Any]]], size: int) -> Iterator[list[tuple[int, list[Any]]]]:
    while chunk := list(islice(records, size)):
        yield chunk


def _schema_errors(line: int, exc: PydanticValidationError, bound: Any) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err.get("loc", ()))
        out.append(
            {
                "line": line,
                "field": name,
                "column": bound.column_for(name),
                "code": "invalid",
                "message": err.get("msg", ""),
            }
        )
    return out


def _pass(
    *,
    organization: Organization,
    table: Table,
    bound: Any,
    summary: ImportSummary,
    dry_run: bool,
    strict: bool,
    chunk_size: int,
    max_errors: int,
    progress: Progress | None,
) -> None:
    """One reading of the file. ``strict`` (inside the caller's transaction) raises at the first bad row."""
    seen = _SeenIds()
    phase = "checking" if dry_run else "importing"
    try:
        for chunk in _chunks(table.records(), chunk_size):
            rows: list[ingestion.IngestRow] = []
            rejected: list[ingestion.RowResult] = []
            converted: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
            for line, cells in chunk:
                data, errors = bound.convert(line, cells)
                converted.append((line, data, errors))
            duplicates = seen.first_lines(
                [(str(d["external_id"]).strip(), line) for line, d, _e in converted if d.get("external_id")]
            )
            row_errors: dict[int, list[dict[str, Any]]] = {}
            for line, data, errors in converted:
                if line in duplicates:
                    errors.append(
                        {
                            "line": line,
                            "field": "external_id",
                            "column": bound.column_for("external_id"),
                            "code": "duplicate_in_file",
                            "message": _(
                                "Line %(line)d has the same external id (“%(id)s”); it is read once."
                            )
                            % {"line": duplicates[line], "id": data["external_id"]},
                        }
                    )
                if errors:
                    row_errors[line] = errors
                    rejected.append(
                        ingestion.row_error(line, external_id=data.get("external_id", ""), errors=[])
                    )
                    continue
                try:
                    rows.append(InteractionIn.model_validate(data).to_row(line))
                except PydanticValidationError as exc:
                    row_errors[line] = _schema_errors(line, exc, bound)
                    rejected.append(
                        ingestion.row_error(line, external_id=data.get("external_id", ""), errors=[])
                    )
            if strict and rejected:
                raise ingestion.RowsRejected(_("A row has errors; nothing was stored."))
            if dry_run:
                with transaction.atomic():
                    report = ingestion.interactions_ingest(
                        organization=organization, rows=rows, rejected=rejected
                    )
                    transaction.set_rollback(True)
            else:
                report = ingestion.interactions_ingest(
                    organization=organization, rows=rows, rejected=rejected, all_or_nothing=strict
                )
            for result in report.rows:
                if result.status == "error":
                    problems = row_errors.get(result.index) or [
                        {
                            "line": result.index,
                            "field": e.get("field", ""),
                            "column": bound.column_for(e.get("field") or ""),
                            "code": e.get("code", ""),
                            "message": e.get("message", ""),
                        }
                        for e in result.errors
                    ]
                    summary.add_errors(problems, max_errors)
            summary.created += report.count("created")
            summary.unchanged += report.count("unchanged")
            summary.failed += report.count("error")
            summary.processed += len(chunk)
            if progress:
                progress(phase, summary.processed, summary.total)
    finally:
        seen.close()


def interactions_import(
    *,
    organization: Organization,
    path: Path,
    column_map: ColumnMap | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    progress: Progress | None = None,
    chunk_size: int = ingestion.MAX_BULK_ROWS,
    max_errors: int = MAX_ERRORS,
) -> ImportSummary:
    """Import (or with ``dry_run`` only check) the interactions of a CSV or XLSX file.

    File-level problems (empty, binary, undecodable, too large, missing columns, no data rows) raise
    ``ImportFileError`` before anything is stored: the whole file is read once first, which also gives
    the row count for progress. Rows with errors are reported with their line numbers; the valid ones
    are stored, or with ``all_or_nothing`` none at all: the file is checked whole first, then stored in
    one transaction.
    """
    table = open_table(path, encoding=encoding, delimiter=delimiter, max_bytes=settings.IMPORT_MAX_BYTES)
    header = table.header()
    bound = (column_map or ColumnMap.by_field_name(header)).bind(header, organization=organization)
    summary = ImportSummary(dry_run=dry_run, warnings=list(table.warnings))
    summary.total = table.count()
    if summary.total == 0:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if progress:
        progress("checking" if dry_run or all_or_nothing else "importing", 0, summary.total)
    options: dict[str, Any] = {
        "organization": organization,
        "table": table,
        "bound": bound,
        "chunk_size": chunk_size,
        "max_errors": max_errors,
        "progress": progress,
    }
    if dry_run or not all_or_nothing:
        _pass(summary=summary, dry_run=dry_run, strict=False, **options)
        summary.stored = not dry_run and summary.created > 0
        return summary
    _pass(summary=summary, dry_run=True, strict=False, **options)
    if summary.failed:
        summary.message = _("%(count)d of %(total)d rows have errors; nothing was stored.") % {
            "count": summary.failed,
            "total": summary.total,
        }
        return summary
    stored = ImportSummary(total=summary.total, warnings=summary.warnings)
    try:
        with transaction.atomic():
            _pass(summary=stored, dry_run=False, strict=True, **options)
    except ingestion.RowsRejected:
        # The data changed between the check and the import (another import, a deleted branch).
        summary.message = _("The file changed meaning while it was imported; nothing was stored. Try again.")
        return summary
    stored.stored = stored.created > 0
    return stored


# --- jobs ------------------------------------------------------------------------------------------


def import_dir() -> Path:
    path = Path(settings.IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_job_create(*, organization: Organization, user: User | None, upload: Any) -> ImportJob:
    """Keep an uploaded file (already on disk or in memory) and open a job for it; the file is checked now."""
    job = ImportJob(organization=organization, created_by=user, file_name=str(upload.name)[:255])
    target = import_dir() / f"{job.pk}.upload"
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary:
        shutil.copyfile(temporary(), target)
    else:
        with target.open("wb") as out:
            for piece in upload.chunks():
                out.write(piece)
    try:
        table = open_table(target, max_bytes=settings.IMPORT_MAX_BYTES)
        table.header()
    except ImportFileError:
        target.unlink(missing_ok=True)
        raise
    job.stored_name = target.name
    job.size = target.stat().st_size
    job.file_format = table.format
    job.warnings = table.warnings
    job.save()
    return job


def job_table(job: ImportJob) -> Table:
    if not job.stored_name:
        raise ImportFileError(_("The file of this import is no longer kept; upload it again."))
    path = import_dir() / job.stored_name
    if not path.exists():
        raise ImportFileError(_("The file of this import is no longer kept; upload it again."))
    options = job.mapping.get("file") or {}
    return open_table(
        path, encoding=options.get("encoding") or None, delimiter=options.get("delimiter") or None
    )


def import_job_start(
    *, job: ImportJob, column_map: ColumnMap, dry_run: bool, all_or_nothing: bool
) -> ImportJob:
    """Record what to run and hand the job to the task queue (run at once in the embedded default)."""
    from momentos.attention.importing.tasks import import_job_run

    if job.is_active:
        raise ImportFileError(_("This import is already running."))
    file_options = job.mapping.get("file") or {}
    job.mapping = {**column_map.to_dict(), "file": file_options}
    job.dry_run = dry_run
    job.all_or_nothing = all_or_nothing
    job.status = ImportStatus.QUEUED
    job.processed = 0
    job.total = None
    job.created_count = job.unchanged_count = job.error_count = 0
    job.errors = []
    job.message = ""
    job.finished_at = None
    job.save()
    job_id = str(job.pk)
    transaction.on_commit(lambda: import_job_run.enqueue(job_id=job_id))
    return job


def import_job_execute(*, job_id: Any) -> None:
    """Run a queued job: progress is written to the job as chunks are done, the result at the end."""
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)

    def progress(phase: str, processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed=processed, total=total)

    file_options = job.mapping.get("file") or {}
    try:
        summary = interactions_import(
            organization=job.organization,
            path=import_dir() / job.stored_name,
            column_map=ColumnMap.from_dict(job.mapping),
            dry_run=job.dry_run,
            all_or_nothing=job.all_or_nothing,
            encoding=file_options.get("encoding") or None,
            delimiter=file_options.get("delimiter") or None,
            progress=progress,
        )
    except (ImportFileError, FileNotFoundError) as exc:
        message = (
            exc.message
            if isinstance(exc, ImportFileError)
            else _("The file of this import is no longer kept.")
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, message=str(message), finished_at=timezone.now()
        )
        return
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        total=summary.total,
        processed=summary.processed,
        created_count=summary.created,
        unchanged_count=summary.unchanged,
        error_count=summary.failed,
        errors=summary.errors,
        warnings=summary.warnings,
        message=summary.message,
        finished_at=timezone.now(),
    )
    if not job.dry_run:
        # An import is not run twice from the same upload; the file is not kept longer than needed.
        (import_dir() / job.stored_name).unlink(missing_ok=True)
        ImportJob.objects.filter(pk=job.pk).update(stored_name="")


def column_mapping_save(*, organization: Organization, name: str, column_map: ColumnMap) -> ColumnMapping:
    """Save (or replace) a named mapping of the organisation."""
    mapping, _created = ColumnMapping.objects.for_organization(organization).update_or_create(
        organization=organization,
        name=name.strip(),
        defaults={
            "columns": column_map.columns,
            "defaults": column_map.defaults,
            "values": column_map.values,
            "date_format": column_map.date_format,
        },
    )
    return mapping


def column_map_named(*, organization: Organization, name: str) -> ColumnMap:
    """A saved mapping by name, or a preset as ``preset:NAME`` / ``NAME`` when no saved mapping has it."""
    saved = ColumnMapping.objects.for_organization(organization).filter(name__iexact=name.strip()).first()
    if saved is not None:
        return ColumnMap.from_dict(
            {
                "columns": saved.columns,
                "defaults": saved.defaults,
                "values": saved.values,
                "date_format": saved.date_format,
            }
        )
    return ColumnMap.preset(name.removeprefix("preset:"))

"""`momentos import interactions FILE`: the import run from a terminal, with progress and a summary.

Exit codes: 0 when every row was read without error, 1 when some rows had errors, 2 when the file or
the options cannot be used at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.utils import translation

from momentos.accounts.models import Organization
from momentos.attention.importing.mapping import ColumnMap
from momentos.attention.importing.readers import ImportFileError
from momentos.attention.importing.services import ImportSummary, column_map_named, interactions_import


def _fail(message: str) -> int:
    print(f"momentos: {message}", file=sys.stderr)
    return 2


def _print_summary(summary: ImportSummary) -> None:
    verb = "would be created" if summary.dry_run else "created"
    print(
        f"{summary.total} rows: {summary.created} {verb}, {summary.unchanged} unchanged (already imported), "
        f"{summary.failed} with errors."
    )
    for error in summary.errors:
        where = error.get("column") or error.get("field") or ""
        print(f"  line {error['line']}{f' ({where})' if where else ''}: {error['message']}")
    if summary.failed > len(summary.errors):
        print(f"  … and more: {summary.failed} rows with errors in all.")
    if summary.message:
        print(summary.message)
    elif summary.dry_run:
        print("Dry run: nothing was stored.")


def import_interactions(ns: argparse.Namespace) -> int:
    # The command speaks English, like the rest of `momentos`; row messages follow.
    translation.activate("en")
    path = Path(ns.file)
    if not path.is_file():
        return _fail(f"{ns.file}: no such file")
    organization = Organization.objects.filter(slug=ns.organization).first()
    if organization is None:
        return _fail(f"no organisation has the short name {ns.organization!r}")
    try:
        if ns.mapping:
            column_map = column_map_named(organization=organization, name=ns.mapping)
        elif ns.preset:
            column_map = ColumnMap.preset(ns.preset)
        else:
            column_map = None
        if ns.branch or ns.channel or ns.date_format:
            if column_map is None:
                from momentos.attention.importing.readers import open_table

                column_map = ColumnMap.by_field_name(open_table(path, encoding=ns.encoding).header())
            if ns.branch:
                column_map.defaults["branch"] = ns.branch
            if ns.channel:
                column_map.defaults["channel"] = ns.channel
            if ns.date_format:
                column_map.date_format = ns.date_format
        delimiter = "\t" if (ns.delimiter or "").lower() == "tab" else ns.delimiter

        def progress(phase: str, processed: int, total: int) -> None:
            if not ns.quiet:
                label = "checking" if phase == "checking" else "importing"
                print(f"  {label}: {processed}/{total} rows", file=sys.stderr, flush=True)

        summary = interactions_import(
            organization=organization,
            path=path,
            column_map=column_map,
            dry_run=ns.dry_run,
            all_or_nothing=ns.all_or_nothing,
            encoding=ns.encoding,
            delimiter=delimiter,
            progress=progress,
        )
    except ImportFileError as exc:
        return _fail(f"{ns.file}: {exc.message}")
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _print_summary(summary)
    return 1 if summary.failed else 0

"""The benchmark command: a fresh database, then each benchmark, printed as a report to paste in README.md."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench import _common


def _positive(raw: str) -> int:
    value = int(raw.replace("_", "").replace(",", ""))
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of bulk ingestion and CSV import on PostgreSQL, against baselines of the same run. "
        "The database in BENCH_DATABASE_URL (default: momentos_bench on 127.0.0.1) is dropped and created.",
    )
    parser.add_argument(
        "--only",
        choices=["ingest", "import", "insight"],
        help="run one benchmark (default: ingest and import; insight runs only when asked)",
    )
    parser.add_argument(
        "--rows", type=_positive, default=1_000_000, help="rows of the generated CSV (default: 1,000,000)"
    )
    parser.add_argument(
        "--ingest-rows",
        type=_positive,
        default=50_000,
        help="interactions posted to the API (default: 50,000)",
    )
    parser.add_argument(
        "--batch", type=_positive, default=1_000, help="rows per bulk request (default: 1,000)"
    )
    parser.add_argument("--threads", type=_positive, default=3, help="concurrent API clients (default: 3)")
    parser.add_argument("--workers", type=_positive, default=2, help="gunicorn workers (default: 2)")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[1_000_000, 5_000_000],
        help="insight: interactions loaded, in turn (default: 1000000,5000000)",
    )
    parser.add_argument(
        "--requests", type=_positive, default=30, help="insight: timed requests per page (default: 30)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and temporary files afterwards"
    )
    return parser


def _sizes(raw: str) -> list[int]:
    sizes = sorted({_positive(part) for part in raw.split(",") if part.strip()})
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one size")
    return sizes


def main(argv: list[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    if ns.only == "insight":
        from bench import insight

        return insight.main(sizes=ns.sizes, requests=ns.requests, warmup=3, keep=ns.keep)
    url = _common.database_url()
    work_dir = Path(tempfile.mkdtemp(prefix="momentos-bench-"))
    began = time.perf_counter()
    try:
        _common.database_recreate(url)
        _common.django_setup(work_dir, url)
        fixture = _common.fixture_create()
        print("momentos benchmarks", flush=True)
        for name, value in _common.machine(url):
            print(f"  {name:<11} {value}")
        print(f"  database    {_common.database_name(url)} (created for this run)")
        print(
            f"  standards   {fixture.standards} on 2 channel cycles, evaluated on each interaction the API stores"
        )
        if ns.only in (None, "ingest"):
            from bench import ingest

            print(
                f"\n== Bulk ingestion: API (real HTTP, `momentos serve`) vs raw COPY ({ns.ingest_rows:,} rows)"
            )
            result = ingest.run(
                url=url,
                fixture=fixture,
                work_dir=work_dir,
                count=ns.ingest_rows,
                batch=ns.batch,
                threads=ns.threads,
                workers=ns.workers,
            )
            for line in result.lines():
                print(f"  {line}", flush=True)
        if ns.only in (None, "import"):
            from bench import import_csv

            print(
                f"\n== CSV import: `momentos import interactions` of a generated helpdesk export ({ns.rows:,} rows)"
            )
            for line in import_csv.run(url=url, fixture=fixture, work_dir=work_dir, count=ns.rows):
                print(f"  {line}", flush=True)
        print(f"\ntotal time {time.perf_counter() - began:,.0f} s")
    finally:
        if not ns.keep:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
            _common.database_drop(url)
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            print(f"kept: database {_common.database_name(url)}, files in {work_dir}")
    return 0

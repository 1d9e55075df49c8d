"""Insight at scale (issue 6): overview and service-cycle-map server time as the data grows, beside plain SQL.

The demo organisation is loaded into a throwaway database, then grown to each size in turn (1 M, then
5 M interactions by default) with the demo generator (``momentos.demo_data``: ~30 % of the closed
interactions answered, with their moments, standard verdicts, checklist ticks, links and alerts); the
rollups are rebuilt after each load. At each size, the two pages are requested through Django's test
client in this process as the quality manager would open them (default filters: the current month to
date; the map of the in-person cycle), warmed up, then timed ``--requests`` times each: the server
time (middleware, view, queries, template) of every request, its p50 and p95. Beside them, the same
overview indicators are computed by plain SQL aggregates over the raw rows of the same period (no
rollup), timed the same way, and their values printed next to the page's engine values.

See bench/README.md. Nothing here fails when a target is missed; the report says so.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench import _common

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/momentos_bench_insight"
TARGET_P95_MS = 300.0
TARGET_RATIO = 1.5
INDICATORS = (
    "csat",
    "nps",
    "ces",
    "resolution_rate",
    "first_contact_resolution",
    "attention_time",
    "first_response_time",
    "standard_compliance",
    "checklist_compliance",
)


def database_url() -> str:
    return os.environ.get("BENCH_INSIGHT_DATABASE_URL", DEFAULT_URL)


def _ms(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 (nearest rank) of durations in seconds, in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _timed(fn: Callable[[], Any], *, warmup: int, repeat: int) -> tuple[list[float], Any]:
    result = None
    for _ in range(warmup):
        result = fn()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - began)
    return samples, result


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- plain SQL over the raw rows -----------------------------------------------------------------------

_INTERACTIONS = """
SELECT count(*),
       count(*) FILTER (WHERE i.outcome = 'resolved'),
       count(*) FILTER (WHERE i.outcome = 'resolved' AND i.contacts = 1),
       avg(extract(epoch FROM i.closed_at - i.started_at)),
       avg(i.first_response_seconds) FILTER (WHERE i.first_response_at IS NOT NULL)
FROM attention_interaction i JOIN accounts_branch b ON b.id = i.branch_id
WHERE i.organization_id = %(org)s AND i.closed_at IS NOT NULL
  AND i.started_at >= %(lo)s AND i.started_at < %(hi)s
  AND (i.started_at AT TIME ZONE b.time_zone)::date BETWEEN %(start)s AND %(end)s
"""
_SURVEYS = """
SELECT 100.0 * count(*) FILTER (WHERE a.kind = 'csat' AND a.value >= 4)
             / nullif(count(*) FILTER (WHERE a.kind = 'csat'), 0),
       100.0 * (count(*) FILTER (WHERE a.kind = 'nps' AND a.value >= 9)
                - count(*) FILTER (WHERE a.kind = 'nps' AND a.value <= 6))
             / nullif(count(*) FILTER (WHERE a.kind = 'nps'), 0),
       avg(a.value) FILTER (WHERE a.kind = 'ces')
FROM surveys_answer a
JOIN surveys_response r ON r.id = a.response_id
JOIN accounts_branch b ON b.id = r.branch_id
WHERE r.organization_id = %(org)s AND NOT r.flagged_staff AND a.kind IN ('csat', 'nps', 'ces')
  AND r.submitted_at >= %(lo)s AND r.submitted_at < %(hi)s
  AND (r.submitted_at AT TIME ZONE b.time_zone)::date BETWEEN %(start)s AND %(end)s
"""
_STANDARDS = """
SELECT 100.0 * count(*) FILTER (WHERE s.status = 'met') / nullif(count(*), 0)
FROM attention_standardresult s
JOIN attention_interaction i ON i.id = s.interaction_id
JOIN accounts_branch b ON b.id = i.branch_id
WHERE s.organization_id = %(org)s AND s.status IN ('met', 'missed') AND i.closed_at IS NOT NULL
  AND i.started_at >= %(lo)s AND i.started_at < %(hi)s
  AND (i.started_at AT TIME ZONE b.time_zone)::date BETWEEN %(start)s AND %(end)s
"""
# One application per (interaction, moment): weighted yes over weighted yes + no; a critical "no" zeroes it.
_CHECKLISTS = """
SELECT 100.0 * sum(CASE WHEN critical_no THEN 0 ELSE yes END) / nullif(sum(weight), 0)
FROM (
  SELECT sum(CASE WHEN t.answer = 'yes' THEN c.weight ELSE 0 END) AS yes,
         sum(c.weight) AS weight,
         bool_or(t.answer = 'no' AND c.critical) AS critical_no
  FROM attention_checklisttick t
  JOIN cycle_checklistitem c ON c.id = t.item_id
  JOIN attention_interaction i ON i.id = t.interaction_id
  JOIN accounts_branch b ON b.id = i.branch_id
  WHERE t.organization_id = %(org)s AND t.answer IN ('yes', 'no') AND i.closed_at IS NOT NULL
    AND i.started_at >= %(lo)s AND i.started_at < %(hi)s
    AND (i.started_at AT TIME ZONE b.time_zone)::date BETWEEN %(start)s AND %(end)s
  GROUP BY t.interaction_id, c.moment_id
) applications
"""


def raw_sql(org_id: Any, start: date, end: date) -> dict[str, Decimal | None]:
    """The overview's indicators by plain SQL over the raw rows of the period (local dates per branch)."""
    from django.db import connection

    params = {
        "org": org_id,
        "start": start,
        "end": end,
        # A range of instants that covers the local dates in every time zone, for the indexes.
        "lo": f"{start - timedelta(days=1)}T00:00:00+00:00",
        "hi": f"{end + timedelta(days=2)}T00:00:00+00:00",
    }
    with connection.cursor() as cursor:
        cursor.execute(_INTERACTIONS, params)
        closed, resolved, fcr, attention, frt = cursor.fetchone()
        cursor.execute(_SURVEYS, params)
        csat, nps, ces = cursor.fetchone()
        cursor.execute(_STANDARDS, params)
        (standards,) = cursor.fetchone()
        cursor.execute(_CHECKLISTS, params)
        (checklists,) = cursor.fetchone()

    def pct(part: int, whole: int) -> Decimal | None:
        return Decimal(100 * part) / whole if whole else None

    return {
        "csat": csat,
        "nps": nps,
        "ces": ces,
        "resolution_rate": pct(resolved, closed),
        "first_contact_resolution": pct(fcr, resolved),
        "attention_time": attention,
        "first_response_time": frt,
        "standard_compliance": standards,
        "checklist_compliance": checklists,
    }


# --- the run -----------------------------------------------------------------------------------------


class _Pages:
    """The two pages through the test client, logged in as the demo's quality manager."""

    def __init__(self) -> None:
        from django.test import Client
        from django.urls import reverse

        from momentos.accounts.models import User

        self.client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https", secure=True)
        self.client.force_login(User.objects.get(email="calidad@demo.momentos.app"))
        self.urls = {"overview": reverse("insight:overview"), "cycle map": reverse("insight:cycle_map")}

    def get(self, name: str) -> Callable[[], int]:
        url = self.urls[name]

        def fetch() -> int:
            response = self.client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"bench: {url} answered {response.status_code}")
            return len(response.content)

        return fetch


def _fmt(value: Any) -> str:
    if value is None:
        return "no data"
    return f"{Decimal(value):,.2f}"


def _load(org: Any, *, size: int, loaded: int, now: Any) -> float:
    """Grow the demo organisation from ``loaded`` to ``size`` interactions, rebuild the rollups, ANALYZE."""
    from django.db import connection

    from momentos.demo_data import generate, rollups_rebuild

    more = size - loaded
    print(f"\n== {size:,} interactions (adding {more:,})", flush=True)
    began = time.perf_counter()
    report = generate(org, count=more, now=now, first=loaded, seed=loaded or None)
    load_s = time.perf_counter() - began
    rows = sum(report.counts.values())
    print(
        f"  generated   {more:,} interactions, {rows:,} rows in {load_s:,.0f} s "
        f"({more / load_s:,.0f} interactions/s); peak RSS so far {_peak_rss_mb():,.0f} MB",
        flush=True,
    )
    for name in ("responses", "answers", "moments_reached", "standard_results", "checklist_ticks", "alerts"):
        print(f"    {name:<17} {report.counts.get(name, 0):>12,}")
    began = time.perf_counter()
    rollups_rebuild(org)
    print(f"  rollups     rebuilt in {time.perf_counter() - began:,.0f} s", flush=True)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  analyze     {time.perf_counter() - began:,.0f} s", flush=True)
    return load_s


def _measure(size: int, *, requests: int, warmup: int) -> dict[str, Any]:
    """Time both pages, the engine and the plain SQL on the data as loaded now; prints and returns p95s."""
    from django.http import QueryDict

    from momentos.accounts.models import Organization
    from momentos.insight import engine
    from momentos.insight.filters import filters_from_query

    org = Organization.objects.get(name="Banco Horizonte")
    pages = _Pages()
    filters, _errors = filters_from_query(QueryDict(""), organization=org)  # what the pages default to
    measure: dict[str, Any] = {"size": size}
    for name in ("overview", "cycle map"):
        samples, length = _timed(pages.get(name), warmup=warmup, repeat=requests)
        p50, p95 = _ms(samples)
        measure[name] = p95
        print(f"  {name:<11} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   ({requests} requests, {length:,} bytes)")
    # As the overview asks for its cards: means only, no median/p90 from raw rows.
    samples, engine_values = _timed(
        lambda: engine.compute_many(org, INDICATORS, filters, percentiles=False),
        warmup=1,
        repeat=max(3, requests // 3),
    )
    p50, p95 = _ms(samples)
    measure["engine"] = p95
    print(
        f"  engine      p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   (compute_many of {len(INDICATORS)} indicators)"
    )
    samples, sql_values = _timed(
        lambda: raw_sql(org.pk, filters.start, filters.end), warmup=1, repeat=max(3, requests // 6)
    )
    p50, p95 = _ms(samples)
    measure["raw SQL"] = p95
    print(f"  raw SQL     p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   (plain aggregates over the raw rows)")
    print(f"  period      {filters.start} to {filters.end}")
    print(f"  {'indicator':<26} {'engine (rollups)':>18} {'raw SQL':>14}")
    for indicator in INDICATORS:
        value = engine_values[indicator].value
        print(f"  {indicator:<26} {_fmt(value):>18} {_fmt(sql_values[indicator]):>14}", flush=True)
    return measure


def size_url(url: str, size: int) -> str:
    """The database a staged run keeps the data set of one size in: ``<name>_<size>``."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{_common.database_name(url)}_{size}"))


def _snapshot(url: str, size: int, *, last: bool) -> None:
    """Keep the database as loaded at this size: a copy (CREATE DATABASE ... TEMPLATE), or for the last
    size the database itself, renamed."""
    import psycopg
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    name, target = _common.database_name(url), _common.database_name(size_url(url, size))
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target)))
        if last:
            conn.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(name), sql.Identifier(target))
            )
        else:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(name))
            )
    print(f"  kept        database {target}", flush=True)


def grow(url: str, *, small: int, large: int) -> int:
    """Copy the kept database of ``small`` interactions and grow the copy to ``large`` (stage "grow"):
    the 5 M data set without generating its first million again."""
    import tempfile

    import psycopg
    from psycopg import sql

    source, target = size_url(url, small), size_url(url, large)
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    began = time.perf_counter()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_common.database_name(source)])
        if exists.fetchone() is None:
            raise SystemExit(
                f"bench: no database {_common.database_name(source)}; "
                f"load it first with BENCH_INSIGHT_STAGE=load --sizes {small}"
            )
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(_common.database_name(target))
            )
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(_common.database_name(target)), sql.Identifier(_common.database_name(source))
            )
        )
    print(f"copied {_common.database_name(source)} in {time.perf_counter() - began:,.0f} s", flush=True)
    _common.django_setup(Path(tempfile.mkdtemp(prefix="momentos-bench-insight-")), target)
    from django.utils import timezone

    from momentos.accounts.models import Organization

    _load(Organization.objects.get(name="Banco Horizonte"), size=large, loaded=small, now=timezone.now())
    print(f"kept: database {_common.database_name(target)}")
    return 0


def _use_database(url: str) -> None:
    """Point this process's Django at another database (same schema), forgetting what it cached."""
    from django.core.cache import cache
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = _common.database_name(url)
    cache.clear()


def run(
    *, url: str, work_dir: Path, sizes: list[int], requests: int, warmup: int, stage: str = ""
) -> list[dict[str, Any]]:
    """Load each size in turn and measure; prints as it goes and returns the measures per size.

    ``stage`` "load" only loads, keeping each size in a database of its own (``size_url``); "measure"
    only measures those databases, with the code as it is when it runs; "" (default) does both.
    """
    from django.core.management import call_command
    from django.utils import timezone

    from momentos.accounts.models import Organization
    from momentos.demo import load_demo

    results: list[dict[str, Any]] = []
    if stage == "measure":
        for size in sizes:
            print(
                f"\n== {size:,} interactions (database {_common.database_name(size_url(url, size))})",
                flush=True,
            )
            _use_database(size_url(url, size))
            results.append(_measure(size, requests=requests, warmup=warmup))
        return results
    call_command("migrate", interactive=False, verbosity=0)
    load_demo(interactions=0)
    org = Organization.objects.get(name="Banco Horizonte")
    now = timezone.now()
    loaded = 0
    for size in sizes:
        load_s = _load(org, size=size, loaded=loaded, now=now)
        loaded = size
        if stage == "load":
            _snapshot(url, size, last=size == sizes[-1])
            continue
        measure = _measure(size, requests=requests, warmup=warmup)
        measure["load_s"] = load_s
        results.append(measure)
    return results


def summary(results: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    if not results:
        return lines
    first, last = results[0], results[-1]
    lines.append(f"== Summary ({first['size']:,} -> {last['size']:,} interactions)")
    for name in ("overview", "cycle map", "engine", "raw SQL"):
        ratio = last[name] / first[name] if first[name] else float("nan")
        target = ""
        if name in ("overview", "cycle map"):
            met_p95 = "met" if last[name] < TARGET_P95_MS else "NOT met"
            met_ratio = "met" if ratio <= TARGET_RATIO else "NOT met"
            target = f"  (p95 < {TARGET_P95_MS:.0f} ms: {met_p95}; ratio ≤ {TARGET_RATIO}: {met_ratio})"
        lines.append(
            f"  {name:<11} p95 {first[name]:8.1f} ms -> {last[name]:8.1f} ms   ratio {ratio:5.2f}{target}"
        )
    return lines


def main(*, sizes: list[int], requests: int, warmup: int, keep: bool) -> int:
    import shutil
    import tempfile

    url = database_url()
    stage = os.environ.get("BENCH_INSIGHT_STAGE", "")
    if stage not in ("", "load", "measure", "grow"):
        raise SystemExit(f"bench: BENCH_INSIGHT_STAGE must be load, grow or measure, not {stage!r}")
    if stage == "grow":
        if len(sizes) != 2 or sizes[0] >= sizes[1]:
            raise SystemExit(
                "bench: BENCH_INSIGHT_STAGE=grow takes --sizes SMALL,LARGE (SMALL already loaded)"
            )
        return grow(url, small=sizes[0], large=sizes[1])
    work_dir = Path(tempfile.mkdtemp(prefix="momentos-bench-insight-"))
    began = time.perf_counter()
    try:
        if stage == "measure":
            _common.django_setup(work_dir, size_url(url, sizes[0]))
        else:
            _common.database_recreate(url)
            _common.django_setup(work_dir, url)
        print("momentos insight benchmark", flush=True)
        for name, value in _common.machine(size_url(url, sizes[0]) if stage == "measure" else url):
            print(f"  {name:<11} {value}")
        if stage == "measure":
            print(
                f"  databases   {', '.join(_common.database_name(size_url(url, s)) for s in sizes)} (loaded before)"
            )
        else:
            print(f"  database    {_common.database_name(url)} (created for this run)")
        print(f"  sizes       {', '.join(f'{s:,}' for s in sizes)} interactions")
        results = run(url=url, work_dir=work_dir, sizes=sizes, requests=requests, warmup=warmup, stage=stage)
        print()
        for line in summary(results):
            print(line)
        print(f"\ntotal time {time.perf_counter() - began:,.0f} s")
    finally:
        if not keep and not stage:
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
            _common.database_drop(url)
            shutil.rmtree(work_dir, ignore_errors=True)
        elif stage:
            shutil.rmtree(work_dir, ignore_errors=True)
            print(f"kept: databases {', '.join(_common.database_name(size_url(url, s)) for s in sizes)}")
        else:
            print(f"kept: database {_common.database_name(url)}, files in {work_dir}")
    return 0

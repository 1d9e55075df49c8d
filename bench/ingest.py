"""Bulk ingestion: interactions per second through the bulk API of the production server, against raw COPY.

The same generated rows go in twice. First as a psycopg COPY into the interaction table (external ids
``copy-…``), timed from the ready rows to the commit, then deleted and vacuumed: the fastest PostgreSQL
can take these rows. Then as JSON batches posted over real HTTP to `momentos serve` (gunicorn, production
settings) by a few client threads (external ids ``api-…``). The request bodies are encoded before the
clock starts, so the client's own JSON work is not charged to the server; what the server does on top of
COPY — parsing, validation, name resolution, idempotency, evaluation against the standards — is.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import psycopg

from bench._common import (
    REPO,
    Fixture,
    Row,
    child_env,
    free_port,
    momentos_command,
    rate,
    row_json,
    rows,
    stop,
)

TARGET = 0.25
COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "organization_id",
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


@dataclass
class IngestResult:
    rows: int
    batch: int
    threads: int
    workers: int
    copy_seconds: float
    copy_rows: int
    api_seconds: float
    api_created: int
    api_failed: int
    stored: int
    standard_results: int
    requests: int
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def copy_rate(self) -> float:
        return rate(self.copy_rows, self.copy_seconds)

    @property
    def api_rate(self) -> float:
        return rate(self.api_created, self.api_seconds)

    @property
    def ratio(self) -> float:
        return self.api_rate / self.copy_rate if self.copy_rate else 0.0

    def lines(self) -> list[str]:
        verdict = "met" if self.ratio >= TARGET else "NOT met"
        statuses = ", ".join(f"{n}×{code}" for code, n in sorted(self.statuses.items()))
        return [
            f"rows generated            {self.rows:>12,}",
            f"COPY: rows copied         {self.copy_rows:>12,}  in {self.copy_seconds:8.2f} s"
            f"  = {self.copy_rate:>10,.0f} rows/s",
            f"API: batches of {self.batch:,}, {self.threads} client threads, {self.workers} gunicorn workers; "
            f"{self.requests} requests ({statuses})",
            f"API: interactions created {self.api_created:>12,}  in {self.api_seconds:8.2f} s"
            f"  = {self.api_rate:>10,.0f} rows/s  ({self.api_failed} rows refused)",
            f"API: stored in the table  {self.stored:>12,}  with {self.standard_results:,} standard results",
            f"ratio API / COPY          {self.ratio:>12.3f}  (target ≥ {TARGET}: {verdict})",
        ]


def copy_baseline(url: str, fixture: Fixture, data: list[Row], table: str) -> tuple[int, float]:
    """COPY the rows into the interaction table, time it, then delete them and vacuum the table."""
    from momentos.core.ids import uuid7

    columns = ", ".join(COLUMNS)
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        now = datetime.now(UTC)
        with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for r in data:
                copy.write_row(
                    (
                        uuid7(),
                        now,
                        now,
                        fixture.organization_id,
                        fixture.branch_id,
                        fixture.channel_ids[r.channel],
                        fixture.team_ids[r.team],
                        fixture.agent_ids[r.agent],
                        None,
                        r.reason,
                        r.customer_ref,
                        r.external_id.replace("api-", "copy-", 1),
                        r.started_at,
                        r.first_response_at,
                        r.closed_at,
                        r.closed_at,
                        r.outcome,
                        r.contacts,
                        "",
                    )
                )
        conn.commit()
        seconds = time.perf_counter() - started
        found = conn.execute(f"SELECT count(*) FROM {table} WHERE external_id LIKE 'copy-%'").fetchone()
        conn.execute(f"DELETE FROM {table} WHERE external_id LIKE 'copy-%'")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"VACUUM ANALYZE {table}")
    return (found[0] if found else 0), seconds


def _request(port: int, method: str, path: str, token: str, body: bytes | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request(
            method,
            path,
            body=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                # As behind the TLS-terminating proxy of a production deployment.
                "X-Forwarded-Proto": "https",
            },
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait_until_up(proc: subprocess.Popen[Any], port: int, token: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: the server stopped at start-up:\n{log.read_text()[-3000:]}")
        try:
            status, _body = _request(port, "GET", "/api/v1/interactions?limit=1", token)
        except OSError:
            time.sleep(0.3)
            continue
        if status == 200:
            return
        raise SystemExit(f"bench: the server answered {status} at start-up:\n{log.read_text()[-3000:]}")
    raise SystemExit("bench: the server did not start within 120 s")


def post_all(port: int, token: str, bodies: list[bytes], threads: int) -> tuple[float, list[Any]]:
    """Post every body with ``threads`` clients, each taking the next one; the answers in body order."""
    answers: list[Any] = [None] * len(bodies)
    lock = threading.Lock()
    next_index = iter(range(len(bodies)))

    def client() -> None:
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            try:
                answers[i] = _request(port, "POST", "/api/v1/interactions/bulk", token, bodies[i])
            except OSError as exc:
                answers[i] = (0, str(exc).encode())

    pool = [threading.Thread(target=client) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - started, answers


def run(
    *, url: str, fixture: Fixture, work_dir: Path, count: int, batch: int, threads: int, workers: int
) -> IngestResult:
    from momentos.attention.models import Interaction, StandardResult

    table = Interaction._meta.db_table
    data = list(rows(count, prefix="api"))
    copied, copy_seconds = copy_baseline(url, fixture, data, table)

    bodies = [
        json.dumps({"rows": [row_json(r) for r in islice(data, start, start + batch)]}).encode()
        for start in range(0, len(data), batch)
    ]
    port = free_port()
    log = work_dir / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            momentos_command("serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            cwd=REPO,
            env=child_env(work_dir, url),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(server, port, fixture.token, log)
        # Warm every worker (URLconf, schemas, first connection) before the clock starts.
        warm = json.dumps({"rows": [row_json(r) for r in rows(10, prefix="warm", seed=1)]}).encode()
        for _ in range(workers * 2):
            _request(port, "POST", "/api/v1/interactions/bulk", fixture.token, warm)
        seconds, answers = post_all(port, fixture.token, bodies, threads)
    finally:
        stop(server)

    statuses: dict[int, int] = {}
    created = failed = 0
    for status, body in answers:
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            report = json.loads(body)
            created += report["created"]
            failed += report["failed"]
    if statuses.keys() != {200}:
        print(f"bench: some requests failed; server log in {log}:\n{log.read_text()[-3000:]}")
    api_rows = Interaction.objects.filter(
        organization_id=fixture.organization_id, external_id__startswith="api-"
    )
    return IngestResult(
        rows=count,
        batch=batch,
        threads=threads,
        workers=workers,
        copy_seconds=copy_seconds,
        copy_rows=copied,
        api_seconds=seconds,
        api_created=created,
        api_failed=failed,
        stored=api_rows.count(),
        standard_results=StandardResult.objects.filter(interaction__in=api_rows).count(),
        requests=len(bodies),
        statuses=statuses,
    )

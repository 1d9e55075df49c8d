"""Benchmark of the public survey submit: momentos under gunicorn vs a one-row Django view, same run.

    .venv/bin/python bench/surveys_submit.py [--duration 20] [--connections 50] [--workers 2]

It recreates its own PostgreSQL database (``BENCH_SURVEYS_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/momentos_bench_surveys``), migrates it and builds an organisation
with one survey (NPS, CSAT, an optional choice and an optional comment) and enough closed interactions,
each with its single-use link, that no token is sent twice. Then, one after the other on free loopback
ports, with the same gunicorn worker count and connection reuse:

- *baseline*: bench/surveys_baseline_wsgi.py, a bare Django view that inserts one row per POST;
- *momentos*: ``momentos serve`` with MOMENTOS_ENV=production, each request a customer's real submit of
  one link (CSRF cookie and token, signed form start, honeypot empty): the whole view, form validation,
  link claimed, response and answers stored, redirect to the thanks page.

The load tool is wrk (installed with apt-get when missing), 50 connections by default, each request
with the next unused token. The report prints responses/s and p95 of both, the ratio, and whether
the targets (>= 0.5 x baseline, p95 < 50 ms) are met; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/momentos_bench_surveys"
SECRET_KEY = "bench-" + "k" * 60  # the server and this process sign the same form start stamps
CSRF = "b" * 32  # an unmasked CSRF secret, sent as cookie and as form field
BASELINE_TABLE = (
    "CREATE TABLE bench_baseline_row (id uuid PRIMARY KEY, token text NOT NULL, body text NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now())"
)

LUA = r"""
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local body = os.getenv("BENCH_BODY")
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pace > 0 then
  -- Paced: each connection waits this long after a response before its next request.
  function delay() return pace end
end
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  thread:set("step", tonumber(os.getenv("BENCH_THREADS")))
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = id
  wrapped = 0
end

function request()
  if n > #tokens then n = id; wrapped = wrapped + 1 end
  local token = tokens[n]
  n = n + step
  return wrk.format("POST", "/s/" .. token .. "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF"),
  }, body)
end

function done(summary, latency, requests)
  local wraps = 0
  for _, t in ipairs(threads) do wraps = wraps + (t:get("wrapped") or 0) end
  io.write(string.format("BENCH p50=%.3f p95=%.3f p99=%.3f requests=%d errors=%d wrapped=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, wraps))
end
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing it with apt-get", flush=True)
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*prefix, "apt-get", "install", "-y", "wrk"], check=False)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: install it (apt-get install wrk) and run again")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_recreate(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in {"postgres", "template0", "template1", ""}:
        sys.exit(f"refusing to recreate the database {name!r}: point BENCH_SURVEYS_DATABASE_URL elsewhere")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(parts.path.lstrip("/")))
        )


def server_env(work: Path, url: str, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        {
            "MOMENTOS_ENV": "production",
            "MOMENTOS_DATA_DIR": str(work),
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",  # loopback without the TLS proxy
            "DB_CONN_MAX_AGE": str(args.conn_max_age),
            "TASK_BACKEND": "database",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(REPO),
        }
    )
    env.pop("REDIS_URL", None)
    return env


def build_fixture(
    env: dict[str, str], count: int, warm_file: Path, tokens_file: Path, paced_file: Path
) -> str:
    """Migrate, create the organisation, the survey and ``count`` linked interactions; return the POST body."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from momentos.accounts.models import Channel, User
    from momentos.accounts.services import branch_save, organization_create
    from momentos.attention.models import Interaction
    from momentos.surveys import services
    from momentos.surveys.models import SurveyLink
    from momentos.surveys.tests.factories import standard_questions
    from momentos.surveys.tokens import sign_form_start

    call_command("migrate", interactive=False, verbosity=0)
    owner = User.objects.create_user("owner@bench.example", secrets.token_urlsafe(16), full_name="Owner")
    org = organization_create(name="Bench surveys", admin=owner, language="es")
    branch = branch_save(organization=org, name="Central", code="C1", time_zone="UTC")
    channel = Channel.objects.for_organization(org).get(kind="phone")
    survey = services.survey_create(organization=org, name="After the call", questions=standard_questions())
    version = survey.current_version
    assert version is not None
    now = timezone.now()
    tokens: list[str] = []
    for start in range(0, count, 5000):
        interactions = Interaction.objects.bulk_create(
            [
                Interaction(
                    organization=org,
                    branch=branch,
                    channel=channel,
                    reason="Bench",
                    started_at=now - timedelta(hours=1),
                    closed_at=now - timedelta(minutes=30),
                    outcome="resolved",
                )
                for _ in range(start, min(start + 5000, count))
            ]
        )
        pairs = [services._new_link(i, version) for i in interactions]  # noqa: SLF001 - bulk set-up only
        SurveyLink.objects.bulk_create([link for link, _raw in pairs])
        tokens.extend(raw for _link, raw in pairs)
    # The warm-up and the paced run have tokens of their own, so the measured runs never meet a used one.
    warm, paced = count // 10, count // 10 + count * 3 // 10
    warm_file.write_text("\n".join(tokens[:warm]) + "\n")
    paced_file.write_text("\n".join(tokens[warm:paced]) + "\n")
    tokens_file.write_text("\n".join(tokens[paced:]) + "\n")
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_TABLE)
        cursor.execute("ANALYZE")
    questions = list(version.questions.order_by("position"))
    fields = {
        "csrfmiddlewaretoken": CSRF,
        "lang": "es",
        # Signed a minute ago: a person's fill time, valid for the whole run.
        "started": sign_form_start(time.time() - 60),
        "website": "",
        f"q_{questions[0].pk}": "9",
        f"q_{questions[1].pk}": "5",
        f"q_{questions[3].pk}": "Rápido y amable",
    }
    return urlencode(fields)


def wait_ready(port: int, path: str, proc: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server on port {port} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2)  # noqa: S310 - loopback
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server on port {port} did not answer within {timeout}s")


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_wrk(
    wrk: str, port: int, args: argparse.Namespace, env: dict[str, str], duration: int
) -> dict[str, float]:
    done = subprocess.run(
        [
            wrk,
            "-t",
            str(args.threads),
            "-c",
            str(args.connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            env["BENCH_SCRIPT"],
            f"http://127.0.0.1:{port}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    stats = re.search(r"BENCH (.*)", done.stdout)
    if not rate or not stats:
        sys.exit(f"could not read wrk's report:\n{done.stdout}\n{done.stderr}")
    result = {"rps": float(rate.group(1))}
    result.update({k: float(v) for k, v in (pair.split("=") for pair in stats.group(1).split())})
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
    result["non2xx"] = float(non2xx.group(1)) if non2xx else 0.0
    return result


def measure(
    name: str,
    command: list[str],
    *,
    port: int,
    env: dict[str, str],
    wrk: str,
    args: argparse.Namespace,
    wrk_env: dict[str, str],
    paced_share: float = 0.0,
) -> dict[str, float]:
    """Warm up, then load the server flat out; with ``paced_share``, load it again at that share of the
    rate it just reached (each connection pausing between its requests) and add that run's figures as
    ``paced_*``: the latency of a server that is busy but not saturated."""
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server's workers.
    log = Path(env["MOMENTOS_DATA_DIR"]) / f"{name.split()[0]}-server.log"
    with log.open("ab") as log_file:
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        wait_ready(port, "/s/warm-up-token/", proc)
        print(f"  {name}: warming up {args.warmup}s, then {args.duration}s", flush=True)
        run_wrk(wrk, port, args, {**wrk_env, "BENCH_TOKENS": wrk_env["BENCH_WARM_TOKENS"]}, args.warmup)
        result = run_wrk(wrk, port, args, wrk_env, args.duration)
        if paced_share > 0 and result["rps"] > 0:
            pause_ms = max(1, round(args.connections / (result["rps"] * paced_share) * 1000))
            print(f"  {name}: paced, {args.connections} clients each pausing {pause_ms} ms", flush=True)
            paced_env = {
                **wrk_env,
                "BENCH_TOKENS": wrk_env["BENCH_PACED_TOKENS"],
                "BENCH_DELAY_MS": str(pause_ms),
            }
            paced = run_wrk(wrk, port, args, paced_env, args.duration)
            result.update({f"paced_{k}": v for k, v in paced.items()})
            result["paced_pause_ms"] = float(pause_ms)
        return result
    finally:
        stop(proc)
        errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
        if errors:
            print(f"  {name}: {len(errors)} error lines in its log, the last: {errors[-1][:300]}", flush=True)


def stored(url: str) -> tuple[int, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        responses = conn.execute("SELECT count(*) FROM surveys_response").fetchone()
        rows = conn.execute("SELECT count(*) FROM bench_baseline_row").fetchone()
    return int(responses[0] if responses else 0), int(rows[0] if rows else 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per server")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before measuring")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--conn-max-age", type=int, default=60, help="DB_CONN_MAX_AGE of both servers")
    parser.add_argument("--tokens", type=int, default=40000, help="single-use links prepared")
    parser.add_argument(
        "--paced-share",
        type=float,
        default=0.5,
        help="after the flat-out run, load momentos again at this share of its rate (0: skip)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)

    wrk = ensure_wrk()
    url = os.environ.get("BENCH_SURVEYS_DATABASE_URL", DEFAULT_URL)
    work = Path(tempfile.mkdtemp(prefix="momentos-bench-surveys-"))
    print(
        f"Surveys submit benchmark: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} before"
    )
    database_recreate(url)
    try:
        env = server_env(work, url, args)
        tokens_file = work / "tokens.txt"
        script = work / "submit.lua"
        script.write_text(LUA)
        print(f"  preparing {args.tokens} closed interactions with their links ...", flush=True)
        warm_file = work / "warm.txt"
        paced_file = work / "paced.txt"
        body = build_fixture(env, args.tokens, warm_file, tokens_file, paced_file)
        wrk_env = {
            **os.environ,
            "BENCH_TOKENS": str(tokens_file),
            "BENCH_WARM_TOKENS": str(warm_file),
            "BENCH_PACED_TOKENS": str(paced_file),
            "BENCH_BODY": body,
            "BENCH_CSRF": CSRF,
            "BENCH_THREADS": str(args.threads),
            "BENCH_SCRIPT": str(script),
        }
        python = sys.executable
        port = free_port()
        baseline = measure(
            "baseline (one-row Django view)",
            [
                python,
                "-m",
                "gunicorn",
                "--chdir",
                str(BENCH),
                "surveys_baseline_wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--access-logfile",
                "-",
            ],
            port=port,
            env=env,
            wrk=wrk,
            args=args,
            wrk_env=wrk_env,
        )
        port = free_port()
        momentos_cmd = str(Path(python).parent / "momentos")
        product = measure(
            "momentos (public submit)",
            [momentos_cmd, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
            port=port,
            env=env,
            wrk=wrk,
            args=args,
            wrk_env=wrk_env,
            paced_share=args.paced_share,
        )
        responses, rows = stored(url)
    finally:
        if not args.keep:
            database_drop(url)
        shutil.rmtree(work, ignore_errors=True)

    ratio = product["rps"] / baseline["rps"] if baseline["rps"] else 0.0
    print()
    print(f"{'':32}{'responses/s':>12}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'non-2xx/3xx':>13}")
    for name, r in (("baseline: one-row Django view", baseline), ("momentos: public survey submit", product)):
        print(
            f"{name:32}{r['rps']:>12.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{int(r['non2xx']):>13}"
        )
    print(f"ratio momentos / baseline: {ratio:.2f}  (target >= 0.50: {'met' if ratio >= 0.5 else 'MISSED'})")
    print(
        f"momentos p95: {product['p95']:.1f} ms  (target < 50 ms: {'met' if product['p95'] < 50 else 'MISSED'})"
    )
    if "paced_rps" in product:
        print(
            f"momentos p95 when busy but not saturated: {product['paced_p95']:.1f} ms (p50 "
            f"{product['paced_p50']:.1f}) at {product['paced_rps']:.0f} responses/s, {args.connections} clients "
            f"each pausing {product['paced_pause_ms']:.0f} ms ({args.paced_share:.0%} of its top rate; information)"
        )
    print(
        f"stored: {responses} survey responses, {rows} baseline rows "
        f"(tokens reused after running out: {int(product['wrapped'] + product.get('paced_wrapped', 0))}; those get the 'already answered' page)"
    )
    print(f"load average {os.getloadavg()[0]:.1f} after (other work on the machine makes both figures noisy)")
    print(
        f"settings: {args.connections} connections, {args.threads} wrk threads, {args.workers} gunicorn "
        f"workers each, DB_CONN_MAX_AGE={args.conn_max_age}, {args.duration}s measured after {args.warmup}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

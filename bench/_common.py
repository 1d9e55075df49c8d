"""What every benchmark shares: a fresh PostgreSQL database, an organisation to load into, rows, the machine.

The benchmark process talks to its own database (``momentos_bench`` unless ``BENCH_DATABASE_URL`` says
otherwise), dropped and created again on each run, so a run never touches a developer's data. Django is
set up in this process only to migrate and to build the organisation through the services; what is
measured runs in separate processes (the production server, the `momentos` command) or through raw
psycopg.
"""

from __future__ import annotations

import os
import platform
import random
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/momentos_bench"

BRANCH_CODE = "CEN"
TEAMS = ("Billing", "Support", "Claims")
AGENTS = tuple(f"agent{i}@bench.example" for i in range(1, 7))
REASONS = ("Invoice query", "Delivery delay", "Change of plan", "Password reset", "Complaint", "")
# Channel kinds as the API names them, and as a helpdesk export does.
CHANNELS = ("email", "phone")
HELPDESK_CHANNEL = {"email": "Email", "phone": "voice"}


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_recreate(url: str) -> None:
    """Drop the benchmark database (whoever is connected) and create it empty."""
    name = database_name(url)
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"bench: refusing to recreate the database {name!r}; use a database of its own")
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(url: str) -> None:
    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url)))
        )


def child_env(work_dir: Path, url: str, **overrides: str) -> dict[str, str]:
    """The environment of a measured process: production settings against the benchmark database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env.update(
        {
            "MOMENTOS_ENV": "production",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MOMENTOS_DATA_DIR": str(work_dir / "data"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


def django_setup(work_dir: Path, url: str) -> None:
    """Django in this process, on the benchmark database, with nothing written to the repository's var/."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MOMENTOS_ENV": "embedded",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "MOMENTOS_DATA_DIR": str(work_dir / "data"),
        }
    )
    import django

    django.setup()


@dataclass
class Fixture:
    """The organisation the benchmarks load into, and the ids a raw COPY needs."""

    organization_id: Any
    slug: str
    token: str
    branch_id: Any
    channel_ids: dict[str, Any]
    team_ids: dict[str, Any]
    agent_ids: dict[str, Any]
    standards: int


def fixture_create() -> Fixture:
    """Migrate, then build through the services an organisation as a customer would set it up.

    One branch with weekly hours and a holiday, three teams, six agents, and an e-mail and a phone
    cycle whose standards (one of them in business hours) every ingested interaction is evaluated
    against, as in production.
    """
    from datetime import date, time
    from decimal import Decimal

    from django.core.management import call_command

    from momentos.accounts.choices import Role
    from momentos.accounts.models import Channel, User
    from momentos.accounts.services import (
        api_token_create,
        branch_save,
        holiday_add,
        membership_add,
        opening_hours_replace,
        organization_create,
        team_save,
    )
    from momentos.cycle.choices import StandardMetric, Unit
    from momentos.cycle.services import cycle_save, moment_save, standard_save

    call_command("migrate", interactive=False, verbosity=0)
    owner = User.objects.create_user("owner@bench.example", secrets.token_urlsafe(16), full_name="Owner")
    org = organization_create(name="Bench", admin=owner, language="en", time_zone="America/Santiago")
    branch = branch_save(organization=org, name="Central", code=BRANCH_CODE, time_zone="America/Santiago")
    opening_hours_replace(
        branch=branch,
        spans=[(d, time(9), time(13)) for d in range(5)] + [(d, time(14), time(18)) for d in range(5)],
    )
    holiday_add(branch=branch, date=date(2025, 9, 18), name="National day")
    teams = {name: team_save(organization=org, name=name, branch=branch) for name in TEAMS}
    agents = {}
    for email in AGENTS:
        user = User.objects.create_user(email, secrets.token_urlsafe(16), full_name=email.split("@")[0])
        membership_add(organization=org, user=user, role=Role.AGENT, branches=[branch])
        agents[email] = user.pk
    channels = {c.kind: c for c in Channel.objects.for_organization(org).filter(kind__in=CHANNELS)}
    standards = 0
    for kind, channel in channels.items():
        cycle = cycle_save(organization=org, channel=channel, name=f"{kind} cycle")
        first = moment_save(cycle=cycle, name="First reply")
        last = moment_save(cycle=cycle, name="Resolution")
        standard_save(
            moment=first,
            name="First reply within 4 business hours",
            metric=StandardMetric.FIRST_RESPONSE_TIME,
            threshold=Decimal(4),
            unit=Unit.HOURS,
            business_hours=True,
        )
        standard_save(
            moment=last,
            name="Solved within a day",
            metric=StandardMetric.ATTENTION_TIME,
            threshold=Decimal(24),
            unit=Unit.HOURS,
        )
        standard_save(
            moment=last,
            name="Solved in at most 2 contacts",
            metric=StandardMetric.CONTACTS,
            threshold=Decimal(2),
            unit=Unit.COUNT,
        )
        standards += 3
    _token, raw = api_token_create(organization=org, created_by=owner, name="bench")
    return Fixture(
        organization_id=org.pk,
        slug=org.slug,
        token=raw,
        branch_id=branch.pk,
        channel_ids={k: c.pk for k, c in channels.items()},
        team_ids={name: t.pk for name, t in teams.items()},
        agent_ids=agents,
        standards=standards,
    )


# --- rows ------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One generated interaction; the API, the COPY baseline and the CSV all write it from this."""

    external_id: str
    channel: str
    team: str
    agent: str
    reason: str
    customer_ref: str
    started_at: datetime
    first_response_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    contacts: int


def rows(count: int, *, prefix: str, seed: int = 7) -> Iterator[Row]:
    """``count`` plausible interactions over a year, the same for the same seed."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 6, 11, 0, tzinfo=UTC)
    span = 365 * 24 * 3600
    for i in range(count):
        started = start + timedelta(seconds=rng.randrange(span))
        first = started + timedelta(minutes=rng.randint(1, 480)) if rng.random() < 0.95 else None
        still_open = rng.random() < 0.08
        closed = None if still_open else (first or started) + timedelta(minutes=rng.randint(5, 2880))
        outcome = None if still_open else rng.choice(("resolved", "resolved", "resolved", "escalated"))
        yield Row(
            external_id=f"{prefix}-{i:07d}",
            channel=rng.choice(CHANNELS),
            team=rng.choice(TEAMS),
            agent=rng.choice(AGENTS),
            reason=rng.choice(REASONS),
            customer_ref=f"C{rng.randrange(10**8):08d}",
            started_at=started,
            first_response_at=first,
            closed_at=closed,
            outcome=outcome,
            contacts=rng.choice((1, 1, 1, 2, 3)),
        )


def row_json(row: Row) -> dict[str, Any]:
    """A row as the bulk API takes it."""
    data: dict[str, Any] = {
        "external_id": row.external_id,
        "branch": BRANCH_CODE,
        "channel": row.channel,
        "team": row.team,
        "agent": row.agent,
        "customer_ref": row.customer_ref,
        "started_at": row.started_at.isoformat(),
        "contacts": row.contacts,
    }
    if row.reason:
        data["reason"] = row.reason
    if row.first_response_at:
        data["first_response_at"] = row.first_response_at.isoformat()
    if row.closed_at:
        data["resolved_at"] = data["closed_at"] = row.closed_at.isoformat()
    if row.outcome:
        data["outcome"] = row.outcome
    return data


# --- the machine and processes ---------------------------------------------------------------------


def machine(url: str) -> list[tuple[str, str]]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 1024**3:.1f} GB"
    except (ValueError, OSError):
        pass
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        postgres = row[0] if row else "?"
    import django

    return [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("cpus", f"{os.cpu_count()} ({cpu or platform.machine()})"),
        ("memory", memory or "?"),
        ("os", f"{platform.system()} {platform.release()}"),
        ("python", platform.python_version()),
        ("django", django.get_version()),
        ("postgresql", postgres),
        # Other work on the machine skews every rate; the load at the start says how busy it was.
        ("load", "{:.2f} {:.2f} {:.2f} (1, 5, 15 min)".format(*os.getloadavg())),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def momentos_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "momentos.cli", *args]


def stop(proc: subprocess.Popen[Any], timeout: float = 20) -> None:
    """Stop a process this benchmark started (gunicorn's master stops its workers on SIGTERM)."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def elapsed_since(start: float) -> float:
    return time.perf_counter() - start

"""The `momentos` command, run as a real process on a temporary data directory."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.cli_support import (
    cli_env,
    free_port,
    http_get,
    momentos,
    momentos_start,
    wait_for,
)

STRONG = "a-long-secret-words"


def _shell(env: dict[str, str], code: str) -> Any:
    done = momentos("manage", "shell", "-v", "0", "-c", code, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_help_lists_the_commands(tmp_path: Path) -> None:
    done = momentos("--help", env=cli_env(tmp_path))

    assert done.returncode == 0
    for command in ("init", "serve", "demo", "backup", "restore", "worker", "manage"):
        assert command in done.stdout


def test_without_a_command_the_usage_goes_to_stderr(tmp_path: Path) -> None:
    done = momentos(env=cli_env(tmp_path))

    assert done.returncode == 2
    assert "usage: momentos" in done.stderr
    assert done.stdout == ""


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    done = momentos("frobnicate", env=cli_env(tmp_path))

    assert done.returncode == 2
    assert "usage: momentos" in done.stderr
    assert "invalid choice: 'frobnicate'" in done.stderr


def test_init_without_email_and_no_terminal_says_what_is_missing(tmp_path: Path) -> None:
    done = momentos("init", env=cli_env(tmp_path), stdin=subprocess.DEVNULL)

    assert done.returncode != 0
    assert "--email" in done.stderr


def test_init_creates_the_organisation_and_its_administrator(tmp_path: Path) -> None:
    env = cli_env(tmp_path)

    done = momentos(
        "init", "--email", "Owner@Example.test", "--password", STRONG, "--organization", "Ferretería Sur",
        "--language", "en", env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "Ferretería Sur" in done.stdout
    found = _shell(
        env,
        "import json; from momentos.accounts.models import Membership; "
        "m = Membership.objects.select_related('user', 'organization').get(); "
        f"print(json.dumps([m.organization.name, m.role, m.user.is_superuser, m.user.check_password('{STRONG}')]))",
    )
    assert found == ["Ferretería Sur", "admin", True, True]
    # Running init again only migrates: the administrator is there already.
    again = momentos("init", env=env, stdin=subprocess.DEVNULL)
    assert again.returncode == 0, again.stderr
    assert "already exists" in again.stdout


def test_init_refuses_a_weak_password(tmp_path: Path) -> None:
    env = cli_env(tmp_path)

    done = momentos(
        "init", "--email", "a@example.test", "--password", "12345678", "--organization", "X",
        env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip

    assert done.returncode != 0
    assert "password refused" in done.stderr
    assert _shell(env, "from momentos.accounts.models import User; print(User.objects.count())") == 0


def test_manage_runs_django_commands(tmp_path: Path) -> None:
    done = momentos("manage", "check", env=cli_env(tmp_path))

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_demo_loads_branches_in_several_time_zones_and_prints_a_login_per_role(
    demo_data: dict[str, Any],
) -> None:
    printed = demo_data["stdout"]
    for role in ("admin", "quality_manager", "supervisor", "agent"):
        assert role in printed
    assert "admin@demo.momentos.app" in printed
    assert "momentos-demo" in printed  # the password to use

    env = cli_env(demo_data["data"], DATABASE_URL=f"sqlite:///{demo_data['database']}")
    zones, roles = _shell(
        env,
        "import json; from momentos.accounts.models import Branch, Membership; "
        "print(json.dumps([sorted(set(Branch.objects.values_list('time_zone', flat=True))), "
        "sorted(set(Membership.objects.values_list('role', flat=True)))]))",
    )
    assert len(zones) >= 3
    assert roles == ["admin", "agent", "quality_manager", "supervisor"]


def test_serve_answers_health_checks_and_serves_static_files(tmp_path: Path) -> None:
    port = free_port()
    server = momentos_start(
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        env=cli_env(tmp_path),
        log=tmp_path / "serve.log",
    )
    try:
        status, body = wait_for(
            lambda: http_get(f"http://127.0.0.1:{port}/healthz"), timeout=60, what="gunicorn", process=server
        )
        assert status == 200
        assert json.loads(body) == {"status": "ok"}
        css = http_get(f"http://127.0.0.1:{port}/static/momentos/css/app.css")
        assert css is not None and css[0] == 200
        assert b".card" in css[1]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "momentos serving on" in (tmp_path / "serve.log").read_text()

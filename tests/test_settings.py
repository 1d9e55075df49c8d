"""Production settings: `check --deploy` is clean, and a bad environment stops start-up with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_support import cli_env, momentos

PRODUCTION = {
    "MOMENTOS_ENV": "production",
    "SECRET_KEY": "q7-Vr2mPz9xL4tWb8nKc1dHs6fJy3gAe5uRo0iTv-Np4Xw7Ls2Qk9",
    "ALLOWED_HOSTS": "momentos.example.org",
    "DATABASE_URL": "postgres://momentos:secret@db.example.org:5432/momentos",
    "DEBUG": None,
    "TASK_BACKEND": None,
}


def test_production_settings_pass_the_deployment_checks(tmp_path: Path) -> None:
    done = momentos("manage", "check", "--deploy", env=cli_env(tmp_path, **PRODUCTION))

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 50 characters"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must list"),
        ({"DATABASE_URL": None}, "DATABASE_URL must be set"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL must look like"),
        ({"DATABASE_URL": "mysql://db/momentos"}, "PostgreSQL or SQLite"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE 'Mars/Olympus' is not a known time zone"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"SECURE_SSL_REDIRECT": "sometimes"}, "SECURE_SSL_REDIRECT must be true or false"),
        ({"TASK_BACKEND": "celery"}, "TASK_BACKEND must be immediate or database"),
        ({"EMAIL_URL": "http://mail.example.org"}, "EMAIL_URL must look like"),
        ({"MOMENTOS_ENV": "staging"}, "MOMENTOS_ENV must be"),
    ],
)
def test_bad_environment_stops_start_up_with_a_clear_message(
    tmp_path: Path, change: dict[str, str | None], message: str
) -> None:
    done = momentos("manage", "check", env=cli_env(tmp_path, **{**PRODUCTION, **change}))

    assert done.returncode != 0
    assert done.stderr.startswith("momentos: configuration error: ")
    assert message in done.stderr
    assert "Traceback" not in done.stderr

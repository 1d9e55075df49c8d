"""Fixtures of the process-level tests under tests/: the demo is loaded once per session."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli_support import cli_env, momentos


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: Any) -> dict[str, Any]:
    """`momentos demo --no-serve` once per test session: its data dir, database file and output."""
    data = tmp_path_factory.mktemp("demo") / "data"
    loaded = momentos("demo", "--no-serve", "--interactions", "60", env=cli_env(data), timeout=600)
    assert loaded.returncode == 0, loaded.stderr
    return {"data": data, "database": data / "demo.sqlite3", "stdout": loaded.stdout}

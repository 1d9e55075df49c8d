"""`momentos backup` and `momentos restore`: same rows back, across SQLite and PostgreSQL, damage refused."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import REPO, cli_env, momentos, postgres_skip, sqlite_copy


def _support(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.backup_support", command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def snapshot(env: dict[str, str]) -> dict[str, list[str]]:
    return json.loads(_support("snapshot", env))


def sqlite_env(tmp_path: Path, name: str) -> dict[str, str]:
    return cli_env(tmp_path / "data", DATABASE_URL=f"sqlite:///{tmp_path / name}")


@pytest.fixture(scope="module")
def source(demo_data: dict[str, Any], tmp_path_factory: Any) -> dict[str, Any]:
    """A copy of the demo database with extras, its snapshot and its backup."""
    tmp = tmp_path_factory.mktemp("backup")
    database = sqlite_copy(demo_data["database"], tmp / "source.sqlite3")
    env = cli_env(tmp / "data", DATABASE_URL=f"sqlite:///{database}")
    _support("enrich", env)
    written = momentos("backup", str(tmp / "demo.momentos.gz"), env=env)
    assert written.returncode == 0, written.stderr
    return {"env": env, "snapshot": snapshot(env), "file": tmp / "demo.momentos.gz"}


def _rows(snap: dict[str, list[str]], label: str) -> list[dict[str, Any]]:
    return [json.loads(row) for row in snap[label]]


def test_backup_restored_into_an_empty_database_gives_the_same_rows(
    source: dict[str, Any], tmp_path: Path
) -> None:
    target = sqlite_env(tmp_path, "restored.sqlite3")

    done = momentos("restore", str(source["file"]), env=target)

    assert done.returncode == 0, done.stderr
    restored = snapshot(target)
    assert restored == source["snapshot"]
    # The comparison is not vacuous: it covers UUIDs, times with microseconds, JSON and M2M rows.
    branches = _rows(restored, "accounts.branch")
    assert len(branches) >= 3
    assert all(uuid.UUID(b["id"]).version == 7 for b in branches)
    assert {b["time_zone"] for b in branches} >= {"America/Mexico_City", "America/Bogota", "Europe/Madrid"}
    assert any("." in u["date_joined"] for u in _rows(restored, "accounts.user"))
    assert any(len(i["branches"]) == 2 for i in _rows(restored, "accounts.invitation"))
    assert _rows(restored, "accounts.user_user_permissions")[0]["permission__codename"] == "change_team"
    assert _rows(restored, "auth.group_permissions")[0]["permission__codename"] == "view_branch"
    assert len(restored["accounts.membershipbranch"]) > 0


def test_restore_refuses_a_database_that_is_not_empty(source: dict[str, Any], tmp_path: Path) -> None:
    target = sqlite_env(tmp_path, "full.sqlite3")
    assert momentos("restore", str(source["file"]), env=target).returncode == 0

    again = momentos("restore", str(source["file"]), env=target)

    assert again.returncode != 0
    assert "not empty" in again.stderr and "--replace" in again.stderr
    assert snapshot(target) == source["snapshot"]


def test_restore_with_replace_swaps_the_content(source: dict[str, Any], tmp_path: Path) -> None:
    target = sqlite_env(tmp_path, "other.sqlite3")
    created = momentos(
        "init",
        "--email",
        "otra@example.test",
        "--password",
        "a-long-secret-words",
        "--organization",
        "Otra",
        env=target,
    )
    assert created.returncode == 0, created.stderr

    done = momentos("restore", "--replace", str(source["file"]), env=target)

    assert done.returncode == 0, done.stderr
    assert snapshot(target) == source["snapshot"]


def _lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.readlines()


def _write(path: Path, lines: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(lines)
    return path


def _damaged(source_file: Path, tmp: Path) -> Iterator[tuple[str, Path]]:
    raw = source_file.read_bytes()
    lines = _lines(source_file)
    (tmp / "noise").write_bytes(b"\x00not a backup at all\xff" * 50)
    yield "random bytes", tmp / "noise"
    (tmp / "half").write_bytes(raw[: len(raw) // 2])
    yield "truncated gzip", tmp / "half"
    (tmp / "empty").write_bytes(b"")
    yield "empty file", tmp / "empty"
    yield "other json", _write(tmp / "other", ['{"hello": "world"}\n'])
    yield "no end line", _write(tmp / "cut", lines[:-3])
    yield "bad json line", _write(tmp / "badline", [*lines[:5], "{not json\n", *lines[5:]])
    row = json.loads(lines[3])
    row["model"] = "nothere.model"
    yield "unknown model", _write(tmp / "unknown", [*lines[:3], json.dumps(row) + "\n", *lines[4:]])
    # Well-formed, but a membership points at an organisation that is not there: fails at commit.
    broken, done = [], False
    for line in lines:
        item = json.loads(line)
        if item.get("model") == "accounts.membership" and not done:
            item["fields"]["organization"] = str(uuid.uuid4())
            line, done = json.dumps(item) + "\n", True
        broken.append(line)
    assert done
    yield "dangling reference", _write(tmp / "dangling", broken)


def test_restore_of_a_damaged_file_says_so_and_changes_nothing(
    source: dict[str, Any], tmp_path: Path
) -> None:
    # Given a database with content, and --replace, the most destructive way to call restore
    target = sqlite_env(tmp_path, "keep.sqlite3")
    assert momentos("restore", str(source["file"]), env=target).returncode == 0

    for what, path in _damaged(source["file"], tmp_path):
        done = momentos("restore", "--replace", str(path), env=target)

        assert done.returncode != 0, what
        assert done.stderr.startswith("momentos: "), (what, done.stderr)
        assert "Traceback" not in done.stderr, (what, done.stderr)
    assert snapshot(target) == source["snapshot"]


def test_restore_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    done = momentos("restore", str(tmp_path / "nope.gz"), env=sqlite_env(tmp_path, "x.sqlite3"))

    assert done.returncode != 0
    assert "no such file" in done.stderr


def test_backup_file_is_readable_only_by_its_owner(source: dict[str, Any]) -> None:
    assert source["file"].stat().st_mode & 0o077 == 0


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    import os
    from urllib.parse import urlparse

    import psycopg

    base = urlparse(os.environ["DATABASE_URL"])
    name = f"test_momentos_restore_{uuid.uuid4().hex[:10]}"
    admin_url = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@postgres_skip
def test_sqlite_backup_restores_into_postgresql_and_back(
    source: dict[str, Any], fresh_postgres: str, tmp_path: Path
) -> None:
    # SQLite → PostgreSQL
    pg = cli_env(tmp_path / "data", DATABASE_URL=fresh_postgres)
    done = momentos("restore", str(source["file"]), env=pg)
    assert done.returncode == 0, done.stderr
    assert snapshot(pg) == source["snapshot"]

    # PostgreSQL → SQLite
    written = momentos("backup", str(tmp_path / "pg.gz"), env=pg)
    assert written.returncode == 0, written.stderr
    back = sqlite_env(tmp_path, "back.sqlite3")
    done = momentos("restore", str(tmp_path / "pg.gz"), env=back)
    assert done.returncode == 0, done.stderr
    assert snapshot(back) == source["snapshot"]

    # And a restored PostgreSQL database takes new rows (sequences follow the restored ids).
    more = momentos(
        "init",
        "--email",
        "luego@example.test",
        "--password",
        "a-long-secret-words",
        "--organization",
        "Luego",
        env=pg,
    )
    assert more.returncode == 0, more.stderr

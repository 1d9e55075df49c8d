"""The real worker: `momentos worker` runs tasks queued in PostgreSQL, and a killed worker loses none."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django_tasks import TaskResultStatus

from tests.cli_support import (
    cli_env,
    database_url_of_tests,
    momentos,
    momentos_start,
    postgres_skip,
    wait_for,
)
from tests.worker_support import note_write

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worker_env(tmp_path: Path, transactional_db: Any, settings: Any) -> dict[str, str]:
    # Tasks are queued in the test database, where the worker process must find them.
    settings.TASKS = DB_BACKEND
    return cli_env(tmp_path / "data", DATABASE_URL=database_url_of_tests(), TASK_BACKEND="database")


def _status(result: Any) -> str:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(pk=result.id).status


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


@pytest.mark.postgres
@postgres_skip
def test_worker_runs_a_task_queued_in_postgresql(worker_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    result = note_write.enqueue(path=str(out), text="hola")
    assert _status(result) == TaskResultStatus.READY

    worker = momentos_start("worker", "--interval", "0.2", env=worker_env, log=tmp_path / "worker.log")
    try:
        wait_for(
            lambda: _status(result) == TaskResultStatus.SUCCESSFUL,
            timeout=30,
            what="the task",
            process=worker,
        )
    finally:
        _stop(worker)

    assert _lines(out) == ["hola"]
    assert note_write.get_backend().get_result(result.id).return_value == "HOLA"


@pytest.mark.postgres
@postgres_skip
def test_worker_in_batch_mode_exits_when_the_queue_is_empty(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    for n in range(3):
        note_write.enqueue(path=str(out), text=f"n{n}")

    done = momentos("worker", "--batch", env=worker_env, timeout=60)

    assert done.returncode == 0, done.stderr
    assert sorted(_lines(out)) == ["n0", "n1", "n2"]


@pytest.mark.postgres
@postgres_skip
def test_task_queued_before_a_worker_is_killed_runs_once_after_restart(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    # Given a task in the queue and a worker that is killed before it gets to it
    out = tmp_path / "out.txt"
    worker = momentos_start("worker", "--interval", "5", env=worker_env, log=tmp_path / "w1.log")
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)
    result = note_write.enqueue(path=str(out), text="later")
    assert _status(result) == TaskResultStatus.READY

    # When a worker starts again, the task runs, once
    worker = momentos_start("worker", "--interval", "0.2", env=worker_env, log=tmp_path / "w2.log")
    try:
        wait_for(
            lambda: _status(result) == TaskResultStatus.SUCCESSFUL,
            timeout=30,
            what="the task",
            process=worker,
        )
    finally:
        _stop(worker)
    assert _lines(out) == ["later"]


@pytest.mark.postgres
@postgres_skip
def test_task_of_a_worker_killed_mid_task_runs_again_exactly_once(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    # Given a worker killed (SIGKILL) while it runs a slow task
    out = tmp_path / "out.txt"
    started = tmp_path / "out.txt.started"
    result = note_write.enqueue(path=str(out), text="slow", delay=3.0)
    worker = momentos_start("worker", "--interval", "0.2", env=worker_env, log=tmp_path / "w1.log")
    try:
        wait_for(lambda: _lines(started), timeout=30, what="the task to start", process=worker)
        assert _status(result) == TaskResultStatus.RUNNING
    finally:
        worker.kill()
        worker.wait(timeout=10)
    assert _lines(out) == []
    assert _status(result) == TaskResultStatus.RUNNING

    # When a worker starts again, it takes the orphaned task back and finishes it, once
    worker = momentos_start("worker", "--interval", "0.2", env=worker_env, log=tmp_path / "w2.log")
    try:
        wait_for(
            lambda: _status(result) == TaskResultStatus.SUCCESSFUL,
            timeout=30,
            what="the task",
            process=worker,
        )
    finally:
        _stop(worker)
    assert _lines(started) == ["slow", "slow"]
    assert _lines(out) == ["slow"]


@pytest.mark.postgres
@postgres_skip
def test_sigterm_lets_the_running_task_finish_before_the_worker_exits(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out.txt"
    result = note_write.enqueue(path=str(out), text="graceful", delay=2.0)
    worker = momentos_start("worker", "--interval", "0.2", env=worker_env, log=tmp_path / "w.log")
    try:
        wait_for(
            lambda: _lines(Path(str(out) + ".started")), timeout=30, what="the task to start", process=worker
        )
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        _stop(worker)
    assert _status(result) == TaskResultStatus.SUCCESSFUL
    assert _lines(out) == ["graceful"]


@pytest.mark.postgres
@postgres_skip
def test_a_running_task_of_a_live_worker_is_left_alone(worker_env: dict[str, str], tmp_path: Path) -> None:
    # Two workers: the second one's start-up recovery must not steal the first one's running task.
    out = tmp_path / "out.txt"
    result = note_write.enqueue(path=str(out), text="mine", delay=3.0)
    first = momentos_start("worker", "--interval", "0.2", env=worker_env, log=tmp_path / "w1.log")
    second = None
    try:
        wait_for(
            lambda: _lines(Path(str(out) + ".started")), timeout=30, what="the task to start", process=first
        )
        second = momentos_start(
            "worker",
            "--interval",
            "0.2",
            "--recover-interval",
            "0.5",
            env=worker_env,
            log=tmp_path / "w2.log",
        )
        wait_for(
            lambda: _status(result) == TaskResultStatus.SUCCESSFUL, timeout=30, what="the task", process=first
        )
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
    assert _lines(Path(str(out) + ".started")) == ["mine"]
    assert _lines(out) == ["mine"]


def test_worker_refuses_to_start_without_the_database_backend(tmp_path: Path) -> None:
    done = momentos("worker", env=cli_env(tmp_path, TASK_BACKEND="immediate"))

    assert done.returncode != 0
    assert "TASK_BACKEND=database" in done.stderr

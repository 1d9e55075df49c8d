"""The background worker: django_tasks_db's `db_worker`, plus recovery of tasks whose worker died.

`db_worker` marks a task RUNNING when it claims it and never looks at it again if the process is
killed (SIGKILL, out of memory, a lost machine) before it records the result. `momentos worker` makes
such a task run again: every worker announces that it is alive for as long as its process lives — a
PostgreSQL session-level advisory lock (released by the server when the session dies), or, on SQLite,
an exclusive lock on a file beside the database — and a running task whose last worker is not alive
any more goes back to the queue. Delivery is therefore at least once: a task that is killed after its
work committed but before its result was recorded runs again, so tasks keep their writes in one
transaction or are otherwise safe to repeat. A task that has taken down its worker ``MAX_ATTEMPTS``
times is marked failed instead of being retried forever.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger("momentos.worker")

WORKER_PREFIX = "momentos-"
# First half of the two-key advisory lock: ours, whatever else shares the database uses other keys.
LOCK_CLASS = 0x6D6F6D
MAX_ATTEMPTS = 3


class WorkerLostError(Exception):
    """The worker running this task stopped before the task finished, too many times."""


def worker_id_new() -> str:
    host = socket.gethostname().split(".")[0][:24]
    return f"{WORKER_PREFIX}{host}-{os.getpid()}-{get_random_string(8)}"


def _lock_key(worker_id: str) -> int:
    return int.from_bytes(hashlib.sha256(worker_id.encode()).digest()[:4], "big") & 0x7FFFFFFF


class Liveness:
    """Holds this worker's "alive" lock and answers whether another worker still holds its own."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.vendor = connections[DEFAULT_DB_ALIAS].vendor
        self._connection: Any = None
        self._file: IO[str] | None = None

    def _lock_dir(self) -> Path:
        path = Path(settings.DATA_DIR) / "workers"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def acquire(self) -> None:
        if self.vendor == "postgresql":
            # A connection of its own: Django closes its request connections between tasks,
            # and closing the session would release the lock.
            self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, _lock_key(self.worker_id)])
        else:
            handle = (self._lock_dir() / f"{self.worker_id}.lock").open("w")
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._file = handle

    def release(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._file is not None:
            Path(self._file.name).unlink(missing_ok=True)
            self._file.close()
            self._file = None

    def alive(self, worker_ids: set[str]) -> set[str]:
        """The subset of ``worker_ids`` whose process is still running."""
        if not worker_ids:
            return set()
        if self.vendor == "postgresql":
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute(
                    "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid = %s"
                    " AND objsubid = 2 AND granted",
                    [LOCK_CLASS],
                )
                held = {row[0] for row in cursor.fetchall()}
            return {wid for wid in worker_ids if _lock_key(wid) in held}
        alive = set()
        for wid in worker_ids:
            if wid == self.worker_id:
                alive.add(wid)
                continue
            path = self._lock_dir() / f"{wid}.lock"
            if not path.exists():
                continue
            with path.open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    alive.add(wid)
                else:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                    path.unlink(missing_ok=True)
        return alive


def tasks_recover(*, liveness: Liveness) -> int:
    """Put back on the queue the running tasks whose worker died; returns how many."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    recovered = 0
    with exclusive_transaction(DEFAULT_DB_ALIAS):
        running = list(DBTaskResult.objects.running().select_for_update(skip_locked=True))
        owners = {
            r.worker_ids[-1] for r in running if r.worker_ids and r.worker_ids[-1].startswith(WORKER_PREFIX)
        }
        alive = liveness.alive(owners)
        for result in running:
            owner = result.worker_ids[-1] if result.worker_ids else ""
            # Tasks claimed by a bare `db_worker` carry no liveness lock; leave them alone.
            if not owner.startswith(WORKER_PREFIX) or owner in alive:
                continue
            attempts = sum(1 for wid in result.worker_ids if wid.startswith(WORKER_PREFIX))
            if attempts >= MAX_ATTEMPTS:
                result.status = TaskResultStatus.FAILED
                result.finished_at = timezone.now()
                result.exception_class_path = f"{__name__}.{WorkerLostError.__qualname__}"
                result.traceback = f"{WorkerLostError.__qualname__}: the worker stopped {attempts} times while running this task\n"
                result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                logger.error("Task id=%s failed: its worker stopped %d times", result.id, attempts)
            else:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                logger.warning("Task id=%s re-queued: worker %s stopped while running it", result.id, owner)
            recovered += 1
    return recovered


def _recover_forever(liveness: Liveness, interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            tasks_recover(liveness=liveness)
        except Exception:  # A failed pass is retried on the next one; the worker keeps working.
            logger.exception("Recovering tasks of stopped workers failed")
        finally:
            connections.close_all()


def worker_run(
    *,
    queue: str = "default",
    batch: bool = False,
    interval: float = 1.0,
    recover_interval: float = 30.0,
    max_tasks: int | None = None,
    worker_id: str | None = None,
    verbosity: int = 1,
) -> None:
    """Run `db_worker` under a liveness lock, re-queueing tasks of dead workers at start and periodically."""
    from django.core.management import call_command

    if worker_id and not worker_id.startswith(WORKER_PREFIX):
        worker_id = WORKER_PREFIX + worker_id
    worker_id = worker_id or worker_id_new()
    if len(worker_id) > 64:
        raise ValueError("a worker id is at most 64 characters long")
    liveness = Liveness(worker_id)
    liveness.acquire()
    try:
        tasks_recover(liveness=liveness)
        if recover_interval > 0 and not batch:
            threading.Thread(
                target=_recover_forever, args=(liveness, recover_interval), name="recover", daemon=True
            ).start()
        options: dict[str, Any] = {
            "queue_name": queue,
            "batch": batch,
            "interval": interval,
            "worker_id": worker_id,
            "reload": False,
            "startup_delay": False,
            "verbosity": verbosity,
        }
        if max_tasks:
            options["max_tasks"] = max_tasks
        call_command("db_worker", **options)
    finally:
        liveness.release()

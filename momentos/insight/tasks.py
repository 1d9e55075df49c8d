"""Background work of insight: the rollup refresh, through the one task interface.

Writes mark partitions dirty and ask for a refresh once their transaction commits. Inside
``upkeep_deferred()`` (and while any other background task runs, e.g. an import job of many batches)
the requests are held and one refresh per organisation runs at the end, so a partition touched by
many batches is recomputed once, not once per batch.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)

_state = threading.local()


@task()
def refresh_rollups(*, organization_id: str) -> int:
    """Recompute the organisation's dirty rollup partitions; returns how many."""
    from momentos.insight import rollups

    return rollups.refresh(uuid.UUID(organization_id))


def _held() -> set[Any]:
    held: set[Any] | None = getattr(_state, "held", None)
    if held is None:
        held = _state.held = set()
    return held


def _depth() -> int:
    return int(getattr(_state, "depth", 0))


# With a queue (production), a refresh is enqueued at most this often per organisation and process:
# one refresh claims every partition marked so far, and pages refresh what is left before reading.
ENQUEUE_EVERY_SECONDS = 5.0
_last_enqueued: dict[Any, float] = {}


def _immediate() -> bool:
    from django_tasks import task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(task_backends[refresh_rollups.backend], ImmediateBackend)


def _enqueue(organization_id: Any) -> None:
    if not _immediate():
        import time as time_module

        now = time_module.monotonic()
        last = _last_enqueued.get(organization_id)
        if last is not None and now - last < ENQUEUE_EVERY_SECONDS:
            return
        _last_enqueued[organization_id] = now
    try:
        refresh_rollups.enqueue(organization_id=str(organization_id))
    except Exception:  # the partitions stay marked: the next read or refresh recomputes them
        logger.exception(
            "rollup refresh of organisation %s failed; its partitions stay marked", organization_id
        )


def request_refresh(organization_id: Any) -> None:
    """Ask for a refresh of the organisation's dirty partitions once the current transaction commits."""
    if _depth() > 0:
        _held().add(organization_id)
        return
    transaction.on_commit(lambda: _enqueue(organization_id))


@contextmanager
def upkeep_deferred() -> Iterator[None]:
    """Hold refresh requests until the outermost block ends, then ask once per organisation."""
    _state.depth = _depth() + 1
    try:
        yield
    finally:
        _state.depth = _depth() - 1
        if _state.depth == 0:
            held = sorted(_held(), key=str)
            _held().clear()
            for organization_id in held:
                request_refresh(organization_id)


def defer_during_task(*, starting: bool, task_path: str) -> None:
    """Every other background task runs as if inside ``upkeep_deferred()`` (see receivers)."""
    if task_path == refresh_rollups.module_path:
        return
    if starting:
        _state.depth = _depth() + 1
        return
    if _depth() == 0:
        return
    _state.depth = _depth() - 1
    if _state.depth == 0:
        held = sorted(_held(), key=str)
        _held().clear()
        for organization_id in held:
            request_refresh(organization_id)

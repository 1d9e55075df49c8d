"""Which organisations have active endpoints for which events, per process, for about 30 seconds.

The public survey submit asks this on every response: it must cost no query for an organisation
without webhooks. One query loads the whole table of active subscriptions at most once per TTL;
saving or deleting an endpoint clears it in this process (other processes see the change within
the TTL).
"""

from __future__ import annotations

import threading
import time
from typing import Any

TTL_SECONDS = 30.0

_lock = threading.Lock()
_table: dict[str, frozenset[str]] | None = None
_expires = 0.0


def _load() -> dict[str, frozenset[str]]:
    from momentos.webhooks.models import WebhookEndpoint

    found: dict[str, set[str]] = {}
    for organization_id, events in WebhookEndpoint.objects.filter(is_active=True).values_list(
        "organization_id", "events"
    ):
        found.setdefault(str(organization_id), set()).update(events or [])
    return {org: frozenset(events) for org, events in found.items()}


def subscribed_events(organization_id: Any) -> frozenset[str]:
    """The events some active endpoint of the organisation listens to (empty: send nothing)."""
    global _table, _expires
    now = time.monotonic()
    table = _table
    if table is None or now >= _expires:
        with _lock:
            if _table is None or now >= _expires:
                _table = _load()
                _expires = now + TTL_SECONDS
            table = _table
    return table.get(str(organization_id), frozenset())


def wants(organization_id: Any, event: str) -> bool:
    return event in subscribed_events(organization_id)


def clear() -> None:
    global _table
    with _lock:
        _table = None

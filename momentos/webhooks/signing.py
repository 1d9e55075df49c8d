"""The signature a receiver checks: HMAC-SHA256 of ``"<timestamp>.<raw body>"`` with the endpoint's secret.

Headers: ``X-Momentos-Timestamp: <unix seconds>`` and ``X-Momentos-Signature: sha256=<hex>``. A receiver
recomputes the HMAC over the timestamp header, a dot and the body bytes exactly as received, compares
in constant time and refuses timestamps older than a few minutes (docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

SIGNATURE_PREFIX = "sha256="
TOLERANCE_SECONDS = 300


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does (kept here for the tests and as the reference of docs/webhooks.md)."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature)

"""Tokens of the public pages: single-use link tokens (kept only as hashes), QR tokens, and the signed
form timestamp that tells a person's submit from a script's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing

FORM_SALT = "momentos.surveys.form-started"


def new_link_token() -> str:
    """An unguessable token (192 random bits) for one survey link."""
    return secrets.token_urlsafe(24)


def new_qr_token() -> str:
    """A short public token for a printed QR code; short keeps the code small and easy to scan."""
    return secrets.token_urlsafe(9)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def looks_like_token(raw: str) -> bool:
    return 8 <= len(raw) <= 64 and all(c.isalnum() or c in "-_" for c in raw)


def client_fingerprint(*, address: str, user_agent: str) -> str:
    """A keyed hash of the client's address and browser: enough to spot a repeat, useless to identify anyone."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{address}|{user_agent[:300]}".encode(), hashlib.sha256).hexdigest()


def sign_form_start(now: float | None = None) -> str:
    return signing.dumps(
        int((now if now is not None else time.time()) * 1000), salt=FORM_SALT, compress=False
    )


def seconds_since_form_start(signed: str, *, max_age: int = 60 * 60 * 24) -> float | None:
    """Seconds since the form was served, or None when the stamp is missing, forged or too old."""
    try:
        started_ms = signing.loads(signed, salt=FORM_SALT, max_age=max_age)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(started_ms, int):
        return None
    return time.time() - started_ms / 1000

"""Tokens of the public pages: single-use link tokens (kept only as hashes), QR tokens, and the signed
form timestamp that tells a person's submit from a script's.

A link token is signed: an HMAC of the link's id under the secret key. The database keeps only its
hash, yet the application can write the same URL again (the console after a reload, the e-mail
reminder). Rotating SECRET_KEY leaves sent links working (they are found by hash) until the
application writes the URL again: then the link is re-signed with the new key and the old URL dies.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from uuid import UUID

from django.conf import settings
from django.core import signing

FORM_SALT = "momentos.surveys.form-started"


LINK_SALT = b"momentos.surveys.link"


def link_token(link_id: UUID) -> str:
    """The token of one survey link: its id and 128 bits of HMAC, unguessable without the secret key."""
    mac = hmac.new(settings.SECRET_KEY.encode(), LINK_SALT + link_id.bytes, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(link_id.bytes + mac).rstrip(b"=").decode()


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

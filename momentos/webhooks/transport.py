"""One POST to a webhook URL, connecting only to the address that passed the safety check.

The standard library's http.client is enough for a POST with a short timeout; no redirect is followed
(a 3xx is a failed delivery, as any other non-2xx).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from momentos.webhooks import security

TIMEOUT_SECONDS = 5.0
MAX_READ = 64 * 1024


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, *, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS) -> Outcome:
    """POST ``body``; never raises for network trouble or a refused URL (the outcome says what happened)."""
    try:
        parts = security.check_form(url)
        address = security.resolve(parts)[0]
    except security.UnsafeUrl as exc:
        return Outcome(None, str(exc.message))
    host = parts.hostname or ""
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, parts.port, address=address, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_READ)
        return Outcome(response.status, "" if 200 <= response.status < 300 else response.reason[:200])
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, (f"{type(exc).__name__}: {exc}")[:500])
    finally:
        connection.close()

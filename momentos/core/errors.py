"""Domain errors that services raise and views turn into form errors or 4xx responses."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the operation; ``code`` is stable, ``message`` is for people."""

    code = "invalid"
    status = 400

    def __init__(
        self, message: Any, *, code: str | None = None, details: Any = None, field: str | None = None
    ):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.details = details
        self.field = field


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class PermissionDeniedError(DomainError):
    code = "forbidden"
    status = 403

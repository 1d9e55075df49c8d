"""Extension points of surveys for the apps built on it (insight), so surveys never imports them.

- ``register_statement_part(fn)``: on PostgreSQL a customer's submit is stored by one statement
  (``services._store_in_one_statement``). ``fn(response)`` may add one write of its own to that
  statement, run only when the response row is written and committed with it: it returns
  ``(sql, params)``, an ``INSERT … SELECT … FROM response …`` without ``RETURNING``, or ``None``.
  Work done this way is skipped by the same app's ``post_save`` receiver, which finds the response in
  ``parts_done(response)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

StatementPart = Callable[[Any], "tuple[str, list[Any]] | None"]

_statement_parts: list[StatementPart] = []


def register_statement_part(fn: StatementPart) -> StatementPart:
    """Register a part once (``AppConfig.ready`` may run twice in tests); usable as a decorator."""
    if fn not in _statement_parts:
        _statement_parts.append(fn)
    return fn


def statement_parts(response: Any) -> list[tuple[StatementPart, str, list[Any]]]:
    """The parts the registered apps add for this response, each with the function that gave it.

    A part that fails to build is left out and logged: the customer's answers are stored anyway, and
    that app's ``post_save`` receiver does the work the usual way, since the part is not done.
    """
    found = []
    for fn in _statement_parts:
        try:
            part = fn(response)
        except Exception:
            logger.exception("statement part %r failed; its app follows the response after it is saved", fn)
            continue
        if part is not None:
            found.append((fn, part[0], part[1]))
    return found


def parts_done(response: Any) -> frozenset[StatementPart]:
    """The parts that were written with the response (empty when it was saved another way)."""
    return getattr(response, "_statement_parts_done", frozenset())


def mark_parts_done(response: Any, parts: list[tuple[StatementPart, str, list[Any]]]) -> None:
    response._statement_parts_done = frozenset(fn for fn, _sql, _params in parts)  # noqa: SLF001

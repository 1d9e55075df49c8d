"""Database helpers shared by the hot paths."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection


def _prepared_cursor_class() -> type:
    from django.db.backends.postgresql import base

    server_binding: Any = base.ServerBindingCursor  # type: ignore[attr-defined]  # psycopg 3 only

    class PreparedCursor(server_binding):
        """Binds parameters on the server and keeps each statement prepared on its connection."""

        def execute(
            self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: Any = None
        ) -> Any:
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparedCursor


_PREPARED: list[type] = []
_NEVER = 2**31 - 1


def prepared_statements() -> bool:
    """Whether fixed statements are prepared: PostgreSQL, persistent connections, and not turned off
    (``DB_PREPARED_STATEMENTS=false`` behind a pooler that cannot keep them, such as PgBouncer in
    transaction mode before 1.21)."""
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "DB_PREPARED_STATEMENTS", True)
        and connection.settings_dict.get("CONN_MAX_AGE") != 0
    )


@contextmanager
def fixed_statement_cursor() -> Iterator[Any]:
    """A cursor for a statement that a hot path runs again and again with the same text.

    With ``prepared_statements()`` the statement is parsed and planned once per connection and then
    only executed (psycopg keeps the prepared statements of each connection); otherwise this is
    Django's usual cursor. Either way it is Django's cursor wrapper: errors, query logging and
    execute wrappers behave as for any other query.
    """
    if not prepared_statements():
        with connection.cursor() as cursor:
            yield cursor
        return
    if not _PREPARED:
        _PREPARED.append(_prepared_cursor_class())
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        pg = connection.connection
        if pg.prepare_threshold is None:
            # Django turns preparing off for its connections (threshold None), which also refuses
            # prepare=True. A threshold no statement reaches prepares only the ones asked for: Django's
            # own cursors bind on the client and are never prepared anyway.
            pg.prepare_threshold = _NEVER
        raw = _PREPARED[0](pg)
    wrap: Any = connection._prepare_cursor  # type: ignore[attr-defined]  # noqa: SLF001 - Django API
    with wrap(raw) as cursor:  # the wrapper Django gives its own cursors
        yield cursor

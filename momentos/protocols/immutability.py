"""The one door through the database's refusal to change published versions: whole-organisation purges."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def purge_allowed(using: str = "default") -> Iterator[None]:
    """Inside one transaction, let published versions be deleted (an organisation leaving, a test flush).

    The marker row lives only inside this transaction: on PostgreSQL no other session ever sees it.
    """
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute("INSERT INTO protocols_purge (token) VALUES (1)")
        try:
            yield
        finally:
            with connections[using].cursor() as cursor:
                cursor.execute("DELETE FROM protocols_purge")

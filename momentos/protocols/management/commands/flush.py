"""Django's ``flush``, allowed through the immutability triggers (SQLite empties tables with DELETE)."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from momentos.protocols.immutability import purge_allowed


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        database = options.get("database") or DEFAULT_DB_ALIAS
        if "protocols_purge" not in connections[database].introspection.table_names():
            return super().handle(**options)
        with purge_allowed(database):
            return super().handle(**options)

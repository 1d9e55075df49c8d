"""`momentos manage webhooks_prune [--days 30]`: delete the webhook delivery history older than that."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentos.core.errors import DomainError
from momentos.webhooks import services


class Command(BaseCommand):
    help = (
        "Delete webhook deliveries older than --days days (default 30); deliveries still to be retried stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="days of delivery history to keep (≥ 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = services.deliveries_prune(days=options["days"])
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"{count} webhook deliveries deleted")

"""`momentos manage webhooks_retry`: attempt the webhook deliveries whose retry is due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from momentos.webhooks import services


class Command(BaseCommand):
    help = (
        "Attempt again the failed webhook deliveries whose next attempt is due (run it every minute or so)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.deliveries_retry_due()
        self.stdout.write(f"{count} webhook deliveries attempted")

"""Send the one reminder of each unanswered survey e-mail; run it periodically (e.g. hourly from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from momentos.surveys import conf, services


class Command(BaseCommand):
    help = "Send the reminder of survey e-mail invitations unanswered after SURVEY_REMINDER_DAYS days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"days after the invitation (default: SURVEY_REMINDER_DAYS, now {conf.reminder_days()})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 0:
            self.stderr.write("--days must be 0 or more")
            raise SystemExit(2)
        sent = services.email_reminders_send(days=days)
        self.stdout.write(f"{sent} reminder(s) sent")

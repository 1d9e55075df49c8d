"""`momentos actions propose`: look for improvement proposals in every organisation (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_tasks.base import TaskResultStatus

from momentos.accounts.models import Organization
from momentos.improvement.tasks import propose_actions_task


class Command(BaseCommand):
    help = (
        "Propose improvement actions from objectives off target, weak moments and late detractor follow-ups."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organization", help="only this organisation (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = Organization.objects.order_by("name")
        if options.get("organization"):
            organizations = organizations.filter(slug=options["organization"])
        for organization in organizations:
            result = propose_actions_task.enqueue(organization_id=str(organization.pk))
            if result.status == TaskResultStatus.SUCCESSFUL:
                self.stdout.write(f"{organization.slug}: {result.return_value} proposed")
            elif result.status == TaskResultStatus.FAILED:
                self.stderr.write(f"{organization.slug}: failed")
            else:
                self.stdout.write(f"{organization.slug}: queued")

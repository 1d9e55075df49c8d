"""Background work of continuous improvement: looking for proposals goes through the task interface."""

from __future__ import annotations

from django_tasks import task

from momentos.accounts.models import Organization


@task()
def propose_actions_task(*, organization_id: str) -> int:
    """Propose actions for one organisation from today's figures; returns how many were proposed."""
    from momentos.improvement.services import propose_actions

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    return len(propose_actions(organization=organization))

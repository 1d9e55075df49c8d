"""Background work of webhooks: each delivery attempt runs through the one task interface."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(*, delivery_id: str) -> str:
    """Post one delivery (with the database queue, a failed one schedules its own retry)."""
    from momentos.webhooks import services

    return services.delivery_attempt(delivery_id=delivery_id)

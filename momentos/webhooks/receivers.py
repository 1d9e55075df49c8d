"""Follow responses and alerts through Django's signals; the surveys app knows nothing of webhooks.

The receivers ask a per-process cache first, so an organisation without endpoints costs no query on
the public submit. The payload is read and the deliveries are written once the submit's transaction
has committed (its answers and follow-up exist by then), and a failure there is logged, never shown
to the customer.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from momentos.surveys.models import Alert, Response
from momentos.webhooks import cache, payloads, services
from momentos.webhooks.models import WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)


def _dispatch(event: str, organization_id: Any, build: Any, object_id: Any) -> None:
    try:
        data = build(object_id)
        if data is not None:
            services.event_dispatch(organization_id=organization_id, event=event, data=data)
    except Exception:
        logger.exception("webhook %s for %s not dispatched", event, object_id)


def _dispatch_after_commit(event: str, instance: Any, build: Any) -> None:
    """Once the row is committed, hand the event to the organisation's endpoints that want it; no query
    when none does (``cache.wants``)."""
    org_id, pk = instance.organization_id, instance.pk
    if cache.wants(org_id, event):
        transaction.on_commit(lambda: _dispatch(event, org_id, build, pk), robust=True)


@receiver(post_save, sender=Response, dispatch_uid="webhooks_response_submitted")
def response_submitted(
    sender: Any, instance: Response, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw and not instance.flagged_staff:
        _dispatch_after_commit(WebhookEvent.RESPONSE_SUBMITTED, instance, payloads.response_data)


@receiver(post_save, sender=Alert, dispatch_uid="webhooks_alert_raised")
def alert_raised(sender: Any, instance: Alert, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        _dispatch_after_commit(WebhookEvent.ALERT_RAISED, instance, payloads.alert_data)


@receiver(post_save, sender=WebhookEndpoint, dispatch_uid="webhooks_endpoint_saved")
@receiver(post_delete, sender=WebhookEndpoint, dispatch_uid="webhooks_endpoint_deleted")
def endpoint_changed(**kwargs: Any) -> None:
    # After the commit too, so a process that read the table mid-transaction does not keep the old state.
    cache.clear()
    transaction.on_commit(cache.clear)

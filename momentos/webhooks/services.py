"""Writes of webhooks: endpoints, the deliveries an event makes, and each delivery attempt."""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.accounts.models import Organization, User
from momentos.core.errors import DomainError
from momentos.core.ids import uuid7
from momentos.webhooks import security, signing, transport
from momentos.webhooks.models import PING, DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
MAX_ATTEMPTS = 5
# Delay before attempt n+1 after attempt n failed: 1 min, 5 min, 30 min, 2 h.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


def _clean_events(events: list[str]) -> list[str]:
    chosen = [e for e in WebhookEvent.values if e in set(events)]
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise DomainError(
            _("Unknown event: %(events)s.") % {"events": ", ".join(unknown)}, field="events", code="invalid"
        )
    if not chosen:
        raise DomainError(_("Choose at least one event."), field="events")
    return chosen


def endpoint_create(
    *, organization: Organization, created_by: User | None, url: str, description: str = "", events: list[str]
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint; returns it with its secret (shown once to the admin)."""
    url = url.strip()
    if not url:
        raise DomainError(_("Enter the URL that receives the events."), field="url")
    if len(url) > 500:
        raise DomainError(_("The URL is longer than 500 characters."), field="url")
    security.check_url(url)
    events = _clean_events(events)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        organization=organization,
        url=url,
        description=description.strip()[:200],
        events=events,
        secret=secret,
        created_by=created_by,
    )
    return endpoint, secret


def endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool) -> None:
    if active and not endpoint.is_active:
        security.check_url(endpoint.url)  # the rules may have changed since it was saved
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active", "updated_at"])


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# --- events ----------------------------------------------------------------------------------------


def _envelope(event: str, organization_id: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "event": event,
        "id": str(uuid7()),
        "occurred_at": timezone.now().isoformat(),
        "organization_id": str(organization_id),
        "data": data,
    }


def _deliver_later(delivery_ids: list[Any]) -> None:
    from momentos.webhooks.tasks import deliver

    for delivery_id in delivery_ids:
        try:
            deliver.enqueue(delivery_id=str(delivery_id))
        except Exception:  # the delivery stays pending; `manage webhooks_retry` sends it
            logger.exception("could not enqueue webhook delivery %s", delivery_id)


def event_dispatch(*, organization_id: Any, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per active endpoint of the organisation that listens to ``event``, then send them."""
    endpoints = list(
        WebhookEndpoint.objects.for_organization(organization_id).filter(is_active=True).only("pk", "events")
    )
    payload = _envelope(event, organization_id, data)
    deliveries = [
        WebhookDelivery(organization_id=organization_id, endpoint=e, event=event, payload=payload)
        for e in endpoints
        if event in (e.events or [])
    ]
    if not deliveries:
        return []
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _deliver_later(ids))
    return deliveries


def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``ping`` event to one endpoint, to check that it receives and verifies our posts."""
    payload = _envelope(PING, endpoint.organization_id, {"endpoint_id": str(endpoint.pk)})
    delivery = WebhookDelivery.objects.create(
        organization_id=endpoint.organization_id, endpoint=endpoint, event=PING, payload=payload
    )
    transaction.on_commit(lambda: _deliver_later([delivery.pk]))
    return delivery


# --- delivery ----------------------------------------------------------------------------------------


def _supports_defer() -> bool:
    from django_tasks import task_backends

    from momentos.webhooks.tasks import deliver

    return bool(task_backends[deliver.backend].supports_defer)


def delivery_attempt(*, delivery_id: Any) -> str:
    """Post the delivery once; record the outcome and when to try again. Returns the new status."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == DeliveryStatus.DELIVERED or delivery.attempts >= MAX_ATTEMPTS:
        return delivery.status if delivery else "missing"
    # Claim this attempt: a task and the retry command racing on one delivery post it once.
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
        .exclude(status=DeliveryStatus.DELIVERED)
        .update(attempts=F("attempts") + 1, next_attempt_at=None, updated_at=timezone.now())
    )
    if not claimed:
        return delivery.status
    delivery.attempts += 1
    endpoint = delivery.endpoint
    if not endpoint.is_active and delivery.event != PING:
        outcome = transport.Outcome(None, _("The endpoint is inactive."))
        retry = False
    else:
        timestamp = int(time.time())
        body = signing.body_of(delivery.payload)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "momentos-webhooks",
            "X-Momentos-Event": delivery.event,
            "X-Momentos-Delivery": str(delivery.pk),
            "X-Momentos-Timestamp": str(timestamp),
            "X-Momentos-Signature": signing.sign(endpoint.secret, timestamp, body),
        }
        outcome = transport.post(endpoint.url, body=body, headers=headers)
        retry = True
    now = timezone.now()
    delivery.last_status_code = outcome.status_code
    delivery.last_error = "" if outcome.ok else outcome.error
    if outcome.ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.FAILED
        more = retry and delivery.attempts < MAX_ATTEMPTS
        delay = RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1]
        delivery.next_attempt_at = now + delay if more else None
    delivery.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
            "updated_at",
        ]
    )
    if delivery.next_attempt_at is not None and _supports_defer():
        from momentos.webhooks.tasks import deliver

        try:
            deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=str(delivery.pk))
        except Exception:
            logger.exception("could not schedule the retry of webhook delivery %s", delivery.pk)
    return delivery.status


def deliveries_retry_due(*, now: Any = None) -> int:
    """Attempt every failed delivery whose next attempt is due (for task backends without delays)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING],
            attempts__lt=MAX_ATTEMPTS,
        )
        .filter(next_attempt_at__lte=now)
        .values_list("pk", flat=True)
    )
    stale = timezone.now() - timedelta(minutes=10)
    # A pending delivery never attempted (its task was lost) is retried too, once it is clearly stuck.
    due += list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, attempts=0, created_at__lt=stale)
        .exclude(pk__in=due)
        .values_list("pk", flat=True)
    )
    for pk in due:
        delivery_attempt(delivery_id=pk)
    return len(due)


def deliveries_prune(*, days: int, now: Any = None) -> int:
    """Delete the delivery history older than ``days`` days, except deliveries still to be retried.

    Returns how many were deleted. The endpoints keep their settings; only the log shrinks.
    """
    if days < 1:
        raise DomainError(_("Keep at least one day of delivery history."), code="invalid_days", field="days")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING], attempts__lt=MAX_ATTEMPTS
    )
    deleted, _per_model = old.delete()
    return deleted

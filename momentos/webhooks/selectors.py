"""Reads of webhooks: an organisation's endpoints and their recent deliveries."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from momentos.accounts.models import Membership
from momentos.core.access import scoped_queryset
from momentos.webhooks.models import WebhookDelivery, WebhookEndpoint

RECENT_DELIVERIES = 20


def _with_last_status(qs: QuerySet[WebhookEndpoint]) -> QuerySet[WebhookEndpoint]:
    last = WebhookDelivery.objects.filter(endpoint_id=OuterRef("pk")).order_by("-created_at")
    return qs.annotate(
        last_status=Subquery(last.values("status")[:1]),
        last_delivery_at=Subquery(last.values("created_at")[:1]),
    )


def endpoint_list(*, scope: Membership) -> QuerySet[WebhookEndpoint]:
    return _with_last_status(scoped_queryset(WebhookEndpoint, scope=scope)).order_by("-created_at")


def endpoint_list_for_organization(*, organization: object) -> QuerySet[WebhookEndpoint]:
    return _with_last_status(WebhookEndpoint.objects.for_organization(organization)).order_by("-created_at")


def recent_deliveries(*, endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.for_organization(endpoint.organization_id)
        .filter(endpoint=endpoint)
        .order_by("-created_at")[:RECENT_DELIVERIES]
    )

"""Factories for webhooks, registered for the tenant-isolation test."""

from __future__ import annotations

import itertools
from typing import Any

from momentos.accounts.models import Organization
from momentos.core.testing import tenant_factory
from momentos.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

_seq = itertools.count(1)


@tenant_factory(WebhookEndpoint)
def make_endpoint(organization: Organization, **fields: Any) -> WebhookEndpoint:
    """Written directly, without the URL check: the address is never reached by the tests that use it."""
    fields.setdefault("url", f"https://127.0.0.1:9/hook-{next(_seq)}")
    fields.setdefault("events", list(WebhookEvent.values))
    fields.setdefault("secret", "whsec_test")
    return WebhookEndpoint.objects.create(organization=organization, **fields)


@tenant_factory(WebhookDelivery)
def make_delivery(organization: Organization, **fields: Any) -> WebhookDelivery:
    endpoint = fields.pop("endpoint", None) or make_endpoint(organization)
    return WebhookDelivery.objects.create(
        organization=organization,
        endpoint=endpoint,
        event=fields.pop("event", "ping"),
        payload=fields.pop("payload", {"event": "ping"}),
        **fields,
    )

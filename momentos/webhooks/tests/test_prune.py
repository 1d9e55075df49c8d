"""Delivery history is pruned by age; deliveries still to be retried stay; event names are shown in words."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from momentos.core.errors import DomainError
from momentos.webhooks import services
from momentos.webhooks.models import DeliveryStatus, WebhookDelivery
from momentos.webhooks.services import MAX_ATTEMPTS
from momentos.webhooks.tests.factories import make_delivery, make_endpoint

pytestmark = pytest.mark.django_db


def aged(delivery: WebhookDelivery, days: int) -> WebhookDelivery:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(days=days))
    return delivery


def test_old_deliveries_go_recent_ones_and_pending_retries_stay(org: Any, other_org: Any) -> None:
    endpoint = make_endpoint(org)
    old_done = aged(make_delivery(org, endpoint=endpoint, status=DeliveryStatus.DELIVERED), 40)
    old_given_up = aged(
        make_delivery(org, endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=MAX_ATTEMPTS), 40
    )
    old_retrying = aged(make_delivery(org, endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=2), 40)
    recent = aged(make_delivery(org, endpoint=endpoint, status=DeliveryStatus.DELIVERED), 5)
    elsewhere = aged(make_delivery(other_org, status=DeliveryStatus.DELIVERED), 40)
    assert services.deliveries_prune(days=30) == 3
    left = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert left == {old_retrying.pk, recent.pk}
    assert old_done.pk not in left and old_given_up.pk not in left and elsewhere.pk not in left


def test_the_command_prunes_and_refuses_a_nonsense_age(org: Any) -> None:
    aged(make_delivery(org, status=DeliveryStatus.DELIVERED), 10)
    out = StringIO()
    call_command("webhooks_prune", "--days", "7", stdout=out)
    assert "1 webhook deliveries deleted" in out.getvalue()
    assert not WebhookDelivery.objects.exists()
    with pytest.raises(CommandError, match="at least one day"):
        call_command("webhooks_prune", "--days", "0")
    with pytest.raises(DomainError):
        services.deliveries_prune(days=-3)


def test_events_are_shown_in_words(admin_client: Client, org: Any) -> None:
    endpoint = make_endpoint(org, events=["response.submitted", "alert.raised"])
    listing = admin_client.get(reverse("webhooks:endpoint_list")).content.decode()
    assert "A survey response is stored" in listing and "A low score raises an alert" in listing
    detail = admin_client.get(
        reverse("webhooks:endpoint_detail", kwargs={"pk": endpoint.pk})
    ).content.decode()
    assert "A low score raises an alert" in detail and "alert.raised" in detail

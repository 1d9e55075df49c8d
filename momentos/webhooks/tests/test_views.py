"""The webhooks page: admins add (secret shown once), test, deactivate and delete (after confirming)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of
from momentos.webhooks.models import WebhookDelivery, WebhookEndpoint
from momentos.webhooks.tests.factories import make_delivery, make_endpoint

pytestmark = pytest.mark.django_db
URL = reverse("webhooks:endpoint_list")
PUBLIC = "https://93.184.216.34/hooks/momentos"


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False


def test_the_empty_page_invites_to_add_one(admin_client: Client) -> None:
    page = admin_client.get(URL)
    assert page.status_code == 200
    assert "No webhooks yet" in page.content.decode()


def test_adding_shows_the_secret_once(admin_client: Client, org: Any) -> None:
    created = admin_client.post(
        URL, {"url": PUBLIC, "description": "CRM", "events": ["response.submitted", "alert.raised"]}
    )
    assert created.status_code == 302
    endpoint = WebhookEndpoint.objects.for_organization(org).get()
    assert endpoint.events == ["response.submitted", "alert.raised"] and endpoint.description == "CRM"
    assert endpoint.created_by == admin_of(org).user and endpoint.is_active
    page = admin_client.get(created["Location"])
    shown = re.search(r'<code id="new-secret">(whsec_[^<]+)</code>', page.content.decode())
    assert shown and shown.group(1) == endpoint.secret
    assert "no-store" in page["Cache-Control"]
    again = admin_client.get(URL).content.decode()
    assert endpoint.secret not in again and PUBLIC in again
    assert (
        endpoint.secret
        not in admin_client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "http://93.184.216.34/x", "events": ["alert.raised"]}, "url"),
        ({"url": "https://192.168.0.10/x", "events": ["alert.raised"]}, "url"),
        ({"url": "", "events": ["alert.raised"]}, "url"),
        ({"url": PUBLIC}, "events"),
        ({"url": PUBLIC, "events": ["nope"]}, "events"),
    ],
)
def test_refusals_name_the_field(admin_client: Client, data: dict[str, Any], field: str) -> None:
    response = admin_client.post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'id="new-secret"' not in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_list_shows_the_last_delivery(admin_client: Client, org: Any, other_org: Any) -> None:
    endpoint = make_endpoint(org, url="https://93.184.216.34/mine")
    make_delivery(org, endpoint=endpoint, status="delivered")
    make_endpoint(other_org, url="https://93.184.216.34/theirs")
    page = admin_client.get(URL).content.decode()
    assert "/mine" in page and "/theirs" not in page
    assert "badge-success" in page and "Delivered" in page


def test_the_detail_lists_the_last_20_deliveries(admin_client: Client, org: Any) -> None:
    endpoint = make_endpoint(org)
    for _n in range(22):
        make_delivery(org, endpoint=endpoint, status="failed", attempts=2, last_status_code=503)
    page = admin_client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert page.count("HTTP 503") == 20 and "badge-danger" in page


def test_delete_asks_first(admin_client: Client, org: Any) -> None:
    endpoint = make_endpoint(org)
    make_delivery(org, endpoint=endpoint)
    url = reverse("webhooks:endpoint_delete", args=[endpoint.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert endpoint.url in confirm.content.decode()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    done = admin_client.post(url)
    assert done["Location"] == URL
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_deactivate_and_activate(admin_client: Client, org: Any, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = make_endpoint(org)
    url = reverse("webhooks:endpoint_toggle", args=[endpoint.pk])
    assert admin_client.get(url).status_code == 405
    admin_client.post(url)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    admin_client.post(url)
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_activating_checks_the_url_again(admin_client: Client, org: Any) -> None:
    endpoint = make_endpoint(org, is_active=False)  # 127.0.0.1, now refused
    response = admin_client.post(reverse("webhooks:endpoint_toggle", args=[endpoint.pk]), follow=True)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "private" in response.content.decode()


def test_send_a_test_queues_a_ping(admin_client: Client, org: Any) -> None:
    endpoint = make_endpoint(org)
    response = admin_client.post(reverse("webhooks:endpoint_ping", args=[endpoint.pk]))
    assert response.status_code == 302
    assert WebhookDelivery.objects.get(endpoint=endpoint).event == "ping"


@pytest.mark.parametrize("role", [Role.QUALITY_MANAGER, Role.SUPERVISOR, Role.AGENT])
def test_other_roles_find_no_page(org: Any, make_member_of: Any, member_client: Any, role: str) -> None:
    """As on every organisation settings page, a member without the capability gets 404 (not even a 403)."""
    client = member_client(make_member_of(role))
    endpoint = make_endpoint(org)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"url": PUBLIC, "events": ["alert.raised"]}).status_code == 404
    assert client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("webhooks:endpoint_delete", args=[endpoint.pk])).status_code == 404
    assert WebhookEndpoint.objects.count() == 1
    assert "Webhooks" not in client.get(reverse("core:home")).content.decode()


def test_the_navigation_lists_webhooks_after_api_tokens(admin_client: Client) -> None:
    page = admin_client.get(URL).content.decode()
    tokens, hooks = page.find(reverse("accounts:api_token_list")), page.find(f'href="{URL}"')
    assert 0 < tokens < hooks
    assert page.count('class="nav-section">Organisation<') == 1


def test_anonymous_visitors_log_in_first() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]

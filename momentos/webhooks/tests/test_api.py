"""Webhook endpoints through the API: an admin's token lists, creates (secret once) and deletes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from momentos.accounts import services as account_services
from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of, make_member
from momentos.webhooks.models import WebhookDelivery, WebhookEndpoint
from momentos.webhooks.tests.factories import make_delivery, make_endpoint

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks"
PUBLIC = "https://93.184.216.34/hooks/momentos"


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE = False


def _client(org: Any, user: Any) -> Client:
    _token, key = account_services.api_token_create(organization=org, created_by=user, name="t")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def api(org: Any) -> Client:
    return _client(org, admin_of(org).user)


def test_create_returns_the_secret_once_and_list_never(org: Any, api: Client) -> None:
    created = api.post(
        URL,
        {"url": PUBLIC, "description": "CRM", "events": ["response.submitted", "alert.raised"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    endpoint = WebhookEndpoint.objects.for_organization(org).get()
    assert body["id"] == str(endpoint.pk) and body["secret"] == endpoint.secret
    assert body["events"] == ["response.submitted", "alert.raised"] and body["is_active"] is True
    assert endpoint.created_by == admin_of(org).user
    listed = api.get(URL)
    assert listed.status_code == 200
    assert [e["url"] for e in listed.json()["items"]] == [PUBLIC]
    assert endpoint.secret not in listed.content.decode()
    one = api.get(f"{URL}/{endpoint.pk}")
    assert one.status_code == 200 and one.json()["deliveries"] == []
    assert endpoint.secret not in one.content.decode()


def test_the_list_is_the_organisations_with_the_last_status(org: Any, other_org: Any, api: Client) -> None:
    mine = make_endpoint(org)
    make_delivery(org, endpoint=mine, status="failed", attempts=1)
    make_endpoint(other_org, url="https://93.184.216.34/theirs")
    items = api.get(URL).json()["items"]
    assert [(e["id"], e["last_status"]) for e in items] == [(str(mine.pk), "failed")]
    detail = api.get(f"{URL}/{mine.pk}").json()
    assert [d["status"] for d in detail["deliveries"]] == ["failed"]


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"url": "http://93.184.216.34/x", "events": ["alert.raised"]}, 400, "url"),
        ({"url": "https://10.0.0.1/x", "events": ["alert.raised"]}, 400, "url"),
        ({"url": "https://127.0.0.1/x", "events": ["alert.raised"]}, 400, "url"),
        ({"url": PUBLIC, "events": ["response.deleted"]}, 422, "events"),
        ({"url": PUBLIC, "events": []}, 422, "events"),
        ({"url": "", "events": ["alert.raised"]}, 422, "url"),
        ({"events": ["alert.raised"]}, 422, "url"),
    ],
)
def test_bad_fields_are_named_in_the_envelope(
    org: Any, api: Client, payload: dict[str, Any], status: int, field: str
) -> None:
    response = api.post(URL, payload, content_type="application/json")
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] and error["message"]
    assert field in [d["field"] for d in error["details"]]
    assert not WebhookEndpoint.objects.exists()


def test_delete_removes_the_endpoint_and_its_deliveries(org: Any, other_org: Any, api: Client) -> None:
    endpoint = make_endpoint(org)
    make_delivery(org, endpoint=endpoint)
    theirs = make_endpoint(other_org)
    assert api.delete(f"{URL}/{theirs.pk}").status_code == 404
    assert api.delete(f"{URL}/{endpoint.pk}").status_code == 204
    assert not WebhookEndpoint.objects.for_organization(org).exists()
    assert not WebhookDelivery.objects.for_organization(org).exists()
    assert WebhookEndpoint.objects.filter(pk=theirs.pk).exists()
    assert api.delete(f"{URL}/{endpoint.pk}").status_code == 404


@pytest.mark.parametrize("role", [Role.QUALITY_MANAGER, Role.SUPERVISOR])
def test_only_an_admins_token_manages_webhooks(org: Any, role: str) -> None:
    member = make_member(org, role=role)
    api = _client(org, member.user)
    endpoint = make_endpoint(org)
    for response in (
        api.get(URL),
        api.post(URL, {"url": PUBLIC, "events": ["alert.raised"]}, content_type="application/json"),
        api.get(f"{URL}/{endpoint.pk}"),
        api.delete(f"{URL}/{endpoint.pk}"),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    assert WebhookEndpoint.objects.for_organization(org).count() == 1


def test_without_a_token_nothing_is_listed(org: Any) -> None:
    assert Client().get(URL).status_code == 401

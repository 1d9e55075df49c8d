"""API tokens in the settings: the key is shown once, the list shows only a prefix, revoking asks first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts import services
from momentos.accounts.models import ApiToken, hash_secret
from momentos.accounts.tests.factories import admin_of

pytestmark = pytest.mark.django_db

URL = reverse("accounts:api_token_list")


def test_creating_a_token_shows_the_key_once(admin_client: Client, org: Any) -> None:
    created = admin_client.post(URL, {"name": "Helpdesk sync"})
    assert created.status_code == 302  # post/redirect/get: a reload cannot create a second token
    response = admin_client.get(created["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    key = re.search(r'<code id="new-token">(mom_[^<]+)</code>', page)
    assert key, "the new key is not on the page"
    raw = key.group(1)
    token = ApiToken.objects.for_organization(org).get()
    assert token.name == "Helpdesk sync" and token.created_by == admin_of(org).user
    assert token.key_hash == hash_secret(raw) and raw not in token.key_hash
    assert raw.startswith(token.prefix)
    assert "no-store" in response["Cache-Control"]
    # The key works...
    assert Client().get("/api/v1/organization", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    # ...and is never shown again.
    again = admin_client.get(URL).content.decode()
    assert raw not in again
    assert f"{token.prefix}…" in again


def test_the_list_shows_prefixes_only(admin_client: Client, org: Any) -> None:
    raws = [
        services.api_token_create(organization=org, created_by=admin_of(org).user, name=f"T{n}")[1]
        for n in range(3)
    ]
    page = admin_client.get(URL).content.decode()
    for raw in raws:
        assert raw[:12] in page
        assert raw not in page and raw[12:] not in page


def test_a_token_needs_a_name(admin_client: Client, org: Any) -> None:
    response = admin_client.post(URL, {"name": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_asks_for_confirmation_then_revokes(admin_client: Client, org: Any) -> None:
    token, raw = services.api_token_create(organization=org, created_by=admin_of(org).user, name="Old sync")
    url = reverse("accounts:api_token_revoke", kwargs={"pk": token.pk})
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Old sync" in page and 'method="post"' in page and "Revoke" in page
    token.refresh_from_db()
    assert token.revoked_at is None
    response = admin_client.post(url)
    assert response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/organization", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert "Revoked" in admin_client.get(URL).content.decode()


def test_revoking_twice_keeps_the_first_date(admin_client: Client, org: Any) -> None:
    token, _raw = services.api_token_create(organization=org, created_by=admin_of(org).user, name="Sync")
    url = reverse("accounts:api_token_revoke", kwargs={"pk": token.pk})
    admin_client.post(url)
    token.refresh_from_db()
    first = token.revoked_at
    assert admin_client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == first


def test_tokens_of_another_organisation_are_not_listed(
    admin_client: Client, org: Any, other_org: Any
) -> None:
    services.api_token_create(organization=other_org, created_by=admin_of(other_org).user, name="Their sync")
    assert "Their sync" not in admin_client.get(URL).content.decode()

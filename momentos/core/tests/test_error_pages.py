"""Error pages: friendly, in our design system, and never a 500 for a request that is merely bad."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts.models import Branch
from momentos.core.api import bad_request, page_not_found, server_error

pytestmark = pytest.mark.django_db

STYLESHEET = 'href="/static/momentos/css/app.css"'


def test_oversized_post_to_a_settings_page_is_a_clear_400_and_stores_nothing(
    admin_client: Client, org: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = admin_client.post(
        reverse("accounts:branch_create"),
        {"name": "Norte", "address": "x" * 5000, "time_zone": "America/Bogota", "language": "es"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "too large" in page and STYLESHEET in page
    assert not Branch.objects.for_organization(org).exists()


def test_oversized_post_is_400_also_when_csrf_is_checked(admin: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin.user)
    client.get(reverse("accounts:team_create"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:team_create"), {"csrfmiddlewaretoken": token, "name": "x" * 5000}
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_too_many_fields_is_a_400_page(admin_client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = admin_client.post(reverse("accounts:team_create"), {f"f{n}": "1" for n in range(50)})
    assert response.status_code == 400
    assert STYLESHEET in response.content.decode()


def test_unknown_page_is_our_404(admin_client: Client) -> None:
    response = admin_client.get("/accounts/branches/0190d1d2-0000-7000-8000-000000000000/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page and STYLESHEET in page


def test_expired_form_is_a_friendly_403(client: Client) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "a@example.test", "password": "x"})
    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()


@pytest.mark.parametrize(
    ("handler", "status", "text"),
    [
        (lambda r: bad_request(r, Exception()), 400, "We could not accept that request"),
        (lambda r: page_not_found(r, Exception()), 404, "We could not find that page"),
        (server_error, 500, "Something went wrong on our side"),
    ],
)
def test_error_pages_render_without_a_request_context(rf: Any, handler: Any, status: int, text: str) -> None:
    response = handler(rf.get("/accounts/branches/"))
    assert response.status_code == status
    page = response.content.decode()
    assert text in page and STYLESHEET in page


def test_permission_denied_renders_our_403(rf: Any) -> None:
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/x/"), PermissionDenied())
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()

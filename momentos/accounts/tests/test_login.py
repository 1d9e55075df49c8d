"""Logging in and out by e-mail, and the lock-out after repeated wrong passwords."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from momentos.accounts.tests.factories import PASSWORD, make_member, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def log_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def session_user(client: Client) -> Any:
    return client.session.get("_auth_user_id")


@pytest.fixture
def ana(org: Any) -> Any:
    user = make_user(email="ana@example.test", full_name="Ana Ruiz")
    make_member(org, role="admin", user=user)
    return user


def test_login_page_renders(client: Client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'type="email"' in response.content


@pytest.mark.parametrize("typed", ["ana@example.test", "ANA@Example.TEST", "  Ana@example.test "])
def test_login_by_email_ignores_case_and_spaces(client: Client, ana: Any, typed: str) -> None:
    response = log_in(client, typed, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert session_user(client) == str(ana.pk)


def test_login_follows_a_safe_next_and_ignores_an_outside_one(client: Client, ana: Any) -> None:
    response = client.post(LOGIN, {"username": ana.email, "password": PASSWORD, "next": "/accounts/profile/"})
    assert response["Location"] == "/accounts/profile/"
    client.logout()
    response = client.post(LOGIN, {"username": ana.email, "password": PASSWORD, "next": "https://evil.test/"})
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_the_form_error_and_opens_no_session(client: Client, ana: Any) -> None:
    response = log_in(client, ana.email, "not-the-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert session_user(client) is None


def test_unknown_email_gets_the_same_error(client: Client, ana: Any) -> None:
    response = log_in(client, "nobody@example.test", PASSWORD)
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert session_user(client) is None


def test_inactive_user_cannot_log_in(client: Client, ana: Any) -> None:
    ana.is_active = False
    ana.save()
    assert log_in(client, ana.email, PASSWORD).status_code == 200
    assert session_user(client) is None


def test_logged_in_user_visiting_login_is_sent_home(client: Client, ana: Any) -> None:
    client.force_login(ana)
    assert client.get(LOGIN)["Location"] == reverse("core:home")


def test_logout_is_a_post_and_ends_the_session(client: Client, ana: Any) -> None:
    client.force_login(ana)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert session_user(client) == str(ana.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert session_user(client) is None
    assert client.get(reverse("accounts:branch_list"))["Location"].startswith(LOGIN)


# --- lock-out (django-axes) -----------------------------------------------------------------------


def fail_until_locked(client: Client, email: str) -> Any:
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, email, "wrong-password-123")
    return response


def test_lockout_after_the_failure_limit_shows_the_locked_out_page(client: Client, ana: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, ana.email, "wrong-password-123").status_code == 200
    response = log_in(client, ana.email, "wrong-password-123")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed attempts" in page
    assert "15 minutes" in page  # how long to wait, in words people read
    assert reverse("accounts:password_reset") in page
    assert 'href="/static/momentos/css/app.css"' in page  # our page, not a bare axes message


def test_correct_password_during_lockout_still_fails(client: Client, ana: Any) -> None:
    fail_until_locked(client, ana.email)
    response = log_in(client, ana.email, PASSWORD)
    assert response.status_code == 429
    assert session_user(client) is None


def test_changing_the_case_of_the_email_does_not_dodge_the_lockout(client: Client, ana: Any) -> None:
    variants = [
        "ana@example.test",
        "ANA@example.test",
        "Ana@Example.test",
        "aNa@example.TEST",
        "ana@EXAMPLE.test",
    ]
    for email in variants[: settings.AXES_FAILURE_LIMIT]:
        log_in(client, email, "wrong-password-123")
    response = log_in(client, "ANA@EXAMPLE.TEST", PASSWORD)
    assert response.status_code == 429
    assert session_user(client) is None


def test_lockout_of_one_account_leaves_others_alone(client: Client, ana: Any, org: Any) -> None:
    other = make_user(email="luis@example.test")
    fail_until_locked(client, ana.email)
    assert log_in(client, other.email, PASSWORD).status_code == 302


def test_success_before_the_limit_resets_the_count(client: Client, ana: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, ana.email, "wrong-password-123")
    assert log_in(client, ana.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, ana.email, "wrong-password-123")
    assert log_in(client, ana.email, PASSWORD).status_code == 302


def test_locked_out_page_is_translated(client: Client, ana: Any) -> None:
    fail_until_locked(client, ana.email)
    response = log_in(client, ana.email, PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert '<html lang="es">' in response.content.decode()

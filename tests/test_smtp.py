"""Password reset end to end through a real SMTP server, configured the way production is (EMAIL_URL)."""

from __future__ import annotations

import email
import re
from email.message import Message
from typing import Any
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse
from django_tasks.signals import task_finished

from config.settings import email_settings
from momentos.accounts.tests.factories import make_user
from tests.cli_support import free_port


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings: Any) -> Any:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in email_settings(f"smtp://127.0.0.1:{port}").items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


def test_email_url_parsing_gives_host_port_and_security() -> None:
    assert email_settings("smtp+tls://me%40x.org:s%3Acret@mail.example.org:2525") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "me@x.org",
        "EMAIL_HOST_PASSWORD": "s:cret",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 20,
    }
    assert email_settings("smtps://mail.example.org")["EMAIL_PORT"] == 465
    assert email_settings("smtps://mail.example.org")["EMAIL_USE_SSL"] is True


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp://host:notaport"])
def test_email_url_that_is_not_smtp_is_refused(url: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings(url)


@pytest.mark.django_db
def test_password_reset_mail_arrives_over_smtp_and_its_link_sets_a_new_password(smtp_inbox: Inbox) -> None:
    # Given a user who forgot their password
    make_user(email="olvido@example.test", password="an-old-password-1")
    sent_by: list[str] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        sent_by.append(f"{task_result.task.module_path}:{task_result.status}")

    task_finished.connect(record)
    client = Client()
    try:
        # When they ask for a reset on the web page
        response = client.post(reverse("accounts:password_reset"), {"email": "olvido@example.test"})
    finally:
        task_finished.disconnect(record)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")

    # Then one e-mail reaches the SMTP server, sent by the send_email task
    assert sent_by == ["momentos.accounts.tasks.send_email:SUCCESSFUL"]
    assert len(smtp_inbox.messages) == 1
    recipients, message = smtp_inbox.messages[0]
    assert recipients == ["olvido@example.test"]
    body = message.get_payload(decode=True).decode()
    link = re.search(r"https?://\S+/accounts/reset/\S+/", body)
    assert link, body

    # And its link leads to a form that sets a new password
    path = urlparse(link.group(0)).path
    form = client.get(path, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else path
    done = client.post(
        set_url, {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")

    # And the new password logs in, the old one does not
    fresh = Client()
    refused = fresh.post(
        reverse("accounts:login"), {"username": "olvido@example.test", "password": "an-old-password-1"}
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in fresh.session
    login = fresh.post(
        reverse("accounts:login"), {"username": "olvido@example.test", "password": "a-brand-new-passphrase"}
    )
    assert login.status_code == 302
    assert "_auth_user_id" in fresh.session


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing(smtp_inbox: Inbox) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": "nadie@example.test"})

    assert response.status_code == 302
    assert smtp_inbox.messages == []

"""Background work of the accounts app: e-mail goes through the one task interface."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str, html: str | None = None) -> int:
    """Send one e-mail; runs immediately in the embedded default, in the worker in production."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()

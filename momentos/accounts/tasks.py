"""Background work of the accounts app: e-mail goes through the one task interface."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *, to: list[str], subject: str, body: str, html: str | None = None, headers: dict[str, str] | None = None
) -> int:
    """Send one e-mail; runs immediately in the embedded default, in the worker in production."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()

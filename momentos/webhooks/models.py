"""Webhook endpoints of an organisation and the deliveries made to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from momentos.core.models import TenantModel


class WebhookEvent(models.TextChoices):
    RESPONSE_SUBMITTED = "response.submitted", _("A survey response is stored")
    ALERT_RAISED = "alert.raised", _("A low score raises an alert")


# Sent by "Send a test" only; an endpoint does not subscribe to it.
PING = "ping"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookEndpoint(TenantModel):
    """An HTTPS address that receives a signed POST for each subscribed event.

    ``secret`` is the shared key of the HMAC signature: it is stored as is (the receiver holds the same
    value) and shown to the admin once, when the endpoint is created.
    """

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    @property
    def events_described(self) -> list[tuple[str, str]]:
        """The subscribed events as (code, words); an unknown code (from an older version) as it is."""
        return [(e, str(WebhookEvent(e).label) if e in WebhookEvent.values else e) for e in self.events]


class WebhookDelivery(TenantModel):
    """One event sent (or to be sent) to one endpoint, with the outcome of its last attempt."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["endpoint", "created_at"], name="webhook_delivery_endpoint"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_retry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_status_display()}"

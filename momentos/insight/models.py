"""Models of insight."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from momentos.core.models import TenantModel


class ReportDelivery(TenantModel):
    """The weekly report of one week e-mailed to an organisation's managers: recorded so it is sent only once."""

    week_start = models.DateField(_("week starting"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly report delivery")
        verbose_name_plural = _("weekly report deliveries")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "week_start"], name="report_delivery_once_per_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%G-W%V}"

"""Enumerations of the attention app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """How an interaction ended; empty while it is still open."""

    RESOLVED = "resolved", _("Resolved")
    ESCALATED = "escalated", _("Escalated")
    UNRESOLVED = "unresolved", _("Unresolved")
    ABANDONED = "abandoned", _("Abandoned")


class StandardStatus(models.TextChoices):
    """The verdict of one service standard on one interaction."""

    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class TickAnswer(models.TextChoices):
    """An agent's own tick of a checklist item during a guided attention."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("N/A")

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


class ImportFormat(models.TextChoices):
    """The kinds of file an import reads."""

    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


class ImportStatus(models.TextChoices):
    """Where an import job stands: uploaded, waiting for the worker, reading, finished or stopped by an error."""

    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")

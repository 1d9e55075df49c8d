"""Enumerations of continuous improvement."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionSource(models.TextChoices):
    MANUAL = "manual", _("Raised by hand")
    OBJECTIVE = "objective", _("Objective off target")
    MOMENT = "moment", _("Weak moment of truth")
    DETRACTOR = "detractor", _("Detractor follow-up")
    AUDIT = "audit", _("Failed audit")


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DISMISSED = "dismissed", _("Dismissed")


# Still to be acted on; a proposal is active too (it waits for someone to accept or dismiss it).
ACTIVE_STATUSES = (ActionStatus.PROPOSED, ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# Committed to, with an owner and a due date: these can be overdue.
COMMITTED_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DISMISSED)


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    PROPOSED = "proposed", _("Proposed from the figures")
    EDITED = "edited", _("Edited")
    ACCEPTED = "accepted", _("Proposal accepted")
    STATUS = "status", _("Status changed")

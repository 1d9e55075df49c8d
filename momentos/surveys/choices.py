"""Enumerations of the surveys app, and the scales each kind of question is answered on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction (CSAT, 1–5)")
    NPS = "nps", _("Recommendation (NPS, 0–10)")
    CES = "ces", _("Effort (CES, 1–7)")
    MOMENT_RATING = "moment_rating", _("Rating of a moment of truth (1–5)")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    FREE_TEXT = "free_text", _("Free text")


# (lowest, highest, highest score that counts as "low" and opens the follow-up / raises an alert)
SCALES: dict[str, tuple[int, int, int]] = {
    QuestionKind.CSAT: (1, 5, 2),
    QuestionKind.NPS: (0, 10, 6),
    QuestionKind.CES: (1, 7, 3),
    QuestionKind.MOMENT_RATING: (1, 5, 2),
}
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
# Low scores on these raise an alert (the product's detractor rule); CES only opens its follow-up.
ALERTING_KINDS = frozenset({QuestionKind.CSAT, QuestionKind.NPS, QuestionKind.MOMENT_RATING})


class ResponseSource(models.TextChoices):
    LINK = "link", _("Link")
    QR = "qr", _("QR code")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class FollowUpOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Customer called back, issue resolved")
    NOT_RESOLVED = "not_resolved", _("Customer called back, not resolved")
    UNREACHABLE = "unreachable", _("Customer could not be reached")
    NO_ACTION = "no_action", _("No action needed")

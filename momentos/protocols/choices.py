"""Enumerations of the protocol studio."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PROTOCOL = "protocol", _("Protocol")
    MANUAL = "manual", _("Manual")
    GUIDE = "guide", _("Guide")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class BlockKind(models.TextChoices):
    STEP = "step", _("Step")  # protocol: who acts and what is said or done, in order
    DO = "do", _("Do")  # protocol
    DONT = "dont", _("Don't")  # protocol
    SECTION = "section", _("Section")  # manual: what is done and how
    RECOMMENDATION = "recommendation", _("Recommendation")  # guide


# Which blocks each kind of document is made of.
KIND_BLOCKS = {
    DocumentKind.PROTOCOL: (BlockKind.STEP, BlockKind.DO, BlockKind.DONT),
    DocumentKind.MANUAL: (BlockKind.SECTION,),
    DocumentKind.GUIDE: (BlockKind.RECOMMENDATION,),
}

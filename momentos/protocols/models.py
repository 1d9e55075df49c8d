"""Documents and their versions. A published version never changes: the database itself refuses it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import Language
from momentos.accounts.models import Branch, Channel
from momentos.core.models import TenantModel
from momentos.protocols.choices import BlockKind, DocumentKind, VersionStatus


class Document(TenantModel):
    """A protocol, manual or guide; its content lives in versions, one of which may be in force."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default="es")
    # The published version in force, if any; drafts live beside it.
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("version in force"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    # Title and text of the version in force and the open draft, lower-cased and without accents,
    # so that "atencion" finds "atención" with a plain LIKE on SQLite and PostgreSQL alike.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        version = self.current_version or self.versions.order_by("-number").first()
        return version.title if version else str(self.get_kind_display())


class DocumentVersion(TenantModel):
    """One version of a document: draft → in review → published → superseded.

    ``revision`` increases with every saved edit of a draft, so that a save based on an older
    revision is refused instead of silently overwriting someone else's changes.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    # protocol: the situation that triggers it; manual: the area or process; guide: its subject.
    trigger = models.TextField(_("situation or area"), blank=True)
    # Markdown as written; body_html is what every reader gets: rendered once on save and sanitised.
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    channels: models.ManyToManyField[Channel, VersionChannel] = models.ManyToManyField(
        Channel, through="VersionChannel", blank=True, related_name="+")
    branches: models.ManyToManyField[Branch, VersionBranch] = models.ManyToManyField(
        Branch, through="VersionBranch", blank=True, related_name="+"
    )
    references: models.ManyToManyField[Document, VersionReference] = models.ManyToManyField(
        Document, through="VersionReference", blank=True, related_name="referenced_by"
    )
    change_note = models.TextField(_("change note"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent to review"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="published"),
                name="one_published_version_per_document",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=["draft", "review"]),
                name="one_open_draft_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in {VersionStatus.DRAFT, VersionStatus.REVIEW}


class DocumentBlock(TenantModel):
    """An ordered part of a version: a protocol step, do, don't; a manual section; a guide recommendation."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(_("kind"), max_length=20, choices=BlockKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("heading"), max_length=200, blank=True)
    actor = models.CharField(_("who acts"), max_length=120, blank=True)
    # Markdown as written, and its sanitised HTML rendering (see docs/adr/0003-rich-text.md).
    body = models.TextField(_("what is said or done"), blank=True)
    how = models.TextField(_("how it is done"), blank=True)  # manual sections
    body_html = models.TextField(blank=True, editable=False)
    how_html = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["version", "kind", "position"]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.position}"


class VersionChannel(TenantModel):
    """A channel a protocol version applies to (none: every channel)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "channel"], name="version_channel_once")]


class VersionBranch(TenantModel):
    """A branch a protocol version applies to (none: every branch)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE)
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "branch"], name="version_branch_once")]


class VersionReference(TenantModel):
    """A document a manual version refers to."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE)
    document = models.ForeignKey(Document, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "document"], name="version_reference_once")]

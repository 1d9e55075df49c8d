"""Writes of the protocol studio: documents, the version workflow and publishing.

draft → in review → published → superseded. Edits of a draft carry the revision they were based on;
a save on an older revision is refused (``VersionConflict``) instead of overwriting someone's work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.accounts.permissions import Capability
from momentos.core.errors import Conflict, DomainError, PermissionDeniedError
from momentos.protocols import hooks
from momentos.protocols.choices import KIND_BLOCKS, BlockKind, DocumentKind, VersionStatus
from momentos.protocols.models import (
    Document,
    DocumentBlock,
    DocumentVersion,
    VersionBranch,
    VersionChannel,
    VersionReference,
)
from momentos.protocols.sanitize import html_to_text, normalize_for_search, plain_text, render_markdown

EDITABLE = (VersionStatus.DRAFT, VersionStatus.REVIEW)
TITLE_MAX = 200


class VersionConflict(Conflict):
    """Someone saved the draft since this edit began; ``current`` is what they saved."""

    code = "edit_conflict"

    def __init__(self, message: Any, *, current: DocumentVersion):
        super().__init__(message, details={"current_revision": current.revision})
        self.current = current


class IncompleteDocument(DomainError):
    """Publishing refused: ``reasons`` lists every rule the version does not meet yet."""

    code = "incomplete"
    status = 422

    def __init__(self, reasons: list[str]):
        super().__init__(_("This version cannot be published yet."), details=reasons)
        self.reasons = reasons


def _require(actor: Any, capability: Capability, organization_id: Any) -> None:
    if actor is None or actor.organization_id != organization_id or not actor.can(capability):
        if capability == Capability.PUBLISH_PROTOCOL:
            raise PermissionDeniedError(_("Only a quality manager can publish documents."))
        raise PermissionDeniedError(_("You cannot edit documents."))


def _clean_title(title: str) -> str:
    cleaned = plain_text(title, max_length=TITLE_MAX)
    if not cleaned:
        raise DomainError(_("Give the document a title."), field="title")
    return cleaned


def _block_text(block: DocumentBlock) -> str:
    return " ".join(
        filter(None, [block.title, block.actor, html_to_text(block.body_html), html_to_text(block.how_html)])
    )


def _version_text(version: DocumentVersion) -> str:
    parts = [version.title, version.summary, version.trigger, html_to_text(version.body_html)]
    parts += [_block_text(b) for b in version.blocks.all()]
    return " ".join(filter(None, parts))


def document_search_refresh(*, document: Document) -> None:
    """Store the normalised words of the version in force and the open draft (see Document.search_text)."""
    versions = document.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.REVIEW, VersionStatus.PUBLISHED]
    ).prefetch_related("blocks")
    text = normalize_for_search(" ".join(_version_text(v) for v in versions))
    Document.objects.filter(pk=document.pk).update(search_text=text, updated_at=timezone.now())


@transaction.atomic
def document_create(*, organization: Any, actor: Any, kind: str, language: str, title: str) -> Document:
    """A new document with an empty draft v1."""
    _require(actor, Capability.DESIGN_PROTOCOL, organization.pk)
    if kind not in DocumentKind.values:
        raise DomainError(_("Choose a protocol, a manual or a guide."), field="kind")
    if language not in {"es", "en"}:
        raise DomainError(_("Choose Spanish or English."), field="language")
    document = Document.objects.create(
        organization=organization, kind=kind, language=language, created_by=actor.user
    )
    DocumentVersion.objects.create(
        organization=organization,
        document=document,
        number=1,
        title=_clean_title(title),
        author=actor.user,
        edited_by=actor.user,
    )
    document_search_refresh(document=document)
    return document


def _prepare_blocks(document: Document, blocks: Iterable[dict[str, Any]]) -> list[DocumentBlock]:
    allowed = set(KIND_BLOCKS[DocumentKind(document.kind)])
    positions: dict[str, int] = {}
    prepared = []
    for raw in blocks:
        kind = raw.get("kind", "")
        if kind not in allowed:
            raise DomainError(
                _("A %(kind)s has no blocks of type “%(block)s”.")
                % {"kind": document.get_kind_display().lower(), "block": kind},
                field="blocks",
            )
        body, how = raw.get("body", "") or "", raw.get("how", "") or ""
        title = plain_text(raw.get("title", ""), max_length=200)
        actor = plain_text(raw.get("actor", ""), max_length=120)
        if not any([title, actor, body.strip(), how.strip()]):
            continue  # an empty row of a form is not a block
        positions[kind] = positions.get(kind, 0) + 1
        prepared.append(
            DocumentBlock(
                organization_id=document.organization_id,
                kind=kind,
                position=positions[kind],
                title=title,
                actor=actor if kind == BlockKind.STEP else "",
                body=body,
                how=how if kind == BlockKind.SECTION else "",
                body_html=render_markdown(body),
                how_html=render_markdown(how) if kind == BlockKind.SECTION else "",
            )
        )
    return prepared


def _same_organization(objects: Sequence[Any], organization_id: Any, field: str) -> None:
    if any(obj.organization_id != organization_id for obj in objects):
        raise DomainError(_("Choose among your organisation's own records."), field=field)


@transaction.atomic
def version_update(
    *,
    version: DocumentVersion,
    actor: Any,
    revision: int,
    title: str,
    summary: str = "",
    trigger: str = "",
    body: str = "",
    blocks: Iterable[dict[str, Any]] | None = None,
    channels: Sequence[Any] | None = None,
    branches: Sequence[Any] | None = None,
    references: Sequence[Document] | None = None,
) -> DocumentVersion:
    """Save a draft (or a version in review) if nobody saved it since ``revision``.

    ``blocks`` (in order), ``channels``, ``branches`` and ``references`` replace what the version had;
    None leaves them as they are.
    """
    _require(actor, Capability.DESIGN_PROTOCOL, version.organization_id)
    document = version.document
    clean_title = _clean_title(title)
    prepared = _prepare_blocks(document, blocks) if blocks is not None else None
    for objects, field in ((channels, "channels"), (branches, "branches"), (references, "references")):
        if objects is not None:
            _same_organization(objects, version.organization_id, field)
    if references is not None and any(ref.pk == document.pk for ref in references):
        raise DomainError(_("A document cannot refer to itself."), field="references")

    # One conditional UPDATE: it either moves the revision on or touches nothing (another save won).
    updated = DocumentVersion.objects.filter(pk=version.pk, revision=revision, status__in=EDITABLE).update(
        title=clean_title,
        summary=plain_text(summary, max_length=1000) if summary else "",
        trigger=(trigger or "").strip(),
        body=body or "",
        body_html=render_markdown(body or ""),
        edited_by=actor.user,
        revision=F("revision") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        current = DocumentVersion.objects.select_related("edited_by").get(pk=version.pk)
        if current.status not in EDITABLE:
            raise DomainError(
                _("This version is published and can no longer be edited."), code="not_editable"
            )
        raise VersionConflict(
            _(
                "Someone else saved this draft while you were editing it. Nothing was overwritten: "
                "compare their version with yours below, then save again."
            ),
            current=current,
        )
    if prepared is not None:
        version.blocks.all().delete()
        for block in prepared:
            block.version = version
        DocumentBlock.objects.bulk_create(prepared)
    if channels is not None:
        VersionChannel.objects.filter(version=version).delete()
        VersionChannel.objects.bulk_create(
            VersionChannel(organization_id=version.organization_id, version=version, channel=c)
            for c in channels
        )
    if branches is not None:
        VersionBranch.objects.filter(version=version).delete()
        VersionBranch.objects.bulk_create(
            VersionBranch(organization_id=version.organization_id, version=version, branch=b)
            for b in branches
        )
    if references is not None:
        VersionReference.objects.filter(version=version).delete()
        VersionReference.objects.bulk_create(
            VersionReference(organization_id=version.organization_id, version=version, document=d)
            for d in references
        )
    document_search_refresh(document=document)
    version.refresh_from_db()
    return version


def version_completeness(*, version: DocumentVersion) -> list[str]:
    """Every reason why ``version`` is not complete for its kind (empty: it may be published)."""
    reasons: list[str] = []
    blocks = list(version.blocks.all())
    kind = version.document.kind
    if not version.title.strip():
        reasons.append(_("Give the document a title."))
    if kind == DocumentKind.PROTOCOL:
        if not version.trigger.strip():
            reasons.append(_("Describe the situation that triggers this protocol."))
        steps = [b for b in blocks if b.kind == BlockKind.STEP]
        if not any(html_to_text(b.body_html) for b in steps):
            reasons.append(_("Add at least one step that says what is said or done."))
        for step in steps:
            if not html_to_text(step.body_html):
                reasons.append(_("Step %(n)s does not say what is said or done.") % {"n": step.position})
            if not step.actor:
                reasons.append(_("Step %(n)s does not say who acts.") % {"n": step.position})
    elif kind == DocumentKind.MANUAL:
        if not version.trigger.strip():
            reasons.append(_("Name the area or process this manual documents."))
        sections = [b for b in blocks if b.kind == BlockKind.SECTION]
        if not sections:
            reasons.append(_("Add at least one section that says what is done and how."))
        for section in sections:
            label = section.title or str(section.position)
            if not html_to_text(section.body_html):
                reasons.append(_("Section “%(s)s” does not say what is done.") % {"s": label})
            if not html_to_text(section.how_html):
                reasons.append(_("Section “%(s)s” does not say how it is done.") % {"s": label})
    elif kind == DocumentKind.GUIDE:
        if not any(html_to_text(b.body_html) for b in blocks if b.kind == BlockKind.RECOMMENDATION):
            reasons.append(_("Add at least one recommendation."))
    for check in hooks.COMPLETENESS_CHECKS:
        reasons.extend(check(version))
    return reasons


@transaction.atomic
def version_submit_for_review(*, version: DocumentVersion, actor: Any) -> DocumentVersion:
    """Draft → in review (a version already in review stays as it is)."""
    _require(actor, Capability.DESIGN_PROTOCOL, version.organization_id)
    now = timezone.now()
    DocumentVersion.objects.filter(pk=version.pk, status=VersionStatus.DRAFT).update(
        status=VersionStatus.REVIEW, submitted_at=now, updated_at=now
    )
    version.refresh_from_db()
    if version.status != VersionStatus.REVIEW:
        raise DomainError(_("This version is already published."), code="not_editable")
    return version


@transaction.atomic
def version_publish(*, version: DocumentVersion, actor: Any, change_note: str) -> DocumentVersion:
    """Publish ``version``: it becomes the version in force and the previous one is superseded."""
    _require(actor, Capability.PUBLISH_PROTOCOL, version.organization_id)
    # Lock the document so that two publishers of the same document queue up.
    document = Document.objects.select_for_update().get(pk=version.document_id)
    version = DocumentVersion.objects.select_related("document").get(pk=version.pk)
    if version.status not in EDITABLE:
        raise DomainError(_("This version is already published."), code="not_editable")
    reasons = []
    note = (change_note or "").strip()
    if not note:
        reasons.append(_("Write a change note: what changed and why."))
    reasons += version_completeness(version=version)
    if reasons:
        raise IncompleteDocument(reasons)
    now = timezone.now()
    DocumentVersion.objects.filter(document=document, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.SUPERSEDED, superseded_at=now, updated_at=now
    )
    DocumentVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED,
        change_note=note,
        published_at=now,
        published_by=actor.user,
        submitted_at=version.submitted_at or now,
        updated_at=now,
    )
    Document.objects.filter(pk=document.pk).update(current_version=version, updated_at=now)
    document_search_refresh(document=document)
    version.refresh_from_db()
    return version


@transaction.atomic
def version_new_draft(*, document: Document, actor: Any) -> DocumentVersion:
    """A new draft copied from the version in force (blocks, scope and references included).

    If the document already has an open draft, that draft is returned: one draft at a time.
    """
    _require(actor, Capability.DESIGN_PROTOCOL, document.organization_id)
    document = Document.objects.select_for_update().get(pk=document.pk)
    existing = document.versions.filter(status__in=EDITABLE).first()
    if existing is not None:
        return existing
    source = document.current_version
    if source is None:
        raise DomainError(_("This document has no published version to start from."), code="no_version")
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = DocumentVersion.objects.create(
        organization_id=document.organization_id,
        document=document,
        number=number,
        title=source.title,
        summary=source.summary,
        trigger=source.trigger,
        body=source.body,
        body_html=source.body_html,
        author=actor.user,
        edited_by=actor.user,
    )
    DocumentBlock.objects.bulk_create(
        DocumentBlock(
            organization_id=document.organization_id,
            version=draft,
            kind=b.kind,
            position=b.position,
            title=b.title,
            actor=b.actor,
            body=b.body,
            how=b.how,
            body_html=b.body_html,
            how_html=b.how_html,
        )
        for b in source.blocks.all()
    )
    org = document.organization_id
    VersionChannel.objects.bulk_create(
        VersionChannel(organization_id=org, version=draft, channel_id=c.channel_id)
        for c in VersionChannel.objects.filter(version=source)
    )
    VersionBranch.objects.bulk_create(
        VersionBranch(organization_id=org, version=draft, branch_id=b.branch_id)
        for b in VersionBranch.objects.filter(version=source)
    )
    VersionReference.objects.bulk_create(
        VersionReference(organization_id=org, version=draft, document_id=r.document_id)
        for r in VersionReference.objects.filter(version=source)
    )
    return draft

"""Reads of the protocol studio, always from a member's organisation; readers see only what is published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_scope
from momentos.protocols.choices import DocumentKind, VersionStatus
from momentos.protocols.models import (
    Document,
    DocumentBlock,
    DocumentVersion,
    VersionBranch,
    VersionChannel,
    VersionReference,
)
from momentos.protocols.sanitize import normalize_for_search

OPEN = (VersionStatus.DRAFT, VersionStatus.REVIEW)


def can_design(scope: Any) -> bool:
    return bool(scope is not None and scope.can(Capability.DESIGN_PROTOCOL))


def document_queryset(*, scope: Any) -> QuerySet[Document]:
    """Documents ``scope`` may see: all of them for designers, those with a version in force for readers."""
    qs = Document.objects.filter(organization_id=scope.organization_id)
    if not can_design(scope):
        qs = qs.filter(current_version__isnull=False, is_archived=False)
    return qs


def version_queryset(*, scope: Any) -> QuerySet[DocumentVersion]:
    qs = DocumentVersion.objects.filter(organization_id=scope.organization_id)
    if not can_design(scope):
        qs = qs.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED])
    return qs


def document_get_for_user(*, scope: Any, pk: Any) -> Document:
    return object_get_for_scope(
        Document,
        scope=scope,
        pk=pk,
        queryset=document_queryset(scope=scope).select_related("current_version"),
    )


def version_get_for_user(*, scope: Any, pk: Any) -> DocumentVersion:
    return object_get_for_scope(
        DocumentVersion,
        scope=scope,
        pk=pk,
        queryset=version_queryset(scope=scope).select_related("document", "edited_by", "published_by"),
    )


def _open_drafts() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=DocumentVersion.objects.filter(status__in=OPEN).order_by("-number"),
        to_attr="open_drafts",
    )


def document_list(
    *,
    scope: Any,
    search: str = "",
    kind: str = "",
    status: str = "",
    channel: Any = None,
) -> QuerySet[Document]:
    """The documents list: search by words (accents and case ignored), filter by kind, status, channel.

    Each document carries ``current_version`` and ``open_drafts`` (a list of at most one), so the list
    renders in a constant number of queries.
    """
    qs = document_queryset(scope=scope)
    for word in normalize_for_search(search).split():
        qs = qs.filter(search_text__contains=word)
    if kind in DocumentKind.values:
        qs = qs.filter(kind=kind)
    if status == "archived":
        qs = qs.filter(is_archived=True)
    elif status in VersionStatus.values:
        if status == VersionStatus.PUBLISHED:
            qs = qs.filter(current_version__isnull=False)
        else:
            qs = qs.filter(versions__status=status)
    if channel is not None:
        # A document applies to a channel when its version in force (or, for designers, its draft)
        # names that channel or names none at all.
        live = Q(current_version__isnull=False)
        scoped = Q(current_version__versionchannel__channel=channel) | Q(
            current_version__isnull=False, current_version__versionchannel__isnull=True
        )
        if can_design(scope):
            scoped |= Q(versions__status__in=OPEN, versions__versionchannel__channel=channel)
            scoped |= Q(versions__status__in=OPEN, versions__versionchannel__isnull=True) & ~live
        qs = qs.filter(scoped)
    qs = qs.distinct().select_related("current_version")
    if can_design(scope):
        qs = qs.prefetch_related(_open_drafts())
    return qs.order_by("-updated_at", "-id")


def version_detail_queryset() -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.select_related(
        "document", "edited_by", "published_by", "author"
    ).prefetch_related(
        Prefetch("blocks", queryset=DocumentBlock.objects.order_by("kind", "position")),
        Prefetch("versionchannel_set", queryset=VersionChannel.objects.select_related("channel")),
        Prefetch("versionbranch_set", queryset=VersionBranch.objects.select_related("branch")),
        Prefetch(
            "versionreference_set",
            queryset=VersionReference.objects.select_related("document__current_version"),
        ),
    )


def version_with_parts(*, version: DocumentVersion) -> DocumentVersion:
    return version_detail_queryset().get(pk=version.pk)


def version_history(*, document: Document, scope: Any) -> QuerySet[DocumentVersion]:
    return (
        version_queryset(scope=scope)
        .filter(document=document)
        .select_related("edited_by", "published_by")
        .order_by("-number")
    )


def blocks_by_kind(version: DocumentVersion) -> dict[str, list[DocumentBlock]]:
    grouped: dict[str, list[DocumentBlock]] = {}
    for block in version.blocks.all():
        grouped.setdefault(block.kind, []).append(block)
    for blocks in grouped.values():
        blocks.sort(key=lambda b: b.position)
    return grouped


def published_documents(*, organization: Any) -> QuerySet[Document]:
    """Every document with a version in force, for the protocol book."""
    return (
        Document.objects.for_organization(organization)
        .filter(current_version__isnull=False, is_archived=False)
        .select_related("current_version")
        .order_by("kind", "current_version__title")
    )


# --- links from other apps ---------------------------------------------------------------------------
# The cycle app points at documents (moments follow a protocol, checklist items belong to one);
# protocols does not import it. Other apps may also register a callable returning extra panels.

DocumentPanel = Callable[[Document], dict[str, Any] | None]
_PANELS: list[DocumentPanel] = []


def register_document_panel(panel: DocumentPanel) -> None:
    """``panel(document) -> {"title": ..., "items": [str, ...]} | None``, shown on the document page."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def document_links(*, document: Document) -> list[dict[str, Any]]:
    """What else in the organisation points at ``document``: moments of truth, checklist items, panels."""
    from django.utils.translation import gettext as _

    links = []
    for attr, title in (("moments", _("Moments of truth")), ("checklist_items", _("Linked checklist items"))):
        related = getattr(document, attr, None) if hasattr(document, attr) else None
        if related is not None:
            items = [str(obj) for obj in related.filter(organization_id=document.organization_id)[:50]]
            if items:
                links.append({"title": title, "items": items})
    for panel in _PANELS:
        data = panel(document)
        if data:
            links.append(data)
    return links

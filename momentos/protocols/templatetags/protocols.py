"""Template helpers of the protocol studio."""

from __future__ import annotations

from typing import Any

from django import template

from momentos.protocols.choices import VersionStatus

register = template.Library()

STATUS_BADGES: dict[str, str] = {
    VersionStatus.DRAFT: "badge-warning",
    VersionStatus.REVIEW: "badge-info",
    VersionStatus.PUBLISHED: "badge-success",
    VersionStatus.SUPERSEDED: "",
}


@register.filter
def doc_title(document: Any) -> str:
    """The title of the version in force, else of the open draft (the list prefetches both)."""
    drafts = getattr(document, "open_drafts", None) or []
    version = document.current_version or (drafts[0] if drafts else None)
    return version.title if version else str(document.get_kind_display())


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")

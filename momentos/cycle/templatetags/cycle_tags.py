"""Template helpers of the design pages."""

from __future__ import annotations

from typing import Any

from django import template

from momentos.cycle.selectors import document_title

register = template.Library()


@register.filter(name="document_title")
def document_title_filter(document: Any) -> str:
    """A document's title from what is already loaded (no query per row)."""
    return document_title(document)

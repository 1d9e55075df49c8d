"""Template helpers of the design system: icons, badges and query strings."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "") -> str:
    href = static("momentos/img/icons.svg") + f"#i-{name}"
    if label:
        return format_html(
            '<svg class="icon" role="img" aria-label="{}"><use href="{}"></use></svg>', label, href
        )
    return format_html('<svg class="icon" aria-hidden="true"><use href="{}"></use></svg>', href)


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], page: int) -> str:
    qs = context.get("qs", "")
    return f"?{qs}&page={page}" if qs else f"?page={page}"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None

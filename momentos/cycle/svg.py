"""The service cycle drawn as a server-rendered SVG: moments as numbered, linked nodes in order.

Every text comes from users, so every piece goes through ``format_html``/``escape``; the drawing
has a <title> and <desc>, a text label per node and a link per node, and scrolls horizontally
inside its container on narrow screens instead of shrinking its labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

NODE_W = 168
NODE_H = 84
GAP = 44
PAD = 16
LABEL_CHARS = 20  # characters per label line before it wraps; two lines at most


def _lines(name: str) -> list[str]:
    words, lines, current = name.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= LABEL_CHARS or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: LABEL_CHARS - 1] + "…"]
    return [line if len(line) <= LABEL_CHARS + 4 else line[: LABEL_CHARS + 3] + "…" for line in lines]


def cycle_svg(
    *,
    cycle: Any,
    moments: Sequence[Any],
    url_for: Callable[[Any], str],
    status_for: Callable[[Any], tuple[str, str]] | None = None,
    element_id: str = "cycle-diagram",
) -> SafeString:
    """The SVG markup for ``moments`` in order; ``status_for(moment)`` gives (css class, words)."""
    count = len(moments)
    width = PAD * 2 + max(count, 1) * NODE_W + max(count - 1, 0) * GAP
    height = PAD * 2 + NODE_H + 24
    title = _("Service cycle: %(name)s") % {"name": cycle.name}
    if count:
        desc = _("%(count)s moments of truth in order: %(names)s.") % {
            "count": count,
            "names": ", ".join(f"{i}. {m.name}" for i, m in enumerate(moments, start=1)),
        }
    else:
        desc = _("This cycle has no moments of truth yet.")
    parts: list[SafeString] = []
    y = PAD
    for index, moment in enumerate(moments):
        x = PAD + index * (NODE_W + GAP)
        if index:
            x1, x2, ym = x - GAP + 4, x - 6, y + NODE_H / 2
            parts.append(
                format_html(
                    '<line class="edge" x1="{}" y1="{}" x2="{}" y2="{}" marker-end="url(#{}-arrow)"/>',
                    x1,
                    ym,
                    x2,
                    ym,
                    element_id,
                )
            )
        css, words = status_for(moment) if status_for else ("", "")
        lines = _lines(moment.name)
        first_y = y + NODE_H / 2 + 6 - (len(lines) - 1) * 9
        label = format_html_join(
            "",
            '<tspan x="{}" y="{}">{}</tspan>',
            ((x + NODE_W / 2, first_y + i * 18, line) for i, line in enumerate(lines)),
        )
        parts.append(
            format_html(
                '<a href="{href}" class="node {css}" aria-label="{aria}">'
                "<title>{full}</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10"/>'
                '<circle cx="{cx}" cy="{cy}" r="11"/>'
                '<text class="num" x="{cx}" y="{ny}" text-anchor="middle">{n}</text>'
                '<text class="label" text-anchor="middle">{label}</text>'
                '<text class="status" x="{sx}" y="{sy}" text-anchor="middle">{words}</text>'
                "</a>",
                href=url_for(moment),
                css=css,
                aria=f"{index + 1}. {moment.name}" + (f" — {words}" if words else ""),
                full=moment.name,
                x=x,
                y=y,
                w=NODE_W,
                h=NODE_H,
                cx=x + 14,
                cy=y + 14,
                ny=y + 18,
                n=index + 1,
                label=label,
                sx=x + NODE_W / 2,
                sy=y + NODE_H + 18,
                words=words,
            )
        )
    if count:
        # The cycle closes: an arc from the last moment back to the first, under the nodes.
        last_x = PAD + (count - 1) * (NODE_W + GAP) + NODE_W - 20
        parts.append(
            format_html(
                '<path class="edge back" d="M{} {} V{} H{} V{}" marker-end="url(#{}-arrow)"/>',
                last_x,
                y + NODE_H,
                height - 4,
                PAD + 20,
                y + NODE_H + 4,
                element_id,
            )
            if count > 1
            else mark_safe("")  # noqa: S308 - constant empty string
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="cycle-svg" id="{id}" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>'
        "{body}</svg>",
        id=element_id,
        w=width,
        h=height,
        title=title,
        desc=desc,
        body=mark_safe("".join(parts)),  # noqa: S308 - each part was built with format_html
    )

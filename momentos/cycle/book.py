"""The service cycle's chapters of the protocol book, built from ``selectors.cycle_book_sections``."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from momentos.cycle.selectors import cycle_book_sections


def _standard(s: dict[str, Any]) -> Any:
    if s["threshold"] is None:
        measure = _("no threshold yet (draft)")
    else:
        measure = f"{s['comparison_symbol']} {floatformat(s['threshold'], '-2')} {s['unit_label']}"
        if s["business_hours"]:
            measure = _("%(measure)s, in business hours") % {"measure": measure}
    return format_html("<li><strong>{}</strong> — {}: {}</li>", s["name"], s["metric_label"], measure)


def _checklist(c: dict[str, Any]) -> Any:
    flags = _("critical") if c["critical"] else ""
    weight = _("weight %(weight)s") % {"weight": c["weight"]}
    return format_html("<li>{} <small>({}{}{})</small></li>", c["text"], weight, ", " if flags else "", flags)


def cycle_book_builder(organization: Any, language: str) -> list[Any]:
    """One chapter per service cycle: its moments in order, each with procedure, standards and checklist."""
    from momentos.protocols.hooks import BookSection

    chapters = []
    with translation.override(language):
        for cycle in cycle_book_sections(organization):
            parts = []
            if cycle["description"]:
                parts.append(format_html("<p>{}</p>", cycle["description"]))
            for m in cycle["moments"]:
                parts.append(format_html("<h3>{}. {}</h3>", m["position"], m["name"]))
                if m["description"]:
                    parts.append(format_html("<p>{}</p>", m["description"]))
                if m["procedure"]:
                    parts.append(
                        format_html("<p><em>{}</em>: {}</p>", _("Procedure"), m["procedure"]["title"])
                    )
                if m["standards"]:
                    parts.append(format_html("<p><em>{}</em></p>", _("Service standards")))
                    parts.append(
                        format_html(
                            "<ul>{}</ul>",
                            format_html_join("", "{}", ((_standard(s),) for s in m["standards"])),
                        )
                    )
                if m["checklist"]:
                    parts.append(format_html("<p><em>{}</em></p>", _("Checklist")))
                    parts.append(
                        format_html(
                            "<ol>{}</ol>",
                            format_html_join("", "{}", ((_checklist(c),) for c in m["checklist"])),
                        )
                    )
            title = _("Service cycle: %(name)s (%(channel)s)") % {
                "name": cycle["name"],
                "channel": cycle["channel"],
            }
            chapters.append(BookSection(title=title, html="".join(str(p) for p in parts)))
    return chapters

"""Readable differences between two versions: words added in <ins>, removed in <del> (difflib, server-side)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from momentos.protocols.models import DocumentBlock, DocumentVersion
from momentos.protocols.sanitize import html_to_text

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class FieldDiff:
    label: str
    html: SafeString
    changed: bool


def word_diff(old: str, new: str) -> SafeString:
    """``new`` with the words removed from ``old`` in <del> and the added ones in <ins>; all text escaped."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in {"insert", "replace"}:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def _block_label(block: DocumentBlock) -> str:
    return f"{block.get_kind_display()} {block.position}"


def _block_text(block: DocumentBlock | None) -> dict[str, str]:
    if block is None:
        return {"title": "", "actor": "", "body": "", "how": ""}
    return {
        "title": block.title,
        "actor": block.actor,
        "body": html_to_text(block.body_html),
        "how": html_to_text(block.how_html),
    }


def version_diff(old: DocumentVersion, new: DocumentVersion) -> dict[str, Any]:
    """Field by field and block by block (matched by kind and position) from ``old`` to ``new``."""
    fields = []
    for label, attr in (
        (_("Title"), "title"),
        (_("Summary"), "summary"),
        (_("Situation or area"), "trigger"),
    ):
        before, after = getattr(old, attr), getattr(new, attr)
        fields.append(FieldDiff(label, word_diff(before, after), before != after))
    before, after = html_to_text(old.body_html), html_to_text(new.body_html)
    fields.append(FieldDiff(_("Text"), word_diff(before, after), before != after))

    def keyed(version: DocumentVersion) -> dict[tuple[str, int], DocumentBlock]:
        return {(b.kind, b.position): b for b in version.blocks.all()}

    old_blocks, new_blocks = keyed(old), keyed(new)
    blocks = []
    for key in sorted(set(old_blocks) | set(new_blocks)):
        a, b = old_blocks.get(key), new_blocks.get(key)
        ta, tb = _block_text(a), _block_text(b)
        parts = [
            FieldDiff(label, word_diff(ta[name], tb[name]), ta[name] != tb[name])
            for label, name in (
                (_("Heading"), "title"),
                (_("Who acts"), "actor"),
                (_("What is said or done"), "body"),
                (_("How it is done"), "how"),
            )
            if ta[name] or tb[name]
        ]
        state = "added" if a is None else "removed" if b is None else "changed" if ta != tb else "same"
        shown = b if b is not None else old_blocks[key]  # the key comes from one version or both
        blocks.append({"label": _block_label(shown), "state": state, "parts": parts})
    return {
        "fields": fields,
        "blocks": blocks,
        "changed": any(f.changed for f in fields) or any(b["state"] != "same" for b in blocks),
    }

"""Rich text: Markdown as people write it, rendered once and sanitised with an allow-list (nh3).

The same sanitised HTML is what the page shows, the PDF prints and the API returns; see
docs/adr/0003-rich-text.md. Plain-text fields (titles, who acts) are never rendered as HTML.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a",
    "blockquote", "h3", "h4", "code", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Elements removed with everything inside them, not just unwrapped.
_TAG = re.compile(r"<[^>]*>")
_HREFLESS_LINK = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}


def sanitize_html(html: str) -> str:
    """Only the allow-listed tags; links only to http(s)/mailto, opened with rel="noopener noreferrer"."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # A link whose address was refused is no link: keep its words (fpdf2 also needs an href).
    return _HREFLESS_LINK.sub(r"\1", cleaned)


def render_markdown(text: str) -> str:
    """Markdown (paragraphs, **bold**, *italic*, lists, links, quotes) → sanitised HTML."""
    if not text or not text.strip():
        return ""
    # Markdown headings become h3/h4 at most: the page and the PDF own the upper levels.
    html = markdown.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    for level in (5, 6):
        html = html.replace(f"<h{level}>", "<h4>").replace(f"</h{level}>", "</h4>")
    return sanitize_html(html)


def plain_text(text: str, *, max_length: int | None = None) -> str:
    """A single-line plain string: control characters removed, whitespace collapsed."""
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text or "")
    cleaned = " ".join(cleaned.split())
    return cleaned[:max_length] if max_length else cleaned


def html_to_text(html: str) -> str:
    """The words of sanitised HTML, for search and diffs (tags become spaces, entities characters)."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())


def normalize_for_search(text: str) -> str:
    """Lower case, without accents: "Atención" and "atencion" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())

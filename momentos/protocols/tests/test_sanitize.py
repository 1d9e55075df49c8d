"""Real XSS payloads in titles, text and blocks: none survives into the page, the printed copy, the PDF or the API."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from momentos.accounts.services import api_token_create
from momentos.protocols import services
from momentos.protocols.choices import BlockKind, DocumentKind
from momentos.protocols.sanitize import render_markdown, sanitize_html

PAYLOADS = [
    "<script>alert('x1')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert('x2'))",
    '<a href="javascript:alert(\'x3\')">link</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(\'x4\')">enc</a>',
    '<a href="jav&#x09;ascript:alert(\'x5\')">tab</a>',
    "<svg onload=alert('x6')>",
    "<svg><script>alert('x7')</script></svg>",
    "<img src=x onerror=alert('x8')>",
    '<p style="width: expression(alert(\'x9\'))">styled</p>',
    '<div style="background:url(javascript:alert(\'x10\'))">bg</div>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://ok.example" onclick="alert(\'x11\')">ok</a>',
    "<details open ontoggle=alert('x12')>",
    "<body onload=alert('x13')>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("x14")>',
]


def _clean(html: str) -> None:
    assert live_markup(html) == [], html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_keeps_no_active_content(payload: str) -> None:
    _clean(render_markdown(payload))
    _clean(render_markdown(f"Before\n\n{payload}\n\n- item {payload}"))


def test_allowed_formatting_and_safe_links_survive() -> None:
    html = render_markdown("**bold** *it* [site](https://example.com) [mail](mailto:a@example.com)\n\n1. one\n2. two")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<ol>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer">site</a>' in html
    assert 'href="mailto:a@example.com"' in html


def test_sanitizer_drops_what_is_not_allow_listed() -> None:
    assert sanitize_html('<p class="x" id="y">t</p><table><tr><td>c</td></tr></table>') == "<p>t</p>c"


@pytest.fixture
def hostile(org: Any, qm: Any) -> Any:
    """A published protocol and manual where every field a person types carries a payload."""
    evil = "\n\n".join(PAYLOADS)
    document = services.document_create(
        organization=org, actor=qm, kind=DocumentKind.PROTOCOL, language="en", title="<script>alert('t')</script>Title"
    )
    draft = document.versions.get()
    services.version_update(
        version=draft,
        actor=qm,
        revision=draft.revision,
        title="<img src=x onerror=alert('t')>Hostile protocol",
        summary="<svg onload=alert('s')>",
        trigger=evil,
        body=evil,
        blocks=[
            {"kind": BlockKind.STEP, "actor": "<script>alert('a')</script>", "body": evil},
            {"kind": BlockKind.DO, "body": evil},
            {"kind": BlockKind.DONT, "body": evil},
        ],
    )
    return services.version_publish(version=draft, actor=qm, change_note="<script>alert('n')</script>")


class _LiveMarkup(HTMLParser):
    """Collects what a browser would execute: script, frames, event handlers, script URLs, CSS expressions.

    Escaped payloads (``&lt;script&gt;`` shown as text) are harmless and are not reported.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_noscript = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "noscript":
            self.in_noscript = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "noscript":
            self.in_noscript = True
        if tag == "style" and self.in_noscript:
            return  # the layout's own no-JavaScript fallback
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append("inline script")
        if tag == "img" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append("img")
        if tag in {"iframe", "object", "embed", "math", "style"}:
            self.problems.append(tag)
        if tag == "svg" and "icon" not in (values.get("class") or ""):
            self.problems.append("svg")
        for name, value in attrs:
            v = "".join((value or "").split()).lower()
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and v.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag} {name}={v[:20]}")
            if name == "style" and ("expression(" in v or "javascript:" in v):
                self.problems.append(f"{tag} style")


def live_markup(html: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(html)
    return parser.problems


def test_the_markup_detector_is_not_blind() -> None:
    assert live_markup("<p onclick=x>a</p><a href='&#106;avascript:x'>b</a><script>x</script>") == [
        "p onclick", "a href=javascript:x", "inline script"
    ]
    assert live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == []


def test_no_payload_is_live_in_the_pages(qm_client: Any, hostile: Any) -> None:
    for name, args in (
        ("protocols:document_detail", [hostile.document_id]),
        ("protocols:version_detail", [hostile.pk]),
        ("protocols:version_print", [hostile.pk]),
        ("protocols:version_edit", [hostile.pk]),
        ("protocols:document_list", []),
    ):
        response = qm_client.get(reverse(name, args=args), follow=True)
        assert live_markup(response.text) == [], name
        assert "Hostile protocol" in response.text


def test_no_payload_is_live_in_the_draft_editor_and_diff(org: Any, qm: Any, qm_client: Any, hostile: Any) -> None:
    draft = services.version_new_draft(document=hostile.document, actor=qm)
    services.version_update(
        version=draft, actor=qm, revision=draft.revision, title="Hostile protocol 2", trigger=draft.trigger,
        body="\n\n".join(reversed(PAYLOADS)),
    )
    for url in (
        reverse("protocols:version_edit", args=[draft.pk]),
        reverse("protocols:document_compare", args=[hostile.document_id]) + f"?a={hostile.pk}&b={draft.pk}",
    ):
        response = qm_client.get(url)
        assert response.status_code == 200
        assert live_markup(response.text) == [], url


def test_no_payload_reaches_the_api(org: Any, hostile: Any) -> None:
    from django.test import Client

    _token, key = api_token_create(organization=org, created_by=org_admin_user(org), name="t")
    body = Client().get(f"/api/v1/versions/{hostile.pk}", headers={"Authorization": f"Bearer {key}"}).json()
    _clean(body["body_html"])
    for block in body["blocks"]:
        _clean(block["body_html"])
    assert body["title"] == "<img src=x onerror=alert('t')>Hostile protocol"  # plain text, escaped by readers


def org_admin_user(org: Any) -> Any:
    from momentos.accounts.tests.factories import admin_of

    return admin_of(org).user


def test_no_payload_reaches_the_pdf(org: Any, qm_client: Any, hostile: Any) -> None:
    response = qm_client.get(reverse("protocols:version_pdf", args=[hostile.pk]))
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Hostile protocol" in text
    # Links in the PDF are only the allowed schemes.
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            uri = annot.get_object().get("/A", {}).get("/URI", "")
            assert not str(uri).lower().startswith(("javascript", "data")), uri
    assert b"/JavaScript" not in response.content and b"/JS " not in response.content

"""PDF exports with fpdf2: one published document, or the whole protocol book with a table of contents.

The font (PT Sans, OFL) ships in a PyPI package, so a fresh machine needs nothing else; it covers
Spanish and English (ñ, á, ¿, ¡). Labels follow the document's language, not the reader's.
"""

from __future__ import annotations

from typing import Any

import fontpkg_pt_sans
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.outline import TableOfContents

from momentos.protocols.choices import BlockKind, DocumentKind
from momentos.protocols.hooks import BOOK_SECTIONS, BookSection
from momentos.protocols.models import Document, DocumentVersion
from momentos.protocols.selectors import blocks_by_kind, published_documents, version_with_parts

FONT = "PTSans"
_FILES = fontpkg_pt_sans.ROOT / "files"
FONT_FILES = {
    "": _FILES / "PT_Sans-Web-Regular.ttf",
    "B": _FILES / "PT_Sans-Web-Bold.ttf",
    "I": _FILES / "PT_Sans-Web-Italic.ttf",
    "BI": _FILES / "PT_Sans-Web-BoldItalic.ttf",
}
INK = (31, 41, 55)
MUTED = (100, 116, 139)


class BrandedPdf(FPDF):
    """An A4 document in PT Sans with the organisation as running head and the footer text with page numbers.

    Subclasses set the body size, the margins and whether the first page (a title page) has the head.
    """

    body_size = 11
    margin = 18
    bottom_margin = 18
    first_page_header = True

    def __init__(self, *, organization_name: str, footer_text: str = ""):
        super().__init__(format="A4")
        for style, path in FONT_FILES.items():
            self.add_font(FONT, style, str(path))
        self.organization_name = organization_name
        self.footer_text = footer_text
        self.set_margins(self.margin, self.margin, self.margin)
        self.set_auto_page_break(True, margin=self.bottom_margin)
        self.set_font(FONT, "", self.body_size)
        self.set_text_color(*INK)
        self.set_creator("momentos")

    def header(self) -> None:
        if self.page_no() == 1 and not self.first_page_header:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.organization_name, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(*INK)
        self.set_font(FONT, "", self.body_size)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, str(self.page_no()), align="R")
        self.set_text_color(*INK)


class _Pdf(BrandedPdf):
    # -- building blocks ------------------------------------------------------------------------------

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 11)
        self.ln(1)

    def label(self, text: str) -> None:
        self.set_font(FONT, "B", 10)
        self.set_text_color(*MUTED)
        self.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_font(FONT, "", 11)

    def paragraph(self, text: str) -> None:
        if text:
            self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
            self.ln(1)

    def rich(self, html: str) -> None:
        """Sanitised HTML (the same the page shows) through fpdf2's HTML renderer."""
        if html:
            self.write_html(html, font_family=FONT)
            self.set_font(FONT, "", 11)
            self.ln(1)


def _meta_line(version: DocumentVersion) -> str:
    published = (
        formats.date_format(timezone.localtime(version.published_at), "DATE_FORMAT")
        if version.published_at
        else _("not published")
    )
    return _("Version %(n)s · published %(date)s") % {"n": version.number, "date": published}


def _write_version(pdf: _Pdf, version: DocumentVersion, *, level: int | None = None) -> None:
    document = version.document
    if level is not None:
        pdf.start_section(version.title, level=level)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, f"{document.get_kind_display()} · {_meta_line(version)}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.heading(version.title, 18)
    if version.change_note:
        pdf.label(_("Change note"))
        pdf.paragraph(version.change_note)
    if version.summary:
        pdf.paragraph(version.summary)
    if version.trigger:
        pdf.label(
            {
                DocumentKind.PROTOCOL: _("Situation"),
                DocumentKind.MANUAL: _("Area or process"),
                DocumentKind.GUIDE: _("Subject"),
            }[DocumentKind(document.kind)]
        )
        pdf.paragraph(version.trigger)
    channels = [vc.channel.get_kind_display() for vc in version.versionchannel_set.all()]
    branches = [vb.branch.name for vb in version.versionbranch_set.all()]
    if document.kind == DocumentKind.PROTOCOL:
        pdf.label(_("Scope"))
        pdf.paragraph(
            _("Channels: %(c)s. Branches: %(b)s.")
            % {"c": ", ".join(channels) or _("all"), "b": ", ".join(branches) or _("all")}
        )
    pdf.rich(version.body_html)
    grouped = blocks_by_kind(version)
    for step in grouped.get(BlockKind.STEP, []):
        label = _("Step %(n)s · %(who)s") % {"n": step.position, "who": step.actor or "—"}
        pdf.label(f"{label} · {step.title}" if step.title else label)
        pdf.rich(step.body_html)
    for kind, title in ((BlockKind.DO, _("Do")), (BlockKind.DONT, _("Don't"))):
        if grouped.get(kind):
            pdf.heading(title, 13)
            for block in grouped[kind]:
                pdf.rich(block.body_html)
    for section in grouped.get(BlockKind.SECTION, []):
        pdf.heading(section.title or _("Section %(n)s") % {"n": section.position}, 13)
        pdf.label(_("What is done"))
        pdf.rich(section.body_html)
        pdf.label(_("How it is done"))
        pdf.rich(section.how_html)
    for rec in grouped.get(BlockKind.RECOMMENDATION, []):
        if rec.title:
            pdf.label(rec.title)
        pdf.rich(rec.body_html)
    references = [r.document for r in version.versionreference_set.all()]
    if references:
        pdf.label(_("Related protocols"))
        pdf.paragraph(", ".join(str(d) for d in references))


def version_pdf(*, version: DocumentVersion, organization: Any) -> bytes:
    """One version as a PDF, in its document's language."""
    version = version_with_parts(version=version)
    with translation.override(version.document.language):
        pdf = _Pdf(organization_name=organization.name, footer_text=f"{version.title} · v{version.number}")
        pdf.set_title(version.title)
        pdf.set_lang(version.document.language)
        pdf.add_page()
        _write_version(pdf, version)
        return bytes(pdf.output())


def _render_toc(pdf: FPDF, outline: list[Any]) -> None:
    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 10, _("Contents"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    TableOfContents().render_toc(pdf, outline)


def book_pdf(*, organization: Any, language: str) -> bytes:
    """The protocol book: chapters registered by other apps (the service cycle…), then every published document."""
    with translation.override(language):
        title = _("Protocol book")
        pdf = _Pdf(organization_name=organization.name, footer_text=f"{organization.name} · {title}")
        pdf.set_title(f"{title} — {organization.name}")
        pdf.set_lang(language)
        pdf.add_page()
        pdf.ln(40)
        pdf.heading(title, 26)
        pdf.paragraph(organization.name)
        pdf.paragraph(formats.date_format(timezone.localdate(), "DATE_FORMAT"))
        pdf.insert_toc_placeholder(_render_toc, allow_extra_pages=True)
        sections: list[tuple[int, BookSection]] = []
        for order, builder in BOOK_SECTIONS:
            sections += [(order, s) for s in builder(organization, language)]
        before = [s for order, s in sections if order < 500]
        after = [s for order, s in sections if order >= 500]
        for section in before:
            _write_section(pdf, section)
        documents: list[Document] = list(published_documents(organization=organization))
        for kind in DocumentKind:
            # published_documents only returns documents with a version in force.
            of_kind = [d.current_version for d in documents if d.kind == kind and d.current_version]
            if not of_kind:
                continue
            pdf.add_page()
            pdf.start_section(_plural(kind), level=0)
            for index, version in enumerate(of_kind):
                if index:
                    pdf.add_page()
                _write_version(pdf, version_with_parts(version=version), level=1)
        for section in after:
            _write_section(pdf, section)
        return bytes(pdf.output())


def _plural(kind: DocumentKind) -> str:
    return {
        DocumentKind.PROTOCOL: _("Protocols"),
        DocumentKind.MANUAL: _("Manuals"),
        DocumentKind.GUIDE: _("Guides"),
    }[kind]


def _write_section(pdf: _Pdf, section: BookSection) -> None:
    pdf.add_page()
    pdf.start_section(section.title, level=0)
    pdf.heading(section.title, 18)
    for paragraph in section.paragraphs:
        pdf.paragraph(paragraph)
    pdf.rich(section.html)

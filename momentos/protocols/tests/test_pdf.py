"""PDF exports: a valid file, in the document's language, with organisation, version, date, note and accents."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from momentos.protocols import hooks
from momentos.protocols.hooks import BookSection
from momentos.protocols.tests.factories import published_protocol

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_document_pdf_carries_title_organisation_version_and_change_note(org: Any, qm: Any, qm_client: Any) -> None:
    version = published_protocol(org, qm, title="Atención: cliente enfadado ñandú", language="es")
    response = qm_client.get(reverse("protocols:version_pdf", args=[version.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Atención: cliente enfadado ñandú" in text
    assert org.name in text
    assert "First edition." in text
    assert "Greet the customer by name." in text


def test_document_pdf_labels_follow_the_document_language_not_the_reader(org: Any, qm: Any, qm_client: Any) -> None:
    english = published_protocol(org, qm, title="Long wait", language="en")
    text = pdf_text(qm_client.get(reverse("protocols:version_pdf", args=[english.pk])).content)
    assert "Version 1" in text and "Change note" in text


def test_protocol_book_has_contents_every_published_document_and_registered_sections(
    org: Any, qm: Any, qm_client: Any
) -> None:
    published_protocol(org, qm, title="First protocol")
    published_protocol(org, qm, title="Second protocol")

    def cycle_chapter(organization: Any, language: str) -> list[BookSection]:
        return [BookSection(title="Service cycle", paragraphs=[f"Moments of {organization.name}"])]

    hooks.register_book_section(cycle_chapter, order=10)
    try:
        response = qm_client.get(reverse("protocols:book_pdf"), {"language": "en"})
    finally:
        hooks.BOOK_SECTIONS[:] = [(o, b) for o, b in hooks.BOOK_SECTIONS if b is not cycle_chapter]
    text = pdf_text(response.content)
    assert "Contents" in text
    assert text.index("Service cycle") < text.index("First protocol")
    assert "Second protocol" in text and f"Moments of {org.name}" in text
    outline = [item.title for item in PdfReader(io.BytesIO(response.content)).outline if not isinstance(item, list)]
    assert "Service cycle" in outline and "Protocols" in outline


def test_book_of_an_organisation_with_nothing_published_is_still_a_pdf(qm_client: Any) -> None:
    assert pdf_text(qm_client.get(reverse("protocols:book_pdf")).content)

"""Extension points for other apps: sections of the protocol book and facets of the document list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BookSection:
    """A chapter of the protocol book: a heading and paragraphs (plain text) or sanitised HTML."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    html: str = ""


# ``section_builder(organization, language) -> list[BookSection]``, called when the book is printed.
BookSectionBuilder = Callable[[Any, str], list[BookSection]]
BOOK_SECTIONS: list[tuple[int, BookSectionBuilder]] = []


def register_book_section(builder: BookSectionBuilder, *, order: int = 100) -> None:
    """Add chapters to the protocol book; lower ``order`` comes first (documents are at 500)."""
    if all(existing is not builder for _, existing in BOOK_SECTIONS):
        BOOK_SECTIONS.append((order, builder))
        BOOK_SECTIONS.sort(key=lambda item: item[0])


@dataclass(frozen=True)
class DocumentFacet:
    """An extra filter of the document list that another app knows how to answer.

    ``choices(scope)`` lists ``(value, label)`` pairs for the member; ``document_ids(scope, value)``
    returns the ids of the documents that match (a queryset of ids or a list), or None for an
    unknown value, which then filters nothing.
    """

    name: str
    label: Any
    any_label: Any
    choices: Callable[[Any], list[tuple[str, str]]]
    document_ids: Callable[[Any, str], Any]


DOCUMENT_FACETS: dict[str, DocumentFacet] = {}


def register_document_facet(facet: DocumentFacet) -> None:
    DOCUMENT_FACETS[facet.name] = facet


# ``check(version) -> list[str]``: more reasons a version is not complete, from apps that know what it
# governs (the cycle: the standards of the moments this protocol is the procedure of).
CompletenessCheck = Callable[[Any], list[str]]
COMPLETENESS_CHECKS: list[CompletenessCheck] = []


def register_completeness_check(check: CompletenessCheck) -> None:
    if check not in COMPLETENESS_CHECKS:
        COMPLETENESS_CHECKS.append(check)

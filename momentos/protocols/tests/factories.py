"""Factories for the protocol studio, registered for the tenant-isolation test."""

from __future__ import annotations

import itertools
from typing import Any

from momentos.accounts.models import Branch, Channel, Organization
from momentos.accounts.tests.factories import make_branch
from momentos.core.testing import tenant_factory
from momentos.protocols.choices import BlockKind, DocumentKind
from momentos.protocols.models import (
    Document,
    DocumentBlock,
    DocumentVersion,
    VersionBranch,
    VersionChannel,
    VersionReference,
)

_seq = itertools.count(1)


@tenant_factory(Document)
def make_document(
    organization: Organization, *, kind: str = DocumentKind.PROTOCOL, title: str = "", **fields: Any
) -> Document:
    document = Document.objects.create(organization=organization, kind=kind, **fields)
    DocumentVersion.objects.create(
        organization=organization, document=document, number=1, title=title or f"Document {next(_seq)}"
    )
    return document


@tenant_factory(DocumentVersion)
def make_version(organization: Organization) -> DocumentVersion:
    return make_document(organization).versions.get()


@tenant_factory(DocumentBlock)
def make_block(organization: Organization) -> DocumentBlock:
    version = make_version(organization)
    return DocumentBlock.objects.create(
        organization=organization,
        version=version,
        kind=BlockKind.STEP,
        position=1,
        actor="Agent",
        body="<p>Greet</p>",
    )


@tenant_factory(VersionChannel)
def make_version_channel(organization: Organization) -> VersionChannel:
    channel = Channel.objects.for_organization(organization).first()
    return VersionChannel.objects.create(
        organization=organization, version=make_version(organization), channel=channel
    )


@tenant_factory(VersionBranch)
def make_version_branch(organization: Organization) -> VersionBranch:
    branch: Branch = make_branch(organization)
    return VersionBranch.objects.create(
        organization=organization, version=make_version(organization), branch=branch
    )


@tenant_factory(VersionReference)
def make_version_reference(organization: Organization) -> VersionReference:
    manual = make_document(organization, kind=DocumentKind.MANUAL)
    return VersionReference.objects.create(
        organization=organization, version=manual.versions.get(), document=make_document(organization)
    )


# --- helpers for the studio's own tests (not tenant factories) -----------------------------------------


def quality_manager_of(organization: Organization) -> Any:
    from momentos.accounts.choices import Role
    from momentos.accounts.tests.factories import make_member

    return make_member(organization, role=Role.QUALITY_MANAGER)


def complete_protocol(
    organization: Organization, actor: Any, *, title: str = "Angry customer", language: str = "en"
) -> DocumentVersion:
    """A protocol draft that is complete for publishing (situation, one step with who and what)."""
    from momentos.protocols import services

    document = services.document_create(
        organization=organization, actor=actor, kind=DocumentKind.PROTOCOL, language=language, title=title
    )
    draft = document.versions.get()
    return services.version_update(
        version=draft,
        actor=actor,
        revision=draft.revision,
        title=title,
        trigger="A customer raises their voice at the counter.",
        body="Stay calm and **listen** first.",
        blocks=[
            {"kind": BlockKind.STEP, "actor": "Agent", "body": "Greet the customer by name."},
            {"kind": BlockKind.STEP, "actor": "Agent", "body": "Let them explain without interrupting."},
            {"kind": BlockKind.DO, "body": "Keep eye contact."},
            {"kind": BlockKind.DONT, "body": "Raise your voice."},
        ],
    )


def published_protocol(organization: Organization, actor: Any, **kwargs: Any) -> DocumentVersion:
    from momentos.protocols import services

    draft = complete_protocol(organization, actor, **kwargs)
    return services.version_publish(version=draft, actor=actor, change_note="First edition.")

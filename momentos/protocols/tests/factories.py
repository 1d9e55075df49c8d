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

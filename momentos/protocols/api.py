"""API of the protocol studio: read documents and versions, create and edit drafts, submit, publish.

The same services and rules as the pages: a stale ``revision`` is a 409, an incomplete version or a
missing change note a 422 listing every reason. A token acts with the role of the member who created it.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from momentos.accounts.http import ApiRequest
from momentos.accounts.models import Branch, Channel, Membership
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, ErrorEnvelope, Pagination
from momentos.core.errors import DomainError, PermissionDeniedError
from momentos.protocols import selectors, services
from momentos.protocols.choices import BlockKind, DocumentKind, VersionStatus
from momentos.protocols.models import Document, DocumentVersion

router = Router(tags=["protocol studio"])
ERRORS: dict[int, Any] = {**ERROR_RESPONSES, 403: ErrorEnvelope}


# --- schemas ------------------------------------------------------------------------------------------


class BlockOut(Schema):
    kind: str
    position: int
    title: str
    actor: str
    body: str = Field(description="Markdown as written.")
    body_html: str = Field(description="The sanitised HTML every reader gets.")
    how: str
    how_html: str


class VersionSummaryOut(Schema):
    id: UUID
    number: int
    status: str
    title: str
    revision: int
    change_note: str
    published_at: datetime | None
    superseded_at: datetime | None


class VersionOut(VersionSummaryOut):
    document_id: UUID
    summary: str
    trigger: str
    body: str
    body_html: str
    updated_at: datetime
    blocks: list[BlockOut]
    channels: list[UUID]
    branches: list[UUID]
    references: list[UUID]

    @staticmethod
    def resolve_blocks(obj: DocumentVersion) -> list[Any]:
        order = list(BlockKind.values)
        return sorted(obj.blocks.all(), key=lambda b: (order.index(b.kind), b.position))

    @staticmethod
    def resolve_channels(obj: DocumentVersion) -> list[Any]:
        return [vc.channel_id for vc in obj.versionchannel_set.all()]

    @staticmethod
    def resolve_branches(obj: DocumentVersion) -> list[Any]:
        return [vb.branch_id for vb in obj.versionbranch_set.all()]

    @staticmethod
    def resolve_references(obj: DocumentVersion) -> list[Any]:
        return [vr.document_id for vr in obj.versionreference_set.all()]


class DocumentOut(Schema):
    id: UUID
    kind: str
    language: str
    title: str
    is_archived: bool
    current_version: VersionSummaryOut | None
    updated_at: datetime

    @staticmethod
    def resolve_title(obj: Document) -> str:
        from momentos.protocols.templatetags.protocols import doc_title

        return doc_title(obj)


class DocumentDetailOut(DocumentOut):
    versions: list[VersionSummaryOut]

    @staticmethod
    def resolve_versions(obj: Document) -> list[Any]:
        return list(obj.versions.order_by("-number"))


class DocumentIn(Schema):
    kind: DocumentKind
    language: str = Field("es", pattern="^(es|en)$")
    title: str = Field(min_length=1, max_length=200)


class BlockIn(Schema):
    kind: str = Field(description="step, do, dont (protocol); section (manual); recommendation (guide).")
    title: str = Field("", max_length=200)
    actor: str = Field("", max_length=120)
    body: str = Field("", max_length=20000)
    how: str = Field("", max_length=20000)


class VersionIn(Schema):
    revision: int = Field(description="The revision this edit is based on; a stale one is a 409.")
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=1000)
    trigger: str = Field("", max_length=5000)
    body: str = Field("", max_length=50000)
    blocks: list[BlockIn] | None = Field(
        None, description="In order; replaces the blocks. Omit to keep them."
    )
    channels: list[UUID] | None = None
    branches: list[UUID] | None = None
    references: list[UUID] | None = None


class PublishIn(Schema):
    change_note: str = Field("", max_length=5000)


class PublicationOut(Schema):
    ready: bool
    reasons: list[str]


# --- helpers ------------------------------------------------------------------------------------------


def _actor(request: ApiRequest) -> Membership:
    token = request.api_token
    membership = None
    if token.created_by_id is not None:  # the creator's account was deleted
        membership = (
            Membership.objects.filter(
                organization=request.organization, user_id=token.created_by_id, is_active=True
            )
            .select_related("user")
            .first()
        )
    if membership is None:
        raise PermissionDeniedError(
            _("The member who created this token no longer belongs to the organisation.")
        )
    return membership


def _version(request: ApiRequest, version_id: UUID) -> DocumentVersion:
    return object_get_for_organization(
        DocumentVersion,
        organization=request.organization,
        pk=version_id,
        queryset=selectors.version_detail_queryset(),
    )


def _document(request: ApiRequest, document_id: UUID) -> Document:
    return object_get_for_organization(
        Document,
        organization=request.organization,
        pk=document_id,
        queryset=Document.objects.select_related("current_version"),
    )


def _resolve(model: Any, ids: list[UUID] | None, organization: Any, field: str) -> list[Any] | None:
    if ids is None:
        return None
    found = list(model.objects.for_organization(organization).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError(
            _("Some of the chosen records do not exist."), field=field, details=[{"field": field}]
        )
    return found


# --- operations ---------------------------------------------------------------------------------------


@router.get("/documents", response={200: list[DocumentOut], **ERRORS}, summary="List documents")
@paginate(Pagination)
def document_list(
    request: ApiRequest, q: str = "", kind: str = "", status: str = "", channel: UUID | None = None
) -> Any:
    organization = request.organization
    channel_obj = (
        Channel.objects.for_organization(organization).filter(pk=channel).first() if channel else None
    )
    return selectors.document_list(
        scope=_actor(request), search=q, kind=kind, status=status, channel=channel_obj
    )


@router.post("/documents", response={201: DocumentDetailOut, **ERRORS}, summary="Create a document")
def document_create(request: ApiRequest, payload: DocumentIn) -> Any:
    document = services.document_create(
        organization=request.organization,
        actor=_actor(request),
        kind=payload.kind,
        language=payload.language,
        title=payload.title,
    )
    return 201, _document(request, document.pk)


@router.get(
    "/documents/{uuid:document_id}", response={200: DocumentDetailOut, **ERRORS}, summary="One document"
)
def document_read(request: ApiRequest, document_id: UUID) -> Any:
    return _document(request, document_id)


@router.get(
    "/documents/{uuid:document_id}/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="Every version of a document, newest first, with blocks",
)
def document_versions(request: ApiRequest, document_id: UUID) -> Any:
    document = _document(request, document_id)
    return list(selectors.version_detail_queryset().filter(document=document).order_by("-number"))


@router.post(
    "/documents/{uuid:document_id}/versions",
    response={201: VersionOut, **ERRORS},
    summary="Start a new draft from the version in force",
    description="Returns the open draft when there is one already.",
)
def document_new_draft(request: ApiRequest, document_id: UUID) -> Any:
    draft = services.version_new_draft(document=_document(request, document_id), actor=_actor(request))
    return 201, _version(request, draft.pk)


@router.get("/versions/{uuid:version_id}", response={200: VersionOut, **ERRORS}, summary="One version")
def version_read(request: ApiRequest, version_id: UUID) -> Any:
    return _version(request, version_id)


@router.put(
    "/versions/{uuid:version_id}",
    response={200: VersionOut, **ERRORS},
    summary="Edit a draft",
    description="`revision` must be the draft's current one; otherwise 409 `edit_conflict`, nothing saved.",
)
def version_update(request: ApiRequest, version_id: UUID, payload: VersionIn) -> Any:
    version = _version(request, version_id)
    organization = request.organization
    if not version.is_editable:
        raise DomainError(_("This version is published and can no longer be edited."), code="not_editable")
    services.version_update(
        version=version,
        actor=_actor(request),
        revision=payload.revision,
        title=payload.title,
        summary=payload.summary,
        trigger=payload.trigger,
        body=payload.body,
        blocks=[b.dict() for b in payload.blocks] if payload.blocks is not None else None,
        channels=_resolve(Channel, payload.channels, organization, "channels"),
        branches=_resolve(Branch, payload.branches, organization, "branches"),
        references=_resolve(Document, payload.references, organization, "references"),
    )
    return _version(request, version_id)


@router.post(
    "/versions/{uuid:version_id}/submit", response={200: VersionOut, **ERRORS}, summary="Send to review"
)
def version_submit(request: ApiRequest, version_id: UUID) -> Any:
    services.version_submit_for_review(version=_version(request, version_id), actor=_actor(request))
    return _version(request, version_id)


@router.get(
    "/versions/{uuid:version_id}/publication",
    response={200: PublicationOut, **ERRORS},
    summary="What is missing before a version can be published",
)
def version_publication(request: ApiRequest, version_id: UUID) -> Any:
    version = _version(request, version_id)
    if version.status not in (VersionStatus.DRAFT, VersionStatus.REVIEW):
        return {"ready": False, "reasons": [_("This version is already published.")]}
    reasons = services.version_completeness(version=version)
    return {"ready": not reasons, "reasons": reasons}


@router.post(
    "/versions/{uuid:version_id}/publication",
    response={200: VersionOut, **ERRORS},
    summary="Publish a version",
    description="Needs a change note and a complete document; otherwise 422 `incomplete` with every reason "
    "in `details`. Only a quality manager's (or an admin's) token may publish: 403 otherwise.",
)
def version_publish(request: ApiRequest, version_id: UUID, payload: PublishIn) -> Any:
    services.version_publish(
        version=_version(request, version_id), actor=_actor(request), change_note=payload.change_note
    )
    return _version(request, version_id)

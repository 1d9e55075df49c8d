"""API of improvement actions: list, read, raise and update them (an API token acts for the whole organisation).

Annotations are evaluated eagerly here, as in attention.api: ninja reads the query schema of a
paginated operation from the wrapper's module.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from momentos.accounts.http import ApiRequest
from momentos.accounts.models import Branch, User
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, Pagination
from momentos.core.errors import DomainError
from momentos.cycle.models import Moment, Objective
from momentos.improvement import selectors, services
from momentos.improvement.choices import COMMITTED_STATUSES, ActionSource, ActionStatus
from momentos.improvement.models import ImprovementAction
from momentos.protocols.models import DocumentVersion
from momentos.surveys.models import FollowUp

router = Router(tags=["improvement"])

STATUS_PATTERN = "^(" + "|".join(ActionStatus.values) + ")$"
SOURCE_PATTERN = "^(" + "|".join(ActionSource.values) + ")$"


class ActionOut(Schema):
    id: UUID
    title: str
    description: str
    source: str
    status: str
    objective_id: UUID | None
    moment_id: UUID | None
    follow_up_id: UUID | None
    branch_id: UUID | None
    owner_id: UUID | None
    owner_email: str | None
    due_date: date | None
    closing_version_id: UUID | None
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_owner_email(obj: ImprovementAction) -> str | None:
        return obj.owner.email if obj.owner else None


class ActionIn(Schema):
    """Raise an action: an open one needs an owner (by id or e-mail) and a due date."""

    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    source: str = Field(ActionSource.MANUAL, pattern=SOURCE_PATTERN)
    status: str = Field(ActionStatus.OPEN, pattern="^(proposed|open|in_progress)$")
    objective_id: UUID | None = None
    moment_id: UUID | None = None
    follow_up_id: UUID | None = None
    branch_id: UUID | None = None
    owner_id: UUID | None = None
    owner_email: str | None = Field(None, max_length=254)
    due_date: date | None = None
    closing_version_id: UUID | None = None


class ActionPatch(Schema):
    """Change some fields; ``status`` moves the action (done and dismissed close it)."""

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10000)
    status: str | None = Field(None, pattern=STATUS_PATTERN)
    objective_id: UUID | None = None
    moment_id: UUID | None = None
    branch_id: UUID | None = None
    owner_id: UUID | None = None
    owner_email: str | None = Field(None, max_length=254)
    due_date: date | None = None
    closing_version_id: UUID | None = None


class ActionFilterIn(Schema):
    status: str | None = Field(None, pattern=STATUS_PATTERN)
    source: str | None = Field(None, pattern=SOURCE_PATTERN)
    branch_id: UUID | None = None
    owner_id: UUID | None = None
    overdue: bool = Field(False, description="Only open or in-progress actions past their due date.")
    q: str = Field("", max_length=100, description="Search the title and description.")


def _queryset(organization: Any) -> Any:
    return (
        ImprovementAction.objects.for_organization(organization)
        .select_related("owner")
        .order_by("due_date", "-created_at", "id")
    )


def _owner(organization: Any, owner_id: UUID | None, owner_email: str | None) -> User | None:
    if owner_id is None and not owner_email:
        return None
    qs = User.objects.filter(memberships__organization=organization, memberships__is_active=True)
    owner = qs.filter(pk=owner_id).first() if owner_id else qs.filter(email__iexact=owner_email).first()
    if owner is None:
        raise DomainError(
            _("The owner must be a member of the organisation."), field="owner", code="owner_not_member"
        )
    return owner


_REFS: dict[str, type] = {
    "objective_id": Objective,
    "moment_id": Moment,
    "follow_up_id": FollowUp,
    "branch_id": Branch,
}


def _ref(organization: Any, name: str, value: UUID | None) -> Any:
    if value is None:
        return None
    if name == "closing_version_id":
        version = DocumentVersion.objects.for_organization(organization).filter(pk=value).first()
        if version is None:
            raise DomainError(
                _("Choose a published version of one of the organisation's documents."),
                field="closing_version",
                code="version_not_published",
            )
        return version
    model = _REFS[name]
    found = model.objects.for_organization(organization).filter(pk=value).first()  # type: ignore[attr-defined]
    if found is None:
        raise DomainError(_("Not found."), field=name, code="not_found", details={"field": name})
    return found


@router.get(
    "/improvement-actions",
    response={200: list[ActionOut], **ERROR_RESPONSES},
    summary="List improvement actions, soonest due first",
)
@paginate(Pagination)
def action_list(request: ApiRequest, filters: Query[ActionFilterIn]) -> Any:
    org = request.organization
    qs = _queryset(org)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.branch_id:
        qs = qs.filter(branch_id=filters.branch_id)
    if filters.owner_id:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.q:
        qs = qs.filter(title__icontains=filters.q) | qs.filter(description__icontains=filters.q)
    if filters.overdue:
        qs = qs.filter(status__in=COMMITTED_STATUSES, due_date__lt=selectors.organization_today(org))
    return qs


@router.get(
    "/improvement-actions/{uuid:action_id}",
    response={200: ActionOut, **ERROR_RESPONSES},
    summary="One improvement action",
)
def action_detail(request: ApiRequest, action_id: UUID) -> Any:
    org = request.organization
    return object_get_for_organization(
        ImprovementAction, organization=org, pk=action_id, queryset=_queryset(org)
    )


@router.post(
    "/improvement-actions",
    response={201: ActionOut, **ERROR_RESPONSES},
    summary="Raise an improvement action",
)
def action_create(request: ApiRequest, payload: ActionIn) -> Any:
    org = request.organization
    action = services.action_create(
        organization=org,
        created_by=None,
        status=payload.status,
        title=payload.title.strip(),
        description=payload.description,
        source=payload.source,
        objective=_ref(org, "objective_id", payload.objective_id),
        moment=_ref(org, "moment_id", payload.moment_id),
        follow_up=_ref(org, "follow_up_id", payload.follow_up_id),
        branch=_ref(org, "branch_id", payload.branch_id),
        owner=_owner(org, payload.owner_id, payload.owner_email),
        due_date=payload.due_date,
        closing_version=_ref(org, "closing_version_id", payload.closing_version_id),
    )
    return 201, _queryset(org).get(pk=action.pk)


@router.patch(
    "/improvement-actions/{uuid:action_id}",
    response={200: ActionOut, **ERROR_RESPONSES},
    summary="Update an improvement action or move its status",
)
def action_update(request: ApiRequest, action_id: UUID, payload: ActionPatch) -> Any:
    org = request.organization
    action = object_get_for_organization(ImprovementAction, organization=org, pk=action_id)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name in ("title", "description", "due_date"):
        if name in sent:
            if sent[name] is None and name != "due_date":
                raise DomainError(_("%(field)s cannot be empty.") % {"field": name}, field=name)
            changes[name] = sent[name]
    for name in ("objective_id", "moment_id", "branch_id", "closing_version_id"):
        if name in sent:
            changes[name.removesuffix("_id")] = _ref(org, name, sent[name])
    if "owner_id" in sent or "owner_email" in sent:
        changes["owner"] = _owner(org, sent.get("owner_id"), sent.get("owner_email"))
    status = sent.get("status")
    if status == ActionStatus.OPEN and action.status == ActionStatus.PROPOSED and changes.get("owner"):
        # Accepting a proposal: owner and due date in the same request.
        services.action_accept(
            action=action,
            owner=changes.pop("owner"),
            due_date=changes.pop("due_date", None) or action.due_date,
        )
        status = None
    if changes:
        services.action_update(action=action, **changes)
    if status:
        services.action_status_set(action=action, status=status)
    return _queryset(org).get(pk=action.pk)

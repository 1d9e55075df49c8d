"""API of the accounts app: token authentication and the organisation's structure (read-only)."""

from __future__ import annotations

from datetime import time
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import HttpBearer

from momentos.accounts import services
from momentos.accounts.models import Branch, Channel, Team
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, Pagination


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer mom_…`; the request then carries `request.organization`."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = services.api_token_authenticate(raw=token.strip())
        if found is None:
            return None
        request.organization = found.organization  # type: ignore[attr-defined]
        request.api_token = found  # type: ignore[attr-defined]
        return found


router = Router(tags=["organisation"])


class OrganizationOut(Schema):
    id: UUID
    name: str
    slug: str
    language: str
    time_zone: str


class OpeningSpanOut(Schema):
    weekday: int
    opens: time
    closes: time


class BranchOut(Schema):
    id: UUID
    name: str
    code: str
    city: str
    time_zone: str
    language: str
    is_active: bool


class BranchDetailOut(BranchOut):
    address: str
    opening_hours: list[OpeningSpanOut]

    @staticmethod
    def resolve_opening_hours(obj: Branch) -> list[Any]:
        return list(obj.opening_hours.all())


class TeamOut(Schema):
    id: UUID
    name: str
    branch_id: UUID | None


class ChannelOut(Schema):
    id: UUID
    kind: str
    name: str
    is_active: bool


@router.get(
    "/organization", response={200: OrganizationOut, **ERROR_RESPONSES}, summary="The token's organisation"
)
def organization_read(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


@router.get("/branches", response=list[BranchOut], summary="List branches")
@paginate(Pagination)
def branch_list(request: HttpRequest) -> Any:
    return Branch.objects.for_organization(request.organization).order_by("name")  # type: ignore[attr-defined]


@router.get(
    "/branches/{uuid:branch_id}", response={200: BranchDetailOut, **ERROR_RESPONSES}, summary="One branch"
)
def branch_read(request: HttpRequest, branch_id: UUID) -> Any:
    return object_get_for_organization(
        Branch,
        organization=request.organization,
        pk=branch_id,  # type: ignore[attr-defined]
        queryset=Branch.objects.prefetch_related("opening_hours"),
    )


@router.get("/teams", response=list[TeamOut], summary="List teams")
@paginate(Pagination)
def team_list(request: HttpRequest) -> Any:
    return Team.objects.for_organization(request.organization).order_by("name")  # type: ignore[attr-defined]


@router.get("/channels", response=list[ChannelOut], summary="List channels")
@paginate(Pagination)
def channel_list(request: HttpRequest) -> Any:
    return Channel.objects.for_organization(request.organization).order_by("kind")  # type: ignore[attr-defined]

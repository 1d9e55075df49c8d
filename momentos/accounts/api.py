"""API of the accounts app: token authentication and the organisation's structure."""

from __future__ import annotations

from datetime import time
from typing import Any, cast
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.security import HttpBearer
from pydantic import field_validator

from momentos.accounts import services
from momentos.accounts.choices import Language
from momentos.accounts.http import ApiRequest
from momentos.accounts.models import TIME_ZONES, Branch, Channel, Team
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, Pagination


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer mom_…`; the request then carries `organization` and `api_token` (ApiRequest)."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = services.api_token_authenticate(raw=token.strip())
        if found is None:
            return None
        # From here on the operation's request is an ApiRequest.
        api_request = cast(ApiRequest, request)
        api_request.organization = found.organization
        api_request.api_token = found
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


class BranchIn(Schema):
    """A new branch; the same rules as the branch form (a name unique in the organisation)."""

    name: str = Field(min_length=1, max_length=120)
    code: str = Field("", max_length=20)
    address: str = Field("", max_length=255)
    city: str = Field("", max_length=120)
    time_zone: str = Field(description="An IANA time zone such as America/Bogota.")
    language: str = Field("es", description="es or en: the language of the branch's customers.")
    is_active: bool = True

    @field_validator("name", "code", "address", "city")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("name")
    @classmethod
    def _name_given(cls, value: str) -> str:
        if not value:
            raise ValueError("give the branch a name")
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        if value not in TIME_ZONES:
            raise ValueError("not a known time zone (use an IANA name such as America/Bogota)")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in Language.values:
            raise ValueError(f"must be one of {', '.join(Language.values)}")
        return value


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
def organization_read(request: ApiRequest) -> Any:
    return request.organization


@router.get("/branches", response={200: list[BranchOut], **ERROR_RESPONSES}, summary="List branches")
@paginate(Pagination)
def branch_list(request: ApiRequest) -> Any:
    return Branch.objects.for_organization(request.organization).order_by("name")


@router.post(
    "/branches",
    response={201: BranchDetailOut, **ERROR_RESPONSES},
    summary="Create a branch",
    description="A name already used in the organisation (in any case) is a 409 `conflict`.",
)
def branch_create(request: ApiRequest, payload: BranchIn) -> Any:
    branch = services.branch_save(organization=request.organization, **payload.model_dump())
    return 201, branch


@router.get(
    "/branches/{uuid:branch_id}", response={200: BranchDetailOut, **ERROR_RESPONSES}, summary="One branch"
)
def branch_read(request: ApiRequest, branch_id: UUID) -> Any:
    return object_get_for_organization(
        Branch,
        organization=request.organization,
        pk=branch_id,
        queryset=Branch.objects.prefetch_related("opening_hours"),
    )


@router.get("/teams", response={200: list[TeamOut], **ERROR_RESPONSES}, summary="List teams")
@paginate(Pagination)
def team_list(request: ApiRequest) -> Any:
    return Team.objects.for_organization(request.organization).order_by("name")


@router.get("/channels", response={200: list[ChannelOut], **ERROR_RESPONSES}, summary="List channels")
@paginate(Pagination)
def channel_list(request: ApiRequest) -> Any:
    return Channel.objects.for_organization(request.organization).order_by("kind")

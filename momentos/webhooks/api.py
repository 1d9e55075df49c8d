"""API of webhooks: an admin's token lists, registers and removes the organisation's endpoints.

Annotations are evaluated eagerly (no ``from __future__ import annotations``): ninja reads the query
schema of a paginated operation from the wrapper's module.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from momentos.accounts.http import ApiRequest
from momentos.accounts.models import Membership
from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, ErrorEnvelope, Pagination
from momentos.core.errors import PermissionDeniedError
from momentos.webhooks import selectors, services
from momentos.webhooks.models import WebhookEndpoint, WebhookEvent

router = Router(tags=["webhooks"])

ERRORS: dict[int, Any] = {**ERROR_RESPONSES, 403: ErrorEnvelope}


class DeliveryOut(Schema):
    id: UUID
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


class EndpointOut(Schema):
    id: UUID
    url: str
    description: str
    events: list[str]
    is_active: bool
    created_at: datetime
    last_status: str | None = Field(None, description="Status of the latest delivery, if any.")

    @staticmethod
    def resolve_last_status(obj: Any) -> str | None:
        return getattr(obj, "last_status", None)


class EndpointDetailOut(EndpointOut):
    deliveries: list[DeliveryOut] = Field(description="The latest 20 deliveries, newest first.")

    @staticmethod
    def resolve_deliveries(obj: WebhookEndpoint) -> list[Any]:
        return selectors.recent_deliveries(endpoint=obj)


class EndpointCreatedOut(EndpointOut):
    secret: str = Field(description="The signing secret; returned once, now, and never again.")


class EndpointIn(Schema):
    url: str = Field(min_length=1, max_length=500, description="https://… on a public address.")
    description: str = Field("", max_length=200)
    events: list[str] = Field(min_length=1, description=f"One or more of: {', '.join(WebhookEvent.values)}.")

    @field_validator("events")
    @classmethod
    def _known_events(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(WebhookEvent.values))
        if unknown:
            raise ValueError(f"unknown event {', '.join(unknown)}; use {', '.join(WebhookEvent.values)}")
        return value


def _admin(request: ApiRequest) -> Membership:
    """The token's creator, who must still manage the organisation (as on the webhooks page)."""
    token = request.api_token
    membership = None
    if token.created_by_id is not None:
        membership = (
            Membership.objects.filter(
                organization=request.organization, user_id=token.created_by_id, is_active=True
            )
            .select_related("user")
            .first()
        )
    if membership is None or not membership.can(Capability.MANAGE_ORGANIZATION):
        raise PermissionDeniedError(_("Only an admin's API token may manage webhooks."))
    return membership


def _endpoint(request: ApiRequest, endpoint_id: UUID) -> WebhookEndpoint:
    return object_get_for_organization(
        WebhookEndpoint,
        organization=request.organization,
        pk=endpoint_id,
        queryset=selectors.endpoint_list_for_organization(organization=request.organization),
    )


@router.get(
    "/webhooks",
    response={200: list[EndpointOut], **ERRORS},
    summary="List webhook endpoints",
    description="Needs an admin's token (403 otherwise).",
)
@paginate(Pagination)
def endpoint_list(request: ApiRequest) -> Any:
    _admin(request)
    return selectors.endpoint_list_for_organization(organization=request.organization)


@router.post(
    "/webhooks",
    response={201: EndpointCreatedOut, **ERRORS},
    summary="Register a webhook endpoint",
    description="The response carries the signing `secret`, once. A URL that is not https, or whose host "
    "is a private or reserved address, is a 400 naming the `url` field. See docs/webhooks.md.",
)
def endpoint_create(request: ApiRequest, payload: EndpointIn) -> Any:
    admin = _admin(request)
    endpoint, secret = services.endpoint_create(
        organization=request.organization, created_by=admin.user, **payload.model_dump()
    )
    endpoint.secret = secret
    return 201, endpoint


@router.get(
    "/webhooks/{uuid:endpoint_id}",
    response={200: EndpointDetailOut, **ERRORS},
    summary="One webhook endpoint and its latest deliveries",
)
def endpoint_read(request: ApiRequest, endpoint_id: UUID) -> Any:
    _admin(request)
    return _endpoint(request, endpoint_id)


@router.delete(
    "/webhooks/{uuid:endpoint_id}",
    response={204: None, **ERRORS},
    summary="Delete a webhook endpoint",
    description="Its deliveries go with it.",
)
def endpoint_delete(request: ApiRequest, endpoint_id: UUID) -> Any:
    _admin(request)
    services.endpoint_delete(endpoint=_endpoint(request, endpoint_id))
    return 204, None

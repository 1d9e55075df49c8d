"""API of the four-step design: objectives, segments and expectations, service cycles; the same rules as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from momentos.accounts.http import ApiRequest
from momentos.accounts.models import Branch, Channel, Organization
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, Pagination
from momentos.cycle import services
from momentos.cycle.choices import Comparison, Indicator, Period
from momentos.cycle.models import (
    ChecklistItem,
    Evidence,
    Expectation,
    Moment,
    Objective,
    Segment,
    ServiceCycle,
    ServiceStandard,
)

router = Router(tags=["design"])


def _org(request: ApiRequest) -> Organization:
    return request.organization


# --- schemas ---------------------------------------------------------------------------------------


class ObjectiveOut(Schema):
    id: UUID
    title: str
    description: str
    indicator: str
    comparison: str
    target: Decimal
    period: str
    branch_id: UUID | None
    channel_id: UUID | None


class ObjectiveIn(Schema):
    """An objective. The target must fit the indicator: percentages 0–100, NPS −100…100, CES 1–7,
    times (minutes) more than 0; otherwise a 400 `target_out_of_range`."""

    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    indicator: Indicator
    comparison: Comparison = Comparison.GTE
    target: Decimal = Field(max_digits=10, decimal_places=2)
    period: Period = Period.MONTH
    branch_id: UUID | None = Field(None, description="Empty: the whole organisation.")
    channel_id: UUID | None = Field(None, description="Empty: every channel.")


class EvidenceOut(Schema):
    id: UUID
    kind: str
    source: str
    date: date
    notes: str


class ExpectationOut(Schema):
    id: UUID
    kind: str
    description: str
    importance: int
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Expectation) -> list[Any]:
        return list(obj.evidence.all())


class SegmentOut(Schema):
    id: UUID
    name: str
    description: str
    expectations: list[ExpectationOut]

    @staticmethod
    def resolve_expectations(obj: Segment) -> list[Any]:
        return list(obj.expectations.all())


class StandardOut(Schema):
    id: UUID
    name: str
    metric: str
    comparison: str
    threshold: Decimal | None
    unit: str
    business_hours: bool
    complete: bool

    @staticmethod
    def resolve_complete(obj: ServiceStandard) -> bool:
        return obj.threshold is not None


class ChecklistItemOut(Schema):
    id: UUID
    position: int
    text: str
    weight: int
    critical: bool
    protocol_id: UUID | None


class MomentOut(Schema):
    id: UUID
    position: int
    name: str
    description: str
    procedure_id: UUID | None
    expectation_ids: list[UUID]
    standards: list[StandardOut]
    checklist: list[ChecklistItemOut]

    @staticmethod
    def resolve_expectation_ids(obj: Moment) -> list[Any]:
        return [e.pk for e in obj.expectations.all()]

    @staticmethod
    def resolve_standards(obj: Moment) -> list[Any]:
        return list(obj.standards.all())

    @staticmethod
    def resolve_checklist(obj: Moment) -> list[Any]:
        return list(obj.checklist_items.all())


class CycleOut(Schema):
    id: UUID
    name: str
    description: str
    channel_id: UUID
    channel_kind: str
    moments: list[MomentOut]

    @staticmethod
    def resolve_channel_kind(obj: ServiceCycle) -> str:
        return obj.channel.kind

    @staticmethod
    def resolve_moments(obj: ServiceCycle) -> list[Any]:
        return list(obj.moments.all())


class MomentOrder(Schema):
    order: list[UUID] = Field(description="Every moment id of the cycle, first to last, each once.")


# --- querysets -------------------------------------------------------------------------------------


def _segments(organization: Any) -> Any:
    return (
        Segment.objects.for_organization(organization)
        .prefetch_related(
            Prefetch(
                "expectations",
                queryset=Expectation.objects.order_by("-importance", "description").prefetch_related(
                    Prefetch("evidence", queryset=Evidence.objects.order_by("-date"))
                ),
            )
        )
        .order_by("position", "name")
    )


def _cycles(organization: Any) -> Any:
    moments = Moment.objects.order_by("position", "created_at").prefetch_related(
        Prefetch("standards", queryset=ServiceStandard.objects.order_by("name")),
        Prefetch("checklist_items", queryset=ChecklistItem.objects.order_by("position")),
        Prefetch("expectations", queryset=Expectation.objects.only("id")),
    )
    return (
        ServiceCycle.objects.for_organization(organization)
        .select_related("channel")
        .prefetch_related(Prefetch("moments", queryset=moments))
        .order_by("channel__kind")
    )


def _objective_fields(request: ApiRequest, payload: ObjectiveIn) -> dict[str, Any]:
    org = _org(request)
    data = payload.dict()
    branch_id, channel_id = data.pop("branch_id"), data.pop("channel_id")
    data["branch"] = (
        object_get_for_organization(Branch, organization=org, pk=branch_id) if branch_id else None
    )
    data["channel"] = (
        object_get_for_organization(Channel, organization=org, pk=channel_id) if channel_id else None
    )
    for key in ("indicator", "comparison", "period"):
        data[key] = str(getattr(data[key], "value", data[key]))
    return data


# --- objectives ------------------------------------------------------------------------------------


@router.get("/objectives", response={200: list[ObjectiveOut], **ERROR_RESPONSES}, summary="List objectives")
@paginate(Pagination)
def objective_list(request: ApiRequest) -> Any:
    return Objective.objects.for_organization(_org(request)).order_by("indicator", "title", "id")


@router.post(
    "/objectives",
    response={201: ObjectiveOut, **ERROR_RESPONSES},
    summary="Create an objective",
    description="An unknown branch or channel is a 404; a target outside the indicator's range a 400.",
)
def objective_create(request: ApiRequest, payload: ObjectiveIn) -> Any:
    objective = services.objective_save(organization=_org(request), **_objective_fields(request, payload))
    return 201, objective


@router.get(
    "/objectives/{uuid:objective_id}",
    response={200: ObjectiveOut, **ERROR_RESPONSES},
    summary="One objective",
)
def objective_read(request: ApiRequest, objective_id: UUID) -> Any:
    return object_get_for_organization(Objective, organization=_org(request), pk=objective_id)


@router.put(
    "/objectives/{uuid:objective_id}",
    response={200: ObjectiveOut, **ERROR_RESPONSES},
    summary="Replace an objective",
)
def objective_update(request: ApiRequest, objective_id: UUID, payload: ObjectiveIn) -> Any:
    objective = object_get_for_organization(Objective, organization=_org(request), pk=objective_id)
    return services.objective_save(
        organization=_org(request), objective=objective, **_objective_fields(request, payload)
    )


# --- segments --------------------------------------------------------------------------------------


@router.get(
    "/segments",
    response={200: list[SegmentOut], **ERROR_RESPONSES},
    summary="List segments with their expectations and evidence",
)
@paginate(Pagination)
def segment_list(request: ApiRequest) -> Any:
    return _segments(_org(request))


@router.get(
    "/segments/{uuid:segment_id}", response={200: SegmentOut, **ERROR_RESPONSES}, summary="One segment"
)
def segment_read(request: ApiRequest, segment_id: UUID) -> Any:
    return object_get_for_organization(
        Segment, organization=_org(request), pk=segment_id, queryset=_segments(_org(request))
    )


# --- cycles ----------------------------------------------------------------------------------------


@router.get(
    "/cycles",
    response={200: list[CycleOut], **ERROR_RESPONSES},
    summary="List service cycles with moments, standards and checklist items",
)
@paginate(Pagination)
def cycle_list(request: ApiRequest) -> Any:
    return _cycles(_org(request))


@router.get(
    "/cycles/{uuid:cycle_id}", response={200: CycleOut, **ERROR_RESPONSES}, summary="One service cycle"
)
def cycle_read(request: ApiRequest, cycle_id: UUID) -> Any:
    return object_get_for_organization(
        ServiceCycle, organization=_org(request), pk=cycle_id, queryset=_cycles(_org(request))
    )


@router.get(
    "/cycles/{uuid:cycle_id}/moment-order",
    response={200: MomentOrder, **ERROR_RESPONSES},
    summary="The order of a cycle's moments",
)
def moment_order_read(request: ApiRequest, cycle_id: UUID) -> Any:
    cycle = object_get_for_organization(ServiceCycle, organization=_org(request), pk=cycle_id)
    return {"order": list(cycle.moments.order_by("position", "created_at").values_list("id", flat=True))}


@router.put(
    "/cycles/{uuid:cycle_id}/moment-order",
    response={200: MomentOrder, **ERROR_RESPONSES},
    summary="Reorder a cycle's moments",
    description="`order` must list every moment of the cycle exactly once; otherwise a 400 `invalid_order`.",
)
def moment_order_update(request: ApiRequest, cycle_id: UUID, payload: MomentOrder) -> Any:
    cycle = object_get_for_organization(ServiceCycle, organization=_org(request), pk=cycle_id)
    ordered = services.moment_reorder(cycle=cycle, order=payload.order)
    return {"order": [m.pk for m in ordered]}

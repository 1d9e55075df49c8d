"""API of the attention app: ingest interactions one at a time or in batches of up to 1,000, and read them.

Annotations are evaluated eagerly here: ninja reads the query schema of a paginated operation from the
wrapper's module, where a postponed (string) annotation would not resolve.

The schemas of an interaction row and of the bulk answer are plain pydantic models rather than ninja
``Schema``: a ``Schema`` wraps every object it validates in ninja's attribute resolver (meant for model
instances), which JSON rows and the report's rows do not need and which made validating a 1,000-row
batch about eight times slower. They document and validate exactly the same fields.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from momentos.accounts.choices import ChannelKind
from momentos.accounts.http import ApiRequest
from momentos.attention import selectors, services
from momentos.attention.choices import Outcome
from momentos.attention.models import Interaction, StandardResult
from momentos.core.access import object_get_for_organization
from momentos.core.api import ERROR_RESPONSES, Pagination

router = Router(tags=["interactions"])


# --- input -----------------------------------------------------------------------------------------


def _iso_text(value: Any) -> Any:
    # Pydantic would read a number as seconds since 1970; a helpdesk's number is far more likely a mistake.
    if value is None or isinstance(value, str | datetime):
        return value
    raise ValueError("use an ISO 8601 date and time, such as 2026-03-02T09:00:00-05:00")


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]


_INSTANT: TypeAdapter[datetime] = TypeAdapter(datetime)


def _day_or_instant(value: Any) -> Any:
    # Pydantic would read "2026-03-02T00:00:00-05:00" as the date 2026-03-02 (a whole local day of each
    # branch), dropping the time and offset the client wrote: text with a time is always an instant.
    if isinstance(value, str) and len(value.strip()) > len("2026-03-02"):
        try:
            return _INSTANT.validate_python(value)
        except PydanticValidationError:
            return value  # the union reports it
    return value


DayOrInstant = Annotated[date | datetime, BeforeValidator(_day_or_instant)]


class MomentIn(BaseModel):
    """A moment of truth of the channel's cycle, by name or by position, and when it was reached."""

    name: str | None = Field(None, max_length=120, description="The moment's name in the cycle.")
    position: int | None = Field(None, ge=0, description="Or its position in the cycle.")
    reached_at: IsoDateTime


class InteractionIn(BaseModel):
    """One interaction as another system knows it.

    Times are ISO 8601; a time without an offset is read in the branch's time zone.
    """

    external_id: str | None = Field(
        None,
        max_length=100,
        description="Its key in your system. Sending an external id already stored changes nothing "
        "and answers with the stored interaction.",
    )
    branch: str = Field(min_length=1, max_length=100, description="The branch's id or code.")
    channel: str = Field(description="The channel's kind: " + ", ".join(ChannelKind.values) + ".")
    team: str | None = Field(None, max_length=120, description="A team's name.")
    agent: str | None = Field(None, max_length=254, description="The e-mail of a member of the organisation.")
    segment: str | None = Field(None, max_length=120, description="A customer segment's name.")
    reason: str | None = Field(None, max_length=200)
    customer_ref: str | None = Field(
        None, max_length=100, description="A pseudonymous reference, never a name or contact detail."
    )
    started_at: IsoDateTime
    first_response_at: IsoDateTime | None = None
    resolved_at: IsoDateTime | None = None
    closed_at: IsoDateTime | None = None
    outcome: Outcome | None = Field(None, description="Empty while the interaction is open.")
    contacts: int = Field(1, ge=1, le=10_000, description="How many contacts the customer needed.")
    notes: str | None = Field(None, max_length=10_000)
    moments: list[MomentIn] = Field(default_factory=list, max_length=100)

    def to_row(self, index: int) -> services.IngestRow:
        return services.IngestRow(
            index=index,
            branch=self.branch,
            channel=self.channel,
            started_at=self.started_at,
            external_id=self.external_id or "",
            team=self.team or "",
            agent=self.agent or "",
            segment=self.segment or "",
            reason=self.reason or "",
            customer_ref=self.customer_ref or "",
            first_response_at=self.first_response_at,
            resolved_at=self.resolved_at,
            closed_at=self.closed_at,
            outcome=self.outcome.value if self.outcome else None,
            contacts=self.contacts,
            notes=self.notes or "",
            moments=[
                services.MomentRef(reached_at=m.reached_at, name=m.name or "", position=m.position)
                for m in self.moments
            ],
        )


class BulkIn(Schema):
    rows: list[Any] = Field(
        description=f"Up to {services.MAX_BULK_ROWS} interactions, each shaped as `InteractionIn`."
    )
    all_or_nothing: bool = Field(
        False, description="Store nothing when any row has an error (the answer is then a 422)."
    )


class InteractionFilterIn(Schema):
    branch: UUID | None = Field(None, description="A branch id.")
    channel: ChannelKind | None = None
    outcome: Outcome | Literal["open"] | None = Field(None, description="An outcome, or `open`.")
    started_from: DayOrInstant | None = Field(
        None,
        description="Started at or after: a date is that day in the time zone of each interaction's "
        "branch; a date and time is an instant (give its offset).",
    )
    started_to: DayOrInstant | None = Field(
        None,
        description="Started at or before: a date includes the whole day in the time zone of each "
        "interaction's branch; a date and time is an instant (give its offset).",
    )


# --- output ----------------------------------------------------------------------------------------


class BranchRefOut(Schema):
    id: UUID
    code: str
    name: str


class InteractionOut(Schema):
    id: UUID
    external_id: str
    branch: BranchRefOut
    channel: str
    team: str | None
    agent: str | None
    reason: str
    customer_ref: str
    started_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    contacts: int

    @staticmethod
    def resolve_channel(obj: Interaction) -> str:
        return obj.channel.kind

    @staticmethod
    def resolve_team(obj: Interaction) -> str | None:
        return obj.team.name if obj.team else None

    @staticmethod
    def resolve_agent(obj: Interaction) -> str | None:
        return obj.agent.email if obj.agent else None


class MomentReachedOut(Schema):
    moment_id: UUID
    name: str
    position: int
    reached_at: datetime

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.moment.name

    @staticmethod
    def resolve_position(obj: Any) -> int:
        return obj.moment.position


class StandardResultOut(Schema):
    standard_id: UUID
    name: str
    metric: str
    comparison: str
    threshold: float | None
    business_hours: bool
    status: str
    measured: float | None
    unit: str

    @staticmethod
    def resolve_name(obj: StandardResult) -> str:
        return obj.standard.name

    @staticmethod
    def resolve_metric(obj: StandardResult) -> str:
        return obj.standard.metric

    @staticmethod
    def resolve_comparison(obj: StandardResult) -> str:
        return obj.standard.comparison

    @staticmethod
    def resolve_threshold(obj: StandardResult) -> float | None:
        return float(obj.standard.threshold) if obj.standard.threshold is not None else None

    @staticmethod
    def resolve_business_hours(obj: StandardResult) -> bool:
        return obj.standard.business_hours

    @staticmethod
    def resolve_measured(obj: StandardResult) -> float | None:
        return float(obj.measured) if obj.measured is not None else None


class InteractionDetailOut(InteractionOut):
    segment: str | None
    notes: str
    moments: list[MomentReachedOut]
    standard_results: list[StandardResultOut]

    @staticmethod
    def resolve_segment(obj: Interaction) -> str | None:
        return obj.segment.name if obj.segment else None

    @staticmethod
    def resolve_moments(obj: Interaction) -> list[Any]:
        return list(obj.moments_reached.all())

    @staticmethod
    def resolve_standard_results(obj: Interaction) -> list[Any]:
        return list(obj.standard_results.all())


class RowErrorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    field: str | None
    code: str
    message: str


class RowResultOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    index: int = Field(description="The row's place in the batch, from 0.")
    status: Literal["created", "unchanged", "error"]
    id: UUID | None
    external_id: str
    errors: list[RowErrorOut]


class BulkOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    created: int
    unchanged: int
    failed: int
    rows: list[RowResultOut]


# --- operations ------------------------------------------------------------------------------------


def _schema_errors(exc: PydanticValidationError) -> list[dict[str, str]]:
    return [
        {
            "field": ".".join(str(p) for p in err.get("loc", ())) or "",
            "code": "invalid",
            "message": err.get("msg", ""),
        }
        for err in exc.errors()
    ]


def _detail(organization: Any, pk: Any) -> Interaction:
    return object_get_for_organization(
        Interaction, organization=organization, pk=pk, queryset=selectors.interaction_detail_queryset()
    )


@router.post(
    "/interactions",
    response={201: InteractionDetailOut, 200: InteractionDetailOut, **ERROR_RESPONSES},
    summary="Record one interaction",
    description="201 with the new interaction and its standard results; 200 with the stored one when its "
    "external id was already sent. A row that cannot be stored (an unknown branch, channel, agent, team, "
    "segment or moment, a time before the start) is a 422 `invalid_interaction` whose details list each "
    "problem by field.",
)
def interaction_create(request: ApiRequest, payload: InteractionIn) -> Any:
    organization = request.organization
    report = services.interactions_ingest(organization=organization, rows=[payload.to_row(0)])
    (row,) = report.rows
    if row.status == "error":
        raise services.RowsRejected(
            _("The interaction was not stored: %(problems)s")
            % {"problems": " ".join(e["message"] for e in row.errors)},
            code="invalid_interaction",
            details=row.errors,
        )
    return (201 if row.status == "created" else 200), _detail(organization, row.id)


@router.post(
    "/interactions/bulk",
    response={200: BulkOut, **ERROR_RESPONSES},
    summary="Record up to 1,000 interactions",
    description="Each row is reported with its index: `created`, `unchanged` (its external id was already "
    "stored) or `error` with the problems found. Valid rows are stored even when others fail, unless "
    "`all_or_nothing` is true: then any error stores nothing and answers 422 `rows_invalid` with the "
    "failing rows in the details. A second row with the same external id in one batch is an error. "
    "More than 1,000 rows is a 413 `too_many_rows`.",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["rows"],
                        "properties": {
                            "rows": {
                                "type": "array",
                                "maxItems": services.MAX_BULK_ROWS,
                                "items": {"$ref": "#/components/schemas/InteractionIn"},
                            },
                            "all_or_nothing": {"type": "boolean", "default": False},
                        },
                    }
                }
            },
            "required": True,
        }
    },
)
def interaction_bulk_create(request: ApiRequest, payload: BulkIn) -> Any:
    if len(payload.rows) > services.MAX_BULK_ROWS:
        raise services.TooManyRows(
            _("A batch holds at most %(max)d rows; this one has %(count)d. Split it into smaller batches.")
            % {"max": services.MAX_BULK_ROWS, "count": len(payload.rows)}
        )
    rows: list[services.IngestRow] = []
    rejected: list[services.RowResult] = []
    with services.collector_paused():
        for index, raw in enumerate(payload.rows):
            try:
                rows.append(InteractionIn.model_validate(raw).to_row(index))
            except PydanticValidationError as exc:
                external_id = raw.get("external_id") if isinstance(raw, dict) else None
                rejected.append(
                    services.row_error(
                        index,
                        external_id=external_id if isinstance(external_id, str) else "",
                        errors=_schema_errors(exc),
                    )
                )
        report = services.interactions_ingest(
            organization=request.organization,
            rows=rows,
            rejected=rejected,
            all_or_nothing=payload.all_or_nothing,
        )
    return {
        "created": report.count("created"),
        "unchanged": report.count("unchanged"),
        "failed": report.count("error"),
        "rows": report.rows,
    }


@router.get(
    "/interactions",
    response={200: list[InteractionOut], **ERROR_RESPONSES},
    summary="List interactions",
    description="Newest first; filter by branch, channel, outcome (or `open`) and start date.",
)
@paginate(Pagination)
def interaction_list(request: ApiRequest, filters: Query[InteractionFilterIn]) -> Any:
    return selectors.interaction_list_for_organization(
        organization=request.organization,
        filters=selectors.InteractionFilters(
            branch=filters.branch,
            channel=filters.channel.value if filters.channel else "",
            outcome=str(filters.outcome or ""),
            started_from=filters.started_from,
            started_to=filters.started_to,
        ),
    )


@router.get(
    "/interactions/{uuid:interaction_id}",
    response={200: InteractionDetailOut, **ERROR_RESPONSES},
    summary="One interaction, with its moments and standard results",
)
def interaction_read(request: ApiRequest, interaction_id: UUID) -> Any:
    return _detail(request.organization, interaction_id)

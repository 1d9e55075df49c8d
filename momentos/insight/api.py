"""API of insight: read indicators, with the same filters as the pages.

``GET /api/v1/indicators`` answers each requested indicator (all of them by default) over the period
and filters, with the previous period of the same length beside it and the status against every
objective of that indicator whose scope (branch, channel) is the one asked for. Unknown indicators,
periods, dates or ids are a 400 with one detail per parameter, never a partial answer.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from momentos.accounts.http import ApiRequest
from momentos.core.api import ERROR_RESPONSES
from momentos.core.errors import DomainError
from momentos.cycle.choices import Indicator
from momentos.cycle.models import Objective
from momentos.insight import engine
from momentos.insight.filters import Filters, filters_from_query

router = Router(tags=["insight"])


class IndicatorQuery(Schema):
    """The query parameters (repeat a parameter to give several values)."""

    indicator: list[str] = Field(
        default_factory=list,
        description="Indicator codes: " + ", ".join(Indicator.values) + ". Default: all.",
    )
    period: str | None = Field(
        None,
        description="week, month, quarter, year (to date) or custom (with start and end). Default: month.",
    )
    start: date | None = Field(None, description="First local day (custom period).")
    end: date | None = Field(None, description="Last local day (custom period); default today.")
    branch: list[str] = Field(default_factory=list, description="Branch ids.")
    channel: list[str] = Field(default_factory=list, description="Channel ids.")
    team: list[str] = Field(default_factory=list, description="Team ids.")
    agent: list[str] = Field(default_factory=list, description="Agent (user) ids.")
    segment: list[str] = Field(default_factory=list, description="Customer segment ids.")
    moment: list[str] = Field(default_factory=list, description="Moment of truth ids.")


class PeriodOut(Schema):
    start: date
    end: date


class PreviousOut(Schema):
    start: date
    end: date
    value: float | None
    denominator: int


class ObjectiveStatusOut(Schema):
    id: str
    title: str
    comparison: str
    target: float
    period: str
    status: str = Field(description="on_target, at_risk, off_target, no_data or not_enough.")


class IndicatorOut(Schema):
    indicator: str
    label: str
    unit: str = Field(description="percent, score or seconds.")
    value: float | None = Field(description="Empty when there is no data (an empty denominator).")
    numerator: float
    denominator: int
    enough: bool = Field(description="Survey indicators: at least the organisation's minimum sample.")
    detail: dict[str, float | int | None]
    previous: PreviousOut
    objectives: list[ObjectiveStatusOut]


class IndicatorsOut(Schema):
    period: PeriodOut
    filters: dict[str, Any]
    indicators: list[IndicatorOut]


def _number(value: Any) -> float | int | None:
    if value is None or isinstance(value, int):
        return value
    return float(value)


def _matching_objectives(
    organization: Any, filters: Filters, indicators: list[str]
) -> dict[str, list[Objective]]:
    """Objectives of those indicators whose scope is exactly the branch and channel restriction asked for."""
    found: dict[str, list[Objective]] = {code: [] for code in indicators}
    for objective in Objective.objects.for_organization(organization).filter(indicator__in=indicators):
        branch = (objective.branch_id,) if objective.branch_id else ()
        channel = (objective.channel_id,) if objective.channel_id else ()
        if branch == filters.branch_ids and channel == filters.channel_ids:
            found[objective.indicator].append(objective)
    return found


@router.get(
    "/indicators",
    response={200: IndicatorsOut, **ERROR_RESPONSES},
    summary="Indicators over a period and filters, against their objectives",
)
def indicators_read(request: ApiRequest, query: Query[IndicatorQuery]) -> Any:
    organization = request.organization
    wanted = query.indicator or list(Indicator.values)
    unknown = [code for code in wanted if code not in Indicator.values]
    filters, errors = filters_from_query(request.GET, organization=organization)
    details = [{"field": field, "message": message} for field, message in errors.items()]
    if unknown:
        details.insert(
            0,
            {
                "field": "indicator",
                "message": _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)},
            },
        )
    if details:
        raise DomainError(
            _("The request has invalid parameters."), code="invalid_parameters", details=details
        )
    codes = list(dict.fromkeys(wanted))
    current = engine.compute_many(organization, codes, filters)
    previous_filters = filters.previous()
    previous = engine.compute_many(organization, codes, previous_filters)
    objectives = _matching_objectives(organization, filters, codes)
    labels = dict(Indicator.choices)
    rows = []
    for code in codes:
        value = current[code]
        rows.append(
            {
                "indicator": code,
                "label": str(labels[code]),
                "unit": value.unit,
                "value": _number(value.value),
                "numerator": float(value.numerator),
                "denominator": value.denominator,
                "enough": value.enough,
                "detail": {key: _number(v) for key, v in value.detail.items()},
                "previous": {
                    "start": previous_filters.start,
                    "end": previous_filters.end,
                    "value": _number(previous[code].value),
                    "denominator": previous[code].denominator,
                },
                "objectives": [
                    {
                        "id": str(objective.pk),
                        "title": objective.title,
                        "comparison": objective.comparison,
                        "target": float(objective.target),
                        "period": objective.period,
                        "status": engine.status(value, objective),
                    }
                    for objective in objectives[code]
                ],
            }
        )
    return {
        "period": {"start": filters.start, "end": filters.end},
        "filters": filters.as_query(),
        "indicators": rows,
    }

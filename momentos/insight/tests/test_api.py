"""GET /api/v1/indicators: values over the filters, the previous period, status against objectives, 4xx."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from momentos.accounts import services as account_services
from momentos.accounts.tests.factories import admin_of, make_branch, make_organization
from momentos.attention.choices import Outcome
from momentos.attention.tests.factories import make_interaction
from momentos.cycle.choices import Comparison, Indicator, Period
from momentos.cycle.models import Objective
from momentos.insight.tests.factories import make_answers, make_scored_version

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
QUERY = "period=custom&start=2026-03-02&end=2026-03-08"


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def headers_for(org: Any) -> dict[str, str]:
    _token, raw = account_services.api_token_create(organization=org, created_by=admin_of(org).user, name="T")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def world() -> dict[str, Any]:
    org = make_organization()
    centro = make_branch(org, name="Centro", time_zone="America/Bogota")
    norte = make_branch(org, name="Norte", time_zone="America/Bogota")
    for branch, outcome, day in (
        (centro, Outcome.RESOLVED, 2),
        (centro, Outcome.RESOLVED, 3),
        (centro, Outcome.ESCALATED, 4),
        (norte, Outcome.UNRESOLVED, 4),
        (centro, Outcome.RESOLVED, 24),  # February: the previous period
    ):
        started = bog(2026, 2 if day == 24 else 3, day, 10, 0)
        make_interaction(
            org,
            branch=centro if branch is centro else norte,
            started_at=started,
            closed_at=started + timedelta(minutes=10),
            outcome=outcome,
        )
    version = make_scored_version(org)
    make_answers(version, branch=centro, submitted_at=bog(2026, 3, 3, 12, 0), csat=5, nps=10)
    make_answers(
        version, branch=centro, submitted_at=bog(2026, 3, 3, 13, 0), csat=1, nps=2, flagged_staff=True
    )
    return {"org": org, "centro": centro, "norte": norte, "headers": headers_for(org)}


def test_the_api_needs_a_token(client: Client) -> None:
    response = client.get("/api/v1/indicators")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_values_previous_period_and_status(client: Client, world: dict[str, Any]) -> None:
    org, centro = world["org"], world["centro"]
    Objective.objects.create(
        organization=org,
        title="Resolve",
        indicator=Indicator.RESOLUTION_RATE,
        comparison=Comparison.GTE,
        target=60,
        period=Period.MONTH,
    )
    Objective.objects.create(
        organization=org,
        title="Resolve in Centro",
        indicator=Indicator.RESOLUTION_RATE,
        comparison=Comparison.GTE,
        target=70,
        period=Period.MONTH,
        branch=centro,
    )
    response = client.get(
        f"/api/v1/indicators?{QUERY}&indicator=resolution_rate&indicator=csat&indicator=nps",
        headers=world["headers"],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {"start": "2026-03-02", "end": "2026-03-08"}
    by_code = {row["indicator"]: row for row in body["indicators"]}
    assert list(by_code) == ["resolution_rate", "csat", "nps"]
    resolution = by_code["resolution_rate"]
    assert (resolution["value"], resolution["denominator"], resolution["unit"]) == (50.0, 4, "percent")
    assert resolution["previous"] == {
        "start": "2026-02-23",
        "end": "2026-03-01",
        "value": 100.0,
        "denominator": 1,
    }
    # Only the organisation-wide objective matches an unfiltered request: 50 % is off a 60 % target.
    assert [(o["title"], o["status"]) for o in resolution["objectives"]] == [("Resolve", "off_target")]
    csat = by_code["csat"]
    assert (csat["value"], csat["denominator"], csat["enough"]) == (100.0, 1, False)
    assert by_code["nps"]["detail"]["promoters_pct"] == 100.0

    response = client.get(
        f"/api/v1/indicators?{QUERY}&indicator=resolution_rate&branch={centro.pk}", headers=world["headers"]
    )
    resolution = response.json()["indicators"][0]
    assert resolution["value"] == 66.67
    assert [(o["title"], o["status"]) for o in resolution["objectives"]] == [("Resolve in Centro", "at_risk")]
    assert response.json()["filters"]["branch"] == [str(centro.pk)]


def test_every_indicator_by_default_and_no_data_is_null(client: Client, world: dict[str, Any]) -> None:
    response = client.get(
        "/api/v1/indicators?period=custom&start=2025-01-01&end=2025-01-31", headers=world["headers"]
    )
    assert response.status_code == 200
    rows = response.json()["indicators"]
    assert [row["indicator"] for row in rows] == list(Indicator.values)
    assert all(row["value"] is None and row["denominator"] == 0 for row in rows)


def test_only_the_tokens_organisation_counts(client: Client, world: dict[str, Any]) -> None:
    other = make_organization()
    response = client.get(f"/api/v1/indicators?{QUERY}&indicator=resolution_rate", headers=headers_for(other))
    assert response.json()["indicators"][0]["value"] is None
    response = client.get(
        f"/api/v1/indicators?{QUERY}&branch={world['centro'].pk}", headers=headers_for(other)
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [{"field": "branch", "message": "Unknown branch."}]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("indicator=happiness", "indicator"),
        ("period=decade", "period"),
        ("period=custom&start=2026-03-09&end=2026-03-01", "end"),
        ("channel=not-an-id", "channel"),
        ("start=2026-13-01", "start"),
    ],
)
def test_bad_parameters_are_a_400(client: Client, world: dict[str, Any], query: str, field: str) -> None:
    response = client.get(f"/api/v1/indicators?{query}", headers=world["headers"])
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_parameters"
    assert field in [d["field"] for d in error["details"]]

"""The design API: read objectives, segments and cycles; create and update objectives; reorder moments."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from momentos.accounts import services as account_services
from momentos.accounts.models import Channel
from momentos.accounts.tests.factories import admin_of, make_branch
from momentos.cycle import services
from momentos.cycle.choices import StandardMetric, Unit
from momentos.cycle.models import Objective
from momentos.cycle.tests.factories import make_cycle, make_evidence, make_objective

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(org: Any) -> dict[str, str]:
    _token, raw = account_services.api_token_create(organization=org, created_by=admin_of(org).user, name="T")
    return {"Authorization": f"Bearer {raw}"}


def send(client: Client, method: str, url: str, headers: dict[str, str], body: Any) -> Any:
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_api_needs_a_token(client: Client) -> None:
    response = client.get("/api/v1/objectives")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_create_an_objective_scoped_to_a_branch(client: Client, org: Any, headers: dict[str, str]) -> None:
    branch = make_branch(org)
    response = send(
        client,
        "post",
        "/api/v1/objectives",
        headers,
        {"title": "Happy customers", "indicator": "csat", "target": "88.5", "branch_id": str(branch.pk)},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["branch_id"] == str(branch.pk) and body["channel_id"] is None and body["comparison"] == "gte"
    assert Objective.objects.for_organization(org).get().target == Decimal("88.5")


def test_an_out_of_range_target_is_a_400_with_the_envelope(client: Client, headers: dict[str, str]) -> None:
    response = send(
        client, "post", "/api/v1/objectives", headers, {"title": "CES", "indicator": "ces", "target": 9}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "target_out_of_range"
    assert not Objective.objects.exists()


def test_an_unknown_indicator_is_a_422(client: Client, headers: dict[str, str]) -> None:
    response = send(
        client, "post", "/api/v1/objectives", headers, {"title": "X", "indicator": "vibes", "target": 9}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


def test_a_branch_of_another_organisation_is_a_404(
    client: Client, other_org: Any, headers: dict[str, str]
) -> None:
    body = {"title": "X", "indicator": "csat", "target": 80, "branch_id": str(make_branch(other_org).pk)}
    assert send(client, "post", "/api/v1/objectives", headers, body).status_code == 404
    assert not Objective.objects.exists()


def test_update_an_objective(client: Client, org: Any, headers: dict[str, str]) -> None:
    objective = make_objective(org)
    channel = Channel.objects.for_organization(org).first()
    response = send(
        client,
        "put",
        f"/api/v1/objectives/{objective.pk}",
        headers,
        {
            "title": "Loyal",
            "indicator": "nps",
            "target": -10,
            "period": "quarter",
            "channel_id": str(channel.pk),
        },
    )
    assert response.status_code == 200, response.content
    objective.refresh_from_db()
    assert (objective.indicator, objective.target, objective.period, objective.channel_id) == (
        "nps",
        Decimal("-10"),
        "quarter",
        channel.pk,
    )


def test_objectives_of_another_organisation_are_invisible(
    client: Client, other_org: Any, headers: dict[str, str]
) -> None:
    theirs = make_objective(other_org)
    assert client.get("/api/v1/objectives", headers=headers).json()["count"] == 0
    assert client.get(f"/api/v1/objectives/{theirs.pk}", headers=headers).status_code == 404


def test_segments_come_with_expectations_and_evidence(
    client: Client, org: Any, headers: dict[str, str]
) -> None:
    evidence = make_evidence(org)
    body = client.get("/api/v1/segments", headers=headers).json()
    assert body["count"] == 1
    expectation = body["items"][0]["expectations"][0]
    assert expectation["importance"] == 5 and expectation["evidence"][0]["id"] == str(evidence.pk)


def _cycle(org: Any) -> tuple[Any, list[Any]]:
    cycle = make_cycle(org)
    moments = [services.moment_save(cycle=cycle, name=n) for n in ("Arrival", "Greeting", "Closing")]
    services.standard_save(
        moment=moments[0],
        name="Wait",
        metric=StandardMetric.WAIT_TIME,
        threshold=Decimal(5),
        unit=Unit.MINUTES,
    )
    services.standard_save(
        moment=moments[0], name="Draft", metric=StandardMetric.CONTACTS, threshold=None, unit=Unit.COUNT
    )
    services.checklist_item_save(moment=moments[1], text="Smiles", weight=2, critical=True)
    return cycle, moments


def test_cycles_come_with_moments_standards_and_checklist(
    client: Client, org: Any, headers: dict[str, str]
) -> None:
    cycle, moments = _cycle(org)
    body = client.get(f"/api/v1/cycles/{cycle.pk}", headers=headers).json()
    assert [m["name"] for m in body["moments"]] == ["Arrival", "Greeting", "Closing"]
    standards = {s["name"]: s for s in body["moments"][0]["standards"]}
    assert standards["Wait"]["complete"] is True and standards["Draft"]["complete"] is False
    assert body["moments"][1]["checklist"][0] == {
        "id": str(moments[1].checklist_items.get().pk),
        "position": 1,
        "text": "Smiles",
        "weight": 2,
        "critical": True,
        "protocol_id": None,
    }


def test_cycle_list_runs_a_fixed_number_of_queries(client: Client, org: Any, headers: dict[str, str]) -> None:
    _cycle(org)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/cycles", headers=headers).status_code == 200
        return len(ctx.captured_queries)

    count()  # the token's first use is recorded once
    before = count()
    _cycle(org)
    _cycle(org)
    assert count() == before == 7


def test_reorder_moments_through_the_api(client: Client, org: Any, headers: dict[str, str]) -> None:
    cycle, (a, b, c) = _cycle(org)
    url = f"/api/v1/cycles/{cycle.pk}/moment-order"
    response = send(client, "put", url, headers, {"order": [str(c.pk), str(a.pk), str(b.pk)]})
    assert response.status_code == 200, response.content
    assert client.get(url, headers=headers).json()["order"] == [str(c.pk), str(a.pk), str(b.pk)]
    response = send(client, "put", url, headers, {"order": [str(a.pk)]})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_order"
    assert client.get(url, headers=headers).json()["order"] == [str(c.pk), str(a.pk), str(b.pk)]

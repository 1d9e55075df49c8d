"""The accounts API: the organisation's structure, and creating a branch with the form's rules."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from momentos.accounts import services
from momentos.accounts.models import Branch
from momentos.accounts.tests.factories import make_branch, make_team

pytestmark = pytest.mark.django_db


def post_branch(client: Client, headers: dict[str, str], **body: Any) -> Any:
    return client.post(
        "/api/v1/branches", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_create_branch_returns_201_and_stores_it_in_the_tokens_organisation(
    client: Client, org: Any, other_org: Any, headers: dict[str, str]
) -> None:
    response = post_branch(client, headers, name="  Norte  ", time_zone="America/Bogota", city="Cali")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Norte" and body["opening_hours"] == [] and body["language"] == "es"
    branch = Branch.objects.get(pk=body["id"])
    assert branch.organization_id == org.pk and branch.city == "Cali"
    assert not Branch.objects.for_organization(other_org).exists()


def test_create_branch_with_a_name_taken_in_any_case_is_409(
    client: Client, org: Any, headers: dict[str, str]
) -> None:
    make_branch(org, name="Centro")
    response = post_branch(client, headers, name="CENTRO", time_zone="America/Bogota")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    # The service's field error names its field in the envelope, as a validation error does.
    assert [d["field"] for d in response.json()["error"]["details"]] == ["name"]
    assert Branch.objects.for_organization(org).count() == 1


def test_the_same_name_in_another_organisation_is_fine(
    client: Client, other_org: Any, headers: dict[str, str]
) -> None:
    make_branch(other_org, name="Centro")
    assert post_branch(client, headers, name="Centro", time_zone="America/Bogota").status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Sur", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"name": "Sur", "time_zone": "../../etc/passwd"}, "time_zone"),
        ({"name": "Sur"}, "time_zone"),
        ({"name": "   ", "time_zone": "America/Bogota"}, "name"),
        ({"name": "x" * 121, "time_zone": "America/Bogota"}, "name"),
        ({"name": "Sur", "time_zone": "America/Bogota", "language": "fr"}, "language"),
        ({"time_zone": "America/Bogota"}, "name"),
    ],
)
def test_create_branch_with_invalid_fields_is_422(
    client: Client, org: Any, headers: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = post_branch(client, headers, **body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [d["field"] for d in error["details"]]
    assert not Branch.objects.for_organization(org).exists()


def test_create_branch_needs_a_token(client: Client, org: Any) -> None:
    response = post_branch(client, {}, name="Sur", time_zone="America/Bogota")
    assert response.status_code == 401
    assert not Branch.objects.exists()


def test_branch_detail_includes_opening_hours(client: Client, org: Any, headers: dict[str, str]) -> None:
    from datetime import time

    branch = make_branch(org, name="Centro")
    services.opening_hours_replace(branch=branch, spans=[(0, time(9), time(13)), (0, time(14), time(18))])
    body = client.get(f"/api/v1/branches/{branch.pk}", headers=headers).json()
    assert [(s["weekday"], s["opens"], s["closes"]) for s in body["opening_hours"]] == [
        (0, "09:00:00", "13:00:00"),
        (0, "14:00:00", "18:00:00"),
    ]


def test_teams_and_channels_are_listed_for_the_organisation(
    client: Client, org: Any, other_org: Any, headers: dict[str, str]
) -> None:
    make_team(org, name="Mesa de ayuda")
    make_team(other_org, name="Their team")
    teams = client.get("/api/v1/teams", headers=headers).json()
    assert [t["name"] for t in teams["items"]] == ["Mesa de ayuda"]
    channels = client.get("/api/v1/channels", headers=headers).json()
    assert channels["count"] == 7
    assert {c["kind"] for c in channels["items"] if c["is_active"]} == {
        "in_person",
        "phone",
        "email",
        "whatsapp",
    }


def test_list_endpoints_do_not_grow_queries_with_rows(
    client: Client, org: Any, headers: dict[str, str], django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        make_branch(org, name=f"B{n}")
    # token lookup, last-used stamp, count, page
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/branches", headers=headers).json()["items"]) == 15

"""The interactions API: one or a batch, idempotent by external id, each bad row reported with its index."""

from __future__ import annotations

import gc
import json
import math
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from momentos.accounts import services as accounts_services
from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import admin_of, make_branch, make_member, make_team
from momentos.attention import hooks, services
from momentos.attention.choices import StandardStatus
from momentos.attention.models import Interaction, MomentReached, StandardResult
from momentos.attention.tests.factories import at, channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import StandardMetric, Unit
from momentos.cycle.models import Segment, ServiceStandard

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(org: Any) -> dict[str, str]:
    _token, raw = accounts_services.api_token_create(
        organization=org, created_by=admin_of(org).user, name="Helpdesk"
    )
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def world(org: Any) -> dict[str, Any]:
    branch = make_branch(org, name="Centro", code="CEN", time_zone="America/Bogota")
    channel = channel_of(org, ChannelKind.PHONE)
    greeting, diagnosis, farewell = make_cycle_for(channel, "Greeting", "Diagnosis", "Farewell")
    first_response = ServiceStandard.objects.create(
        organization=org,
        moment=greeting,
        name="Answer within 5 minutes",
        metric=StandardMetric.FIRST_RESPONSE_TIME,
        threshold=Decimal(5),
        unit=Unit.MINUTES,
    )
    agent = make_member(org, role=Role.AGENT, branches=[branch])
    return {
        "branch": branch,
        "channel": channel,
        "moments": (greeting, diagnosis, farewell),
        "standard": first_response,
        "agent": agent.user,
    }


def row(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "branch": "CEN",
        "channel": "phone",
        "started_at": "2026-03-02T09:00:00-05:00",
        "first_response_at": "2026-03-02T09:03:00-05:00",
        "closed_at": "2026-03-02T09:20:00-05:00",
        "outcome": "resolved",
        "reason": "Card blocked",
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not ...}


def post(client: Client, headers: dict[str, str], path: str, body: Any) -> Any:
    return client.post(
        f"/api/v1/{path}", data=json.dumps(body), content_type="application/json", headers=headers
    )


# --- one interaction -------------------------------------------------------------------------------


def test_create_one_stores_it_with_moments_and_standard_results(
    client: Client, org: Any, headers: dict[str, str], world: dict[str, Any]
) -> None:
    body = row(
        external_id="T-100",
        agent=world["agent"].email.upper(),
        moments=[
            {"name": "greeting", "reached_at": "2026-03-02T09:03:00-05:00"},
            {"position": 3, "reached_at": "2026-03-02T09:15:00-05:00"},
        ],
    )
    response = post(client, headers, "interactions", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["external_id"] == "T-100" and data["branch"]["code"] == "CEN" and data["channel"] == "phone"
    assert data["agent"] == world["agent"].email
    assert [m["name"] for m in data["moments"]] == ["Greeting", "Farewell"]
    assert data["standard_results"] == [
        {
            "standard_id": str(world["standard"].pk),
            "name": "Answer within 5 minutes",
            "metric": "first_response_time",
            "comparison": "lte",
            "threshold": 5.0,
            "business_hours": False,
            "status": "met",
            "measured": 3.0,
            "unit": "minutes",
        }
    ]
    interaction = Interaction.objects.get(pk=data["id"])
    assert interaction.organization_id == org.pk and interaction.agent == world["agent"]
    assert MomentReached.objects.filter(interaction=interaction).count() == 2


def test_sending_the_same_external_id_again_answers_200_with_the_stored_one(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    first = post(client, headers, "interactions", row(external_id="T-1"))
    again = post(client, headers, "interactions", row(external_id="T-1", reason="Changed"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["reason"] == "Card blocked"
    assert Interaction.objects.filter(external_id="T-1").count() == 1


def test_a_time_without_offset_is_read_in_the_branch_time_zone(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    response = post(
        client, headers, "interactions", row(started_at="2026-03-02T09:00:00", first_response_at=None)
    )
    assert response.status_code == 201, response.content
    assert Interaction.objects.get(pk=response.json()["id"]).started_at == at(2026, 3, 2, 9)


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"branch": "NOPE"}, "branch", "unknown_branch"),
        ({"channel": "pigeon"}, "channel", "unknown_channel"),
        ({"agent": "stranger@example.test"}, "agent", "unknown_agent"),
        ({"segment": "Martians"}, "segment", "unknown_segment"),
        ({"team": "Ghosts"}, "team", "unknown_team"),
        ({"closed_at": "2026-03-02T08:00:00-05:00"}, "closed_at", "before_start"),
        ({"first_response_at": "2026-03-02T08:59:00-05:00"}, "first_response_at", "before_start"),
        (
            {"moments": [{"name": "Tea time", "reached_at": "2026-03-02T09:01:00-05:00"}]},
            "moments.0",
            "unknown_moment",
        ),
        (
            {"moments": [{"position": 1, "reached_at": "2026-03-02T08:00:00-05:00"}]},
            "moments.0",
            "before_start",
        ),
    ],
)
def test_a_row_that_cannot_be_stored_is_422_naming_the_field(
    client: Client,
    headers: dict[str, str],
    world: dict[str, Any],
    fields: dict[str, Any],
    field: str,
    code: str,
) -> None:
    response = post(client, headers, "interactions", row(**fields))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_interaction"
    assert {"field": field, "code": code} == {k: error["details"][0][k] for k in ("field", "code")}
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30T10:00:00", "", 42.5])
def test_an_unparsable_date_is_422(
    client: Client, headers: dict[str, str], world: dict[str, Any], value: Any
) -> None:
    response = post(client, headers, "interactions", row(started_at=value))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert not Interaction.objects.exists()


def test_a_branch_may_be_named_by_id_and_a_segment_by_name(
    client: Client, org: Any, headers: dict[str, str], world: dict[str, Any]
) -> None:
    segment = Segment.objects.create(organization=org, name="Seniors")
    team = make_team(org, name="Front desk")
    response = post(
        client,
        headers,
        "interactions",
        row(branch=str(world["branch"].pk), segment="seniors", team="FRONT DESK"),
    )
    assert response.status_code == 201, response.content
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert (interaction.branch, interaction.segment, interaction.team) == (world["branch"], segment, team)


def test_a_branch_of_another_organisation_is_unknown(
    client: Client, other_org: Any, headers: dict[str, str], world: dict[str, Any]
) -> None:
    theirs = make_branch(other_org, name="Theirs", code="THEIRS")
    for ref in ("THEIRS", str(theirs.pk)):
        response = post(client, headers, "interactions", row(branch=ref))
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["code"] == "unknown_branch"


def test_without_a_token_nothing_is_stored(client: Client, world: dict[str, Any]) -> None:
    response = post(client, {}, "interactions", row())
    assert response.status_code == 401
    assert not Interaction.objects.exists()


# --- bulk ------------------------------------------------------------------------------------------


def test_bulk_stores_every_valid_row_and_reports_each(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    rows = [row(external_id=f"B-{i}") for i in range(3)]
    response = post(client, headers, "interactions/bulk", {"rows": rows})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["unchanged"], body["failed"]) == (3, 0, 0)
    assert [(r["index"], r["status"], r["external_id"]) for r in body["rows"]] == [
        (0, "created", "B-0"),
        (1, "created", "B-1"),
        (2, "created", "B-2"),
    ]
    assert Interaction.objects.count() == 3
    assert StandardResult.objects.filter(status=StandardStatus.MET).count() == 3


def test_the_same_batch_sent_twice_is_stored_once(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    batch = {"rows": [row(external_id=f"D-{i}") for i in range(5)] + [row()]}
    first = post(client, headers, "interactions/bulk", batch).json()
    second = post(client, headers, "interactions/bulk", batch).json()
    assert (first["created"], second["created"], second["unchanged"]) == (6, 1, 5)
    assert [r["id"] for r in second["rows"][:5]] == [r["id"] for r in first["rows"][:5]]
    assert {r["status"] for r in second["rows"][:5]} == {"unchanged"}
    # A row without an external id cannot be recognised, so it is stored each time.
    assert Interaction.objects.filter(external_id__startswith="D-").count() == 5
    assert Interaction.objects.filter(external_id="").count() == 2


def test_a_duplicate_within_a_batch_is_an_error_for_the_later_row(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    rows = [row(external_id="X"), row(external_id="Y"), row(external_id="X", reason="Second")]
    body = post(client, headers, "interactions/bulk", {"rows": rows}).json()
    assert [r["status"] for r in body["rows"]] == ["created", "created", "error"]
    assert body["rows"][2]["errors"][0]["code"] == "duplicate_in_batch"
    assert Interaction.objects.get(external_id="X").reason == "Card blocked"


def test_bulk_reports_bad_rows_by_index_and_stores_the_valid_ones(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    rows = [
        row(external_id="ok-0"),
        row(external_id="bad-1", branch="NOWHERE"),
        row(external_id="ok-2"),
        row(external_id="bad-3", started_at="not a date"),
        row(external_id="bad-4", closed_at="2026-03-01T09:00:00-05:00"),
        "not even an object",
    ]
    response = post(client, headers, "interactions/bulk", {"rows": rows})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["failed"]) == (2, 4)
    errors = {r["index"]: r["errors"][0] for r in body["rows"] if r["status"] == "error"}
    assert errors[1]["code"] == "unknown_branch"
    assert errors[3]["field"] == "started_at"
    assert errors[4]["code"] == "before_start" and errors[4]["field"] == "closed_at"
    assert 5 in errors
    assert body["rows"][3]["external_id"] == "bad-3"
    assert set(Interaction.objects.values_list("external_id", flat=True)) == {"ok-0", "ok-2"}


def test_all_or_nothing_stores_nothing_when_a_row_fails(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    rows = [row(external_id="A-0"), row(external_id="A-1", channel="telegraph"), row(external_id="A-2")]
    response = post(client, headers, "interactions/bulk", {"rows": rows, "all_or_nothing": True})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "rows_invalid"
    assert [(d["index"], d["errors"][0]["code"]) for d in error["details"]] == [(1, "unknown_channel")]
    assert not Interaction.objects.exists() and not StandardResult.objects.exists()


def test_all_or_nothing_counts_an_unparsable_row_as_a_failure(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    rows = [row(external_id="A-0"), row(external_id="A-1", closed_at="soon")]
    response = post(client, headers, "interactions/bulk", {"rows": rows, "all_or_nothing": True})
    assert response.status_code == 422
    assert not Interaction.objects.exists()


def test_all_or_nothing_with_every_row_valid_stores_them_all(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    rows = [row(external_id=f"A-{i}") for i in range(3)]
    response = post(client, headers, "interactions/bulk", {"rows": rows, "all_or_nothing": True})
    assert response.status_code == 200 and response.json()["created"] == 3


def test_more_than_a_thousand_rows_is_refused_whole(
    client: Client, headers: dict[str, str], world: dict[str, Any]
) -> None:
    response = post(client, headers, "interactions/bulk", {"rows": [row()] * 1001})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_many_rows" and "1000" in error["message"] and "1001" in error["message"]
    assert not Interaction.objects.exists()


def test_a_batch_without_rows_is_422(client: Client, headers: dict[str, str]) -> None:
    response = post(client, headers, "interactions/bulk", {"all_or_nothing": True})
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


def _queries_for(org: Any, rows: int, tag: str) -> tuple[int, int]:
    """(SELECTs, INSERTs) of ingesting ``rows`` fresh rows, each with a moment and an agent."""
    agent = (
        Interaction._meta.get_field("agent")
        .related_model.objects.filter(memberships__organization=org)
        .first()
    )
    batch = [
        services.IngestRow(
            index=i,
            branch="CEN",
            channel="phone",
            started_at=at(2026, 3, 2, 9),
            first_response_at=at(2026, 3, 2, 9, 1),
            external_id=f"{tag}-{i}",
            agent=agent.email,
            moments=[services.MomentRef(reached_at=at(2026, 3, 2, 9, 2), name="Diagnosis")],
        )
        for i in range(rows)
    ]
    with CaptureQueriesContext(connection) as ctx:
        report = services.interactions_ingest(organization=org, rows=batch)
    assert report.count("created") == rows
    sql = [q["sql"].lstrip().upper() for q in ctx.captured_queries]
    return sum(s.startswith("SELECT") for s in sql), sum(s.startswith("INSERT") for s in sql)


def test_bulk_ingest_of_200_rows_takes_no_more_lookups_than_of_20(org: Any, world: dict[str, Any]) -> None:
    selects_20, _inserts = _queries_for(org, 20, "small")
    selects_200, inserts_200 = _queries_for(org, 200, "large")
    # Branches, channels, agents, moments, standards and known external ids: one query each.
    assert selects_20 == selects_200 == 6
    # One INSERT per table; SQLite splits a long insert by its limit on query parameters.
    per_table = {
        Interaction: len(Interaction._meta.concrete_fields),
        MomentReached: len(MomentReached._meta.concrete_fields),
        StandardResult: len(StandardResult._meta.concrete_fields),
    }
    limit = connection.features.max_query_params
    expected = sum(math.ceil(200 / max(1, limit // n)) if limit else 1 for n in per_table.values())
    if connection.vendor == "postgresql":
        # PostgreSQL writes the three tables with COPY, not INSERT.
        expected = 0
    assert inserts_200 == expected
    assert Interaction.objects.filter(organization=org, external_id__startswith="large-").count() == 200


# --- reading ---------------------------------------------------------------------------------------


def test_list_filters_by_branch_channel_outcome_and_dates(
    client: Client, org: Any, headers: dict[str, str], world: dict[str, Any]
) -> None:
    other_branch = make_branch(org, name="Norte")
    chat = channel_of(org, ChannelKind.CHAT)
    march = make_interaction(org, branch=world["branch"], started_at=at(2026, 3, 10, 12), outcome="resolved")
    make_interaction(org, branch=other_branch, started_at=at(2026, 3, 11, 12), outcome="resolved")
    make_interaction(org, branch=world["branch"], channel=chat, started_at=at(2026, 3, 12, 12))
    make_interaction(org, branch=world["branch"], started_at=at(2026, 4, 2, 12), outcome="escalated")

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/v1/interactions?{query}", headers=headers)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert len(ids("")) == 4
    assert len(ids(f"branch={world['branch'].pk}")) == 3
    assert len(ids("channel=chat")) == 1
    assert len(ids("outcome=open")) == 1
    assert ids(f"branch={world['branch'].pk}&channel=phone&outcome=resolved") == [str(march.pk)]
    assert len(ids("started_from=2026-03-01&started_to=2026-03-31")) == 3
    assert len(ids("started_to=2026-03-11")) == 2


def test_list_with_a_bad_filter_is_400(client: Client, headers: dict[str, str]) -> None:
    for query in ("channel=pigeon", "started_from=someday", "branch=nope", "outcome=lost"):
        response = client.get(f"/api/v1/interactions?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.json()["error"]["code"] == "invalid_parameters"


def test_list_queries_do_not_grow_with_the_page(
    client: Client, org: Any, headers: dict[str, str], world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for _i in range(3):
        make_interaction(org, branch=world["branch"], agent=world["agent"], team=make_team(org))
    client.get("/api/v1/interactions", headers=headers)  # the token's last use is stamped once
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/interactions", headers=headers)
    for _i in range(20):
        make_interaction(org, branch=world["branch"], agent=world["agent"], team=make_team(org))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/interactions", headers=headers)
    assert response.json()["count"] == 23
    assert len(few) == len(many) == 3  # token, count, page


def test_read_one_shows_its_moments_and_standard_results(
    client: Client, org: Any, headers: dict[str, str], world: dict[str, Any]
) -> None:
    created = post(
        client,
        headers,
        "interactions",
        row(
            first_response_at="2026-03-02T09:09:00-05:00",
            moments=[{"position": 2, "reached_at": "2026-03-02T09:10:00-05:00"}],
        ),
    ).json()
    response = client.get(f"/api/v1/interactions/{created['id']}", headers=headers)
    assert response.status_code == 200
    data = response.json()
    assert [(m["name"], m["position"]) for m in data["moments"]] == [("Diagnosis", 2)]
    assert [(r["status"], r["measured"]) for r in data["standard_results"]] == [("missed", 9.0)]


def test_read_one_of_another_organisation_is_404(
    client: Client, other_org: Any, headers: dict[str, str]
) -> None:
    theirs = make_interaction(other_org)
    response = client.get(f"/api/v1/interactions/{theirs.pk}", headers=headers)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_openapi_document_describes_the_bulk_rows(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    body = schema["paths"]["/api/v1/interactions/bulk"]["post"]["requestBody"]["content"]["application/json"]
    rows = body["schema"]["properties"]["rows"]
    assert rows["maxItems"] == 1000 and rows["items"]["$ref"].endswith("/InteractionIn")
    assert "InteractionIn" in schema["components"]["schemas"]


def test_a_row_stored_by_a_concurrent_request_is_reported_unchanged(
    org: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given another request stored "R-1" after this one looked for known external ids…
    stored = make_interaction(org, branch=world["branch"], channel=world["channel"], external_id="R-1")
    real_init = services._Lookups.__init__
    calls = []

    def blind_first_time(self: Any, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            self.existing = {}

    monkeypatch.setattr(services._Lookups, "__init__", blind_first_time)
    batch = [
        services.IngestRow(
            index=0, branch="CEN", channel="phone", started_at=at(2026, 3, 2, 9), external_id="R-0"
        ),
        services.IngestRow(
            index=1, branch="CEN", channel="phone", started_at=at(2026, 3, 2, 9), external_id="R-1"
        ),
    ]
    # …when its insert collides, it reads again and stores the rest once.
    report = services.interactions_ingest(organization=org, rows=batch)
    assert [(r.status, r.id) for r in report.rows][1] == ("unchanged", stored.pk)
    assert report.rows[0].status == "created"
    assert Interaction.objects.filter(external_id__in=["R-0", "R-1"]).count() == 2
    assert len(calls) == 2


def test_bulk_stores_each_value_as_sent(
    client: Client, org: Any, headers: dict[str, str], world: dict[str, Any]
) -> None:
    # Every column goes through the bulk writer (COPY on PostgreSQL): read back, each value is the one sent.
    segment = Segment.objects.create(organization=org, name="Seniors")
    team = make_team(org, name="Front desk")
    sent = row(
        external_id="V-1",
        team="Front desk",
        agent=world["agent"].email,
        segment="Seniors",
        reason="  Card blocked  ",
        customer_ref="C-001",
        resolved_at="2026-03-02T09:18:00-05:00",
        contacts=3,
        notes="Called back — «ñandú» ✓",
        moments=[{"position": 2, "reached_at": "2026-03-02T09:04:30.250000-05:00"}],
    )
    body = post(client, headers, "interactions/bulk", {"rows": [sent]}).json()
    assert body["created"] == 1, body
    stored = Interaction.objects.get(external_id="V-1")
    assert stored.pk == UUID(body["rows"][0]["id"])
    assert (stored.organization_id, stored.branch, stored.channel) == (
        org.pk,
        world["branch"],
        world["channel"],
    )
    assert (stored.team, stored.agent, stored.segment) == (team, world["agent"], segment)
    assert (stored.reason, stored.customer_ref, stored.notes) == ("Card blocked", "C-001", sent["notes"])
    assert (stored.started_at, stored.first_response_at) == (at(2026, 3, 2, 9), at(2026, 3, 2, 9, 3))
    assert (stored.resolved_at, stored.closed_at) == (at(2026, 3, 2, 9, 18), at(2026, 3, 2, 9, 20))
    assert (stored.outcome, stored.contacts) == ("resolved", 3)
    assert timezone.now() - timedelta(minutes=5) < stored.created_at <= stored.updated_at <= timezone.now()
    (reached,) = MomentReached.objects.filter(interaction=stored)
    assert reached.moment == world["moments"][1]
    assert reached.reached_at == at(2026, 3, 2, 9, 4, 30, 250000)
    (result,) = StandardResult.objects.filter(interaction=stored)
    assert (result.organization_id, result.standard, result.status) == (org.pk, world["standard"], "met")
    assert (result.measured, result.unit) == (Decimal("3.00"), "minutes")


@pytest.mark.parametrize("field", ["external_id", "reason", "notes", "agent", "team", "moments"])
def test_text_with_a_nul_character_is_a_row_error(
    client: Client, headers: dict[str, str], world: dict[str, Any], field: str
) -> None:
    # PostgreSQL can neither store nor look up such text: the row is refused, the others are stored.
    bad = row(**{field: "Ca\x00rd"}) if field != "moments" else row(moments=[{"name": "Gre\x00eting"}])
    if field == "moments":
        bad["moments"][0]["reached_at"] = "2026-03-02T09:03:00-05:00"
    response = post(client, headers, "interactions/bulk", {"rows": [row(external_id="fine"), bad]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["status"] for r in body["rows"]] == ["created", "error"]
    error = body["rows"][1]["errors"][0]
    assert error["code"] == "invalid" and error["field"] == (field if field != "moments" else "moments.0")
    assert list(Interaction.objects.values_list("external_id", flat=True)) == ["fine"]


def test_ingestion_pauses_the_cycle_collector_only_while_it_runs(org: Any, world: dict[str, Any]) -> None:
    seen = []

    def receiver(sender: Any, interactions: list[Any], **kwargs: Any) -> None:
        seen.append(gc.isenabled())

    batch = [
        services.IngestRow(
            index=0, branch="CEN", channel="phone", started_at=at(2026, 3, 2, 9), closed_at=at(2026, 3, 2, 10)
        )
    ]
    hooks.interactions_closed.connect(receiver, dispatch_uid="test_collector")
    try:
        assert gc.isenabled()
        services.interactions_ingest(organization=org, rows=batch)
        assert gc.isenabled() and seen == [False]
        gc.disable()
        try:
            services.interactions_ingest(organization=org, rows=batch)
            assert not gc.isenabled()  # left off, as the caller had it
        finally:
            gc.enable()
    finally:
        hooks.interactions_closed.disconnect(dispatch_uid="test_collector")


def test_receivers_of_interactions_closed_read_branch_and_channel_without_a_query(
    org: Any, world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    received: list[Any] = []

    def receiver(sender: Any, interactions: list[Any], **kwargs: Any) -> None:
        received.extend(interactions)

    batch = [
        services.IngestRow(
            index=i,
            branch="CEN",
            channel="phone",
            started_at=at(2026, 3, 2, 9),
            closed_at=at(2026, 3, 2, 10),
            agent=world["agent"].email,
        )
        for i in range(3)
    ]
    hooks.interactions_closed.connect(receiver, dispatch_uid="test_cached_relations")
    try:
        services.interactions_ingest(organization=org, rows=batch)
    finally:
        hooks.interactions_closed.disconnect(dispatch_uid="test_cached_relations")
    assert len(received) == 3
    with django_assert_num_queries(0):
        assert {(i.branch, i.channel, i.agent, i.team) for i in received} == {
            (world["branch"], world["channel"], world["agent"], None)
        }
    assert all(not i._state.adding for i in received)
    assert Interaction.objects.filter(pk__in=[i.pk for i in received]).count() == 3

"""The interaction pages: everyone attends, but each sees only the interactions of their scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import make_branch, make_team
from momentos.attention import services
from momentos.attention.models import MomentReached
from momentos.attention.tests.factories import at, channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import StandardMetric, Unit
from momentos.cycle.models import ServiceStandard

pytestmark = pytest.mark.django_db

LIST = reverse("attention:interaction_list")


def detail(interaction: Any) -> str:
    return reverse("attention:interaction_detail", kwargs={"pk": interaction.pk})


@pytest.fixture
def scene(org: Any, make_member_of: Any) -> dict[str, Any]:
    north, south = make_branch(org, name="North"), make_branch(org, name="South")
    claims = make_team(org, name="Claims")
    agent = make_member_of(Role.AGENT, branches=[north])
    colleague = make_member_of(Role.AGENT, branches=[north])
    return {
        "north": north,
        "south": south,
        "agent": agent,
        "supervisor": make_member_of(Role.SUPERVISOR, branches=[north]),
        "team_supervisor": make_member_of(Role.SUPERVISOR, teams=[claims]),
        "manager": make_member_of(Role.QUALITY_MANAGER),
        "mine": make_interaction(org, branch=north, agent=agent.user, reason="Agent's own call"),
        "colleague": make_interaction(org, branch=north, agent=colleague.user, reason="Colleague's call"),
        "southern": make_interaction(org, branch=south, reason="Southern call"),
        "south_claims": make_interaction(org, branch=south, team=claims, reason="Claims call"),
    }


def listed(client: Client, query: str = "") -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {i.reason for i in response.context["page"].object_list}


def test_anonymous_visitors_are_sent_to_log_in(client: Client, scene: dict[str, Any]) -> None:
    for url in (LIST, detail(scene["mine"])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_admin_and_quality_manager_see_every_interaction(
    admin_client: Client, member_client: Any, scene: dict[str, Any]
) -> None:
    everything = {"Agent's own call", "Colleague's call", "Southern call", "Claims call"}
    assert listed(admin_client) == everything
    assert listed(member_client(scene["manager"])) == everything


def test_a_supervisor_sees_the_interactions_of_their_branches(
    member_client: Any, scene: dict[str, Any]
) -> None:
    client = member_client(scene["supervisor"])
    assert listed(client) == {"Agent's own call", "Colleague's call"}
    assert client.get(detail(scene["colleague"])).status_code == 200
    assert client.get(detail(scene["southern"])).status_code == 404


def test_a_team_supervisor_sees_their_team_in_any_branch(member_client: Any, scene: dict[str, Any]) -> None:
    client = member_client(scene["team_supervisor"])
    assert listed(client) == {"Claims call"}
    assert client.get(detail(scene["south_claims"])).status_code == 200
    assert client.get(detail(scene["southern"])).status_code == 404


def test_an_agent_sees_only_their_own_interactions(member_client: Any, scene: dict[str, Any]) -> None:
    client = member_client(scene["agent"])
    assert listed(client) == {"Agent's own call"}
    assert client.get(detail(scene["mine"])).status_code == 200
    assert client.get(detail(scene["colleague"])).status_code == 404


def test_another_organisations_interaction_is_404(admin_client: Client, other_org: Any) -> None:
    assert admin_client.get(detail(make_interaction(other_org))).status_code == 404


def test_the_branch_filter_offers_only_branches_in_scope(member_client: Any, scene: dict[str, Any]) -> None:
    response = member_client(scene["supervisor"]).get(LIST)
    branches = list(response.context["form"].fields["branch"].queryset)
    assert branches == [scene["north"]]
    # A branch outside the scope cannot be chosen to peek at it.
    client = member_client(scene["supervisor"])
    assert listed(client, f"branch={scene['south'].pk}") == {"Agent's own call", "Colleague's call"}


def test_filters_by_branch_channel_outcome_dates_and_search(
    admin_client: Client, org: Any, scene: dict[str, Any]
) -> None:
    chat = channel_of(org, ChannelKind.CHAT)
    make_interaction(
        org,
        branch=scene["north"],
        channel=chat,
        started_at=at(2026, 4, 15, 10),
        outcome="escalated",
        reason="Chat about fees",
        customer_ref="CUST-77",
        external_id="ZD-4242",
    )
    assert listed(admin_client, f"branch={scene['south'].pk}") == {"Southern call", "Claims call"}
    assert listed(admin_client, "channel=chat") == {"Chat about fees"}
    assert listed(admin_client, "outcome=escalated") == {"Chat about fees"}
    assert "Chat about fees" not in listed(admin_client, "outcome=open")
    assert listed(admin_client, "started_from=2026-04-15&started_to=2026-04-15") == {"Chat about fees"}
    assert "Chat about fees" not in listed(admin_client, "started_to=2026-04-14")
    for term in ("fees", "cust-77", "4242"):
        assert listed(admin_client, f"q={term}") == {"Chat about fees"}, term


def test_a_bad_filter_is_ignored_with_a_message_not_an_error(
    admin_client: Client, scene: dict[str, Any]
) -> None:
    response = admin_client.get(f"{LIST}?started_from=yesterday&channel=pigeon&outcome=lost")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 4
    assert "Some filters were ignored" in response.content.decode()


def test_an_end_date_before_the_start_date_is_reported(admin_client: Client, scene: dict[str, Any]) -> None:
    response = admin_client.get(f"{LIST}?started_from=2026-05-02&started_to=2026-05-01")
    assert "The end date comes before the start date." in response.content.decode()


def test_empty_states_tell_no_data_from_no_match(admin_client: Client, org: Any) -> None:
    assert "No interactions yet" in admin_client.get(LIST).content.decode()
    make_interaction(org)
    assert (
        "No interaction matches these filters"
        in admin_client.get(f"{LIST}?q=nothing-like-this").content.decode()
    )


def test_the_list_is_paginated(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    for _i in range(30):
        make_interaction(org, branch=branch)
    first = admin_client.get(LIST)
    assert len(first.context["page"].object_list) == 25
    second = admin_client.get(f"{LIST}?page=2")
    assert len(second.context["page"].object_list) == 5


def test_the_list_page_takes_the_same_queries_for_few_and_many_rows(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    for _i in range(2):
        make_interaction(org, branch=branch, team=make_team(org))
    admin_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(LIST)
    for _i in range(20):
        make_interaction(org, branch=make_branch(org), team=make_team(org))
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(LIST)
    assert len(response.context["page"].object_list) == 22
    assert len(few) == len(many)
    # The layout (session, user, two for memberships), the count, the filter's branches, teams, agents,
    # segments and moments, the page.
    assert len(many) == 11, [q["sql"] for q in many.captured_queries]


def test_the_detail_shows_the_timeline_and_each_standard_met_or_missed(
    admin_client: Client, org: Any
) -> None:
    channel = channel_of(org, ChannelKind.PHONE)
    greeting, farewell = make_cycle_for(channel, "Warm greeting", "Kind farewell")
    for name, threshold in (("Quick answer", "5"), ("Short call", "10")):
        ServiceStandard.objects.create(
            organization=org,
            moment=greeting if name == "Quick answer" else farewell,
            name=name,
            metric=StandardMetric.FIRST_RESPONSE_TIME
            if name == "Quick answer"
            else StandardMetric.ATTENTION_TIME,
            threshold=Decimal(threshold),
            unit=Unit.MINUTES,
        )
    interaction = make_interaction(
        org,
        channel=channel,
        started_at=at(2026, 3, 2, 9),
        first_response_at=at(2026, 3, 2, 9, 2),
        closed_at=at(2026, 3, 2, 9, 30),
        outcome="resolved",
    )
    for moment, minute in ((greeting, 2), (farewell, 28)):
        MomentReached.objects.create(
            organization=org, interaction=interaction, moment=moment, reached_at=at(2026, 3, 2, 9, minute)
        )
    services.interaction_evaluate(interaction=interaction)
    response = admin_client.get(detail(interaction))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Warm greeting") < html.index("Kind farewell")
    assert [(r.standard.name, r.status) for r in response.context["results"]] == [
        ("Quick answer", "met"),
        ("Short call", "missed"),
    ]
    assert 'badge badge-success"><svg' in html and 'badge badge-danger">Missed' in html
    assert "1 of 2 met" in html

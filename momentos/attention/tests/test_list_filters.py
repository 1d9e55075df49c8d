"""The interaction list narrows by team, agent, segment, moment reached and closed outcome (drill-down links)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import make_branch, make_team
from momentos.attention.choices import Outcome
from momentos.attention.models import MomentReached
from momentos.attention.tests.factories import at, channel_of, make_cycle_for, make_interaction
from momentos.cycle.tests.factories import make_segment

pytestmark = pytest.mark.django_db

LIST = reverse("attention:interaction_list")


@pytest.fixture
def scene(org: Any, make_member_of: Any) -> dict[str, Any]:
    north = make_branch(org, name="North")
    claims, sales = make_team(org, name="Claims"), make_team(org, name="Sales")
    agent = make_member_of(Role.AGENT, branches=[north])
    vip = make_segment(org)
    welcome, answer = make_cycle_for(channel_of(org), "Welcome", "Answer")
    first = make_interaction(
        org,
        branch=north,
        team=claims,
        agent=agent.user,
        segment=vip,
        reason="First",
        closed_at=at(2026, 3, 2, 9, 30),
        outcome=Outcome.RESOLVED,
    )
    second = make_interaction(org, branch=north, team=sales, reason="Second")
    for interaction, moment in ((first, welcome), (first, answer), (second, welcome)):
        MomentReached.objects.create(
            organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
        )
    return {"claims": claims, "agent": agent, "vip": vip, "welcome": welcome, "answer": answer}


def listed(client: Client, query: dict[str, Any]) -> list[str]:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return sorted(i.reason for i in response.context["page"].object_list)


def test_team_agent_segment_and_moment_narrow_the_list(admin_client: Client, scene: dict[str, Any]) -> None:
    assert listed(admin_client, {"team": scene["claims"].pk}) == ["First"]
    assert listed(admin_client, {"agent": scene["agent"].user.pk}) == ["First"]
    assert listed(admin_client, {"segment": scene["vip"].pk}) == ["First"]
    # Reached by both: listed once each; reached by one only.
    assert listed(admin_client, {"moment": scene["welcome"].pk}) == ["First", "Second"]
    assert listed(admin_client, {"moment": scene["answer"].pk}) == ["First"]
    assert listed(admin_client, {"outcome": "closed"}) == ["First"]
    assert listed(admin_client, {"outcome": "open"}) == ["Second"]


def test_an_id_of_another_organisation_is_refused_on_the_form(
    admin_client: Client, scene: dict[str, Any], other_org: Any
) -> None:
    foreign = make_team(other_org, name="Elsewhere")
    response = admin_client.get(LIST, {"team": foreign.pk})
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert sorted(i.reason for i in response.context["page"].object_list) == ["First", "Second"]


def test_an_agent_has_no_agent_filter(member_client: Any, scene: dict[str, Any]) -> None:
    response = member_client(scene["agent"]).get(LIST)
    assert "agent" not in response.context["form"].fields

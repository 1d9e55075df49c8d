"""The attention section of the home page, per role: start an attention, the open ones, the latest."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import make_branch, make_member
from momentos.attention.tests.factories import at, make_interaction

pytestmark = pytest.mark.django_db


def _closed(org: Any, **fields: Any) -> Any:
    return make_interaction(org, closed_at=at(2026, 3, 2, 9, 30), outcome="resolved", **fields)


def test_an_agent_is_offered_to_attend_a_customer_instead_of_nothing_to_show(
    org: Any, member_client: Any
) -> None:
    agent = make_member(org, role=Role.AGENT, branches=[make_branch(org)])
    page = member_client(agent).get("/").content.decode()
    assert "Nothing to show yet" not in page
    assert reverse("attention:console_start") in page
    assert reverse("attention:console_list") in page
    assert "No interactions yet" in page
    assert reverse("attention:live_list") not in page


def test_an_agent_sees_own_open_attentions_and_latest_interactions_only(org: Any, member_client: Any) -> None:
    branch = make_branch(org)
    agent = make_member(org, role=Role.AGENT, branches=[branch])
    colleague = make_member(org, role=Role.AGENT, branches=[branch])
    make_interaction(org, branch=branch, agent=agent.user, reason="Still at the desk")
    for i in range(7):
        _closed(org, branch=branch, agent=agent.user, reason=f"Mine {i}")
    _closed(org, branch=branch, agent=colleague.user, reason="Someone else's")

    response = member_client(agent).get("/")
    section = next(s for s in response.context["sections"] if s["template"].startswith("attention/"))
    assert section["open_count"] == 1
    assert len(section["recent"]) == 5
    assert {i.agent_id for i in section["recent"]} == {agent.user_id}
    assert "Someone else&#x27;s" not in response.content.decode()


def test_a_supervisor_sees_the_scope_and_the_live_view(org: Any, member_client: Any) -> None:
    mine, other = make_branch(org), make_branch(org)
    supervisor = make_member(org, role=Role.SUPERVISOR, branches=[mine])
    agent = make_member(org, role=Role.AGENT, branches=[mine])
    _closed(org, branch=mine, agent=agent.user, reason="In my branch")
    _closed(org, branch=other, reason="Elsewhere")

    response = member_client(supervisor).get("/")
    page = response.content.decode()
    assert reverse("attention:live_list") in page
    assert "In my branch" in page
    assert "Elsewhere" not in page
    assert "Latest interactions in your scope" in page


def test_the_home_page_queries_do_not_grow_with_interactions(org: Any, member_client: Any) -> None:
    branch = make_branch(org)
    agent = make_member(org, role=Role.AGENT, branches=[branch])
    client = member_client(agent)
    _closed(org, branch=branch, agent=agent.user)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _i in range(6):
        _closed(org, branch=branch, agent=agent.user)
        make_interaction(org, branch=branch, agent=agent.user)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)

"""The insight filter bar folded on a phone: its summary says what is applied; an error keeps it open."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import make_branch
from momentos.attention.tests.factories import channel_of
from momentos.insight.forms import InsightFilterForm

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("insight:overview")
TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("momentos.insight.forms.organization_today", lambda organization: TODAY)


@pytest.fixture
def world(org: Any, admin: Any) -> SimpleNamespace:
    return SimpleNamespace(
        admin=admin,
        north=make_branch(org, name="North"),
        south=make_branch(org, name="South"),
        phone=channel_of(org, ChannelKind.PHONE),
    )


def summary(data: dict[str, Any], scope: Any) -> str:
    return InsightFilterForm(data, scope=scope).summary()


def panel(response: Any) -> tuple[str, str]:
    """The filter panel's opening tag and its content."""
    html = response.content.decode()
    found = re.search(r'(<details class="filter-panel"[^>]*>)(.*?)</details>', html, re.S)
    assert found, "no filter panel"
    return found.group(1), found.group(2)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "This month"),
        ({"period": "week"}, "This week"),
        ({"period": "quarter"}, "This quarter"),
        ({"period": "year"}, "This year"),
        ({"period": "custom", "start": "2026-02-01", "end": "2026-02-28"}, "Custom dates"),
    ],
)
def test_the_summary_names_the_period(world: SimpleNamespace, data: dict[str, Any], expected: str) -> None:
    assert summary(data, world.admin) == expected


def test_the_summary_counts_the_dimensions_that_narrow_the_figures(world: SimpleNamespace) -> None:
    admin = world.admin
    assert summary({"branch": str(world.north.pk)}, admin) == "This month · 1 filter"
    assert summary({"branch": str(world.north.pk), "channel": str(world.phone.pk)}, admin) == (
        "This month · 2 filters"
    )
    # Two branches are one filter: the dimensions are counted, not the values.
    query = QueryDict(mutable=True)
    query.setlist("branch", [str(world.north.pk), str(world.south.pk)])
    query["period"] = "year"
    assert summary(query, admin) == "This year · 1 filter"


def test_a_refused_choice_is_not_counted(world: SimpleNamespace, other_org: Any) -> None:
    foreign = make_branch(other_org, name="Elsewhere")
    form = InsightFilterForm({"branch": str(foreign.pk), "channel": str(world.phone.pk)}, scope=world.admin)
    assert "branch" in form.errors
    assert form.summary() == "This month · 1 filter"


def test_an_agents_summary_leaves_out_the_agent_field(org: Any, make_member_of: Any) -> None:
    north = make_branch(org, name="North")
    agent = make_member_of(Role.AGENT, branches=[north])
    form = InsightFilterForm({"agent": str(agent.user.pk)}, scope=agent)
    assert "agent" not in form.fields
    assert form.summary() == "This month"


def test_the_panel_is_closed_and_holds_every_field_and_the_apply_button(
    admin_client: Client, world: SimpleNamespace
) -> None:
    response = admin_client.get(OVERVIEW, {"branch": world.north.pk, "channel": world.phone.pk})
    tag, content = panel(response)
    assert " open" not in tag
    summary_html = re.search(r"<summary>(.*?)</summary>", content, re.S)
    assert summary_html
    assert re.sub(r"<[^>]+>|\s+", " ", summary_html.group(1)).split() == [
        "Filters",
        "This",
        "month",
        "·",
        "2",
        "filters",
    ]
    form = content.split("</summary>", 1)[1]
    assert form.lstrip().startswith('<form method="get" class="filter-bar"')
    for name in (
        "shown",
        "period",
        "start",
        "end",
        "branch",
        "channel",
        "team",
        "agent",
        "segment",
        "moment",
    ):
        assert f'name="{name}"' in form, name
    assert 'type="submit"' in form and ">Clear</a>" in form
    # The dates in use stay in sight under the folded bar.
    assert "From March 1, 2026 to March 20, 2026" in response.content.decode().split("</details>", 1)[1]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "custom", "start": "2026-03-10", "end": "2026-03-01"}, "end"),
        ({"branch": "not-a-uuid"}, "branch"),
        ({"period": "decade"}, "period"),
    ],
)
def test_a_filter_error_opens_the_panel(
    admin_client: Client, world: SimpleNamespace, query: dict[str, str], field: str
) -> None:
    response = admin_client.get(OVERVIEW, query)
    assert response.status_code == 200
    tag, content = panel(response)
    assert tag == '<details class="filter-panel" open>'
    assert f'<div class="filter-field{" filter-date" if field == "end" else ""} has-error">' in content
    # The field names its error, which the alert under the bar holds.
    assert f'aria-describedby="id_{field}_error"' in content
    alert = response.content.decode().split("</details>", 1)[1]
    assert re.search(rf'<li id="id_{field}_error">[^<]+: [^<]+</li>', alert)


def test_the_analysis_pages_fold_the_same_panel(admin_client: Client, world: SimpleNamespace) -> None:
    url = reverse("insight:importance")
    tag, _content = panel(admin_client.get(url, {"period": "year"}))
    assert tag == '<details class="filter-panel">'
    tag, _content = panel(
        admin_client.get(url, {"period": "custom", "start": "2026-03-10", "end": "2026-03-01"})
    )
    assert tag == '<details class="filter-panel" open>'

"""The insight overview: objectives against targets, key indicators of the selection, filters and scope."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import make_branch
from momentos.attention.choices import Outcome
from momentos.attention.tests.factories import channel_of, make_interaction
from momentos.cycle.choices import Comparison, Indicator, Period
from momentos.cycle.models import Objective

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("insight:overview")
TODAY = date(2026, 3, 20)
BOGOTA = ZoneInfo("America/Bogota")


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("momentos.insight.forms.organization_today", lambda organization: TODAY)


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def closed(org: Any, branch: Any, outcome: str, *, day: int = 2, agent: Any = None) -> Any:
    return make_interaction(
        org,
        branch=branch,
        channel=channel_of(org, ChannelKind.PHONE),
        agent=agent,
        started_at=bog(2026, 3, day, 9, 0),
        closed_at=bog(2026, 3, day, 9, 10),
        outcome=outcome,
        contacts=1,
    )


@pytest.fixture
def world(org: Any, make_member_of: Any) -> SimpleNamespace:
    north = make_branch(org, name="North", time_zone="America/Bogota")
    south = make_branch(org, name="South", time_zone="America/Bogota")
    agent = make_member_of(Role.AGENT, branches=[north])
    supervisor = make_member_of(Role.SUPERVISOR, branches=[north])
    # North: 3 closed, 2 resolved (one by the agent); South: 2 closed, 0 resolved. February: 1 resolved in North.
    closed(org, north, Outcome.RESOLVED, agent=agent.user)
    closed(org, north, Outcome.RESOLVED)
    closed(org, north, Outcome.UNRESOLVED, agent=agent.user)
    closed(org, south, Outcome.UNRESOLVED)
    closed(org, south, Outcome.ESCALATED)
    make_interaction(
        org,
        branch=north,
        started_at=bog(2026, 2, 10, 9),
        closed_at=bog(2026, 2, 10, 9, 5),
        outcome=Outcome.RESOLVED,
    )
    whole = Objective.objects.create(
        organization=org,
        title="Solve what they ask",
        indicator=Indicator.RESOLUTION_RATE,
        comparison=Comparison.GTE,
        target=Decimal("50"),
        period=Period.MONTH,
    )
    southern = Objective.objects.create(
        organization=org,
        title="South solves",
        indicator=Indicator.RESOLUTION_RATE,
        comparison=Comparison.GTE,
        target=Decimal("80"),
        period=Period.MONTH,
        branch=south,
    )
    return SimpleNamespace(
        org=org, north=north, south=south, agent=agent, supervisor=supervisor, whole=whole, southern=southern
    )


def cards(response: Any) -> dict[str, Any]:
    return {card.title: card for card in response.context["cards"]}


def key(response: Any, indicator: str) -> Any:
    return next(card for card in response.context["key_cards"] if card.indicator == indicator)


def test_objectives_show_value_target_status_and_change(admin_client: Client, world: SimpleNamespace) -> None:
    response = admin_client.get(OVERVIEW)
    assert response.status_code == 200
    shown = cards(response)
    whole, southern = shown["Solve what they ask"], shown["South solves"]
    assert whole.value.value == Decimal("40.0") and whole.n == 5
    assert whole.status == "off_target" and whole.target_text == "≥\u00a050.0\u00a0%"
    assert southern.value.value == Decimal("0.0") and southern.status == "off_target"
    # February (the previous period of the same length) had one resolved of one closed.
    assert whole.change is not None and whole.change.direction == "down" and whole.change.good is False
    assert "<svg" in whole.trend
    content = response.content.decode()
    assert "Off target" in content and "40.0 %" in content


def test_every_number_links_to_the_interactions_behind_it(
    admin_client: Client, world: SimpleNamespace
) -> None:
    response = admin_client.get(OVERVIEW, {"branch": world.north.pk})
    url = key(response, Indicator.RESOLUTION_RATE).url
    assert url.startswith(reverse("attention:interaction_list") + "?")
    assert "started_from=2026-03-01" in url and "started_to=2026-03-20" in url
    assert f"branch={world.north.pk}" in url and "outcome=closed" in url
    listed = admin_client.get(url)
    assert {i.branch_id for i in listed.context["page"].object_list} == {world.north.pk}
    assert len(listed.context["page"].object_list) == 3


def test_filtering_by_a_branch_narrows_indicators_and_objectives(
    admin_client: Client, world: SimpleNamespace
) -> None:
    response = admin_client.get(OVERVIEW, {"branch": world.north.pk})
    rate = key(response, Indicator.RESOLUTION_RATE)
    assert rate.value.value == Decimal("66.67") and rate.n == 3
    # The South objective does not concern North; the organisation-wide one is computed for North.
    assert set(cards(response)) == {"Solve what they ask"}
    assert cards(response)["Solve what they ask"].value.value == Decimal("66.67")


def test_a_custom_period(admin_client: Client, world: SimpleNamespace) -> None:
    response = admin_client.get(OVERVIEW, {"period": "custom", "start": "2026-02-01", "end": "2026-02-28"})
    assert not response.context["form"].errors
    rate = key(response, Indicator.RESOLUTION_RATE)
    assert rate.value.value == Decimal("100.0") and rate.n == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "custom", "start": "2026-03-10", "end": "2026-03-01"}, "end"),
        ({"period": "custom", "start": "not-a-date", "end": "2026-03-01"}, "start"),
        ({"period": "custom", "start": "0001-01-01", "end": "2026-03-01"}, "start"),
        ({"period": "decade"}, "period"),
        ({"branch": "not-a-uuid"}, "branch"),
        ({"segment": "00000000-0000-0000-0000-000000000001"}, "segment"),
    ],
)
def test_bad_filters_are_form_errors_not_failures(
    admin_client: Client, world: SimpleNamespace, query: dict[str, str], field: str
) -> None:
    response = admin_client.get(OVERVIEW, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    # The page still shows the default period's figures.
    assert key(response, Indicator.RESOLUTION_RATE).n == 5
    assert "Some filters were not applied" in response.content.decode()


def test_a_branch_of_another_organisation_is_refused(
    admin_client: Client, world: SimpleNamespace, other_org: Any
) -> None:
    foreign = make_branch(other_org, name="Elsewhere")
    response = admin_client.get(OVERVIEW, {"branch": foreign.pk})
    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert "Elsewhere" not in response.content.decode()
    assert key(response, Indicator.RESOLUTION_RATE).n == 5


def test_a_supervisor_sees_only_their_branch(member_client: Any, world: SimpleNamespace) -> None:
    client = member_client(world.supervisor)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert [str(label) for _value, label in form.fields["branch"].choices][1:] == ["North"]
    assert key(response, Indicator.RESOLUTION_RATE).n == 3
    assert set(cards(response)) == {"Solve what they ask"}
    assert cards(response)["Solve what they ask"].n == 3
    assert cards(response)["Solve what they ask"].scope_text == "Your branches and teams"
    # South is not theirs: refused on the form, the figures stay North's.
    response = client.get(OVERVIEW, {"branch": world.south.pk})
    assert "branch" in response.context["form"].errors
    assert key(response, Indicator.RESOLUTION_RATE).n == 3


def test_an_agent_sees_only_their_own_figures(member_client: Any, world: SimpleNamespace) -> None:
    client = member_client(world.agent)
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert "agent" not in response.context["form"].fields
    rate = key(response, Indicator.RESOLUTION_RATE)
    assert rate.n == 2 and rate.value.value == Decimal("50.0")
    assert cards(response)["Solve what they ask"].n == 2
    assert cards(response)["Solve what they ask"].scope_text == "Your own results"
    # Someone else's id in the query is refused and changes nothing.
    response = client.get(OVERVIEW, {"agent": world.supervisor.user.pk})
    assert key(response, Indicator.RESOLUTION_RATE).n == 2


def test_empty_organisation_invites_to_set_objectives(admin_client: Client) -> None:
    response = admin_client.get(OVERVIEW)
    assert response.status_code == 200
    assert response.context["cards"] == [] and not response.context["has_objectives"]
    content = response.content.decode()
    assert "No objectives yet" in content and reverse("cycle:objective_list") in content
    # Every key indicator says "no data", never 0.
    assert all(card.value.value is None and card.value_text == "—" for card in response.context["key_cards"])


def test_objectives_without_data_say_so(admin_client: Client, org: Any) -> None:
    Objective.objects.create(
        organization=org, title="Happy", indicator=Indicator.CSAT, target=Decimal("85"), period=Period.MONTH
    )
    response = admin_client.get(OVERVIEW)
    card = cards(response)["Happy"]
    assert card.status == "no_data" and card.value_text == "—"
    assert "No data" in response.content.decode()


def test_the_overview_is_in_the_navigation_of_those_who_read_insight(
    admin_client: Client, member_client: Any, world: SimpleNamespace
) -> None:
    assert OVERVIEW in admin_client.get(reverse("core:home")).content.decode()
    assert OVERVIEW in member_client(world.agent).get(reverse("core:home")).content.decode()


def test_csv_export_of_the_indicators(admin_client: Client, world: SimpleNamespace) -> None:
    response = admin_client.get(OVERVIEW, {"branch": world.north.pk, "export": "csv", "table": "indicators"})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="overview-indicators-2026-03-01_2026-03-20.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Indicator", "Value", "Unit", "Based on", "Previous period"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Resolution rate"][1:4] == ["66.67", "percent", "3"]
    assert by_name["CSAT %"][1] == ""  # no data stays empty


def test_xlsx_export_of_the_objectives(admin_client: Client, world: SimpleNamespace) -> None:
    response = admin_client.get(OVERVIEW, {"export": "xlsx", "table": "objectives"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('overview-objectives-2026-03-01_2026-03-20.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Objective", "Indicator", "Scope", "Value"]
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["Solve what they ask"][3] == 40.0
    assert by_title["Solve what they ask"][7] == 5  # based on 5 interactions, a number
    assert by_title["Solve what they ask"][8] == 100.0  # February: one resolved of one closed
    assert by_title["South solves"][2] == "South"


def test_anonymous_visitors_log_in_first(client: Client) -> None:
    response = client.get(OVERVIEW)
    assert response.status_code == 302


def test_survey_numbers_link_to_the_responses_behind_them(
    admin_client: Client, world: SimpleNamespace
) -> None:
    response = admin_client.get(OVERVIEW, {"branch": world.north.pk})
    url = key(response, Indicator.CSAT).url
    assert url.startswith(reverse("insight:responses") + "?")
    assert "kind=csat" in url and f"branch={world.north.pk}" in url and "start=2026-03-01" in url
    assert admin_client.get(url).status_code == 200


def test_overdue_improvement_actions_surface_on_the_overview(
    admin_client: Client, world: SimpleNamespace
) -> None:
    from momentos.improvement.tests.factories import make_action

    make_action(world.org, title="Greet every customer", due_date=date(2020, 1, 31))
    make_action(world.org, title="Not due yet", due_date=date(2099, 1, 31))
    content = admin_client.get(OVERVIEW).content.decode()
    assert "Greet every customer" in content and "Not due yet" not in content


def test_no_overdue_card_when_nothing_is_overdue(admin_client: Client, world: SimpleNamespace) -> None:
    assert "Overdue actions" not in admin_client.get(OVERVIEW).content.decode()


def test_choosing_another_period_in_the_bar_wins_over_the_dates_it_showed(
    admin_client: Client, world: SimpleNamespace
) -> None:
    # The bar showed this month (1–20 March); the member picks "Year" and applies without touching the dates.
    response = admin_client.get(
        OVERVIEW, {"shown": "month", "period": "year", "start": "2026-03-01", "end": "2026-03-20"}
    )
    form = response.context["form"]
    assert (form.period_value, form.start_value, form.end_value) == ("year", date(2026, 1, 1), TODAY)
    assert key(response, Indicator.RESOLUTION_RATE).n == 6
    # With the period unchanged, edited dates are a custom range.
    response = admin_client.get(
        OVERVIEW, {"shown": "month", "period": "month", "start": "2026-02-01", "end": "2026-02-28"}
    )
    form = response.context["form"]
    assert (form.period_value, form.start_value, form.end_value) == (
        "custom",
        date(2026, 2, 1),
        date(2026, 2, 28),
    )


def overview_queries(client: Client) -> list[str]:
    """The SQL of one overview request, after a first one has brought the rollups up to date."""
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(OVERVIEW).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_objectives_sharing_a_scope_share_their_queries(admin_client: Client, world: SimpleNamespace) -> None:
    before = overview_queries(admin_client)
    # Three more for the whole organisation and two more for South, all read from the interaction rollups.
    for title, indicator, comparison, target, branch in (
        ("Solve it first time", Indicator.FIRST_CONTACT_RESOLUTION, Comparison.GTE, "70", None),
        ("Quick attention", Indicator.ATTENTION_TIME, Comparison.LTE, "15", None),
        ("Solve even more", Indicator.RESOLUTION_RATE, Comparison.GTE, "90", None),
        ("South is quick", Indicator.ATTENTION_TIME, Comparison.LTE, "12", world.south),
        ("South first time", Indicator.FIRST_CONTACT_RESOLUTION, Comparison.GTE, "60", world.south),
    ):
        Objective.objects.create(
            organization=world.org,
            title=title,
            indicator=indicator,
            comparison=comparison,
            target=Decimal(target),
            period=Period.MONTH,
            branch=branch,
        )
    after = overview_queries(admin_client)
    response = admin_client.get(OVERVIEW)
    shown = cards(response)
    assert len(shown) == 7
    assert shown["Quick attention"].value.value == Decimal(600)  # every attention took 10 minutes
    assert shown["South first time"].n == 0  # South resolved nothing
    assert len(after) == len(before)
    # One look for stale rollups per request, and no raw rows (no median or p90 on this page).
    assert sum("insight_rollupdirty" in sql for sql in after) == 1
    assert not any("attention_interaction" in sql for sql in after)


def test_queries_do_not_grow_with_rows(admin_client: Client, world: SimpleNamespace) -> None:
    before = overview_queries(admin_client)
    for day in range(3, 18):
        closed(world.org, world.north, Outcome.RESOLVED, day=day)
    # The first request after the writes refreshes the rollups it reads.
    assert key(admin_client.get(OVERVIEW), Indicator.RESOLUTION_RATE).n == 5 + 15
    after = overview_queries(admin_client)
    assert len(after) == len(before)

"""The service cycle map and a moment's detail: live scores per moment, the weakest called out, drill-down."""

from __future__ import annotations

import io
from datetime import date, datetime
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
from momentos.attention.choices import Outcome, StandardStatus
from momentos.attention.models import MomentReached, StandardResult
from momentos.attention.tests.factories import channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import StandardMetric
from momentos.cycle.models import ServiceStandard
from momentos.insight.tests.factories import make_answers, make_scored_version
from momentos.surveys.choices import QuestionKind
from momentos.surveys.models import Answer

pytestmark = pytest.mark.django_db

MAP = reverse("insight:cycle_map")
TODAY = date(2026, 3, 20)
BOGOTA = ZoneInfo("America/Bogota")


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("momentos.insight.forms.organization_today", lambda organization: TODAY)


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def detail(moment: Any) -> str:
    return reverse("insight:moment_detail", kwargs={"pk": moment.pk})


@pytest.fixture
def world(org: Any, make_member_of: Any) -> SimpleNamespace:
    north = make_branch(org, name="North", time_zone="America/Bogota")
    south = make_branch(org, name="South", time_zone="America/Bogota")
    phone = channel_of(org, ChannelKind.PHONE)
    welcome, solve, goodbye = make_cycle_for(phone, "Welcome", "Solve", "Goodbye")
    greets = ServiceStandard.objects.create(
        organization=org,
        moment=welcome,
        name="Answers in 3 rings",
        metric=StandardMetric.WAIT_TIME,
        threshold=1,
    )
    fixes = ServiceStandard.objects.create(
        organization=org,
        moment=solve,
        name="Solved in 10 minutes",
        metric=StandardMetric.MOMENT_DURATION,
        threshold=10,
    )
    # North: Welcome met once and missed once (50 %); Solve met twice (100 %). South: Welcome met (100 %).
    verdicts = [
        (north, StandardStatus.MET, StandardStatus.MET),
        (north, StandardStatus.MISSED, StandardStatus.MET),
        (south, StandardStatus.MET, None),
    ]
    for branch, welcome_status, solve_status in verdicts:
        interaction = make_interaction(
            org,
            branch=branch,
            channel=phone,
            started_at=bog(2026, 3, 2, 9),
            closed_at=bog(2026, 3, 2, 9, 20),
            outcome=Outcome.RESOLVED,
        )
        for moment, standard, status in ((welcome, greets, welcome_status), (solve, fixes, solve_status)):
            if status is None:
                continue
            MomentReached.objects.create(
                organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
            )
            StandardResult.objects.create(
                organization=org, interaction=interaction, standard=standard, status=status, unit="minutes"
            )
    version = make_scored_version(org, moments=(welcome,))
    response = make_answers(version, submitted_at=bog(2026, 3, 3, 10), branch=north, ratings={welcome: 2})
    Answer.objects.filter(response=response, kind=QuestionKind.MOMENT_RATING).update(
        followup_text="Nobody greeted me"
    )
    return SimpleNamespace(
        org=org,
        north=north,
        south=south,
        phone=phone,
        welcome=welcome,
        solve=solve,
        goodbye=goodbye,
        supervisor=make_member_of(Role.SUPERVISOR, branches=[south]),
        agent=make_member_of(Role.AGENT, branches=[north]),
    )


def by_name(response: Any) -> dict[str, Any]:
    return {item.moment.name: item for item in response.context["moments"]}


def test_the_map_draws_the_moments_in_order_and_calls_out_the_weakest(
    admin_client: Client, world: SimpleNamespace
) -> None:
    response = admin_client.get(MAP)
    assert response.status_code == 200
    assert [item.moment.name for item in response.context["moments"]] == ["Welcome", "Solve", "Goodbye"]
    moments = by_name(response)
    # Welcome: standards 2 of 3 met, checklist none, rating 0 % of 4–5 -> the weakest.
    assert moments["Welcome"].worst and response.context["worst"].moment == world.welcome
    # A walk-in customer's rating (a response with no channel) still counts for its moment.
    assert moments["Welcome"].rating == 2 and moments["Welcome"].rating_text == "2.0 / 5"
    assert moments["Solve"].standard.value == 100 and moments["Solve"].band == "good"
    assert moments["Goodbye"].score is None and moments["Goodbye"].band == "none"
    content = response.content.decode()
    # The number is always shown beside the colour, and the legend explains the colours.
    assert moments["Welcome"].score_text in content and "Weakest" in content and "No data" in content
    assert detail(world.welcome) in content


def test_filtering_the_map_by_branch(admin_client: Client, world: SimpleNamespace) -> None:
    response = admin_client.get(MAP, {"branch": world.south.pk})
    moments = by_name(response)
    assert moments["Welcome"].standard.value == 100
    assert moments["Solve"].score is None


def test_a_supervisor_sees_the_map_of_their_branch(member_client: Any, world: SimpleNamespace) -> None:
    response = member_client(world.supervisor).get(MAP)
    assert response.status_code == 200
    assert by_name(response)["Welcome"].standard.value == 100
    assert by_name(response)["Welcome"].standard.denominator == 1


def test_the_channel_switcher_and_an_unknown_cycle(admin_client: Client, world: SimpleNamespace) -> None:
    (email_welcome,) = make_cycle_for(channel_of(world.org, ChannelKind.EMAIL), "Reply")
    response = admin_client.get(MAP, {"cycle": email_welcome.cycle_id})
    assert response.context["cycle"] == email_welcome.cycle
    assert [item.moment.name for item in response.context["moments"]] == ["Reply"]
    assert response.context["worst"] is None
    response = admin_client.get(MAP, {"cycle": "00000000-0000-0000-0000-000000000001"})
    assert response.status_code == 200 and response.context["cycle_error"]


def test_an_organisation_without_cycles_is_invited_to_draw_one(admin_client: Client) -> None:
    response = admin_client.get(MAP)
    assert response.status_code == 200 and response.context["cycle"] is None
    assert "No service cycle yet" in response.content.decode()


def test_the_map_exports_its_table(admin_client: Client, world: SimpleNamespace) -> None:
    response = admin_client.get(MAP, {"export": "xlsx"})
    assert response.status_code == 200
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0][:2] == ["Order", "Moment of truth"]
    assert [row[1] for row in rows[1:]] == ["Welcome", "Solve", "Goodbye"]
    assert rows[2][4] == 100.0 and rows[3][2] is None


def test_a_moment_shows_its_standards_comments_and_interactions(
    admin_client: Client, world: SimpleNamespace
) -> None:
    response = admin_client.get(detail(world.welcome), {"branch": world.north.pk})
    assert response.status_code == 200
    table = response.context["table"]
    assert table.rows == [
        {
            "standard": "Answers in 3 rings",
            "threshold": table.rows[0]["threshold"],
            "met": 1,
            "missed": 1,
            "compliance": 50,
        }
    ]
    link = table.links[0]["met"]
    assert f"moment={world.welcome.pk}" in link and f"branch={world.north.pk}" in link
    listed = admin_client.get(link).context["page"].object_list
    assert len(listed) == 2
    assert [a.followup_text for a in response.context["comments"]] == ["Nobody greeted me"]
    assert "Nobody greeted me" in response.content.decode()
    # Each number of the moment opens what is behind it: ratings -> responses, compliance -> interactions.
    assert response.context["rating_n"] == 1 and "kind=moment_rating" in response.context["rating_url"]
    assert admin_client.get(response.context["rating_url"]).status_code == 200
    assert (
        response.context["standard_n"] == 2
        and f"moment={world.welcome.pk}" in response.context["interactions_url"]
    )
    comments_url = response.context["comments_url"]
    assert f"moment={world.welcome.pk}" in comments_url and f"branch={world.north.pk}" in comments_url
    assert admin_client.get(comments_url).status_code == 200


def test_a_moment_detail_exports_its_standards(admin_client: Client, world: SimpleNamespace) -> None:
    response = admin_client.get(detail(world.welcome), {"export": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Standard,Threshold,Met,Missed,Compliance"
    assert lines[1].startswith("Answers in 3 rings,") and lines[1].endswith(",2,1,66.67")


def test_comments_follow_the_scope(member_client: Any, world: SimpleNamespace) -> None:
    # The comment was left in North: a South supervisor does not read it, nor does an agent about others.
    assert member_client(world.supervisor).get(detail(world.welcome)).context["comments"] == []
    assert member_client(world.agent).get(detail(world.welcome)).context["comments"] == []


def test_a_moment_of_another_organisation_does_not_exist(
    admin_client: Client, world: SimpleNamespace, other_org: Any
) -> None:
    (foreign,) = make_cycle_for(channel_of(other_org, ChannelKind.PHONE), "Theirs")
    assert admin_client.get(detail(foreign)).status_code == 404


def test_by_default_the_map_shows_the_cycle_with_the_weakest_moment(
    admin_client: Client, world: SimpleNamespace
) -> None:
    email = channel_of(world.org, ChannelKind.EMAIL)
    (reply,) = make_cycle_for(email, "Reply")
    standard = ServiceStandard.objects.create(
        organization=world.org,
        moment=reply,
        name="Replies within a day",
        metric=StandardMetric.WAIT_TIME,
        threshold=1,
    )
    interaction = make_interaction(
        world.org,
        branch=world.south,
        channel=email,
        started_at=bog(2026, 3, 4, 9),
        closed_at=bog(2026, 3, 5, 9),
        outcome=Outcome.RESOLVED,
    )
    MomentReached.objects.create(
        organization=world.org, interaction=interaction, moment=reply, reached_at=interaction.started_at
    )
    StandardResult.objects.create(
        organization=world.org,
        interaction=interaction,
        standard=standard,
        status=StandardStatus.MISSED,
        unit="days",
    )
    response = admin_client.get(MAP)
    assert response.context["cycle"] == reply.cycle and response.context["worst"].moment == reply
    # The phone cycle is still one click away, and asked for by its id it stays chosen.
    assert admin_client.get(MAP, {"cycle": world.welcome.cycle_id}).context["cycle"] == world.welcome.cycle


@pytest.mark.parametrize("page", ["map", "moment"])
def test_stale_rollups_are_looked_for_once_per_request(
    admin_client: Client, world: SimpleNamespace, page: str
) -> None:
    url = MAP if page == "map" else detail(world.welcome)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert sum("insight_rollupdirty" in query["sql"] for query in captured.captured_queries) == 1

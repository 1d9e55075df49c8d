"""The analysis pages against a hand-computed week, for each role, with data and empty, and their exports.

The week of Monday 2 March 2026, every branch in Bogotá (minimum sample: 1 answer):

| response | branch | agent | day | CSAT | NPS | Welcome rating | comment |
| r1 | Centro | ana | Mon 2 | 5 | 10 (promoter) | 5 | "La atención fue excelente" |
| r2 | Centro | ana | Tue 3 | 2 | 3 (detractor) | 2 | "Esperé demasiado en la fila" (about Welcome) |
| r3 | Norte | ben | Wed 4 | 4 | 9 (promoter) | — | "Muy rápido" |
| r4 | Centro | — | Wed 4, sent by staff | 1 | 0 | — | "Atencion de prueba" (never counted) |
| r0 | Centro | — | Tue 24 Feb (previous week) | 3 | — | — | — |

CSAT: 2 of 3 = 66.7 % (Centro 1 of 2 = 50.0 %, Norte 100.0 %); previous week 0 of 1 = 0.0 %.
NPS: 2 promoters, 1 detractor of 3 = 33.3. Objective: CSAT ≥ 80 for the organisation.
Welcome: ratings 5 and 2 → 50 % score 4–5 → combined score 50; "Quick service" (importance 5) is
served by Welcome → performance 50 < 75 → "Concentrate here".
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import make_branch, make_member, make_organization
from momentos.attention.choices import Outcome
from momentos.attention.tests.factories import channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import Comparison, Indicator, Period
from momentos.cycle.models import Expectation, MomentExpectation, Objective, Segment
from momentos.insight.analysis import accent_insensitive_pattern
from momentos.insight.tests.factories import make_answers, make_scored_version
from momentos.surveys.choices import QuestionKind
from momentos.surveys.models import Answer, Question, Response

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")
WEEK = "period=custom&start=2026-03-02&end=2026-03-08"


def bog(*args: int) -> datetime:
    return datetime(*args, tzinfo=BOGOTA)


def comment(response: Response, text: str) -> Answer:
    question, _created = Question.objects.get_or_create(
        organization_id=response.organization_id,
        version=response.version,
        kind=QuestionKind.FREE_TEXT,
        defaults={"position": 99, "text_es": "Comentarios", "text_en": "Comments", "required": False},
    )
    return Answer.objects.create(
        organization_id=response.organization_id,
        response=response,
        question=question,
        kind=question.kind,
        text=text,
    )


def login(membership: Any) -> Client:
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session["momentos_organization"] = str(membership.organization_id)
    session.save()
    return client


@pytest.fixture
def world() -> SimpleNamespace:
    org = make_organization(name="Acme")
    org.min_sample_size = 1
    org.save()
    centro = make_branch(org, name="Centro", time_zone="America/Bogota")
    norte = make_branch(org, name="Norte", time_zone="America/Bogota")
    phone = channel_of(org, ChannelKind.PHONE)
    welcome, solve = make_cycle_for(phone, "Welcome", "Solve")
    admin = make_member(org, role=Role.ADMIN)
    supervisor = make_member(org, role=Role.SUPERVISOR, branches=[centro])
    ana = make_member(org, role=Role.AGENT, branches=[centro])
    ben = make_member(org, role=Role.AGENT, branches=[norte])
    i1 = make_interaction(
        org,
        branch=centro,
        agent=ana.user,
        started_at=bog(2026, 3, 2, 9),
        closed_at=bog(2026, 3, 2, 9, 10),
        outcome=Outcome.RESOLVED,
        contacts=1,
    )
    i2 = make_interaction(
        org,
        branch=centro,
        agent=ana.user,
        started_at=bog(2026, 3, 3, 9),
        closed_at=bog(2026, 3, 3, 9, 30),
        outcome=Outcome.UNRESOLVED,
    )
    i3 = make_interaction(
        org,
        branch=norte,
        agent=ben.user,
        started_at=bog(2026, 3, 4, 9),
        closed_at=bog(2026, 3, 4, 9, 5),
        outcome=Outcome.RESOLVED,
        contacts=1,
    )
    version = make_scored_version(org, moments=(welcome,))
    r1 = make_answers(
        version, interaction=i1, submitted_at=bog(2026, 3, 2, 10), csat=5, nps=10, ratings={welcome: 5}
    )
    r2 = make_answers(
        version,
        interaction=i2,
        moment=welcome,
        submitted_at=bog(2026, 3, 3, 10),
        csat=2,
        nps=3,
        ratings={welcome: 2},
    )
    r3 = make_answers(version, interaction=i3, submitted_at=bog(2026, 3, 4, 10), csat=4, nps=9)
    r4 = make_answers(
        version, branch=centro, submitted_at=bog(2026, 3, 4, 11), csat=1, nps=0, flagged_staff=True
    )
    make_answers(version, branch=centro, submitted_at=bog(2026, 2, 24, 10), csat=3)
    comment(r1, "La atención fue excelente")
    comment(r2, "Esperé demasiado en la fila")
    comment(r3, "Muy rápido")
    comment(r4, "Atencion de prueba")
    Objective.objects.create(
        organization=org,
        title="Satisfied customers",
        indicator=Indicator.CSAT,
        comparison=Comparison.GTE,
        target=Decimal(80),
        period=Period.MONTH,
    )
    segment = Segment.objects.create(organization=org, name="Pymes")
    quick = Expectation.objects.create(
        organization=org, segment=segment, description="Quick service", importance=5
    )
    Expectation.objects.create(organization=org, segment=segment, description="Parking", importance=2)
    MomentExpectation.objects.create(organization=org, moment=welcome, expectation=quick)
    return SimpleNamespace(**locals())


def get(client: Client, name: str, query: str = WEEK, **kwargs: Any) -> Any:
    return client.get(reverse(name, kwargs=kwargs or None) + "?" + query)


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode(
        "utf-8-sig"
    )
    return list(csv.reader(io.StringIO(text)))


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    "name", ["trends", "league", "teams", "agents", "importance", "verbatims", "responses"]
)
def test_pages_need_a_login(name: str, world: SimpleNamespace) -> None:
    response = Client().get(reverse(f"insight:{name}"))

    assert response.status_code == 302
    assert "login" in response["Location"]


# ---------------------------------------------------------------- trends


def test_trends_show_the_total_the_previous_period_the_target_and_its_status(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:trends", WEEK + "&indicator=csat&bucket=day")

    assert response.status_code == 200
    block = response.context["blocks"][0]
    assert block["total"].value == Decimal("66.67") and block["total"].denominator == 3
    assert block["previous_text"] == "0.0 %"
    assert block["change_text"] == "+66.7 pts"
    assert block["status"] == "off_target"
    body = response.content.decode()
    assert "66.7 %" in body and "Off target" in body
    assert 'class="chart chart-line-chart"' in body
    # The day with no answers is a gap, and the description says so.
    assert "no data" in body


def test_trends_table_exports_one_row_per_day_with_the_values(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:trends", WEEK + "&indicator=csat&bucket=day&export=csv")

    rows = csv_rows(response)
    assert rows[0] == ["Period starting", "CSAT %", "Based on", "Previous period", "Change"]
    assert len(rows) == 1 + 7
    assert rows[1][:3] == ["2026-03-02", "100.0", "1"]
    assert rows[2][:3] == ["2026-03-03", "0.0", "1"]
    assert rows[3][:3] == ["2026-03-04", "100.0", "1"]
    assert rows[4][1] == ""  # Thursday: no data, not zero
    assert rows[2][3] == "0.0"  # the previous week's Tuesday (24 Feb): CSAT 3, not satisfied


def test_trends_with_no_data_say_so(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:trends", "period=custom&start=2025-01-01&end=2025-01-31")

    assert response.status_code == 200
    assert "No data for this selection" in response.content.decode()
    assert response.context["blocks"][0]["total"].value is None


def test_trends_refuse_an_unknown_indicator_with_a_message(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:trends", WEEK + "&indicator=nonsense&bucket=fortnight")

    assert response.status_code == 200
    assert "Unknown indicator" in response.content.decode()
    assert "Unknown grouping" in response.content.decode()
    assert response.context["blocks"][0]["indicator"] == Indicator.CSAT


# ---------------------------------------------------------------- league tables


def test_league_ranks_branches_and_sorts_by_query(world: SimpleNamespace) -> None:
    client = login(world.admin)

    ranked = get(client, "insight:league")
    ascending = get(client, "insight:league", WEEK + "&sort=csat&dir=asc")

    assert [r.name for r in ranked.context["rows"]] == ["Norte", "Centro"]
    centro = ranked.context["rows"][1]
    assert centro.cells[Indicator.CSAT].value == Decimal("50.0")
    assert centro.cells[Indicator.CSAT].status == "off_target"
    assert ranked.context["rows"][0].cells[Indicator.CSAT].status == "on_target"
    assert centro.cells[Indicator.RESOLUTION_RATE].value == Decimal("50.0")
    assert [r.name for r in ascending.context["rows"]] == ["Centro", "Norte"]
    assert [r.rank for r in ascending.context["rows"]] == [2, 1]


def test_league_refuses_an_unknown_sort_column(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:league", WEEK + "&sort=drop_table")

    assert response.status_code == 200
    assert "Unknown sort column" in response.content.decode()


def test_supervisor_sees_only_their_branches_and_a_foreign_branch_is_a_form_error(
    world: SimpleNamespace,
) -> None:
    client = login(world.supervisor)
    other = make_branch(make_organization(name="Rival"), name="Rival branch")

    own = get(client, "insight:league")
    asking_norte = get(client, "insight:league", WEEK + f"&branch={world.norte.pk}")
    asking_foreign = get(client, "insight:league", WEEK + f"&branch={other.pk}")

    assert [r.name for r in own.context["rows"]] == ["Centro"]
    for response in (asking_norte, asking_foreign):
        assert response.status_code == 200
        assert response.context["form"].errors["branch"]
        assert [r.name for r in response.context["rows"]] == ["Centro"]
        assert "Norte" not in response.content.decode().split("<main")[1].split("filter-bar")[0]


def test_league_exports_xlsx_with_typed_cells(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:league", WEEK + "&export=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Rank", "Name", "CSAT %", "CSAT %: based on"]
    assert [c.value for c in sheet[2]][:5] == [1, "Norte", 100.0, 1, "On target"]
    assert [c.value for c in sheet[3]][:5] == [2, "Centro", 50.0, 2, "Off target"]


def test_teams_page_renders_empty_when_there_are_no_teams(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:teams")

    assert response.status_code == 200
    assert "No team in this selection." in response.content.decode()


# ---------------------------------------------------------------- agents


def test_agents_list_each_persons_results(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:agents")

    rows = {r.name: r for r in response.context["rows"]}
    assert rows[world.ana.user.full_name].cells[Indicator.CSAT].value == Decimal("50.0")
    assert rows[world.ben.user.full_name].cells[Indicator.CSAT].value == Decimal("100.0")
    assert reverse("insight:agent_detail", args=[world.ana.pk]) in response.content.decode()


def test_an_agent_is_sent_to_their_own_page_and_sees_only_their_results(world: SimpleNamespace) -> None:
    client = login(world.ana)

    listing = get(client, "insight:agents")
    own = get(client, "insight:agent_detail", pk=world.ana.pk)

    assert listing.status_code == 302
    assert listing["Location"] == reverse("insight:agent_detail", kwargs={"pk": world.ana.pk})
    assert own.status_code == 200
    csat = next(i for i in own.context["items"] if i["label"] == "CSAT %")
    assert csat["value"] == "50.0 %" and csat["n"] == 2
    assert [a.text for a in own.context["comments"]] == [
        "Esperé demasiado en la fila",
        "La atención fue excelente",
    ]


def test_an_agent_asking_for_another_agents_page_gets_404(world: SimpleNamespace) -> None:
    response = get(login(world.ana), "insight:agent_detail", pk=world.ben.pk)

    assert response.status_code == 404


def test_a_supervisor_cannot_open_an_agent_outside_their_branches(world: SimpleNamespace) -> None:
    client = login(world.supervisor)

    assert get(client, "insight:agent_detail", pk=world.ana.pk).status_code == 200
    assert get(client, "insight:agent_detail", pk=world.ben.pk).status_code == 404


def test_an_agents_figures_ignore_a_request_for_someone_elses(world: SimpleNamespace) -> None:
    client = login(world.ana)

    comments = get(client, "insight:verbatims", WEEK + f"&agent={world.ben.user.pk}")
    trends = get(client, "insight:trends", WEEK + f"&agent={world.ben.user.pk}&indicator=csat")

    texts = [item["answer"].text for item in comments.context["items"]]
    assert texts == ["Esperé demasiado en la fila", "La atención fue excelente"]
    assert trends.context["blocks"][0]["total"].value == Decimal("50.0")


# ---------------------------------------------------------------- importance vs performance


def test_importance_places_each_expectation_in_its_quadrant(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:importance")

    items = {i["row"].expectation.description: i for i in response.context["items"]}
    assert items["Quick service"]["row"].performance == Decimal("50.0")
    assert items["Quick service"]["row"].quadrant == "concentrate"
    assert items["Parking"]["row"].performance is None
    assert items["Parking"]["row"].quadrant == "no_data"
    body = response.content.decode()
    assert "Concentrate here" in body and 'class="chart chart-scatter"' in body


def test_importance_exports_its_table(world: SimpleNamespace) -> None:
    rows = csv_rows(get(login(world.admin), "insight:importance", WEEK + "&export=csv"))

    assert rows[1] == ["1", "Quick service", "Pymes", "5", "Welcome", "50.0", "Concentrate here"]
    assert rows[2] == ["2", "Parking", "Pymes", "2", "", "", "No data"]


def test_importance_without_expectations_explains_step_2(world: SimpleNamespace) -> None:
    Expectation.objects.for_organization(world.org).delete()

    response = get(login(world.admin), "insight:importance")

    assert response.status_code == 200
    assert "No expectations yet" in response.content.decode()


# ---------------------------------------------------------------- comments


def test_comments_leave_out_staff_responses_and_link_to_the_interaction(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:verbatims")

    texts = [item["answer"].text for item in response.context["items"]]
    assert texts == ["Muy rápido", "Esperé demasiado en la fila", "La atención fue excelente"]
    assert response.context["items"][0]["url"] == reverse("attention:interaction_detail", args=[world.i3.pk])
    assert response.context["items"][1]["moment"] == world.welcome


@pytest.mark.parametrize(
    ("query", "expected"),
    [("atencion", 1), ("ATENCIÓN excelente", 1), ("FILA", 1), ("rapido", 1), ("nada", 0)],
)
def test_comment_search_ignores_accents_and_case(world: SimpleNamespace, query: str, expected: int) -> None:
    response = get(login(world.admin), "insight:verbatims", WEEK + f"&q={query}")

    assert response.context["page"].paginator.count == expected


def test_comments_by_moment_and_export(world: SimpleNamespace) -> None:
    client = login(world.admin)

    welcome = get(client, "insight:verbatims", WEEK + f"&moment={world.welcome.pk}")
    rows = csv_rows(get(client, "insight:verbatims", WEEK + "&export=csv"))

    assert [i["answer"].text for i in welcome.context["items"]] == ["Esperé demasiado en la fila"]
    assert rows[0] == [
        "Submitted",
        "Branch",
        "Moment of truth",
        "Question",
        "Score",
        "Comment",
        "Answer to the follow-up",
    ]
    assert [r[5] for r in rows[1:]] == [
        "Muy rápido",
        "Esperé demasiado en la fila",
        "La atención fue excelente",
    ]
    assert rows[2][2] == "Welcome"


def test_comments_empty_state(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:verbatims", "period=custom&start=2025-01-01&end=2025-01-31")

    assert response.status_code == 200
    assert "No comments" in response.content.decode()


def test_accent_insensitive_pattern() -> None:
    import re

    pattern = accent_insensitive_pattern("Atención")
    assert re.search(pattern, "la ATENCION fue") and re.search(pattern, "atención")
    assert not re.search(pattern, "atenci0n")
    assert accent_insensitive_pattern("a.b") == "[aáàâäãåAÁÀÂÄÃÅ]\\.[bB]"


# ---------------------------------------------------------------- responses


def test_responses_behind_the_detractors(world: SimpleNamespace) -> None:
    client = login(world.admin)

    detractors = get(client, "insight:responses", WEEK + "&kind=nps&group=detractor")
    every = get(client, "insight:responses")

    assert [i["response"].pk for i in detractors.context["items"]] == [world.r2.pk]
    assert "detractors" in detractors.content.decode()
    assert every.context["total"] == 3  # the staff response is left out
    assert detractors.context["items"][0]["url"] == reverse(
        "attention:interaction_detail", args=[world.i2.pk]
    )


def test_responses_refuse_an_unknown_kind_with_a_message(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:responses", WEEK + "&kind=bogus&group=detractor")

    assert response.status_code == 200
    assert "Unknown question kind" in response.content.decode()
    assert response.context["total"] == 3


def test_responses_export_and_supervisor_scope(world: SimpleNamespace) -> None:
    rows = csv_rows(get(login(world.supervisor), "insight:responses", WEEK + "&export=csv"))

    assert rows[0][:6] == ["Submitted", "Branch", "Channel", "Moment of truth", "Agent", "CSAT"]
    assert [(r[1], r[5], r[6]) for r in rows[1:]] == [("Centro", "2", "3"), ("Centro", "5", "10")]


def test_export_of_an_unknown_format_is_a_400(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:responses", WEEK + "&export=pdf")

    assert response.status_code == 400


def test_league_and_responses_with_no_data_in_the_period(world: SimpleNamespace) -> None:
    client = login(world.admin)
    empty = "period=custom&start=2025-01-01&end=2025-01-31"

    league = get(client, "insight:league", empty)
    responses = get(client, "insight:responses", empty)

    assert [r.name for r in league.context["rows"]] == ["Centro", "Norte"]
    assert all(cell.value is None for r in league.context["rows"] for cell in r.cells.values())
    assert "No data for this selection" in league.content.decode()
    assert responses.status_code == 200
    assert "No responses" in responses.content.decode()


def test_agent_page_shows_the_target_and_drills_down(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:agent_detail", pk=world.ana.pk)

    csat = next(i for i in response.context["items"] if i["label"] == "CSAT %")
    assert csat["target"] == "≥ 80.0 %"
    assert csat["status"] == "off_target"
    assert csat["url"].startswith(reverse("insight:responses") + "?")
    assert f"agent={world.ana.user.pk}" in csat["url"]


def _queries(client: Client, name: str, query: str = WEEK) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert get(client, name, query).status_code == 200
    return len(captured.captured_queries)


def test_lists_read_a_constant_number_of_queries(world: SimpleNamespace) -> None:
    client = login(world.admin)
    before = {
        name: _queries(client, name) for name in ("insight:league", "insight:verbatims", "insight:responses")
    }
    for n in range(3):
        branch = make_branch(world.org, name=f"Extra {n}", time_zone="America/Bogota")
        interaction = make_interaction(
            world.org,
            branch=branch,
            agent=world.ben.user,
            started_at=bog(2026, 3, 5, 9),
            closed_at=bog(2026, 3, 5, 9, 9),
        )
        extra = make_answers(
            world.version, interaction=interaction, submitted_at=bog(2026, 3, 5, 10), csat=3, nps=8
        )
        comment(extra, f"Comentario {n}")

    after = {name: _queries(client, name) for name in before}

    assert after == before


def test_a_comment_without_interaction_links_to_its_response(world: SimpleNamespace) -> None:
    walk_in = make_answers(world.version, branch=world.norte, submitted_at=bog(2026, 3, 6, 12), csat=5)
    comment(walk_in, "Me atendieron en la puerta")
    client = login(world.admin)

    comments = get(client, "insight:verbatims", WEEK + "&q=puerta")
    url = comments.context["items"][0]["url"]
    response = client.get(url)
    malformed = get(client, "insight:responses", WEEK + "&response=not-an-id")

    assert url.startswith(reverse("insight:responses") + "?")
    assert [i["response"].pk for i in response.context["items"]] == [walk_in.pk]
    assert malformed.status_code == 200
    assert "Unknown response." in malformed.content.decode()


def test_attention_time_trend_shows_its_mean_median_and_p90(world: SimpleNamespace) -> None:
    # Closed attentions of the week: 10, 30 and 5 minutes.
    response = get(login(world.admin), "insight:trends", WEEK + "&indicator=attention_time")

    block = response.context["blocks"][0]
    assert block["total_text"] == "15 min 00 s"
    assert block["spread"] == "median 10 min 00 s · p90 30 min 00 s"
    assert "This period (mean)" in response.content.decode()


def test_a_survey_number_drills_down_to_the_responses_that_make_it(world: SimpleNamespace) -> None:
    client = login(world.admin)
    trends = get(client, "insight:trends", WEEK + "&indicator=nps")
    block = trends.context["blocks"][0]

    behind = client.get(block["total_url"])

    assert "kind=nps" in block["total_url"]
    assert behind.context["total"] == block["total"].denominator == 3


def test_the_filter_bar_keeps_every_chosen_indicator(world: SimpleNamespace) -> None:
    response = get(login(world.admin), "insight:trends", WEEK + "&indicator=csat&indicator=nps&bucket=week")

    bar = response.content.decode().split('class="filter-bar"')[1].split("</form>")[0]
    assert '<input type="hidden" name="indicator" value="csat">' in bar
    assert '<input type="hidden" name="indicator" value="nps">' in bar
    assert '<input type="hidden" name="bucket" value="week">' in bar
    assert [b["indicator"] for b in response.context["blocks"]] == ["csat", "nps"]

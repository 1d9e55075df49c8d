"""Insight analysis pages in Chromium: accessible, sortable, exportable, and an agent's own page on a phone."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

BOGOTA = ZoneInfo("America/Bogota")
PAGES = ["trends", "league", "agents", "importance", "verbatims", "responses"]


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.fixture
def analysis_data(admin_user: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Centro (CSAT 50 %, one resolved of two) and Norte (CSAT 100 %, all resolved), an agent in each."""
    from momentos.accounts.choices import ChannelKind, Role
    from momentos.accounts.models import Branch
    from momentos.accounts.tests.factories import make_branch, make_member
    from momentos.attention.choices import Outcome
    from momentos.attention.tests.factories import channel_of, make_cycle_for, make_interaction
    from momentos.cycle.choices import Indicator
    from momentos.cycle.models import Expectation, MomentExpectation, Objective, Segment
    from momentos.insight import rollups
    from momentos.insight.tests.factories import make_answers, make_scored_version
    from momentos.surveys.choices import QuestionKind
    from momentos.surveys.models import Answer, Question

    monkeypatch.setattr("momentos.insight.forms.organization_today", lambda organization: date(2026, 3, 20))
    org = admin_user.organization
    org.min_sample_size = 1
    org.save()
    centro = Branch.objects.for_organization(org).get(name="Centro")
    norte = make_branch(org, name="Norte")
    phone = channel_of(org, ChannelKind.PHONE)
    (welcome,) = make_cycle_for(phone, "Welcome")
    ana = make_member(org, role=Role.AGENT, branches=[centro])
    ben = make_member(org, role=Role.AGENT, branches=[norte])
    version = make_scored_version(org, moments=(welcome,))
    free_text = Question.objects.create(
        organization=org, version=version, position=9, kind=QuestionKind.FREE_TEXT, text_es="Comentarios"
    )
    plan = [
        (centro, ana, Outcome.RESOLVED, 5, "La atención fue excelente"),
        (centro, ana, Outcome.UNRESOLVED, 2, "Esperé demasiado"),
        (norte, ben, Outcome.RESOLVED, 4, "Muy rápido"),
    ]
    for day, (branch, agent, outcome, csat, text) in enumerate(plan, start=2):
        started = datetime(2026, 3, day, 10, tzinfo=BOGOTA)
        interaction = make_interaction(
            org,
            branch=branch,
            channel=phone,
            agent=agent.user,
            started_at=started,
            closed_at=started.replace(minute=20),
            outcome=outcome,
            contacts=1,
        )
        response = make_answers(
            version, interaction=interaction, submitted_at=started.replace(hour=11), csat=csat, nps=csat * 2
        )
        Answer.objects.create(
            organization=org, response=response, question=free_text, kind=QuestionKind.FREE_TEXT, text=text
        )
    Objective.objects.create(
        organization=org, title="Satisfied", indicator=Indicator.CSAT, target=Decimal(80)
    )
    segment = Segment.objects.create(organization=org, name="Pymes")
    quick = Expectation.objects.create(
        organization=org, segment=segment, description="Quick service", importance=5
    )
    MomentExpectation.objects.create(organization=org, moment=welcome, expectation=quick)
    # The answers above were bulk-written without the signals that keep the rollups up to date.
    rollups.rebuild(org)
    return {"org": org, "ana": ana, "ben": ben}


def test_analysis_pages_have_no_accessibility_violations(
    admin_page: Any, live_server: Any, analysis_data: dict[str, Any]
) -> None:
    from django.urls import reverse

    for name in PAGES:
        admin_page.goto(live_server.url + reverse(f"insight:{name}"))
        expect(admin_page.locator("h1")).to_be_visible()
        assert axe_violations(admin_page) == [], name


def test_league_sorts_from_its_form_and_exports_what_it_shows(
    admin_page: Any, live_server: Any, analysis_data: dict[str, Any]
) -> None:
    from openpyxl import load_workbook

    admin_page.goto(f"{live_server.url}/insight/")
    admin_page.get_by_role("link", name="Trends and rankings").click()
    admin_page.locator(".subnav").get_by_role("link", name="Branches").click()
    rows = admin_page.locator(".ranking tbody tr")
    expect(rows.first).to_contain_text("Norte")

    admin_page.get_by_label("Sort by").select_option("csat")
    admin_page.get_by_label("Order").select_option("asc")
    admin_page.get_by_role("button", name="Sort", exact=True).click()
    expect(rows.first).to_contain_text("Centro")
    expect(rows.first).to_contain_text("50.0 %")
    expect(rows.first).to_contain_text("Off target")

    with admin_page.expect_download() as download:
        admin_page.locator(".ranking").get_by_role("link", name="XLSX").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert [c.value for c in sheet[2]][:4] == [2, "Centro", 50.0, 2]
    assert [c.value for c in sheet[3]][:4] == [1, "Norte", 100.0, 1]


def test_an_agent_on_a_phone_gets_their_own_results_without_sideways_scrolling(
    phone_page: Any, live_server: Any, analysis_data: dict[str, Any]
) -> None:
    log_in(phone_page, live_server.url, analysis_data["ana"])

    phone_page.goto(f"{live_server.url}/insight/agents/")

    expect(phone_page.locator("h1")).to_have_text("My results")
    expect(phone_page.locator("table")).to_contain_text("50.0 %")
    expect(phone_page.locator(".verbatim-list")).not_to_contain_text("Muy rápido")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    another = phone_page.goto(f"{live_server.url}/insight/agents/{analysis_data['ben'].pk}/")
    assert another is not None and another.status == 404

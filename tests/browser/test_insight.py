"""Insight in Chromium: the overview in Spanish and English, a branch filter, the cycle map's weakest moment, an XLSX export."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BOGOTA = ZoneInfo("America/Bogota")


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.fixture
def insight_data(admin_user: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Two branches, a phone cycle whose 'Welcome' misses its standard in North, an objective."""
    from momentos.accounts.choices import ChannelKind
    from momentos.accounts.models import Branch
    from momentos.accounts.tests.factories import make_branch
    from momentos.attention.choices import Outcome, StandardStatus
    from momentos.attention.models import MomentReached, StandardResult
    from momentos.attention.tests.factories import channel_of, make_cycle_for, make_interaction
    from momentos.cycle.choices import Indicator, StandardMetric
    from momentos.cycle.models import Objective, ServiceStandard

    monkeypatch.setattr("momentos.insight.forms.organization_today", lambda organization: date(2026, 3, 20))
    org = admin_user.organization
    centro = Branch.objects.for_organization(org).get(name="Centro")
    north = make_branch(org, name="Norte")
    phone = channel_of(org, ChannelKind.PHONE)
    welcome, solve = make_cycle_for(phone, "Welcome", "Solve")
    greets = ServiceStandard.objects.create(
        organization=org,
        moment=welcome,
        name="Greets within a minute",
        metric=StandardMetric.WAIT_TIME,
        threshold=1,
    )
    fixes = ServiceStandard.objects.create(
        organization=org,
        moment=solve,
        name="Solves in ten",
        metric=StandardMetric.MOMENT_DURATION,
        threshold=10,
    )
    plan = [(centro, StandardStatus.MET, Outcome.RESOLVED)] * 2 + [
        (north, StandardStatus.MISSED, Outcome.UNRESOLVED),
        (north, StandardStatus.MISSED, Outcome.RESOLVED),
        (north, StandardStatus.MET, Outcome.RESOLVED),
    ]
    for branch, greeting, outcome in plan:
        interaction = make_interaction(
            org,
            branch=branch,
            channel=phone,
            started_at=datetime(2026, 3, 2, 9, tzinfo=BOGOTA),
            closed_at=datetime(2026, 3, 2, 9, 15, tzinfo=BOGOTA),
            outcome=outcome,
        )
        for moment, standard, status in ((welcome, greets, greeting), (solve, fixes, StandardStatus.MET)):
            MomentReached.objects.create(
                organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
            )
            StandardResult.objects.create(
                organization=org, interaction=interaction, standard=standard, status=status, unit="minutes"
            )
    Objective.objects.create(
        organization=org,
        title="Resolve most requests",
        indicator=Indicator.RESOLUTION_RATE,
        target=Decimal("85"),
    )
    return {"centro": centro, "north": north}


def test_overview_in_both_languages_branch_filter_map_and_xlsx_export(
    admin_page: Any, live_server: Any, insight_data: dict[str, Any], tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    page = admin_page
    url = live_server.url
    for language, logout in (("es", "Cerrar sesión"), ("en", "Log out")):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
        page.goto(f"{url}/insight/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("button", name=logout)).to_be_visible()
        expect(page.get_by_role("heading", name="Resolve most requests")).to_be_visible()
    # English from here on. All branches: 4 of 5 resolved.
    card = page.locator(
        "article.indicator-card", has=page.get_by_role("heading", name="Resolve most requests")
    )
    expect(card.locator(".indicator-value")).to_have_text("80.0 %")
    expect(card.locator(".badge")).to_have_text("At risk")

    page.get_by_label("Branch").select_option(label="Norte")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/insight/?*branch=*")
    expect(card.locator(".indicator-value")).to_have_text("66.7 %")
    expect(page.get_by_label("Branch")).to_have_value(str(insight_data["north"].pk))

    assert axe_violations(page) == []

    page.locator(".page-header").get_by_role("link", name="Service cycle map").click()
    page.wait_for_url("**/insight/map/**")
    # The map keeps the selection.
    expect(page.get_by_label("Branch")).to_have_value(str(insight_data["north"].pk))
    weakest = page.locator("li.map-moment.is-worst")
    expect(weakest).to_have_count(1)
    expect(weakest.locator(".map-name")).to_have_text("Welcome")
    expect(page.get_by_role("note")).to_contain_text("Welcome")
    assert axe_violations(page) == []
    weakest.get_by_role("link").click()
    page.wait_for_url("**/insight/map/moments/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename == "moment-standards-2026-03-01_2026-03-20.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = [[cell.value for cell in row] for row in load_workbook(path).active.iter_rows()]
    assert rows == [
        ["Standard", "Threshold", "Met", "Missed", "Compliance"],
        ["Greets within a minute", rows[1][1], 1, 2, 33.33],
    ]

"""The insight filter bar in Chromium: folded on a 390 px phone so the figures start in the first screen, open on a wide screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_insight import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def overview_data(admin_user: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An objective, so the overview opens with its card; the organisation's 'today' fixed."""
    from momentos.cycle.choices import Indicator
    from momentos.cycle.models import Objective

    monkeypatch.setattr("momentos.insight.forms.organization_today", lambda organization: date(2026, 3, 20))
    Objective.objects.create(
        organization=admin_user.organization,
        title="Resolve most requests",
        indicator=Indicator.RESOLUTION_RATE,
        target=Decimal("85"),
    )
    return admin_user


@pytest.fixture
def phone(
    browser: Any, request: pytest.FixtureRequest, live_server: Any, overview_data: Any
) -> Iterator[Any]:
    context = browser.new_context(
        locale="en-US", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    request.node._browser_page = page
    log_in(page, live_server.url, overview_data)
    yield page
    context.close()


def test_on_a_phone_the_filters_fold_so_the_first_card_is_in_the_first_screen(
    phone: Any, live_server: Any, overview_data: Any
) -> None:
    page = phone
    page.goto(f"{live_server.url}/insight/")
    panel = page.locator("details.filter-panel")
    summary = panel.locator("summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text("Filters This month")
    expect(page.get_by_label("Period")).to_be_hidden()
    expect(page.get_by_role("button", name="Apply")).to_be_hidden()
    # The dates in use stay in sight.
    expect(page.locator(".filter-summary")).to_have_text("From March 1, 2026 to March 20, 2026")

    card = page.locator("article.indicator-card").first
    expect(card).to_contain_text("Resolve most requests")
    box = card.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], box
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    # Opening the summary shows the fields; the keyboard opens and closes it too.
    summary.click()
    expect(page.get_by_label("Period")).to_be_visible()
    expect(page.get_by_label("Branch")).to_be_visible()
    expect(page.get_by_role("button", name="Apply")).to_be_visible()
    assert axe_violations(page) == []
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Period")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.get_by_label("Period")).to_be_visible()

    # Applying a branch: the figures come back with the bar folded, its summary counting the filter.
    page.get_by_label("Branch").select_option(label="Centro")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/insight/?*branch=*")
    expect(summary).to_have_text("Filters This month · 1 filter")
    expect(page.get_by_label("Branch")).to_be_hidden()
    box = page.locator("article.indicator-card").first.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], box


def test_on_a_phone_a_filter_error_keeps_the_fields_open(phone: Any, live_server: Any) -> None:
    phone.goto(f"{live_server.url}/insight/?period=custom&start=2026-03-10&end=2026-03-01")
    expect(phone.locator("details.filter-panel")).to_have_attribute("open", "")
    field = phone.get_by_label("To", exact=True)
    expect(field).to_be_visible()
    # The field is described by its error, in the alert under the bar.
    expect(field).to_have_accessible_description(re.compile("The end date comes before the start date"))
    expect(phone.get_by_role("alert")).to_contain_text("Some filters were not applied")


def test_on_a_wide_screen_the_fields_show_without_a_click(
    admin_page: Any, live_server: Any, overview_data: Any
) -> None:
    page = admin_page
    for url in ("/insight/", "/insight/expectations/"):
        page.goto(live_server.url + url)
        expect(page.locator("details.filter-panel > summary")).to_be_hidden()
        for label in ("Period", "From", "To", "Branch", "Moment of truth"):
            expect(page.get_by_label(label, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Apply")).to_be_visible()
    page.get_by_label("Period").select_option("year")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/insight/expectations/?*period=year*")
    expect(page.get_by_label("From", exact=True)).to_have_value("2026-01-01")
    assert axe_violations(page) == []

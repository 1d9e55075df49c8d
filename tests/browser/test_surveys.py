"""The customer's survey page in Chromium on a 360 px phone: answer in Spanish, replay refused, no axe violations."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import PHONE_WIDTH

pytestmark = pytest.mark.browser


@pytest.fixture
def survey_link(transactional_db: Any, settings: Any) -> str:
    """A fresh single-use link for an interaction of a new organisation; the customer takes a second to answer."""
    from momentos.accounts.tests.factories import make_organization
    from momentos.attention.tests.factories import make_interaction
    from momentos.surveys.tests.factories import make_link_with_token

    settings.SURVEY_MIN_FILL_SECONDS = 0.5
    org = make_organization(name="Acme Servicios")
    _link, token = make_link_with_token(org, interaction=make_interaction(org))
    return reverse("surveys_public:respond", kwargs={"token": token})


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


@pytest.fixture
def spanish_phone_page(browser: Any, request: pytest.FixtureRequest) -> Any:
    """A phone whose browser asks for Spanish."""
    context = browser.new_context(
        locale="es-CO", viewport={"width": PHONE_WIDTH, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    request.node._browser_page = page
    yield page
    context.close()


def test_customer_answers_in_spanish_on_a_phone_and_cannot_answer_twice(
    spanish_phone_page: Any, live_server: Any, survey_link: str
) -> None:
    from momentos.surveys.models import Answer, Response

    page = spanish_phone_page
    page.goto(live_server.url + survey_link)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert axe_violations(page) == []

    nps = page.get_by_role("group", name="¿Nos recomendaría a un amigo?")
    nps.get_by_text("10", exact=True).click()
    # Keyboard: the satisfaction scale is reachable and answerable without a pointer.
    csat = page.get_by_role("group", name="¿Quedó satisfecho?")
    csat.get_by_role("radio", name="4").focus()
    page.keyboard.press("ArrowRight")
    expect(csat.get_by_role("radio", name="5")).to_be_checked()
    page.wait_for_timeout(600)
    page.get_by_role("button").last.click()
    page.wait_for_url(f"{live_server.url}/s/thanks/**")
    assert axe_violations(page) == []

    response = Response.objects.get()
    assert response.language == "es"
    assert sorted(Answer.objects.filter(response=response).values_list("value", flat=True)) == [5, 10]

    page.goto(live_server.url + survey_link)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("")
    assert page.locator("form").count() == 0
    assert Response.objects.count() == 1


def test_follow_up_page_has_no_accessibility_violations(
    phone_page: Any, live_server: Any, survey_link: str
) -> None:
    page = phone_page
    page.goto(live_server.url + survey_link + "?lang=en")
    page.get_by_role("group", name="Would you recommend us to a friend?").get_by_text("2", exact=True).click()
    page.get_by_role("group", name="Were you satisfied?").get_by_text("4", exact=True).click()
    page.wait_for_timeout(600)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_label("What went wrong?")).to_be_visible()
    assert axe_violations(page) == []

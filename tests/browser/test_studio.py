"""The protocol studio and the four-step design as a quality manager uses them in Chromium.

Starter kit in one click, a new version of a protocol edited, published and compared, moments of a
service cycle reordered (buttons, keyboard and drag and drop), the PDF downloaded, and the pages on a phone.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from momentos.cycle.starter.content import KITS
from tests.browser.conftest import PHONE_WIDTH, log_in

pytestmark = pytest.mark.browser

EN, ES = KITS["en"], KITS["es"]
ANGRY = next(p for p in EN["protocols"] if p["key"] == "angry_customer")
WALK_IN = EN["cycles"]["walk_in"]


@pytest.fixture
def quality_manager(admin_user: Any) -> Any:
    """A quality manager of the fresh organisation (in-person, phone, e-mail and WhatsApp in use)."""
    from momentos.accounts.choices import Role
    from momentos.accounts.tests.factories import make_member

    return make_member(admin_user.organization, role=Role.QUALITY_MANAGER)


@pytest.fixture
def qm_page(page: Any, live_server: Any, quality_manager: Any) -> Any:
    log_in(page, live_server.url, quality_manager)
    return page


@pytest.fixture
def starter_in_place(quality_manager: Any) -> Any:
    """The English starter kit applied through its service, for the tests that start after step 1."""
    from momentos.cycle.starter.services import starter_apply

    starter_apply(organization=quality_manager.organization, language="en", user=quality_manager.user)
    return quality_manager


def _apply_starter_kit(page: Any, base_url: str, language_label: str) -> None:
    page.goto(f"{base_url}{reverse('cycle:starter_apply')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start from the starter kit")
    page.get_by_role("radio", name=language_label).check()
    page.get_by_role("button", name="Apply the starter kit").click()
    expect(page.get_by_role("status").filter(has_text="The starter kit is in place")).to_be_visible()
    assert page.url.endswith(reverse("cycle:design_overview"))


def _moments(page: Any) -> Any:
    """The items of the cycle page's ordered list of moments."""
    return page.get_by_role("region", name="Moments of truth, in order").get_by_role("listitem")


def _moment_names(page: Any) -> list[str]:
    return [name.strip() for name in _moments(page).get_by_role("link").all_inner_texts()]


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("language_label", "kit"), [("English", EN), ("Spanish", ES)], ids=["english", "spanish"]
)
def test_quality_manager_applies_the_starter_kit_in_one_click(
    qm_page: Any, live_server: Any, language_label: str, kit: dict[str, Any]
) -> None:
    page = qm_page

    _apply_starter_kit(page, live_server.url, language_label)

    # The kit's documents are in the studio, in force as version 1, in the chosen language.
    page.goto(f"{live_server.url}{reverse('protocols:document_list')}")
    for data in [*kit["protocols"], kit["manual"], kit["guide"]]:
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=data["title"], exact=True))
        expect(row).to_contain_text("Version 1")
    # Applying twice is refused: the page says why and the button is disabled.
    page.goto(f"{live_server.url}{reverse('cycle:starter_apply')}")
    expect(page.get_by_role("button", name="Apply the starter kit")).to_be_disabled()


def test_quality_manager_edits_a_step_publishes_compares_and_downloads_the_pdf(
    qm_page: Any, live_server: Any
) -> None:
    page = qm_page
    base = live_server.url
    _apply_starter_kit(page, base, "English")

    # Open the protocol in the studio and start version 2.
    page.goto(f"{base}{reverse('protocols:document_list')}")
    page.get_by_role("link", name=ANGRY["title"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ANGRY["title"])
    document_url = page.url
    page.get_by_role("button", name="Start a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protocol, version 2")

    # Edit the first step: who acts and what is said.
    first_actor = page.get_by_role("textbox", name="Who acts").first
    first_body = page.get_by_role("textbox", name="What is said or done").first
    expect(first_actor).to_have_value(ANGRY["steps"][0][0])
    first_actor.fill("Duty manager")
    first_body.fill("Take a slow breath and lower your voice. The anger is about the situation, not you.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="Draft saved.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Who acts").first).to_have_value("Duty manager")

    # Publish it with a change note.
    page.get_by_role("link", name="Close").click()
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 2")
    page.get_by_label("Change note").fill("The duty manager opens every tense conversation.")
    page.get_by_role("button", name="Publish", exact=True).click()

    expect(
        page.get_by_role("status").filter(has_text="Published. This version is now in force.")
    ).to_be_visible()
    assert page.url == document_url
    expect(page.get_by_text(re.compile(r"Version 2, in force since"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("The duty manager opens every tense conversation.")
    history = page.get_by_role("table")
    expect(history.get_by_role("row", name=re.compile(r"^v2 ·"))).to_contain_text("Published")
    expect(history.get_by_role("row", name=re.compile(r"^v1 ·"))).to_contain_text("Superseded")

    # Compare with version 1: the edited words are marked, and only the edited step changed.
    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare versions")
    main = page.get_by_role("main")
    expect(main).to_contain_text("From version 1 to version 2")
    expect(main.get_by_role("insertion").filter(has_text="Duty")).to_have_count(1)
    expect(main.get_by_role("deletion").filter(has_text=ANGRY["steps"][0][0])).to_have_count(1)
    expect(main.get_by_role("insertion").filter(has_text="slow")).not_to_have_count(0)
    expect(main.get_by_role("deletion").filter(has_text="Breathe")).not_to_have_count(0)
    changed = main.get_by_role("heading", level=3)
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Step 1")

    # Download the PDF of the version in force.
    page.goto(document_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith("-v2.pdf")
    content = download.path().read_bytes()
    assert content.startswith(b"%PDF-")
    text = _pdf_text(content)
    assert ANGRY["title"] in text
    assert "Duty manager" in text
    assert "The duty manager opens every tense conversation." in text


def test_moments_are_reordered_with_the_buttons_and_the_order_persists(
    qm_page: Any, live_server: Any, starter_in_place: Any
) -> None:
    page = qm_page
    names = [m["name"] for m in WALK_IN["moments"]]
    page.goto(f"{live_server.url}{reverse('cycle:cycle_list')}")
    page.get_by_role("link", name=WALK_IN["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WALK_IN["name"])
    assert _moment_names(page) == names

    # Mouse: the second moment goes up.
    page.get_by_role("button", name=f"Move “{names[1]}” up").click()
    expect(page.get_by_role("button", name=f"Move “{names[1]}” up")).to_be_disabled()
    assert _moment_names(page)[:2] == [names[1], names[0]]

    # Keyboard: focus the third moment's "down" button and press Enter.
    page.get_by_role("button", name=f"Move “{names[2]}” down").focus()
    page.keyboard.press("Enter")
    expect(_moments(page).nth(3)).to_contain_text(names[2])

    expected = [names[1], names[0], names[3], names[2], *names[4:]]
    assert _moment_names(page) == expected
    page.reload()
    assert _moment_names(page) == expected


def test_moments_are_reordered_by_drag_and_drop_and_the_order_persists(
    qm_page: Any, live_server: Any, starter_in_place: Any
) -> None:
    from momentos.cycle.models import ServiceCycle

    page = qm_page
    names = [m["name"] for m in WALK_IN["moments"]]
    cycle = ServiceCycle.objects.for_organization(starter_in_place.organization).get(name=WALK_IN["name"])
    page.goto(f"{live_server.url}{reverse('cycle:cycle_detail', kwargs={'pk': cycle.pk})}")
    item = _moments(page).filter(has=page.get_by_role("link", name=names[2]))
    first = _moments(page).filter(has=page.get_by_role("link", name=names[0]))
    expect(item).to_have_attribute("draggable", "true")

    # Drop the third moment on the top edge of the first: it becomes the first.
    with page.expect_response(re.compile(r"/moments/order/$")):
        item.drag_to(first, target_position={"x": 20, "y": 4})

    expected = [names[2], names[0], names[1], *names[3:]]
    expect(_moments(page).first).to_contain_text(names[2])
    assert _moment_names(page) == expected
    page.reload()
    assert _moment_names(page) == expected


def _assert_no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide at a {PHONE_WIDTH}px viewport"
    clipped = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    assert clipped == 0, f"{page.url} has {clipped} table(s) wider than the screen"


@pytest.mark.parametrize("language", ["en", "es"])
def test_studio_and_cycle_pages_fit_a_phone(
    phone_page: Any, live_server: Any, starter_in_place: Any, language: str
) -> None:
    from momentos.cycle.models import Moment, ServiceCycle
    from momentos.protocols.models import Document
    from momentos.protocols.services import version_new_draft

    page = phone_page
    membership = starter_in_place
    org = membership.organization
    log_in(page, live_server.url, membership)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    document = Document.objects.for_organization(org).get(versions__title=ANGRY["title"])
    draft = version_new_draft(document=document, actor=membership)
    cycle = ServiceCycle.objects.for_organization(org).get(name=WALK_IN["name"])
    moment = Moment.objects.for_organization(org).filter(cycle=cycle).first()
    urls = [
        reverse("protocols:document_list"),
        reverse("protocols:document_create"),
        reverse("protocols:document_detail", kwargs={"pk": document.pk}),
        reverse("protocols:version_edit", kwargs={"pk": draft.pk}),
        reverse("protocols:version_publish", kwargs={"pk": draft.pk}),
        reverse("protocols:document_compare", kwargs={"pk": document.pk}),
        reverse("cycle:design_overview"),
        reverse("cycle:starter_apply"),
        reverse("cycle:objective_list"),
        reverse("cycle:segment_list"),
        reverse("cycle:cycle_list"),
        reverse("cycle:cycle_detail", kwargs={"pk": cycle.pk}),
        reverse("cycle:moment_detail", kwargs={"pk": moment.pk}),
        reverse("cycle:implementation"),
    ]
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _assert_no_horizontal_scroll(page)

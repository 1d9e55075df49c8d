"""The foundation as a person uses it in Chromium: log in, switch language, the settings pages, invite, a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from momentos.accounts.tests.factories import PASSWORD
from tests.browser.conftest import PHONE_WIDTH

pytestmark = pytest.mark.browser


def _spanish(text: str) -> str:
    """What the Spanish catalogue says for an English source string (the source itself while untranslated)."""
    with translation.override("es"):
        return translation.gettext(text)


def _settings_pages(membership: Any) -> list[tuple[str, str]]:
    """(url, heading) of every settings page an administrator can open."""
    from momentos.accounts.models import Branch

    branch = Branch.objects.for_organization(membership.organization).get(name="Centro")
    return [
        (reverse("accounts:branch_list"), "Branches"),
        (reverse("accounts:branch_detail", kwargs={"pk": branch.pk}), "Centro"),
        (reverse("accounts:branch_hours", kwargs={"pk": branch.pk}), "Opening hours"),
        (reverse("accounts:team_list"), "Teams"),
        (reverse("accounts:member_list"), "Members"),
        (reverse("accounts:channel_list"), "Channels"),
        (reverse("accounts:api_token_list"), "API tokens"),
    ]


def test_admin_logs_in_and_lands_on_the_home_page(admin_page: Any, admin_user: Any) -> None:
    expect(admin_page.locator("h1")).to_contain_text(admin_user.user.get_short_name())
    expect(admin_page.locator(".topbar .org-name")).to_have_text("Acme Servicios")
    expect(admin_page.get_by_role("button", name="Log out")).to_be_visible()


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(
    page: Any, live_server: Any, admin_user: Any
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill(admin_user.user.email)
    page.get_by_label("Password").fill("not-the-password-1")
    page.locator("form.form button[type=submit]").click()

    expect(page.get_by_role("alert")).to_contain_text("do not match")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")


def test_language_switcher_turns_the_interface_spanish_and_back(admin_page: Any, live_server: Any) -> None:
    page = admin_page
    page.goto(f"{live_server.url}{reverse('accounts:member_list')}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Members")

    page.locator(".topbar button[data-lang=es]").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".topbar button[data-lang=es]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".topbar button[data-lang=en]")).to_have_attribute("aria-pressed", "false")
    # The page shows what the Spanish catalogue says; the i18n check in `make lint` keeps it complete.
    expect(page.locator("h1")).to_have_text(_spanish("Members"))
    expect(page.locator(".topbar form[action*=logout] button")).to_have_text(_spanish("Log out"))
    assert page.url.endswith(reverse("accounts:member_list")), "the switch returns to the same page"

    page.locator(".topbar button[data-lang=en]").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".topbar button[data-lang=en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("h1")).to_have_text("Members")


def test_language_chosen_on_the_login_page_is_kept_after_logging_in(
    page: Any, live_server: Any, admin_user: Any
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("button[data-lang=es]").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(_spanish("Log in"))

    page.locator("input[name=username]").fill(admin_user.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    expect(page.locator("html")).to_have_attribute("lang", "es")


@pytest.mark.parametrize(
    "index", range(7), ids=["branches", "branch", "hours", "teams", "members", "channels", "api-tokens"]
)
def test_settings_page_opens_with_its_heading(
    admin_page: Any, live_server: Any, admin_user: Any, index: int
) -> None:
    url, heading = _settings_pages(admin_user)[index]

    response = admin_page.goto(f"{live_server.url}{url}")

    assert response.status == 200
    expect(admin_page.locator("h1")).to_have_text(heading)
    expect(admin_page.locator('.nav a[aria-current="page"]')).to_have_count(1)


def test_admin_invites_a_new_member(admin_page: Any, live_server: Any) -> None:
    page = admin_page
    page.goto(f"{live_server.url}{reverse('accounts:member_list')}")
    page.get_by_role("link", name="Invite someone").click()
    expect(page.locator("h1")).to_have_text("Invite someone")

    page.get_by_label("E-mail").fill("new.agent@example.test")
    page.get_by_label("Role").select_option(label="Agent")
    page.get_by_label("Centro").check()
    page.get_by_role("button", name="Send invitation").click()

    page.wait_for_url(f"{live_server.url}{reverse('accounts:member_list')}")
    expect(page.locator(".messages .alert-success")).to_contain_text(
        "Invitation sent to new.agent@example.test"
    )
    pending = page.locator("section", has=page.get_by_role("heading", name="Pending invitations"))
    expect(pending.locator("tbody tr")).to_have_count(1)
    expect(pending).to_contain_text("new.agent@example.test")


def test_invitation_form_with_errors_keeps_the_input_and_explains(admin_page: Any, live_server: Any) -> None:
    page = admin_page
    page.goto(f"{live_server.url}{reverse('accounts:invitation_create')}")

    page.get_by_label("E-mail").fill("not-an-address")
    page.get_by_label("Role").select_option(label="Agent")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.locator(".field.has-error")).not_to_have_count(0)
    expect(page.get_by_label("E-mail")).to_have_value("not-an-address")
    assert page.url.endswith(reverse("accounts:invitation_create"))


def _assert_no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide at a {PHONE_WIDTH}px viewport"
    # A table that scrolls inside its wrapper hides columns (often the row's actions) on a phone.
    clipped = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).length"
    )
    assert clipped == 0, f"{page.url} has {clipped} table(s) wider than the screen"


@pytest.mark.parametrize("language", ["en", "es"])
def test_pages_fit_a_phone_without_horizontal_scroll(
    admin_phone_page: Any, live_server: Any, admin_user: Any, language: str
) -> None:
    page = admin_phone_page
    # Spanish labels run longer than English ones; both must fit.
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    _assert_no_horizontal_scroll(page)
    urls = [url for url, _ in _settings_pages(admin_user)]
    urls += [
        reverse("accounts:invitation_create"),
        reverse("accounts:branch_create"),
        reverse("accounts:profile"),
    ]
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("h1")).to_be_visible()
        _assert_no_horizontal_scroll(page)


def test_login_page_fits_a_phone(phone_page: Any, live_server: Any) -> None:
    phone_page.goto(f"{live_server.url}/accounts/login/")
    expect(phone_page.locator("h1")).to_be_visible()
    _assert_no_horizontal_scroll(phone_page)


def test_menu_toggle_opens_and_closes_the_navigation_on_a_phone(
    admin_phone_page: Any, live_server: Any
) -> None:
    page = admin_phone_page
    toggle = page.locator("[data-menu-toggle]")
    nav = page.locator("#sidebar .nav")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()

    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    _assert_no_horizontal_scroll(page)
    nav.get_by_role("link", name="Members").click()
    expect(page.locator("h1")).to_have_text("Members")

    page.locator("[data-menu-toggle]").click()
    expect(page.locator("#sidebar .nav")).to_be_visible()
    page.locator("[data-menu-toggle]").click()
    expect(page.locator("#sidebar .nav")).to_be_hidden()
    expect(page.locator("[data-menu-toggle]")).to_have_attribute("aria-expanded", "false")


def test_desktop_hides_the_menu_toggle_and_shows_the_navigation(admin_page: Any) -> None:
    expect(admin_page.locator("[data-menu-toggle]")).to_be_hidden()
    expect(admin_page.locator("#sidebar .nav")).to_be_visible()


def test_phone_navigation_stays_reachable_without_javascript(
    browser: Any, live_server: Any, admin_user: Any
) -> None:
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("input[name=username]").fill(admin_user.user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")

        expect(page.locator("#sidebar .nav")).to_be_visible()
        expect(page.locator("[data-menu-toggle]")).to_be_hidden()
        _assert_no_horizontal_scroll(page)
    finally:
        context.close()

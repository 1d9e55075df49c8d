"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download is not used; the Makefile's `chromium` target installs the system one.
A failing test leaves a screenshot and the page's HTML in test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
PHONE_WIDTH = 360


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make chromium` (or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which trips Django's
    # async-safety guard; the tests and the database fixtures still call the ORM synchronously.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(browser: Any, request: pytest.FixtureRequest, **context_options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    request.node._browser_page = page
    yield page
    context.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _new_page(browser, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from _new_page(
        browser,
        request,
        viewport={"width": PHONE_WIDTH, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
    )


@pytest.fixture
def admin_user(transactional_db: Any) -> Any:
    """The administrator of a fresh organisation with one branch and one team, and the password to log in."""
    from momentos.accounts.tests.factories import admin_of, make_branch, make_organization, make_team

    org = make_organization(name="Acme Servicios")
    make_branch(org, name="Centro")
    make_team(org, name="Front desk")
    return admin_of(org)


def log_in(page: Any, base_url: str, membership: Any) -> None:
    from momentos.accounts.tests.factories import PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(re.compile("e-?mail", re.I)).fill(membership.user.email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def admin_page(page: Any, live_server: Any, admin_user: Any) -> Any:
    log_in(page, live_server.url, admin_user)
    return page


@pytest.fixture
def admin_phone_page(phone_page: Any, live_server: Any, admin_user: Any) -> Any:
    log_in(phone_page, live_server.url, admin_user)
    return phone_page


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    page = getattr(item, "_browser_page", None)
    if page is None or report.when != "call" or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
        report.sections.append(("browser artifacts", f"{ARTIFACTS / name}.png / .html (url {page.url})"))
    except Exception as exc:  # noqa: BLE001 - a broken page must not hide the real failure
        report.sections.append(("browser artifacts", f"could not capture the page: {exc}"))

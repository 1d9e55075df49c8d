"""Webhooks on a phone: an admin adds one (secret shown once), sends a test that arrives, then deletes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from momentos.webhooks.models import WebhookEndpoint
from momentos.webhooks.tests.support import running_receiver
from tests.browser.test_foundation import _assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_admin_adds_tests_and_deletes_a_webhook_on_a_phone(
    admin_phone_page: Any, live_server: Any, settings: Any
) -> None:
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    page = admin_phone_page
    with running_receiver() as receiver:
        page.goto(f"{live_server.url}{reverse('webhooks:endpoint_list')}")
        expect(page.locator(".empty")).to_contain_text("No webhooks yet")
        _assert_no_horizontal_scroll(page)

        page.get_by_label("URL").fill(receiver.url + "/with/a/rather/long/path/to/wrap")
        page.get_by_label("A low score raises an alert").check()
        page.get_by_role("button", name="Add webhook").click()

        secret = page.locator("#new-secret")
        expect(secret).to_contain_text("whsec_")
        assert secret.inner_text() == WebhookEndpoint.objects.get().secret
        _assert_no_horizontal_scroll(page)
        page.reload()
        expect(page.locator("#new-secret")).to_have_count(0)

        page.locator("table a").first.click()
        page.get_by_role("button", name="Send a test").click()
        expect(page.locator(".badge-success")).to_have_text("Delivered")
        assert [r.headers["x-momentos-event"] for r in receiver.requests] == ["ping"]
        _assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.locator(".empty")).to_contain_text("No webhooks yet")
    assert not WebhookEndpoint.objects.exists()

"""The guided attention console in Chromium: an agent runs a whole attention, and it fits a phone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import PHONE_WIDTH, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def agent(admin_user: Any) -> Any:
    """An agent of the Centro branch, whose phone cycle has three moments, each with a checklist item."""
    from momentos.accounts.choices import ChannelKind, Role
    from momentos.accounts.models import Branch
    from momentos.accounts.tests.factories import make_member
    from momentos.attention.tests.factories import channel_of, make_cycle_for
    from momentos.cycle.choices import StandardMetric, Unit
    from momentos.cycle.models import ChecklistItem, ServiceStandard
    from momentos.protocols.tests.factories import published_protocol

    org = admin_user.organization
    centro = Branch.objects.for_organization(org).get(name="Centro")
    moments = make_cycle_for(channel_of(org, ChannelKind.PHONE), "Welcome", "Understanding", "Goodbye")
    moments[1].procedure = published_protocol(org, admin_user, title="Understanding the need").document
    moments[1].save()
    texts = ("Answers by the third ring", "Repeats the request", "Offers more help")
    for moment, text in zip(moments, texts, strict=True):
        ChecklistItem.objects.create(organization=org, moment=moment, position=1, text=text)
    ServiceStandard.objects.create(
        organization=org,
        moment=moments[1],
        name="Understood within ten minutes",
        metric=StandardMetric.MOMENT_DURATION,
        threshold=Decimal("10"),
        unit=Unit.MINUTES,
    )
    return make_member(org, role=Role.AGENT, branches=[centro])


def tick(page: Any, item_text: str, answer: str) -> None:
    item = page.locator(".tick-item", has_text=item_text)
    item.get_by_role("button", name=answer, exact=True).click()
    expect(item.get_by_role("button", name=answer, exact=True)).to_have_attribute("aria-pressed", "true")


def test_an_agent_runs_a_whole_attention_through_every_moment(
    page: Any, live_server: Any, agent: Any
) -> None:
    from momentos.attention.models import ChecklistTick, Interaction, MomentReached, StandardResult

    log_in(page, live_server.url, agent)
    page.goto(live_server.url + reverse("attention:console_list"))
    expect(page.get_by_text("No open attention")).to_be_visible()
    page.get_by_role("link", name="Start an attention").first.click()
    page.get_by_label("Reason").fill("Wants to change the delivery address")
    page.get_by_role("button", name="Start").click()

    # Moment 1: tick through htmx, then reload: the tick is still there (resume).
    expect(page.locator("h1")).to_have_text("Welcome")
    tick(page, "Answers by the third ring", "Yes")
    page.reload()
    expect(
        page.locator(".tick-item", has_text="Answers by the third ring").get_by_role(
            "button", name="Yes", exact=True
        )
    ).to_have_attribute("aria-pressed", "true")

    # Moment 2 by the keyboard shortcut: the protocol steps and the live timer are there.
    page.keyboard.press("n")
    expect(page.locator("h1")).to_have_text("Understanding")
    expect(page.get_by_text("Greet the customer by name.")).to_be_visible()
    expect(page.locator(".moment-list li[aria-current=step]")).to_contain_text("Understanding")
    timer = page.locator("[data-timer]", has_text="Understood within ten minutes")
    expect(timer).to_have_class("timer timer-ok")
    first = timer.locator("[data-timer-value]").inner_text()
    expect(timer.locator("[data-timer-value]")).not_to_have_text(first, timeout=3000)
    # Typing in a field does not fire a shortcut.
    page.get_by_label("Notes").press("n")
    expect(page.locator("h1")).to_have_text("Understanding")
    tick(page, "Repeats the request", "No")

    # Moment 3 with the button, then close.
    page.get_by_role("button", name="Next: Goodbye").click()
    expect(page.locator("h1")).to_have_text("Goodbye")
    tick(page, "Offers more help", "N/A")
    page.get_by_label("Resolved", exact=True).check()
    page.get_by_role("button", name="Close the attention").click()

    expect(page.locator("h1")).to_have_text("Attention closed")
    expect(page.get_by_role("heading", name="Survey invitation")).to_be_visible()

    interaction = Interaction.objects.get(agent=agent.user)
    assert interaction.outcome == "resolved" and interaction.closed_at and interaction.first_response_at
    assert MomentReached.objects.filter(interaction=interaction).count() == 3
    assert sorted(ChecklistTick.objects.filter(interaction=interaction).values_list("answer", flat=True)) == [
        "na",
        "no",
        "yes",
    ]
    assert StandardResult.objects.get(interaction=interaction).status == "met"


def test_the_console_fits_a_phone(phone_page: Any, live_server: Any, agent: Any) -> None:
    from momentos.accounts.models import Branch, Channel
    from momentos.attention import console

    org = agent.organization
    interaction = console.attention_start(
        organization=org,
        agent=agent.user,
        branch=Branch.objects.for_organization(org).get(name="Centro"),
        channel=Channel.objects.for_organization(org).get(kind="phone"),
        reason="Billing question",
    )
    console.moment_advance(
        interaction=interaction, current_moment_id=console.console_state(interaction=interaction).current.pk
    )
    log_in(phone_page, live_server.url, agent)
    phone_page.goto(live_server.url + reverse("attention:console_detail", kwargs={"pk": interaction.pk}))

    expect(phone_page.locator("h1")).to_have_text("Understanding")
    expect(phone_page.get_by_role("button", name="Next: Goodbye")).to_be_visible()
    tick(phone_page, "Repeats the request", "Yes")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the console is {width}px wide on a {PHONE_WIDTH}px phone"

"""The guided attention console: start, tick, move on, close — and who may open whose console."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from momentos.accounts import services as accounts_services
from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.tests.factories import make_branch
from momentos.attention import console
from momentos.attention.choices import Outcome, StandardStatus, TickAnswer
from momentos.attention.models import ChecklistTick, MomentReached, StandardResult
from momentos.attention.tests.factories import at, channel_of, make_cycle_for
from momentos.core.errors import DomainError
from momentos.cycle.choices import Comparison, StandardMetric, Unit
from momentos.cycle.models import ChecklistItem, ServiceStandard
from momentos.protocols.tests.factories import published_protocol, quality_manager_of

pytestmark = pytest.mark.django_db


def detail(interaction: Any) -> str:
    return reverse("attention:console_detail", kwargs={"pk": interaction.pk})


@pytest.fixture
def cycle(org: Any) -> dict[str, Any]:
    """A phone cycle of three moments, a checklist item on the first two and a standard on the second."""
    phone = channel_of(org, ChannelKind.PHONE)
    greeting, listening, farewell = make_cycle_for(phone, "Greeting", "Listening", "Farewell")
    version = published_protocol(org, quality_manager_of(org), title="Listening well")
    listening.procedure = version.document
    listening.save()
    items = {
        "greet": ChecklistItem.objects.create(
            organization=org, moment=greeting, position=1, text="Says hello"
        ),
        "listen": ChecklistItem.objects.create(
            organization=org, moment=listening, position=1, text="Lets the customer finish"
        ),
    }
    standard = ServiceStandard.objects.create(
        organization=org,
        moment=listening,
        name="Listening under 5 minutes",
        metric=StandardMetric.MOMENT_DURATION,
        comparison=Comparison.LTE,
        threshold=Decimal("5"),
        unit=Unit.MINUTES,
    )
    return {
        "channel": phone,
        "moments": [greeting, listening, farewell],
        "items": items,
        "standard": standard,
    }


@pytest.fixture
def north(org: Any) -> Any:
    return make_branch(org, name="North")


def start(org: Any, agent: Any, branch: Any, channel: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("now", at(2026, 3, 2, 9, 0))
    return console.attention_start(
        organization=org, agent=agent, branch=branch, channel=channel, reason="Card blocked", **kwargs
    )


# --- services --------------------------------------------------------------------------------------


def test_starting_an_attention_reaches_the_first_moment_at_the_start(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    interaction = start(org, admin.user, north, cycle["channel"])

    assert interaction.is_open and interaction.agent == admin.user
    assert interaction.started_at == at(2026, 3, 2, 9, 0)
    reached = MomentReached.objects.get(interaction=interaction)
    assert reached.moment == cycle["moments"][0] and reached.reached_at == interaction.started_at


def test_an_attention_cannot_start_on_a_channel_without_moments(org: Any, admin: Any, north: Any) -> None:
    with pytest.raises(DomainError) as error:
        start(org, admin.user, north, channel_of(org, ChannelKind.EMAIL))
    assert error.value.code == "no_cycle"


def test_ticking_the_same_item_twice_stores_one_tick_and_a_new_answer_replaces_it(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    interaction = start(org, admin.user, north, cycle["channel"])
    item = cycle["items"]["greet"]

    first = console.checklist_tick(interaction=interaction, item=item, answer=TickAnswer.YES)
    again = console.checklist_tick(interaction=interaction, item=item, answer=TickAnswer.YES)
    assert first.pk == again.pk and ChecklistTick.objects.filter(interaction=interaction).count() == 1

    console.checklist_tick(interaction=interaction, item=item, answer=TickAnswer.NO)
    assert ChecklistTick.objects.get(interaction=interaction).answer == TickAnswer.NO


def test_an_item_of_a_moment_not_reached_yet_cannot_be_ticked(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    interaction = start(org, admin.user, north, cycle["channel"])
    with pytest.raises(DomainError):
        console.checklist_tick(interaction=interaction, item=cycle["items"]["listen"], answer=TickAnswer.YES)


def test_next_reaches_the_following_moment_and_sets_the_first_response(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    greeting, listening, _farewell = cycle["moments"]
    interaction = start(org, admin.user, north, cycle["channel"])

    console.moment_advance(interaction=interaction, current_moment_id=greeting.pk, now=at(2026, 3, 2, 9, 1))

    interaction.refresh_from_db()
    assert interaction.first_response_at == at(2026, 3, 2, 9, 1)
    assert console.console_state(interaction=interaction).current == listening


def test_next_with_a_stale_moment_is_refused_and_skips_nothing(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    greeting, listening, _farewell = cycle["moments"]
    interaction = start(org, admin.user, north, cycle["channel"])
    console.moment_advance(interaction=interaction, current_moment_id=greeting.pk)

    # A double click sends the same "current" twice: the second one is stale.
    with pytest.raises(console.StaleMoment):
        console.moment_advance(interaction=interaction, current_moment_id=greeting.pk)

    assert MomentReached.objects.filter(interaction=interaction).count() == 2
    assert console.console_state(interaction=interaction).current == listening


def test_closing_sets_the_times_and_evaluates_the_standards(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    greeting, listening, _farewell = cycle["moments"]
    interaction = start(org, admin.user, north, cycle["channel"])
    console.moment_advance(interaction=interaction, current_moment_id=greeting.pk, now=at(2026, 3, 2, 9, 1))
    console.moment_advance(interaction=interaction, current_moment_id=listening.pk, now=at(2026, 3, 2, 9, 4))

    closed = console.attention_close(
        interaction=interaction, outcome=Outcome.RESOLVED, contacts=1, now=at(2026, 3, 2, 9, 6)
    )

    assert closed.closed_at == closed.resolved_at == at(2026, 3, 2, 9, 6)
    result = StandardResult.objects.get(interaction=interaction, standard=cycle["standard"])
    assert result.status == StandardStatus.MET and result.measured == Decimal("3.00")
    with pytest.raises(console.AttentionClosed):
        console.moment_advance(interaction=interaction, current_moment_id=_farewell.pk)


def test_an_abandoned_attention_has_no_resolution_and_no_first_response(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    interaction = start(org, admin.user, north, cycle["channel"])
    closed = console.attention_close(
        interaction=interaction, outcome=Outcome.ABANDONED, now=at(2026, 3, 2, 9, 2)
    )
    assert closed.resolved_at is None and closed.first_response_at is None and closed.outcome == "abandoned"


def test_timers_turn_amber_at_80_percent_and_red_past_the_threshold(
    org: Any, admin: Any, north: Any, cycle: Any
) -> None:
    greeting, _listening, _farewell = cycle["moments"]
    interaction = start(org, admin.user, north, cycle["channel"])
    console.moment_advance(interaction=interaction, current_moment_id=greeting.pk, now=at(2026, 3, 2, 9, 0))

    def state_at(minutes: float) -> str:
        state = console.console_state(
            interaction=interaction, now=at(2026, 3, 2, 9, 0) + timedelta(minutes=minutes)
        )
        (timer,) = state.timers
        assert timer.deadline == at(2026, 3, 2, 9, 5)
        return timer.state

    assert [state_at(1), state_at(4), state_at(6)] == ["ok", "warn", "over"]


def test_a_business_hours_timer_has_its_deadline_after_the_branch_reopens(
    org: Any, admin: Any, cycle: Any
) -> None:
    branch = make_branch(org, name="Nine to five")
    accounts_services.opening_hours_replace(branch=branch, spans=[(0, time(9), time(17))])  # Mondays
    standard = cycle["standard"]
    standard.moment = cycle["moments"][0]
    standard.business_hours = True
    standard.save()
    interaction = start(org, admin.user, branch, cycle["channel"], now=at(2026, 3, 2, 16, 58))

    (timer,) = console.console_state(interaction=interaction, now=at(2026, 3, 2, 17, 30)).timers

    # Two minutes on Monday, three on the next Monday morning.
    assert timer.deadline == at(2026, 3, 9, 9, 3)
    assert timer.elapsed == timedelta(minutes=2) and timer.state == "ok" and not timer.running_now


# --- views -----------------------------------------------------------------------------------------


@pytest.fixture
def people(org: Any, north: Any, make_member_of: Any) -> dict[str, Any]:
    south = make_branch(org, name="South")
    return {
        "agent": make_member_of(Role.AGENT, branches=[north]),
        "colleague": make_member_of(Role.AGENT, branches=[north]),
        "supervisor": make_member_of(Role.SUPERVISOR, branches=[north]),
        "southern_supervisor": make_member_of(Role.SUPERVISOR, branches=[south]),
    }


def test_an_agent_starts_an_attention_in_their_branch_and_lands_on_its_console(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    client = member_client(people["agent"])
    response = client.post(
        reverse("attention:console_start"),
        {"channel": cycle["channel"].pk, "branch": north.pk, "reason": "Lost card", "customer_ref": "C-12"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["state"].current == cycle["moments"][0]
    assert "Says hello" in page.content.decode()


def test_an_agent_cannot_start_in_a_branch_outside_their_scope(
    org: Any, cycle: Any, people: Any, member_client: Any
) -> None:
    elsewhere = make_branch(org, name="Elsewhere")
    response = member_client(people["agent"]).post(
        reverse("attention:console_start"),
        {"channel": cycle["channel"].pk, "branch": elsewhere.pk, "reason": "Lost card"},
    )
    assert response.status_code == 400 and "branch" in response.context["form"].errors


def test_an_agent_cannot_open_another_agents_console(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    theirs = start(org, people["colleague"].user, north, cycle["channel"])
    client = member_client(people["agent"])
    assert client.get(detail(theirs)).status_code == 404
    next_url = reverse("attention:console_next", kwargs={"pk": theirs.pk})
    assert client.post(next_url, {"current": cycle["moments"][0].pk}).status_code == 404
    assert MomentReached.objects.filter(interaction=theirs).count() == 1


def test_a_supervisor_sees_consoles_of_their_branch_only(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    interaction = start(org, people["agent"].user, north, cycle["channel"])
    assert member_client(people["supervisor"]).get(detail(interaction)).status_code == 200
    assert member_client(people["southern_supervisor"]).get(detail(interaction)).status_code == 404


def test_a_tick_posted_by_htmx_answers_the_item_fragment_and_without_js_redirects(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    interaction = start(org, people["agent"].user, north, cycle["channel"])
    client = member_client(people["agent"])
    url = reverse("attention:console_tick", kwargs={"pk": interaction.pk})
    item = cycle["items"]["greet"]

    fragment = client.post(url, {"item": item.pk, "answer": "yes"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert (
        f'id="item-{item.pk}"' in fragment.content.decode()
        and 'aria-pressed="true"' in fragment.content.decode()
    )

    plain = client.post(url, {"item": item.pk, "answer": "na"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#item-{item.pk}")
    assert ChecklistTick.objects.get(interaction=interaction).answer == TickAnswer.NOT_APPLICABLE

    assert client.post(url, {"item": item.pk, "answer": "maybe"}).status_code == 400


def test_a_double_clicked_next_moves_one_moment_and_explains(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    interaction = start(org, people["agent"].user, north, cycle["channel"])
    client = member_client(people["agent"])
    url = reverse("attention:console_next", kwargs={"pk": interaction.pk})
    current = cycle["moments"][0].pk

    assert client.post(url, {"current": current}).status_code == 303
    second = client.post(url, {"current": current}, follow=True)

    assert second.status_code == 200
    assert second.context["state"].current == cycle["moments"][1]
    assert "already moved on" in second.content.decode()


def test_closing_from_the_console_shows_the_survey_box(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    interaction = start(org, people["agent"].user, north, cycle["channel"])
    client = member_client(people["agent"])

    refused = client.post(reverse("attention:console_close", kwargs={"pk": interaction.pk}), {"contacts": 1})
    assert refused.status_code == 400

    response = client.post(
        reverse("attention:console_close", kwargs={"pk": interaction.pk}),
        {"outcome": "resolved", "contacts": 1},
        follow=True,
    )
    interaction.refresh_from_db()
    assert interaction.outcome == Outcome.RESOLVED and interaction.closed_at is not None
    assert "Survey invitation" in response.content.decode()


def test_the_live_view_lists_open_attentions_of_the_scope_and_polls(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    south = make_branch(org, name="Far south")
    start(org, people["agent"].user, north, cycle["channel"], customer_ref="mine")
    start(org, people["colleague"].user, south, cycle["channel"], customer_ref="theirs")
    client = member_client(people["supervisor"])

    page = client.get(reverse("attention:live_list"))
    assert page.status_code == 200
    assert [row.interaction.branch for row in page.context["rows"]] == [north]
    assert 'hx-trigger="every 10s"' in page.content.decode()

    fragment = client.get(reverse("attention:live_list"), headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "Greeting" in fragment.content.decode()

    assert member_client(people["agent"]).get(reverse("attention:live_list")).status_code == 404


def test_my_open_attentions_lists_only_my_open_ones(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any
) -> None:
    mine = start(org, people["agent"].user, north, cycle["channel"])
    closed = start(org, people["agent"].user, north, cycle["channel"])
    console.attention_close(interaction=closed, outcome=Outcome.RESOLVED)
    start(org, people["colleague"].user, north, cycle["channel"])

    page = member_client(people["agent"]).get(reverse("attention:console_list"))
    assert page.context["open_attentions"] == [mine]


def test_the_console_asks_the_registered_providers_and_shows_their_error(
    org: Any, cycle: Any, people: Any, north: Any, member_client: Any, monkeypatch: Any
) -> None:
    from momentos.attention import hooks
    from momentos.core.errors import DomainError

    def refuse(interaction: Any, request: Any) -> dict[str, str]:
        raise DomainError("Nothing to offer here.", code="nothing")

    monkeypatch.setattr(hooks, "_close_offers", [lambda i, r: {}, refuse])
    interaction = start(org, people["agent"].user, north, cycle["channel"])
    response = member_client(people["agent"]).post(
        reverse("attention:console_close", kwargs={"pk": interaction.pk}),
        {"outcome": "resolved", "contacts": 1},
        follow=True,
    )
    assert "Nothing to offer here." in response.content.decode()

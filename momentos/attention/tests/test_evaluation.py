"""Each interaction is measured against its cycle's standards, on the wall clock or in business hours."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from momentos.accounts import services as accounts_services
from momentos.accounts.choices import ChannelKind
from momentos.accounts.tests.factories import make_branch
from momentos.attention import services
from momentos.attention.choices import StandardStatus
from momentos.attention.evaluation import compare
from momentos.attention.models import MomentReached, StandardResult
from momentos.attention.tests.factories import at, channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import Comparison, StandardMetric, Unit
from momentos.cycle.models import ServiceStandard

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(org: Any) -> dict[str, Any]:
    """A phone cycle: Greeting → Diagnosis → Farewell."""
    channel = channel_of(org, ChannelKind.PHONE)
    greeting, diagnosis, farewell = make_cycle_for(channel, "Greeting", "Diagnosis", "Farewell")
    return {"channel": channel, "greeting": greeting, "diagnosis": diagnosis, "farewell": farewell}


def standard(moment: Any, metric: str, threshold: str | None, unit: str = Unit.MINUTES, **kw: Any) -> Any:
    return ServiceStandard.objects.create(
        organization_id=moment.organization_id,
        moment=moment,
        name=f"{metric} {threshold}",
        metric=metric,
        threshold=Decimal(threshold) if threshold is not None else None,
        unit=unit,
        **kw,
    )


def reach(interaction: Any, moment: Any, when: Any) -> None:
    MomentReached.objects.create(
        organization_id=interaction.organization_id, interaction=interaction, moment=moment, reached_at=when
    )


def result(interaction: Any, std: Any) -> StandardResult:
    return StandardResult.objects.get(interaction=interaction, standard=std)


def test_first_response_time_is_met_within_the_threshold(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["greeting"], StandardMetric.FIRST_RESPONSE_TIME, "5")
    interaction = make_interaction(
        org,
        channel=cycle["channel"],
        started_at=at(2026, 3, 2, 9),
        first_response_at=at(2026, 3, 2, 9, 4, 30),
    )
    services.interaction_evaluate(interaction=interaction)
    r = result(interaction, std)
    assert (r.status, r.measured, r.unit) == (StandardStatus.MET, Decimal("4.50"), Unit.MINUTES)


def test_first_response_time_is_missed_past_the_threshold(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["greeting"], StandardMetric.FIRST_RESPONSE_TIME, "5")
    interaction = make_interaction(
        org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9), first_response_at=at(2026, 3, 2, 9, 5, 1)
    )
    services.interaction_evaluate(interaction=interaction)
    assert result(interaction, std).status == StandardStatus.MISSED


def test_first_response_time_without_a_response_is_not_applicable(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["greeting"], StandardMetric.FIRST_RESPONSE_TIME, "5")
    interaction = make_interaction(org, channel=cycle["channel"])
    services.interaction_evaluate(interaction=interaction)
    r = result(interaction, std)
    assert (r.status, r.measured) == (StandardStatus.NOT_APPLICABLE, None)


def test_attention_time_runs_from_start_to_close_in_the_standard_unit(
    org: Any, cycle: dict[str, Any]
) -> None:
    std = standard(cycle["farewell"], StandardMetric.ATTENTION_TIME, "1", unit=Unit.HOURS)
    interaction = make_interaction(
        org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9), closed_at=at(2026, 3, 2, 10, 30)
    )
    services.interaction_evaluate(interaction=interaction)
    r = result(interaction, std)
    assert (r.status, r.measured, r.unit) == (StandardStatus.MISSED, Decimal("1.50"), Unit.HOURS)


def test_attention_time_of_an_open_interaction_is_not_applicable(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["farewell"], StandardMetric.ATTENTION_TIME, "1", unit=Unit.HOURS)
    interaction = make_interaction(org, channel=cycle["channel"])
    services.interaction_evaluate(interaction=interaction)
    assert result(interaction, std).status == StandardStatus.NOT_APPLICABLE


def test_wait_time_runs_from_arrival_to_reaching_the_moment(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["diagnosis"], StandardMetric.WAIT_TIME, "120", unit=Unit.SECONDS)
    interaction = make_interaction(org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9))
    reach(interaction, cycle["greeting"], at(2026, 3, 2, 9, 0, 10))
    reach(interaction, cycle["diagnosis"], at(2026, 3, 2, 9, 2))
    services.interaction_evaluate(interaction=interaction)
    r = result(interaction, std)
    assert (r.status, r.measured) == (StandardStatus.MET, Decimal("120.00"))


def test_wait_time_for_a_moment_never_reached_is_not_applicable(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["diagnosis"], StandardMetric.WAIT_TIME, "2")
    interaction = make_interaction(org, channel=cycle["channel"])
    reach(interaction, cycle["greeting"], at(2026, 3, 2, 9, 1))
    services.interaction_evaluate(interaction=interaction)
    assert result(interaction, std).status == StandardStatus.NOT_APPLICABLE


def test_moment_duration_lasts_until_the_next_moment_is_reached(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["greeting"], StandardMetric.MOMENT_DURATION, "1")
    interaction = make_interaction(org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9))
    reach(interaction, cycle["greeting"], at(2026, 3, 2, 9, 0))
    reach(interaction, cycle["diagnosis"], at(2026, 3, 2, 9, 3))
    services.interaction_evaluate(interaction=interaction)
    r = result(interaction, std)
    assert (r.status, r.measured) == (StandardStatus.MISSED, Decimal("3.00"))


def test_the_last_moment_lasts_until_the_close(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["farewell"], StandardMetric.MOMENT_DURATION, "2")
    interaction = make_interaction(
        org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9), closed_at=at(2026, 3, 2, 9, 11)
    )
    reach(interaction, cycle["greeting"], at(2026, 3, 2, 9, 0))
    reach(interaction, cycle["farewell"], at(2026, 3, 2, 9, 10))
    services.interaction_evaluate(interaction=interaction)
    r = result(interaction, std)
    assert (r.status, r.measured) == (StandardStatus.MET, Decimal("1.00"))


def test_the_last_moment_of_an_open_interaction_has_no_duration(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["farewell"], StandardMetric.MOMENT_DURATION, "2")
    interaction = make_interaction(org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9))
    reach(interaction, cycle["farewell"], at(2026, 3, 2, 9, 10))
    services.interaction_evaluate(interaction=interaction)
    assert result(interaction, std).status == StandardStatus.NOT_APPLICABLE


def test_contacts_are_counted(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["farewell"], StandardMetric.CONTACTS, "1", unit=Unit.COUNT)
    once = make_interaction(org, channel=cycle["channel"], contacts=1)
    thrice = make_interaction(org, channel=cycle["channel"], contacts=3)
    services.interactions_evaluate(interactions=[once, thrice])
    assert (result(once, std).status, result(once, std).measured) == (StandardStatus.MET, Decimal("1.00"))
    assert result(thrice, std).status == StandardStatus.MISSED


def test_a_standard_without_threshold_is_not_applicable(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["greeting"], StandardMetric.FIRST_RESPONSE_TIME, None)
    interaction = make_interaction(
        org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9), first_response_at=at(2026, 3, 2, 9, 1)
    )
    services.interaction_evaluate(interaction=interaction)
    assert result(interaction, std).status == StandardStatus.NOT_APPLICABLE


def test_a_time_standard_in_a_count_unit_is_not_applicable(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["greeting"], StandardMetric.FIRST_RESPONSE_TIME, "3", unit=Unit.COUNT)
    interaction = make_interaction(
        org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9), first_response_at=at(2026, 3, 2, 9, 1)
    )
    services.interaction_evaluate(interaction=interaction)
    assert result(interaction, std).status == StandardStatus.NOT_APPLICABLE


def test_a_rating_standard_is_left_to_surveys(org: Any, cycle: dict[str, Any]) -> None:
    rating = standard(cycle["greeting"], StandardMetric.MOMENT_RATING, "4", unit=Unit.SCORE)
    interaction = make_interaction(org, channel=cycle["channel"])
    services.interaction_evaluate(interaction=interaction)
    assert not StandardResult.objects.filter(standard=rating).exists()


def test_standards_of_another_channel_do_not_apply(org: Any, cycle: dict[str, Any]) -> None:
    (chat_moment,) = make_cycle_for(channel_of(org, ChannelKind.CHAT), "Chat greeting")
    standard(chat_moment, StandardMetric.CONTACTS, "1", unit=Unit.COUNT)
    interaction = make_interaction(org, channel=cycle["channel"])
    assert services.interaction_evaluate(interaction=interaction) == []


def test_re_evaluation_replaces_the_stored_verdicts(org: Any, cycle: dict[str, Any]) -> None:
    std = standard(cycle["farewell"], StandardMetric.ATTENTION_TIME, "30")
    interaction = make_interaction(org, channel=cycle["channel"], started_at=at(2026, 3, 2, 9))
    services.interaction_evaluate(interaction=interaction)
    assert result(interaction, std).status == StandardStatus.NOT_APPLICABLE
    interaction.closed_at = at(2026, 3, 2, 9, 20)
    interaction.save()
    services.interaction_evaluate(interaction=interaction)
    assert StandardResult.objects.filter(interaction=interaction).count() == 1
    assert result(interaction, std).status == StandardStatus.MET


@pytest.fixture
def weekday_branch(org: Any) -> Any:
    """Open Monday to Friday 09:00–18:00 in Bogotá (no daylight saving), closed at weekends."""
    branch = make_branch(org, name="Centro", time_zone="America/Bogota")
    accounts_services.opening_hours_replace(branch=branch, spans=[(d, time(9), time(18)) for d in range(5)])
    return branch


def test_business_hours_first_response_skips_the_weekend(
    org: Any, cycle: dict[str, Any], weekday_branch: Any
) -> None:
    # Friday 17:00 → Monday 10:00 is 65 hours on the wall clock but 2 business hours.
    business = standard(
        cycle["greeting"], StandardMetric.FIRST_RESPONSE_TIME, "2", unit=Unit.HOURS, business_hours=True
    )
    wall = standard(cycle["greeting"], StandardMetric.FIRST_RESPONSE_TIME, "2", unit=Unit.HOURS)
    interaction = make_interaction(
        org,
        branch=weekday_branch,
        channel=cycle["channel"],
        started_at=at(2026, 3, 6, 17),  # a Friday
        first_response_at=at(2026, 3, 9, 10),  # the Monday after
    )
    services.interaction_evaluate(interaction=interaction)
    assert (result(interaction, business).status, result(interaction, business).measured) == (
        StandardStatus.MET,
        Decimal("2.00"),
    )
    assert (result(interaction, wall).status, result(interaction, wall).measured) == (
        StandardStatus.MISSED,
        Decimal("65.00"),
    )


def test_business_hours_attention_time_counts_nothing_while_closed(
    org: Any, cycle: dict[str, Any], weekday_branch: Any
) -> None:
    std = standard(
        cycle["farewell"], StandardMetric.ATTENTION_TIME, "0", unit=Unit.MINUTES, business_hours=True
    )
    interaction = make_interaction(
        org,
        branch=weekday_branch,
        channel=cycle["channel"],
        started_at=at(2026, 3, 7, 10),  # Saturday
        closed_at=at(2026, 3, 8, 16),  # Sunday
    )
    services.interaction_evaluate(interaction=interaction)
    r = result(interaction, std)
    assert (r.status, r.measured) == (StandardStatus.MET, Decimal("0.00"))


def test_business_hours_wait_time_uses_the_branch_calendar_of_each_interaction(
    org: Any, cycle: dict[str, Any], weekday_branch: Any
) -> None:
    always_open = make_branch(org, name="Airport", time_zone="America/Bogota")
    accounts_services.opening_hours_replace(
        branch=always_open, spans=[(d, time(0), time(23, 59)) for d in range(7)]
    )
    std = standard(cycle["diagnosis"], StandardMetric.WAIT_TIME, "60", unit=Unit.MINUTES, business_hours=True)
    saturday = at(2026, 3, 7, 10)
    downtown = make_interaction(org, branch=weekday_branch, channel=cycle["channel"], started_at=saturday)
    airport = make_interaction(org, branch=always_open, channel=cycle["channel"], started_at=saturday)
    for interaction in (downtown, airport):
        reach(interaction, cycle["diagnosis"], saturday + timedelta(hours=2))
    services.interactions_evaluate(interactions=[downtown, airport])
    assert result(downtown, std).status == StandardStatus.MET
    assert (result(airport, std).status, result(airport, std).measured) == (
        StandardStatus.MISSED,
        Decimal("120.00"),
    )


@pytest.mark.parametrize(
    ("comparison", "value", "expected"),
    [
        (Comparison.LTE, "2", True),
        (Comparison.LT, "2", False),
        (Comparison.GTE, "2", True),
        (Comparison.GT, "2", False),
        (Comparison.GT, "2.01", True),
        (Comparison.LT, "1.99", True),
    ],
)
def test_comparisons_against_a_threshold_of_two(comparison: str, value: str, expected: bool) -> None:
    assert compare(Decimal(value), comparison, Decimal("2")) is expected

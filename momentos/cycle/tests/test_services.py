"""Services of the four-step design: validation of targets and standards, ordering of moments and items."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from momentos.accounts.models import Channel
from momentos.accounts.tests.factories import make_branch
from momentos.core.errors import Conflict, DomainError
from momentos.cycle import services
from momentos.cycle.choices import Indicator, StandardMetric, Unit
from momentos.cycle.models import MomentExpectation, Objective
from momentos.cycle.tests.factories import (
    make_checklist_item,
    make_cycle,
    make_expectation,
    make_moment,
    make_segment,
)
from momentos.protocols.choices import DocumentKind
from momentos.protocols.tests.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("indicator", "target", "ok"),
    [
        (Indicator.CSAT, Decimal("0"), True),
        (Indicator.CSAT, Decimal("100"), True),
        (Indicator.CSAT, Decimal("100.5"), False),
        (Indicator.CSAT, Decimal("-1"), False),
        (Indicator.TRAINING_COVERAGE, Decimal("101"), False),
        (Indicator.NPS, Decimal("-100"), True),
        (Indicator.NPS, Decimal("-101"), False),
        (Indicator.NPS, Decimal("100"), True),
        (Indicator.CES, Decimal("1"), True),
        (Indicator.CES, Decimal("7"), True),
        (Indicator.CES, Decimal("0.9"), False),
        (Indicator.CES, Decimal("7.5"), False),
        (Indicator.FIRST_RESPONSE_TIME, Decimal("0"), False),
        (Indicator.ATTENTION_TIME, Decimal("-5"), False),
        (Indicator.ATTENTION_TIME, Decimal("12.5"), True),
        (Indicator.ATTENTION_TIME, Decimal("100000000"), False),
    ],
)
def test_objective_target_must_fit_its_indicator(indicator: str, target: Decimal, ok: bool) -> None:
    problem = services.objective_target_problem(indicator=indicator, target=target)
    assert (problem is None) is ok, problem


def test_objective_save_refuses_an_out_of_range_target_on_the_target_field(org: Any) -> None:
    with pytest.raises(DomainError) as caught:
        services.objective_save(
            organization=org, title="Loyalty", indicator=Indicator.NPS, target=Decimal("150")
        )
    assert caught.value.field == "target" and caught.value.code == "target_out_of_range"
    assert not Objective.objects.for_organization(org).exists()


def test_objective_save_scopes_to_a_branch_and_channel_of_the_same_organisation(
    org: Any, other_org: Any
) -> None:
    branch = make_branch(org)
    channel = Channel.objects.for_organization(org).first()
    objective = services.objective_save(
        organization=org,
        title="Fast",
        indicator=Indicator.CSAT,
        target=Decimal("90"),
        branch=branch,
        channel=channel,
    )
    assert objective.branch == branch and objective.channel == channel
    with pytest.raises(DomainError) as caught:
        services.objective_save(
            organization=org,
            title="Leak",
            indicator=Indicator.CSAT,
            target=Decimal("90"),
            branch=make_branch(other_org),
        )
    assert caught.value.field == "branch"


def test_segment_names_are_unique_per_organisation_in_any_case(org: Any, other_org: Any) -> None:
    services.segment_save(organization=org, name="Retirees")
    services.segment_save(organization=other_org, name="Retirees")
    with pytest.raises(Conflict):
        services.segment_save(organization=org, name="  RETIREES ")


def test_expectation_importance_goes_from_1_to_5(org: Any) -> None:
    segment = make_segment(org)
    with pytest.raises(DomainError) as caught:
        services.expectation_save(segment=segment, description="Be greeted", importance=6)
    assert caught.value.field == "importance"
    saved = services.expectation_save(segment=segment, description="Be greeted", importance=5)
    assert saved.organization_id == org.pk


def test_evidence_needs_a_source(org: Any) -> None:
    expectation = make_expectation(org)
    with pytest.raises(DomainError):
        services.evidence_save(expectation=expectation, kind="survey", source="  ", date=date(2026, 1, 1))


def test_a_channel_has_one_cycle_at_most(org: Any) -> None:
    cycle = make_cycle(org)
    with pytest.raises(Conflict):
        services.cycle_save(organization=org, channel=cycle.channel, name="Again")


def test_new_moments_go_at_the_end_and_keep_the_expectations_chosen(org: Any) -> None:
    cycle = make_cycle(org)
    first = services.moment_save(cycle=cycle, name="Arrival")
    e1, e2 = make_expectation(org), make_expectation(org)
    second = services.moment_save(cycle=cycle, name="Greeting", expectations=[e1, e2])
    assert (first.position, second.position) == (1, 2)
    services.moment_save(cycle=cycle, moment=second, name="Greeting", expectations=[e2])
    assert list(MomentExpectation.objects.filter(moment=second).values_list("expectation_id", flat=True)) == [
        e2.pk
    ]


def test_a_moment_procedure_must_be_a_protocol_of_the_organisation(org: Any, other_org: Any) -> None:
    cycle = make_cycle(org)
    with pytest.raises(DomainError) as caught:
        services.moment_save(cycle=cycle, name="X", procedure=make_document(org, kind=DocumentKind.GUIDE))
    assert caught.value.field == "procedure"
    with pytest.raises(DomainError):
        services.moment_save(cycle=cycle, name="X", procedure=make_document(other_org))


def _names(cycle: Any) -> list[str]:
    return list(cycle.moments.order_by("position").values_list("name", flat=True))


def test_moving_a_moment_swaps_it_with_its_neighbour_and_stops_at_the_ends(org: Any) -> None:
    cycle = make_cycle(org)
    a, b, c = (services.moment_save(cycle=cycle, name=n) for n in "ABC")
    services.moment_move(moment=c, direction="up")
    assert _names(cycle) == ["A", "C", "B"]
    services.moment_move(moment=a, direction="up")
    assert _names(cycle) == ["A", "C", "B"]
    with pytest.raises(DomainError):
        services.moment_move(moment=a, direction="sideways")


def test_reorder_must_list_every_moment_exactly_once(org: Any) -> None:
    cycle = make_cycle(org)
    a, b, c = (services.moment_save(cycle=cycle, name=n) for n in "ABC")
    services.moment_reorder(cycle=cycle, order=[c.pk, a.pk, b.pk])
    assert _names(cycle) == ["C", "A", "B"]
    for bad in ([a.pk, b.pk], [a.pk, a.pk, b.pk, c.pk], [a.pk, b.pk, make_moment(org).pk]):
        with pytest.raises(DomainError) as caught:
            services.moment_reorder(cycle=cycle, order=bad)
        assert caught.value.code == "invalid_order"
    assert _names(cycle) == ["C", "A", "B"]


def test_deleting_a_moment_closes_the_gap(org: Any) -> None:
    cycle = make_cycle(org)
    a, b, c = (services.moment_save(cycle=cycle, name=n) for n in "ABC")
    services.moment_delete(moment=b)
    assert list(cycle.moments.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_a_standard_without_threshold_is_kept_as_a_draft(org: Any) -> None:
    moment = make_moment(org)
    standard = services.standard_save(
        moment=moment, name="Wait", metric=StandardMetric.WAIT_TIME, threshold=None, unit=Unit.MINUTES
    )
    assert standard.threshold is None


@pytest.mark.parametrize(
    ("metric", "threshold", "unit", "field"),
    [
        (StandardMetric.WAIT_TIME, Decimal("5"), Unit.COUNT, "unit"),
        (StandardMetric.CONTACTS, Decimal("1"), Unit.MINUTES, "unit"),
        (StandardMetric.WAIT_TIME, Decimal("-1"), Unit.MINUTES, "threshold"),
        (StandardMetric.WAIT_TIME, Decimal("0"), Unit.MINUTES, "threshold"),
        (StandardMetric.MOMENT_RATING, Decimal("120"), Unit.PERCENT, "threshold"),
    ],
)
def test_a_standard_measure_must_make_sense(
    org: Any, metric: str, threshold: Decimal, unit: str, field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        services.standard_save(
            moment=make_moment(org), name="S", metric=metric, threshold=threshold, unit=unit
        )
    assert caught.value.field == field


def test_checklist_items_need_weight_of_at_least_one_and_reorder(org: Any) -> None:
    moment = make_moment(org)
    with pytest.raises(DomainError) as caught:
        services.checklist_item_save(moment=moment, text="Smiles", weight=0)
    assert caught.value.field == "weight"
    one = services.checklist_item_save(moment=moment, text="Smiles")
    two = services.checklist_item_save(moment=moment, text="Says their name", weight=3, critical=True)
    services.checklist_item_move(item=two, direction="up")
    assert list(moment.checklist_items.order_by("position")) == [two, one]
    services.checklist_item_reorder(moment=moment, order=[one.pk, two.pk])
    assert list(moment.checklist_items.order_by("position")) == [one, two]
    services.checklist_item_delete(item=one)
    two.refresh_from_db()
    assert two.position == 1
    assert make_checklist_item(org).weight == 1

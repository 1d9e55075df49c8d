"""Completeness of the four steps, and the plain data the protocol book is built from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from momentos.accounts.models import Channel
from momentos.cycle import selectors, services
from momentos.cycle.choices import KEY_INDICATORS, Indicator, StandardMetric, Unit
from momentos.protocols.choices import VersionStatus
from momentos.protocols.tests.factories import make_document

pytestmark = pytest.mark.django_db


def test_step1_is_complete_when_every_key_indicator_has_a_target(org: Any) -> None:
    step = selectors.step1_progress(organization=org)
    assert (step.done_count, step.total, step.complete) == (0, len(KEY_INDICATORS), False)
    targets = {
        Indicator.CSAT: 85,
        Indicator.NPS: 40,
        Indicator.FIRST_RESPONSE_TIME: 30,
        Indicator.RESOLUTION_RATE: 80,
    }
    for indicator, target in list(targets.items())[:-1]:
        services.objective_save(
            organization=org, title=str(indicator), indicator=indicator, target=Decimal(target)
        )
    step = selectors.step1_progress(organization=org)
    assert step.done_count == len(KEY_INDICATORS) - 1 and not step.complete
    assert [m.url for m in step.missing] == ["/design/objectives/new/?indicator=resolution_rate"]
    services.objective_save(
        organization=org, title="R", indicator=Indicator.RESOLUTION_RATE, target=Decimal(80)
    )
    assert selectors.step1_progress(organization=org).complete


def test_step2_needs_segments_each_with_an_expectation_backed_by_evidence(org: Any) -> None:
    step = selectors.step2_progress(organization=org)
    assert not step.complete and "/design/segments/new/" in step.missing[0].url
    segment = services.segment_save(organization=org, name="Walk-in")
    other = services.segment_save(organization=org, name="Online")
    expectation = services.expectation_save(segment=segment, description="Short wait", importance=5)
    step = selectors.step2_progress(organization=org)
    assert (step.done_count, step.total) == (0, 2) and len(step.missing) == 2
    services.evidence_save(expectation=expectation, kind="survey", source="Survey", date=date(2026, 2, 1))
    step = selectors.step2_progress(organization=org)
    assert (step.done_count, step.total) == (1, 2)
    assert [m.message for m in step.missing] == ["Online: add its needs and expectations."]
    services.evidence_save(
        expectation=services.expectation_save(segment=other, description="Clear answers", importance=4),
        kind="interview",
        source="Interviews",
        date=date(2026, 2, 2),
    )
    assert selectors.step2_progress(organization=org).complete


def _complete_moment(org: Any, cycle: Any, name: str) -> Any:
    moment = services.moment_save(cycle=cycle, name=name, procedure=make_document(org))
    services.standard_save(
        moment=moment, name="Wait", metric=StandardMetric.WAIT_TIME, threshold=Decimal(5), unit=Unit.MINUTES
    )
    services.checklist_item_save(moment=moment, text="Greets")
    return moment


def test_step3_needs_a_cycle_per_active_channel_and_complete_moments(org: Any) -> None:
    active = list(Channel.objects.for_organization(org).filter(is_active=True))
    Channel.objects.for_organization(org).exclude(pk=active[0].pk).update(is_active=False)
    channel = active[0]
    step = selectors.step3_progress(organization=org)
    assert (step.done_count, step.total) == (0, 1) and "?channel=" in step.missing[0].url
    cycle = services.cycle_save(organization=org, channel=channel, name="Front desk")
    assert "add its moments" in selectors.step3_progress(organization=org).missing[0].message
    moment = services.moment_save(cycle=cycle, name="Greeting")
    services.standard_save(
        moment=moment, name="Draft", metric=StandardMetric.WAIT_TIME, threshold=None, unit=Unit.MINUTES
    )
    step = selectors.step3_progress(organization=org)
    assert (step.done_count, step.total) == (1, 2)
    assert step.missing[0].message.endswith(
        "needs a procedure, a standard with a threshold, a checklist item."
    )
    moment.delete()
    _complete_moment(org, cycle, "Greeting")
    assert selectors.step3_progress(organization=org).complete


def test_step3_ignores_cycles_of_channels_no_longer_in_use(org: Any) -> None:
    channels = list(Channel.objects.for_organization(org).filter(is_active=True))
    for channel in channels:
        _complete_moment(
            org, services.cycle_save(organization=org, channel=channel, name=str(channel)), "Hello"
        )
    retired = Channel.objects.for_organization(org).filter(is_active=False).first()
    services.moment_save(cycle=services.cycle_save(organization=org, channel=retired, name="Old"), name="Old")
    assert selectors.step3_progress(organization=org).complete


def test_step4_asks_to_publish_the_procedures_the_cycle_uses(org: Any) -> None:
    step = selectors.step4_progress(organization=org)
    assert not step.complete and step.missing
    channel = Channel.objects.for_organization(org).filter(is_active=True).first()
    moment = _complete_moment(org, services.cycle_save(organization=org, channel=channel, name="C"), "Hello")
    step = selectors.step4_progress(organization=org)
    assert (step.done_count, step.total) == (0, 1)
    version = moment.procedure.versions.get()
    version.status = VersionStatus.PUBLISHED
    version.save()
    moment.procedure.current_version = version
    moment.procedure.save()
    assert selectors.step4_progress(organization=org).complete
    published = selectors.published_documents(organization=org)
    assert [row["version"].pk for row in published] == [version.pk]


def test_design_progress_lists_the_four_steps_in_a_fixed_number_of_queries(
    org: Any, django_assert_max_num_queries: Any
) -> None:
    channel = Channel.objects.for_organization(org).filter(is_active=True).first()
    cycle = services.cycle_save(organization=org, channel=channel, name="C")
    for n in range(5):
        _complete_moment(org, cycle, f"M{n}")
    with django_assert_max_num_queries(12):
        steps = selectors.design_progress(organization=org)
    assert [s.number for s in steps] == [1, 2, 3, 4]


def test_cycle_book_sections_returns_plain_data_in_order(org: Any, other_org: Any) -> None:
    channel = Channel.objects.for_organization(org).filter(is_active=True).first()
    cycle = services.cycle_save(organization=org, channel=channel, name="Front desk")
    second = _complete_moment(org, cycle, "Second")
    first = _complete_moment(org, cycle, "First")
    services.moment_reorder(cycle=cycle, order=[first.pk, second.pk])
    services.standard_save(
        moment=first, name="Draft", metric=StandardMetric.CONTACTS, threshold=None, unit=Unit.COUNT
    )
    services.cycle_save(
        organization=other_org, channel=Channel.objects.for_organization(other_org).first(), name="Not mine"
    )
    book = selectors.cycle_book_sections(org)
    assert [c["name"] for c in book] == ["Front desk"]
    moments = book[0]["moments"]
    assert [m["name"] for m in moments] == ["First", "Second"]
    assert moments[0]["procedure"]["title"].startswith("Document")
    standards = {s["name"]: s for s in moments[0]["standards"]}
    assert standards["Wait"]["threshold"] == Decimal("5.00") and standards["Wait"]["complete"] is True
    assert standards["Wait"]["comparison_symbol"] == "≤" and standards["Wait"]["unit_label"] == "minutes"
    assert standards["Draft"]["complete"] is False
    assert moments[0]["checklist"][0]["text"] == "Greets"


def test_book_chapters_list_moments_standards_and_checklist_escaped(org: Any) -> None:
    pytest.importorskip("momentos.protocols.hooks")
    from momentos.cycle.book import cycle_book_builder

    channel = Channel.objects.for_organization(org).filter(is_active=True).first()
    cycle = services.cycle_save(organization=org, channel=channel, name="Desk")
    moment = _complete_moment(org, cycle, '<script>alert("book")</script>')
    services.checklist_item_save(moment=moment, text="<img src=x onerror=alert(1)>", critical=True)
    (chapter,) = cycle_book_builder(org, "en")
    assert chapter.title.startswith("Service cycle: Desk")
    assert "<script>" not in chapter.html and "<img" not in chapter.html
    assert "&lt;script&gt;" in chapter.html and "≤ 5 minutes" in chapter.html and "critical" in chapter.html

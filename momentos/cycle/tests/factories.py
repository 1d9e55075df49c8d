"""Factories for the four-step design, registered for the tenant-isolation test."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from momentos.accounts.choices import ChannelKind
from momentos.accounts.models import Channel, Organization
from momentos.core.testing import tenant_factory
from momentos.cycle.choices import EvidenceKind, Indicator, StandardMetric
from momentos.cycle.models import (
    ChecklistItem,
    Evidence,
    Expectation,
    Moment,
    MomentExpectation,
    Objective,
    Segment,
    ServiceCycle,
    ServiceStandard,
)
from momentos.protocols.tests.factories import make_document

_seq = itertools.count(1)


@tenant_factory(Objective)
def make_objective(organization: Organization) -> Objective:
    return Objective.objects.create(
        organization=organization,
        title=f"Objective {next(_seq)}",
        indicator=Indicator.CSAT,
        target=Decimal("85"),
    )


@tenant_factory(Segment)
def make_segment(organization: Organization) -> Segment:
    return Segment.objects.create(organization=organization, name=f"Segment {next(_seq)}")


@tenant_factory(Expectation)
def make_expectation(organization: Organization) -> Expectation:
    return Expectation.objects.create(
        organization=organization,
        segment=make_segment(organization),
        description="Be attended quickly",
        importance=5,
    )


@tenant_factory(Evidence)
def make_evidence(organization: Organization) -> Evidence:
    return Evidence.objects.create(
        organization=organization,
        expectation=make_expectation(organization),
        kind=EvidenceKind.INTERVIEW,
        source="Customer interviews",
        date=date(2026, 3, 1),
    )


@tenant_factory(ServiceCycle)
def make_cycle(organization: Organization) -> ServiceCycle:
    used = ServiceCycle.objects.for_organization(organization).values("channel_id")
    channel = Channel.objects.for_organization(organization).exclude(pk__in=used).first()
    if channel is None:
        channel = Channel.objects.create(organization=organization, kind=ChannelKind.SOCIAL)
    return ServiceCycle.objects.create(organization=organization, channel=channel, name=f"Cycle {next(_seq)}")


@tenant_factory(Moment)
def make_moment(organization: Organization) -> Moment:
    cycle = make_cycle(organization)
    return Moment.objects.create(
        organization=organization,
        cycle=cycle,
        position=1,
        name="Greeting",
        procedure=make_document(organization),
    )


@tenant_factory(MomentExpectation)
def make_moment_expectation(organization: Organization) -> MomentExpectation:
    return MomentExpectation.objects.create(
        organization=organization,
        moment=make_moment(organization),
        expectation=make_expectation(organization),
    )


@tenant_factory(ServiceStandard)
def make_standard(organization: Organization) -> ServiceStandard:
    return ServiceStandard.objects.create(
        organization=organization,
        moment=make_moment(organization),
        name="First response",
        metric=StandardMetric.FIRST_RESPONSE_TIME,
        threshold=Decimal("2"),
        unit="hours",
        business_hours=True,
    )


@tenant_factory(ChecklistItem)
def make_checklist_item(organization: Organization) -> ChecklistItem:
    return ChecklistItem.objects.create(
        organization=organization,
        moment=make_moment(organization),
        position=1,
        text="Greets within 10 seconds",
    )

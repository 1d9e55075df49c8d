"""Factories for interactions, registered for the tenant-isolation test."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from momentos.accounts.choices import ChannelKind
from momentos.accounts.models import Channel, Organization
from momentos.accounts.tests.factories import make_branch
from momentos.attention.choices import ImportFormat, ImportStatus, StandardStatus, TickAnswer
from momentos.attention.models import (
    ChecklistTick,
    ColumnMapping,
    ImportJob,
    Interaction,
    MomentReached,
    StandardResult,
)
from momentos.core.testing import tenant_factory
from momentos.cycle.models import ChecklistItem, Moment, ServiceCycle
from momentos.cycle.tests.factories import make_standard

_seq = itertools.count(1)
BOGOTA = ZoneInfo("America/Bogota")


def at(*args: int) -> datetime:
    """An aware instant in Bogotá, the time zone of the default test branch."""
    return datetime(*args, tzinfo=BOGOTA)


def channel_of(organization: Organization, kind: str = ChannelKind.PHONE) -> Channel:
    return Channel.objects.for_organization(organization).get(kind=kind)


@tenant_factory(Interaction)
def make_interaction(organization: Organization, **fields: Any) -> Interaction:
    if "branch" not in fields:
        fields["branch"] = make_branch(organization)
    fields.setdefault("channel", channel_of(organization))
    fields.setdefault("started_at", at(2026, 3, 2, 9, 0))
    fields.setdefault("reason", f"Question {next(_seq)}")
    return Interaction.objects.create(organization=organization, **fields)


def make_cycle_for(channel: Channel, *names: str) -> list[Moment]:
    """A cycle for ``channel`` with one moment per name, in order (positions 1, 2, …)."""
    cycle = ServiceCycle.objects.create(
        organization_id=channel.organization_id, channel=channel, name=f"Cycle {next(_seq)}"
    )
    return [
        Moment.objects.create(organization_id=channel.organization_id, cycle=cycle, position=i, name=name)
        for i, name in enumerate(names, start=1)
    ]


@tenant_factory(MomentReached)
def make_moment_reached(organization: Organization) -> MomentReached:
    interaction = make_interaction(organization)
    moment = Moment.objects.create(
        organization=organization,
        cycle=ServiceCycle.objects.get_or_create(
            organization=organization, channel=interaction.channel, defaults={"name": "Phone"}
        )[0],
        position=next(_seq),
        name="Greeting",
    )
    return MomentReached.objects.create(
        organization=organization,
        interaction=interaction,
        moment=moment,
        reached_at=interaction.started_at + timedelta(minutes=1),
    )


@tenant_factory(StandardResult)
def make_standard_result(organization: Organization) -> StandardResult:
    standard = make_standard(organization)
    interaction = make_interaction(organization, channel=standard.moment.cycle.channel)
    return StandardResult.objects.create(
        organization=organization,
        interaction=interaction,
        standard=standard,
        status=StandardStatus.MET,
        measured=1,
        unit=standard.unit,
    )


@tenant_factory(ChecklistTick)
def make_checklist_tick(organization: Organization) -> ChecklistTick:
    reached = make_moment_reached(organization)
    item = ChecklistItem.objects.create(
        organization=organization, moment=reached.moment, position=1, text="Says their name"
    )
    return ChecklistTick.objects.create(
        organization=organization,
        interaction=reached.interaction,
        item=item,
        answer=TickAnswer.YES,
        ticked_at=reached.reached_at,
    )


@tenant_factory(ColumnMapping)
def make_column_mapping(organization: Organization, **fields: Any) -> ColumnMapping:
    fields.setdefault("name", f"Mapping {next(_seq)}")
    fields.setdefault("columns", {"external_id": "id", "started_at": "created"})
    return ColumnMapping.objects.create(organization=organization, **fields)


@tenant_factory(ImportJob)
def make_import_job(organization: Organization, **fields: Any) -> ImportJob:
    fields.setdefault("file_name", f"tickets-{next(_seq)}.csv")
    fields.setdefault("file_format", ImportFormat.CSV)
    fields.setdefault("status", ImportStatus.DONE)
    return ImportJob.objects.create(organization=organization, **fields)

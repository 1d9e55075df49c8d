"""Figures for proposal and before/after tests: closed interactions, standard verdicts, a dated version."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

from momentos.attention.choices import Outcome, StandardStatus
from momentos.attention.models import StandardResult
from momentos.attention.tests.factories import at, channel_of, make_cycle_for, make_interaction
from momentos.cycle.choices import Comparison, Indicator, StandardMetric
from momentos.cycle.models import Moment, Objective, ServiceStandard
from momentos.protocols.models import DocumentVersion
from momentos.protocols.tests.factories import published_protocol, quality_manager_of


def closed(organization: Any, branch: Any, when: datetime, outcome: str = Outcome.RESOLVED) -> Any:
    return make_interaction(
        organization, branch=branch, started_at=when, closed_at=when + timedelta(minutes=20), outcome=outcome
    )


def closed_many(organization: Any, branch: Any, when: datetime, *, resolved: int, unresolved: int) -> None:
    for _ in range(resolved):
        closed(organization, branch, when, Outcome.RESOLVED)
    for _ in range(unresolved):
        closed(organization, branch, when, Outcome.UNRESOLVED)


def resolution_objective(organization: Any, branch: Any = None, target: str = "80") -> Objective:
    return Objective.objects.create(
        organization=organization,
        title="Resolve most questions",
        indicator=Indicator.RESOLUTION_RATE,
        comparison=Comparison.GTE,
        target=Decimal(target),
        branch=branch,
    )


def cycle_with_standards(organization: Any, *names: str) -> list[Moment]:
    moments = make_cycle_for(channel_of(organization), *names)
    for moment in moments:
        ServiceStandard.objects.create(
            organization=organization,
            moment=moment,
            name=f"Contacts at {moment.name}",
            metric=StandardMetric.CONTACTS,
            threshold=Decimal("1"),
            unit="count",
        )
    return moments


def verdicts(
    organization: Any, branch: Any, moment: Moment, when: datetime, *, met: int, missed: int
) -> None:
    standard = moment.standards.get()
    for status, count in ((StandardStatus.MET, met), (StandardStatus.MISSED, missed)):
        for _ in range(count):
            StandardResult.objects.create(
                organization=organization,
                interaction=closed(organization, branch, when),
                standard=standard,
                status=status,
                measured=1,
                unit=standard.unit,
            )


def version_published_at(organization: Any, when: datetime) -> DocumentVersion:
    """A protocol version published at ``when`` (a published version never changes afterwards)."""
    with mock.patch("momentos.protocols.services.timezone.now", return_value=when):
        version: DocumentVersion = published_protocol(organization, quality_manager_of(organization))
    return version


__all__ = ["at"]

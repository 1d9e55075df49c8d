"""Marking a partition never fails a customer's write on a branch whose time zone is unusable."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from momentos.accounts.models import Branch, Organization
from momentos.accounts.tests.factories import make_branch, make_organization
from momentos.attention import hooks
from momentos.attention.choices import Outcome
from momentos.attention.models import Interaction
from momentos.attention.tests.factories import channel_of
from momentos.insight import rollups
from momentos.insight.models import RollupDirty
from momentos.insight.tests.factories import make_scored_version
from momentos.surveys.choices import ResponseSource
from momentos.surveys.services import AnswerData, response_submit

pytestmark = pytest.mark.django_db

# 23:00 in Bogotá on the 2nd is already the 3rd in UTC: the day tells which zone was used.
LATE_IN_BOGOTA = datetime(2026, 3, 2, 23, 0, tzinfo=ZoneInfo("America/Bogota"))


@pytest.fixture
def org() -> Any:
    org = make_organization()
    Organization.objects.filter(pk=org.pk).update(time_zone="America/Bogota")
    return org


def broken_branch(org: Any, zone: str) -> Any:
    """A branch whose zone became unusable behind the services' back (a script, an old tz database)."""
    branch = make_branch(org, time_zone="Europe/Madrid")
    Branch.objects.filter(pk=branch.pk).update(time_zone=zone)
    rollups.forget_zone(branch.pk)
    return branch


def dirty(org: Any) -> set[tuple[Any, date]]:
    return set(RollupDirty.objects.for_organization(org).values_list("branch_id", "day"))


def test_an_unusable_branch_zone_falls_back_to_the_organisations(
    org: Any, caplog: pytest.LogCaptureFixture
) -> None:
    branch = broken_branch(org, "Mars/Olympus")
    rows = Interaction.objects.bulk_create(
        [
            Interaction(
                organization=org,
                branch=branch,
                channel=channel_of(org),
                started_at=LATE_IN_BOGOTA,
                closed_at=LATE_IN_BOGOTA + timedelta(minutes=5),
                outcome=Outcome.RESOLVED,
            )
        ]
    )
    with caplog.at_level(logging.WARNING, logger="momentos.insight.rollups"):
        hooks.send_interactions_closed(rows)
    assert dirty(org) == {(branch.pk, date(2026, 3, 2))}
    assert "Mars/Olympus" in caplog.text


def test_a_customers_submit_is_stored_when_both_zones_are_unusable(
    org: Any, caplog: pytest.LogCaptureFixture
) -> None:
    branch = broken_branch(org, "Mars/Olympus")
    Organization.objects.filter(pk=org.pk).update(time_zone="Atlantis/Capital")
    version = make_scored_version(org)
    with caplog.at_level(logging.WARNING, logger="momentos.insight.rollups"):
        response = response_submit(
            version=version,
            answers={q.pk: AnswerData(value=5) for q in version.questions.all()},
            source=ResponseSource.QR,
            language="es",
            branch=branch,
        )
    assert response.pk is not None
    # UTC, the last resort.
    assert dirty(org) == {(branch.pk, response.submitted_at.astimezone(UTC).date())}
    assert "Mars/Olympus" in caplog.text


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", "../../etc/passwd", None])
def test_local_day_reads_an_unusable_zone_as_utc(zone: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="momentos.insight.rollups"):
        assert rollups.local_day(LATE_IN_BOGOTA, zone) == date(2026, 3, 3)
    assert "Unusable time zone" in caplog.text
    assert rollups.local_day(LATE_IN_BOGOTA, "America/Bogota") == date(2026, 3, 2)

"""The database keeps actions consistent: statuses, closing stamps, due dates, one proposal per source."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from momentos.cycle.tests.factories import make_moment, make_objective
from momentos.improvement.choices import ActionStatus
from momentos.improvement.tests.factories import make_action
from momentos.surveys.tests.factories import make_follow_up

pytestmark = pytest.mark.django_db


def _refused(**fields: Any) -> None:
    org = fields.pop("org")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_action(org, **fields)


def test_an_unknown_status_is_refused(org: Any) -> None:
    _refused(org=org, status="maybe")


def test_a_closed_action_must_say_when_it_closed(org: Any) -> None:
    _refused(org=org, status=ActionStatus.DONE, closed_at=None)
    assert make_action(org, status=ActionStatus.DONE, closed_at=timezone.now()).is_closed


def test_an_active_action_has_no_closing_stamp(org: Any) -> None:
    _refused(org=org, status=ActionStatus.OPEN, closed_at=timezone.now())


def test_a_committed_action_needs_a_due_date(org: Any) -> None:
    _refused(org=org, status=ActionStatus.IN_PROGRESS, due_date=None)
    assert make_action(org, status=ActionStatus.PROPOSED, due_date=None, owner=None).pk


@pytest.mark.parametrize("source", ["objective", "moment", "follow_up"])
def test_two_pending_proposals_for_the_same_source_are_refused(org: Any, source: str) -> None:
    factory = {"objective": make_objective, "moment": make_moment, "follow_up": make_follow_up}[source]
    target = factory(org)
    make_action(org, status=ActionStatus.PROPOSED, **{source: target})
    _refused(org=org, status=ActionStatus.PROPOSED, **{source: target})
    # An accepted action for the same source does not block a later proposal.
    assert make_action(org, status=ActionStatus.OPEN, **{source: target}).pk

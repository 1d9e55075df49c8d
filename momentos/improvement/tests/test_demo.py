"""The demo organisation's improvement actions: one overdue, one proposal, one closed by a published version."""

from __future__ import annotations

import pytest
from django.utils import timezone

from momentos.accounts.models import Organization
from momentos.demo import load_demo
from momentos.improvement.choices import ActionStatus
from momentos.improvement.models import ImprovementAction
from momentos.protocols.choices import VersionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_overdue_a_proposed_and_a_closed_action() -> None:
    load_demo(interactions=400)
    org = Organization.objects.get(name="Banco Horizonte")
    actions = list(ImprovementAction.objects.for_organization(org).select_related("closing_version"))
    today = timezone.localdate()
    assert any(a.is_overdue(today) for a in actions)
    assert any(a.status == ActionStatus.PROPOSED and a.follow_up_id for a in actions)
    [closed] = [a for a in actions if a.status == ActionStatus.DONE]
    assert closed.closing_version is not None
    assert closed.closing_version.status == VersionStatus.PUBLISHED
    assert closed.closing_version.number == 2
    assert closed.closing_version.change_note

"""Factories for improvement actions, registered for the tenant-isolation test."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from momentos.accounts.models import Organization
from momentos.accounts.tests.factories import admin_of, make_branch
from momentos.core.testing import tenant_factory
from momentos.improvement.choices import ActionSource, ActionStatus, EventKind
from momentos.improvement.models import ActionEvent, ImprovementAction

_seq = itertools.count(1)


@tenant_factory(ImprovementAction)
def make_action(organization: Organization, **fields: Any) -> ImprovementAction:
    if "branch" not in fields:
        fields["branch"] = make_branch(organization)
    if "owner" not in fields:
        fields["owner"] = admin_of(organization).user
    fields.setdefault("title", f"Action {next(_seq)}")
    fields.setdefault("source", ActionSource.MANUAL)
    fields.setdefault("status", ActionStatus.OPEN)
    fields.setdefault("due_date", date(2026, 4, 30))
    return ImprovementAction.objects.create(organization=organization, **fields)


@tenant_factory(ActionEvent)
def make_action_event(organization: Organization) -> ActionEvent:
    action = make_action(organization)
    return ActionEvent.objects.create(
        organization=organization, action=action, kind=EventKind.RAISED, status=action.status
    )

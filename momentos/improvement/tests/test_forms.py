"""The action form: owners are members, closing versions are the organisation's published ones."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of, make_branch, make_member, make_user
from momentos.improvement import services
from momentos.improvement.forms import ActionForm
from momentos.improvement.tests.factories import make_action
from momentos.protocols.tests.factories import make_version, published_protocol, quality_manager_of

pytestmark = pytest.mark.django_db


def form_for(org: Any, scope: Any = None, **data: Any) -> ActionForm:
    scope = scope or admin_of(org)
    base = {
        "title": "Shorter queues",
        "source": "manual",
        "owner": str(scope.user_id),
        "due_date": "2026-05-01",
    }
    return ActionForm({**base, **data}, organization=org, scope=scope)


def test_a_complete_form_is_valid(org: Any) -> None:
    version = published_protocol(org, quality_manager_of(org))
    form = form_for(org, closing_version=str(version.pk))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["closing_version"] == version


def test_an_owner_from_another_organisation_is_a_form_error(org: Any, other_org: Any) -> None:
    form = form_for(org, owner=str(admin_of(other_org).user_id))
    assert not form.is_valid()
    assert "owner" in form.errors


def test_a_user_without_membership_cannot_own_an_action(org: Any) -> None:
    form = form_for(org, owner=str(make_user().pk))
    assert not form.is_valid()
    assert "owner" in form.errors


def test_a_version_of_another_organisation_is_a_form_error(org: Any, other_org: Any) -> None:
    foreign = published_protocol(other_org, quality_manager_of(other_org))
    form = form_for(org, closing_version=str(foreign.pk))
    assert not form.is_valid()
    assert "closing_version" in form.errors


def test_a_draft_version_cannot_close_an_action(org: Any) -> None:
    form = form_for(org, closing_version=str(make_version(org).pk))
    assert not form.is_valid()
    assert "closing_version" in form.errors


def test_raised_from_an_objective_needs_the_objective(org: Any) -> None:
    form = form_for(org, source="objective")
    assert not form.is_valid()
    assert "objective" in form.errors


def test_a_supervisor_must_keep_the_action_in_their_branches(org: Any) -> None:
    mine, other = make_branch(org), make_branch(org)
    supervisor = make_member(org, role=Role.SUPERVISOR, branches=[mine])
    assert "branch" in form_for(org, supervisor, owner=str(admin_of(org).user_id)).errors
    assert "branch" in form_for(org, supervisor, branch=str(other.pk)).errors
    assert form_for(org, supervisor, branch=str(mine.pk)).is_valid()


def test_the_service_refuses_a_foreign_owner_even_without_the_form(org: Any, other_org: Any) -> None:
    action = make_action(org)
    with pytest.raises(services.DomainError) as error:
        services.action_update(action=action, owner=admin_of(other_org).user)
    assert error.value.field == "owner"
    with pytest.raises(services.DomainError) as error:
        services.action_update(action=action, closing_version=make_version(org))
    assert error.value.field == "closing_version"
    with pytest.raises(services.DomainError):
        services.action_accept(action=action, owner=admin_of(org).user, due_date=date(2026, 5, 1))

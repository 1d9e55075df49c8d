"""Deleting a branch or team keeps history: refused with a message when other records depend on it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from momentos.accounts import services
from momentos.accounts.choices import Role
from momentos.accounts.models import Branch, Holiday, Membership, Team
from momentos.accounts.tests.factories import make_branch, make_holiday, make_team
from momentos.core.errors import Conflict
from momentos.cycle.models import Objective

pytestmark = pytest.mark.django_db


def test_branch_with_only_its_own_hours_and_holidays_is_deleted(org: Any, admin_client: Any) -> None:
    branch = make_branch(org, name="Temporary")
    services.holiday_add(branch=branch, date=make_holiday(org).date, name="Closed")
    response = admin_client.post(reverse("accounts:branch_delete", kwargs={"pk": branch.pk}))
    assert response.status_code == 302
    assert not Branch.objects.filter(pk=branch.pk).exists()
    assert not Holiday.objects.filter(branch_id=branch.pk).exists()


def test_branch_with_history_is_kept_and_the_page_says_why(org: Any, admin_client: Any) -> None:
    branch = make_branch(org, name="Busy")
    Objective.objects.create(organization=org, title="CSAT here", indicator="csat", target=85, branch=branch)
    response = admin_client.post(reverse("accounts:branch_delete", kwargs={"pk": branch.pk}), follow=True)
    assert Branch.objects.filter(pk=branch.pk).exists()
    assert Objective.objects.filter(branch=branch).count() == 1
    assert "cannot be deleted" in response.content.decode()


def test_team_with_members_is_deleted_and_members_stay(org: Any, make_member_of: Any) -> None:
    team = make_team(org)
    member = make_member_of(Role.AGENT, teams=[team])
    services.team_delete(team=team)
    assert not Team.objects.filter(pk=team.pk).exists()
    assert Membership.objects.filter(pk=member.pk).exists()


def test_last_active_administrator_cannot_be_demoted_by_another(
    org: Any, admin: Any, make_member_of: Any
) -> None:
    other = make_member_of(Role.ADMIN)
    services.membership_update(
        membership=admin, actor=other, role=Role.AGENT, branches=[], teams=[make_team(org)]
    )
    with pytest.raises(Exception) as excinfo:
        services.membership_update(membership=other, actor=admin, role=Role.AGENT, branches=[], teams=[])
    assert getattr(excinfo.value, "code", "") in {"last_admin", "self_demotion"}
    other.refresh_from_db()
    assert other.role == Role.ADMIN


def test_conflict_lists_what_depends_on_the_branch(org: Any) -> None:
    branch = make_branch(org)
    Objective.objects.create(organization=org, title="NPS", indicator="nps", target=40, branch=branch)
    with pytest.raises(Conflict) as excinfo:
        services.branch_delete(branch=branch)
    assert excinfo.value.code == "has_history"
    assert excinfo.value.details == {"objectives": 1}

"""Automatic proposals: from an objective off target, the weakest moment, a late detractor follow-up; never twice."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from momentos.accounts.tests.factories import make_branch
from momentos.improvement import services
from momentos.improvement.choices import ActionSource, ActionStatus
from momentos.improvement.models import ImprovementAction
from momentos.improvement.tests.factories import make_action
from momentos.improvement.tests.support import (
    at,
    closed_many,
    cycle_with_standards,
    resolution_objective,
    verdicts,
)
from momentos.surveys.choices import FollowUpStatus
from momentos.surveys.models import FollowUp
from momentos.surveys.tests.factories import make_follow_up, make_response

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 15)


def propose(org: Any) -> list[ImprovementAction]:
    return services.propose_actions(organization=org, today=TODAY)


def test_an_objective_off_target_is_proposed_once(org: Any) -> None:
    branch = make_branch(org)
    closed_many(org, branch, at(2026, 3, 3, 10), resolved=1, unresolved=3)  # 25 % against ≥ 80 %
    objective = resolution_objective(org, branch)
    resolution_objective(org, branch, target="20")  # 25 % ≥ 20 %: on target, nothing to do
    [action] = propose(org)
    assert action.source == ActionSource.OBJECTIVE
    assert action.objective == objective
    assert action.branch == branch
    assert action.status == ActionStatus.PROPOSED
    assert action.owner is None
    assert action.created_by is None
    assert "25" in action.description
    assert propose(org) == []


def test_an_objective_without_data_is_not_proposed(org: Any) -> None:
    resolution_objective(org)
    assert propose(org) == []


def test_the_weakest_moment_below_the_threshold_is_proposed(org: Any) -> None:
    branch = make_branch(org)
    greeting, solution = cycle_with_standards(org, "Greeting", "Solution")
    verdicts(org, branch, greeting, at(2026, 3, 10, 9), met=3, missed=1)  # 75
    verdicts(org, branch, solution, at(2026, 3, 10, 9), met=1, missed=3)  # 25: the weakest
    [action] = [a for a in propose(org) if a.source == ActionSource.MOMENT]
    assert action.moment == solution
    assert "Solution" in action.title
    assert not [a for a in propose(org) if a.source == ActionSource.MOMENT]


def test_a_weakest_moment_above_the_threshold_is_left_alone(org: Any) -> None:
    branch = make_branch(org)
    greeting, solution = cycle_with_standards(org, "Greeting", "Solution")
    verdicts(org, branch, greeting, at(2026, 3, 10, 9), met=4, missed=0)
    verdicts(org, branch, solution, at(2026, 3, 10, 9), met=3, missed=1)  # 75 ≥ 70
    assert not [a for a in propose(org) if a.source == ActionSource.MOMENT]


def test_verdicts_older_than_the_window_do_not_count(org: Any) -> None:
    branch = make_branch(org)
    (greeting,) = cycle_with_standards(org, "Greeting")
    verdicts(org, branch, greeting, at(2026, 2, 1, 9), met=0, missed=4)  # 42 days before TODAY
    assert propose(org) == []


def test_an_nps_detractor_follow_up_open_past_its_due_date_is_proposed(org: Any) -> None:
    late = make_follow_up(org)  # NPS 2
    FollowUp.objects.filter(pk=late.pk).update(due_date=date(2026, 3, 10))
    on_time = make_follow_up(org)
    FollowUp.objects.filter(pk=on_time.pk).update(due_date=date(2026, 3, 20))
    done = make_follow_up(org)
    FollowUp.objects.filter(pk=done.pk).update(
        due_date=date(2026, 3, 1), status=FollowUpStatus.DONE, outcome="resolved"
    )
    csat = make_response(org, scores=(9, 1)).alerts.get().follow_up  # a low CSAT, not a detractor
    FollowUp.objects.filter(pk=csat.pk).update(due_date=date(2026, 3, 1))
    [action] = propose(org)
    assert action.source == ActionSource.DETRACTOR
    assert action.follow_up == late
    assert action.branch == late.alert.branch
    assert propose(org) == []


def test_a_source_with_an_action_under_way_or_just_dismissed_is_not_proposed_again(org: Any) -> None:
    branch = make_branch(org)
    closed_many(org, branch, at(2026, 3, 3, 10), resolved=0, unresolved=2)
    objective = resolution_objective(org, branch)
    make_action(org, objective=objective, status=ActionStatus.IN_PROGRESS)
    assert propose(org) == []
    ImprovementAction.objects.all().delete()
    make_action(org, objective=objective, status=ActionStatus.DISMISSED, closed_at=timezone.now())
    assert propose(org) == []
    # Done long ago: the objective is off target again, so it is proposed again.
    ImprovementAction.objects.all().delete()
    make_action(org, objective=objective, status=ActionStatus.DONE, closed_at=timezone.now())
    assert [a.objective for a in propose(org)] == [objective]


def test_proposals_stay_in_their_organisation(org: Any, other_org: Any) -> None:
    branch = make_branch(org)
    closed_many(org, branch, at(2026, 3, 3, 10), resolved=0, unresolved=2)
    resolution_objective(org, branch)
    resolution_objective(other_org)
    assert len(propose(org)) == 1
    assert services.propose_actions(organization=other_org, today=TODAY) == []


def test_the_daily_command_runs_the_task_for_each_organisation(org: Any, capsys: Any) -> None:
    late = make_follow_up(org)
    FollowUp.objects.filter(pk=late.pk).update(due_date=date(2020, 1, 1))
    call_command("propose_actions")
    assert f"{org.slug}: 1 proposed" in capsys.readouterr().out
    assert ImprovementAction.objects.for_organization(org).filter(status=ActionStatus.PROPOSED).count() == 1


def test_the_look_for_proposals_button(org: Any, admin_client: Any) -> None:
    # Proposals are written in the organisation's language; this one reads English.
    org.language = "en"
    org.save(update_fields=["language"])
    late = make_follow_up(org)
    FollowUp.objects.filter(pk=late.pk).update(due_date=date(2020, 1, 1))
    response = admin_client.post(reverse("improvement:action_propose"), follow=True)
    page = response.content.decode()
    assert "1 new proposal to review" in page
    assert "Call back the detractor" in page
    again = admin_client.post(reverse("improvement:action_propose"), follow=True)
    assert "Nothing new to propose" in again.content.decode()


def test_momentos_actions_propose_runs_the_command_for_one_organisation(
    org: Any, other_org: Any, capsys: Any
) -> None:
    from momentos.cli import main

    assert main(["actions", "propose", "--organization", org.slug]) == 0
    out = capsys.readouterr().out
    assert f"{org.slug}: 0 proposed" in out
    assert other_org.slug not in out

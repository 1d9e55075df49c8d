"""Pages of improvement actions: who sees what, raising from context, status moves, accepting, deleting."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of, make_branch
from momentos.cycle.tests.factories import make_moment, make_objective
from momentos.improvement.choices import ActionSource, ActionStatus
from momentos.improvement.models import ImprovementAction
from momentos.improvement.tests.factories import make_action
from momentos.surveys.tests.factories import make_follow_up

pytestmark = pytest.mark.django_db


def detail(action: Any) -> str:
    return reverse("improvement:action_detail", kwargs={"pk": action.pk})


def test_anonymous_is_sent_to_log_in(client: Any) -> None:
    response = client.get(reverse("improvement:action_list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_agents_do_not_see_actions(org: Any, make_member_of: Any, member_client: Any) -> None:
    branch = make_branch(org)
    action = make_action(org, branch=branch)
    client = member_client(make_member_of(Role.AGENT, branches=[branch]))
    for url in (reverse("improvement:action_list"), detail(action), reverse("improvement:action_create")):
        assert client.get(url).status_code == 404, url


def test_a_supervisor_sees_and_updates_only_the_actions_of_their_branches(
    org: Any, make_member_of: Any, member_client: Any
) -> None:
    mine, other = make_branch(org, name="Mine"), make_branch(org, name="Other")
    own = make_action(org, branch=mine, title="Ours")
    make_action(org, branch=other, title="Theirs")
    make_action(org, branch=None, title="Everyone's")
    client = member_client(make_member_of(Role.SUPERVISOR, branches=[mine]))
    page = client.get(reverse("improvement:action_list")).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page
    assert "Everyone" not in page
    moved = client.post(
        reverse("improvement:action_status", kwargs={"pk": own.pk}), {"status": "in_progress"}
    )
    assert moved.status_code == 302
    own.refresh_from_db()
    assert own.status == ActionStatus.IN_PROGRESS
    # Managing (raising, deleting, looking for proposals) is for quality managers and admins.
    assert client.get(reverse("improvement:action_create")).status_code == 404
    assert client.get(reverse("improvement:action_delete", kwargs={"pk": own.pk})).status_code == 404
    assert client.post(reverse("improvement:action_propose")).status_code == 404


def test_the_list_filters_and_searches(org: Any, admin_client: Any) -> None:
    late = make_action(org, title="Late one", due_date=date(2020, 1, 1))
    make_action(org, title="Future one", due_date=date(2999, 1, 1))
    make_action(org, title="Proposal", status=ActionStatus.PROPOSED, due_date=None, owner=None)
    url = reverse("improvement:action_list")
    overdue = admin_client.get(url, {"overdue": "on"}).content.decode()
    assert "Late one" in overdue
    assert "Future one" not in overdue
    assert "Overdue" in overdue
    proposed = admin_client.get(url, {"status": "proposed"}).content.decode()
    assert "Proposal" in proposed
    assert "Late one" not in proposed
    found = admin_client.get(url, {"q": "future"}).content.decode()
    assert "Future one" in found
    assert "Late one" not in found
    by_owner = admin_client.get(url, {"owner": str(late.owner_id), "q": "late"}).content.decode()
    assert "Late one" in by_owner
    ignored = admin_client.get(url, {"status": "nonsense"})
    assert ignored.status_code == 200
    assert "Some filters were ignored" in ignored.content.decode()


def test_the_empty_list_explains_what_actions_are(org: Any, admin_client: Any) -> None:
    page = admin_client.get(reverse("improvement:action_list")).content.decode()
    assert "No improvement actions yet" in page


def test_raising_an_action_from_an_objective_prefills_the_form(
    org: Any, admin_client: Any, admin: Any
) -> None:
    branch = make_branch(org)
    objective = make_objective(org)
    objective.branch = branch
    objective.save()
    page = admin_client.get(reverse("improvement:action_create"), {"objective": str(objective.pk)})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["objective"] == objective
    assert form.initial["source"] == ActionSource.OBJECTIVE
    assert form.initial["branch"] == branch
    saved = admin_client.post(
        reverse("improvement:action_create") + f"?objective={objective.pk}",
        {
            "title": "Back on target",
            "source": "objective",
            "objective": str(objective.pk),
            "branch": str(branch.pk),
            "owner": str(admin.user_id),
            "due_date": "2026-06-30",
        },
    )
    action = ImprovementAction.objects.get(title="Back on target")
    assert saved["Location"] == detail(action)
    assert action.created_by == admin.user
    assert action.status == ActionStatus.OPEN
    assert "raised" in admin_client.get(saved["Location"]).content.decode()


def test_raising_from_a_moment_or_a_follow_up(org: Any, admin_client: Any) -> None:
    moment = make_moment(org)
    form = admin_client.get(reverse("improvement:action_create"), {"moment": str(moment.pk)}).context["form"]
    assert form.initial["moment"] == moment
    follow_up = make_follow_up(org)
    form = admin_client.get(reverse("improvement:action_create"), {"follow_up": str(follow_up.pk)}).context[
        "form"
    ]
    assert form.initial["follow_up"] == follow_up
    assert form.initial["branch"] == follow_up.alert.branch


def test_prefilling_from_another_organisations_objective_is_404(
    org: Any, other_org: Any, admin_client: Any
) -> None:
    foreign = make_objective(other_org)
    assert (
        admin_client.get(reverse("improvement:action_create"), {"objective": str(foreign.pk)}).status_code
        == 404
    )
    assert admin_client.get(reverse("improvement:action_create"), {"moment": "not-an-id"}).status_code == 404


def test_a_foreign_owner_posted_to_the_form_is_a_form_error(
    org: Any, other_org: Any, admin_client: Any
) -> None:
    response = admin_client.post(
        reverse("improvement:action_create"),
        {
            "title": "X",
            "source": "manual",
            "owner": str(admin_of(other_org).user_id),
            "due_date": "2026-06-30",
        },
    )
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    assert not ImprovementAction.objects.exists()


def test_status_moves_close_and_reopen_with_a_message(org: Any, admin_client: Any) -> None:
    action = make_action(org)
    url = reverse("improvement:action_status", kwargs={"pk": action.pk})
    response = admin_client.post(url, {"status": "done"}, follow=True)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.closed_at is not None
    assert "is now Done" in response.content.decode()
    admin_client.post(url, {"status": "open"})
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert action.closed_at is None


def test_a_forbidden_move_is_a_message_not_an_error(org: Any, admin_client: Any) -> None:
    action = make_action(org, status=ActionStatus.DONE, closed_at=timezone.now())
    url = reverse("improvement:action_status", kwargs={"pk": action.pk})
    response = admin_client.post(url, {"status": "in_progress"}, follow=True)
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()
    assert admin_client.post(url, {"status": "bogus"}).status_code == 302
    assert admin_client.get(url).status_code == 405


def test_accepting_a_proposal_gives_it_an_owner_and_a_due_date(
    org: Any, admin_client: Any, make_member_of: Any
) -> None:
    proposal = make_action(org, status=ActionStatus.PROPOSED, owner=None, due_date=None)
    url = reverse("improvement:action_accept", kwargs={"pk": proposal.pk})
    offered = admin_client.get(url)
    assert offered.status_code == 200
    assert offered.context["form"].initial["owner"] == admin_of(org).user_id  # the one accepting, by default
    refused = admin_client.post(url, {"owner": "", "due_date": ""})
    assert refused.status_code == 400
    owner = make_member_of(Role.SUPERVISOR)
    accepted = admin_client.post(url, {"owner": str(owner.user_id), "due_date": "2026-07-01"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == ActionStatus.OPEN
    assert proposal.owner == owner.user
    assert proposal.due_date == date(2026, 7, 1)
    assert "Proposal accepted" in accepted.content.decode()


def test_dismissing_a_proposal(org: Any, admin_client: Any) -> None:
    proposal = make_action(org, status=ActionStatus.PROPOSED, owner=None, due_date=None)
    admin_client.post(
        reverse("improvement:action_status", kwargs={"pk": proposal.pk}), {"status": "dismissed"}
    )
    proposal.refresh_from_db()
    assert proposal.status == ActionStatus.DISMISSED


def test_delete_asks_first(org: Any, admin_client: Any) -> None:
    action = make_action(org, title="To go")
    url = reverse("improvement:action_delete", kwargs={"pk": action.pk})
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    assert ImprovementAction.objects.filter(pk=action.pk).exists()
    gone = admin_client.post(url, follow=True)
    assert not ImprovementAction.objects.filter(pk=action.pk).exists()
    assert "deleted" in gone.content.decode()


def test_edit_keeps_the_rules_of_the_form(org: Any, admin_client: Any, other_org: Any) -> None:
    action = make_action(org)
    url = reverse("improvement:action_edit", kwargs={"pk": action.pk})
    page = admin_client.get(url)
    assert page.status_code == 200
    data = {"title": "Renamed", "source": "manual", "owner": str(action.owner_id), "due_date": "2026-08-01"}
    assert admin_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.title == "Renamed"
    assert action.branch is None  # left empty in the form: the whole organisation


def test_the_detail_shows_overdue_and_the_history(org: Any, admin_client: Any) -> None:
    action = make_action(org, due_date=timezone.localdate() - timedelta(days=3))
    page = admin_client.get(detail(action)).content.decode()
    assert "Overdue" in page
    assert "Link the published protocol version" in page


def test_the_home_page_shows_overdue_actions(org: Any, admin_client: Any) -> None:
    make_action(org, title="Forgotten action", due_date=timezone.localdate() - timedelta(days=2))
    page = admin_client.get(reverse("core:home")).content.decode()
    assert "Overdue actions" in page
    assert "Forgotten action" in page


def test_the_alert_page_offers_to_raise_an_action_to_managers_only(
    org: Any, admin_client: Any, make_member_of: Any, member_client: Any
) -> None:
    follow_up = make_follow_up(org)
    url = reverse("surveys:alert_detail", kwargs={"pk": follow_up.alert_id})
    raise_url = reverse("improvement:action_create") + f"?follow_up={follow_up.pk}"
    assert raise_url in admin_client.get(url).content.decode()
    supervisor = make_member_of(Role.SUPERVISOR, branches=[follow_up.alert.branch])
    page = member_client(supervisor).get(url)
    assert page.status_code == 200
    assert raise_url not in page.content.decode()


def test_the_raise_link_helper_prefills_the_form(org: Any, admin_client: Any) -> None:
    from django.template import Context, Template

    from momentos.improvement.links import raise_action_url

    moment = make_moment(org)
    url = raise_action_url(moment=moment)
    assert url == reverse("improvement:action_create") + f"?moment={moment.pk}"
    assert admin_client.get(url).context["form"].initial["moment"] == moment
    rendered = Template("{% load improvement %}{% raise_action_url objective=o %}").render(
        Context({"o": moment})
    )
    assert rendered == reverse("improvement:action_create") + f"?objective={moment.pk}"


def test_the_list_takes_a_fixed_number_of_queries(
    org: Any, admin_client: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        make_action(org)
    with django_assert_max_num_queries(12) as few:
        admin_client.get(reverse("improvement:action_list"))
    for _ in range(10):
        make_action(org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("improvement:action_list"))


def test_agents_get_no_overdue_actions_even_of_their_branch(org: Any, make_member_of: Any) -> None:
    from momentos.improvement.selectors import overdue_actions

    branch = make_branch(org)
    make_action(org, branch=branch, due_date=date(2020, 1, 1))
    agent = make_member_of(Role.AGENT, branches=[branch])
    supervisor = make_member_of(Role.SUPERVISOR, branches=[branch])
    assert overdue_actions(agent) == []
    assert len(overdue_actions(supervisor)) == 1


def test_the_history_records_who_moved_the_action(org: Any, admin_client: Any, admin: Any) -> None:
    from momentos.improvement import services

    action = services.action_create(
        organization=org, created_by=admin.user, title="Tracked", owner=admin.user, due_date=date(2026, 5, 1)
    )
    admin_client.post(
        reverse("improvement:action_status", kwargs={"pk": action.pk}), {"status": "in_progress"}
    )
    admin_client.post(reverse("improvement:action_status", kwargs={"pk": action.pk}), {"status": "done"})
    events = [(e.kind, e.status, e.actor) for e in action.events.all()]
    assert events == [
        ("raised", "open", admin.user),
        ("status", "in_progress", admin.user),
        ("status", "done", admin.user),
    ]
    page = admin_client.get(detail(action)).content.decode()
    assert page.count(str(admin.user)) >= 3

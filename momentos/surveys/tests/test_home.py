"""The surveys section of the home page: open alerts for those who follow them up, nothing for agents."""

from __future__ import annotations

from typing import Any

import pytest

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import make_branch, make_member
from momentos.surveys.choices import FollowUpStatus
from momentos.surveys.models import Alert, FollowUp
from momentos.surveys.tests.factories import make_alert

pytestmark = pytest.mark.django_db


def _alerts_section(response: Any) -> dict[str, Any] | None:
    return next(
        (s for s in response.context["sections"] if s["template"] == "surveys/partials/home_alerts.html"),
        None,
    )


def test_a_supervisor_sees_the_open_alerts_of_the_branch(org: Any, member_client: Any) -> None:
    alert = make_alert(org)
    make_alert(org)  # another branch
    done = make_alert(org)
    FollowUp.objects.filter(alert=done).update(status=FollowUpStatus.DONE, outcome="resolved")
    Alert.objects.filter(pk=done.pk).update(branch=alert.branch)
    supervisor = make_member(org, role=Role.SUPERVISOR, branches=[alert.branch])

    section = _alerts_section(member_client(supervisor).get("/"))
    assert section is not None
    assert section["open_count"] == 1


def test_an_agent_gets_no_alerts_section(org: Any, member_client: Any) -> None:
    make_alert(org)
    agent = make_member(org, role=Role.AGENT, branches=[make_branch(org)])
    assert _alerts_section(member_client(agent).get("/")) is None

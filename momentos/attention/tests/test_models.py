"""The database refuses interactions that cannot have happened, whatever path they come by."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import make_branch, make_member, make_team
from momentos.attention.choices import Outcome
from momentos.attention.models import Interaction, MomentReached
from momentos.attention.tests.factories import at, make_cycle_for, make_interaction

pytestmark = pytest.mark.django_db


def refused(**fields: Any) -> bool:
    try:
        with transaction.atomic():
            make_interaction(fields.pop("organization"), **fields)
    except IntegrityError:
        return True
    return False


def test_closed_before_started_is_refused(org: Any) -> None:
    start = at(2026, 3, 2, 9)
    assert refused(organization=org, started_at=start, closed_at=start - timedelta(seconds=1))
    assert not refused(organization=org, started_at=start, closed_at=start)


def test_first_response_before_started_is_refused(org: Any) -> None:
    start = at(2026, 3, 2, 9)
    assert refused(organization=org, started_at=start, first_response_at=start - timedelta(minutes=1))


def test_resolved_before_started_is_refused(org: Any) -> None:
    start = at(2026, 3, 2, 9)
    assert refused(organization=org, started_at=start, resolved_at=start - timedelta(minutes=1))


def test_an_interaction_needs_at_least_one_contact(org: Any) -> None:
    assert refused(organization=org, contacts=0)
    assert not refused(organization=org, contacts=1)


def test_an_unknown_outcome_is_refused(org: Any) -> None:
    assert refused(organization=org, outcome="lost")
    assert not refused(organization=org, outcome=Outcome.ABANDONED)


def test_an_open_interaction_has_no_outcome(org: Any) -> None:
    interaction = make_interaction(org)
    assert interaction.outcome is None
    assert interaction.is_open


def test_external_id_is_unique_within_an_organisation_only(org: Any, other_org: Any) -> None:
    make_interaction(org, external_id="T-1")
    assert refused(organization=org, external_id="T-1")
    make_interaction(other_org, external_id="T-1")  # another organisation may use the same key
    assert Interaction.objects.filter(external_id="T-1").count() == 2


def test_many_interactions_may_have_no_external_id(org: Any) -> None:
    make_interaction(org)
    make_interaction(org)
    assert Interaction.objects.for_organization(org).filter(external_id="").count() == 2


def test_a_moment_is_reached_once_per_interaction(org: Any) -> None:
    interaction = make_interaction(org)
    (moment,) = make_cycle_for(interaction.channel, "Greeting")
    MomentReached.objects.create(
        organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MomentReached.objects.create(
            organization=org, interaction=interaction, moment=moment, reached_at=interaction.started_at
        )


def test_scope_supervisor_sees_own_branches_and_teams_agent_only_own(org: Any) -> None:
    north, south = make_branch(org, name="North"), make_branch(org, name="South")
    team = make_team(org, name="Claims")
    agent = make_member(org, role=Role.AGENT, branches=[north])
    in_north = make_interaction(org, branch=north)
    in_south_for_team = make_interaction(org, branch=south, team=team)
    in_south = make_interaction(org, branch=south)
    agents_own = make_interaction(org, branch=south, agent=agent.user)

    supervisor = make_member(org, role=Role.SUPERVISOR, branches=[north], teams=[team])
    seen = set(Interaction.objects.visible_to(supervisor))
    assert seen == {in_north, in_south_for_team}
    assert in_south not in seen
    assert set(Interaction.objects.visible_to(agent)) == {agents_own}

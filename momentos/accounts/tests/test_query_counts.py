"""Query counts of the settings list pages are pinned: an N+1 shows up as a failure, not as a slow page.

Each page is loaded with about fifteen rows carrying the relations the page shows; the pin is the
count measured with those rows: session, user, membership, the other memberships for the switcher,
then the page's count and rows (and, for members, their branches, teams and pending invitations).
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts import services
from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import admin_of, make_branch, make_invitation, make_member, make_team

pytestmark = pytest.mark.django_db

ROWS = 15


def fill_branches(org: Any) -> None:
    for n in range(ROWS):
        branch = make_branch(org, name=f"Branch {n:02d}", city="Lima")
        services.opening_hours_replace(branch=branch, spans=[(d, time(9), time(18)) for d in range(5)])
        services.holiday_add(branch=branch, date=date(2030, 1, 1), name="New year")


def fill_teams(org: Any) -> None:
    for n in range(ROWS):
        branch = make_branch(org, name=f"Branch {n:02d}")
        team = make_team(org, name=f"Team {n:02d}", branch=branch)
        make_member(org, role=Role.AGENT, teams=[team])


def fill_members(org: Any) -> None:
    for n in range(ROWS):
        branch = make_branch(org, name=f"Branch {n:02d}")
        team = make_team(org, name=f"Team {n:02d}", branch=branch)
        make_member(org, role=Role.SUPERVISOR, branches=[branch], teams=[team])
        make_invitation(org)


def fill_api_tokens(org: Any) -> None:
    for n in range(ROWS):
        token, _raw = services.api_token_create(organization=org, created_by=admin_of(org).user, name=f"T{n}")
        if n % 3 == 0:
            services.api_token_revoke(token=token)


@pytest.mark.parametrize(
    ("name", "fill", "rows", "max_queries"),
    [
        ("branch_list", fill_branches, ROWS, 6),
        ("team_list", fill_teams, ROWS, 6),
        ("member_list", fill_members, ROWS + 1, 9),
        ("api_token_list", fill_api_tokens, ROWS, 6),
    ],
)
def test_list_page_query_count_does_not_grow_with_rows(
    admin_client: Client,
    org: Any,
    django_assert_max_num_queries: Any,
    name: str,
    fill: Any,
    rows: int,
    max_queries: int,
) -> None:
    fill(org)
    url = reverse(f"accounts:{name}")
    with django_assert_max_num_queries(max_queries):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows

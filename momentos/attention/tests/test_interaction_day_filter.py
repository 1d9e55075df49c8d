"""A date in the interaction filters is a day of each branch's own calendar, not of the server's.

The tests run with the server in America/Santiago; the branches sit in Bogotá (UTC−5) and Manila
(UTC+8), so a day read in the server's zone would take or leave interactions near each local midnight.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.services import api_token_create
from momentos.accounts.tests.factories import admin_of, make_branch
from momentos.attention.selectors import (
    InteractionFilters,
    interaction_list,
    interaction_list_for_organization,
)
from momentos.attention.tests.factories import make_interaction

pytestmark = pytest.mark.django_db

LIST = reverse("attention:interaction_list")
DAY = date(2026, 3, 2)
# What each branch attended on its own 2 March 2026, and just around it.
INSIDE = {"Bogotá first", "Bogotá last", "Manila first", "Manila last"}
EVERYTHING = INSIDE | {"Bogotá before", "Bogotá after", "Manila before", "Manila after"}


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def around(org: Any, branch: Any, label: str, day: date) -> None:
    """Four interactions of ``branch``: the last second before ``day``, its first and last, the next day's first."""
    zone = ZoneInfo(branch.time_zone)
    y, m, d = day.year, day.month, day.day
    after = day + timedelta(days=1)
    for name, started_at in (
        ("before", datetime(y, m, d, tzinfo=zone) - timedelta(seconds=1)),
        ("first", datetime(y, m, d, tzinfo=zone)),
        ("last", datetime(y, m, d, 23, 59, 59, tzinfo=zone)),
        ("after", datetime(after.year, after.month, after.day, tzinfo=zone)),
    ):
        make_interaction(org, branch=branch, started_at=started_at, reason=f"{label} {name}")


@pytest.fixture
def branches(org: Any) -> dict[str, Any]:
    bogota = make_branch(org, name="Bogotá", time_zone="America/Bogota")
    manila = make_branch(org, name="Manila", time_zone="Asia/Manila")
    around(org, bogota, "Bogotá", DAY)
    around(org, manila, "Manila", DAY)
    return {"bogota": bogota, "manila": manila}


def reasons(qs: Any) -> set[str]:
    return {i.reason for i in qs}


def for_org(org: Any, **filters: Any) -> set[str]:
    return reasons(interaction_list_for_organization(organization=org, filters=InteractionFilters(**filters)))


# --- the selector ----------------------------------------------------------------------------------


def test_from_day_to_the_same_day_is_that_local_day_in_every_branch(org: Any, branches: Any) -> None:
    assert for_org(org, started_from=DAY, started_to=DAY) == INSIDE
    # A member's scope reads the same days.
    scoped = interaction_list(
        scope=admin_of(org), filters=InteractionFilters(started_from=DAY, started_to=DAY)
    )
    assert reasons(scoped) == INSIDE


def test_each_bound_alone_is_read_in_the_branch_time_zone(org: Any, branches: Any) -> None:
    assert for_org(org, started_from=DAY) == {"Bogotá first", "Bogotá last", "Bogotá after"} | {
        "Manila first",
        "Manila last",
        "Manila after",
    }
    assert for_org(org, started_to=DAY) == {"Bogotá before", "Bogotá first", "Bogotá last"} | {
        "Manila before",
        "Manila first",
        "Manila last",
    }


def test_a_branch_filter_reads_that_branch_day_given_as_a_branch_or_an_id(org: Any, branches: Any) -> None:
    manila = branches["manila"]
    for branch in (manila, manila.pk):
        assert for_org(org, branch=branch, started_from=DAY, started_to=DAY) == {
            "Manila first",
            "Manila last",
        }


def test_aware_datetimes_stay_instants_whatever_the_branch(org: Any, branches: Any) -> None:
    # Bogotá's 2 March as instants: Manila's interactions in those hours count, not Manila's own day.
    found = for_org(
        org,
        started_from=local("America/Bogota", 2026, 3, 2),
        started_to=local("America/Bogota", 2026, 3, 2, 23, 59, 59),
    )
    assert found == {"Bogotá first", "Bogotá last", "Manila last", "Manila after"}


def test_a_spring_forward_day_counts_its_23_hours(org: Any) -> None:
    madrid = make_branch(org, name="Madrid", time_zone="Europe/Madrid")
    last_sunday_of_march = date(2026, 3, 29)
    around(org, madrid, "Madrid", last_sunday_of_march)
    first = local("Europe/Madrid", 2026, 3, 29).astimezone(UTC)
    next_midnight = local("Europe/Madrid", 2026, 3, 30).astimezone(UTC)
    assert next_midnight - first == timedelta(hours=23)
    assert for_org(org, started_from=last_sunday_of_march, started_to=last_sunday_of_march) == {
        "Madrid first",
        "Madrid last",
    }


def test_a_fall_back_day_counts_its_25_hours(org: Any) -> None:
    madrid = make_branch(org, name="Madrid", time_zone="Europe/Madrid")
    last_sunday_of_october = date(2026, 10, 25)
    first = local("Europe/Madrid", 2026, 10, 25).astimezone(UTC)  # UTC: hours as elapsed, not on the clock
    make_interaction(org, branch=madrid, started_at=first + timedelta(hours=24), reason="Hour 25")
    make_interaction(org, branch=madrid, started_at=first + timedelta(hours=25), reason="Next day")
    assert for_org(org, started_from=last_sunday_of_october, started_to=last_sunday_of_october) == {"Hour 25"}


def test_a_day_whose_midnight_does_not_exist_starts_at_its_first_hour(org: Any) -> None:
    # Chile moves its clocks from Saturday 24:00 to Sunday 01:00: Sunday has no 00:00.
    santiago = make_branch(org, name="Santiago", time_zone="America/Santiago")
    sunday = date(2026, 9, 6)
    make_interaction(
        org, branch=santiago, started_at=local("America/Santiago", 2026, 9, 5, 23, 59, 59), reason="Saturday"
    )
    make_interaction(
        org, branch=santiago, started_at=local("America/Santiago", 2026, 9, 6, 1), reason="Sunday 01:00"
    )
    assert for_org(org, started_from=sunday, started_to=sunday) == {"Sunday 01:00"}


def test_the_day_filter_reads_the_zones_once_and_lists_in_one_query(
    org: Any, branches: Any, django_assert_num_queries: Any
) -> None:
    for i in range(3):
        make_branch(org, name=f"More {i}", time_zone="Asia/Manila")
    filters = InteractionFilters(started_from=DAY, started_to=DAY)
    with django_assert_num_queries(1):  # the branches' time zones
        qs = interaction_list_for_organization(organization=org, filters=filters)
    with django_assert_num_queries(1):
        assert reasons(qs) == INSIDE
    # A branch already at hand needs no look-up.
    with django_assert_num_queries(1):
        found = interaction_list_for_organization(
            organization=org, filters=InteractionFilters(branch=branches["bogota"], started_from=DAY)
        )
        assert reasons(found) == {"Bogotá first", "Bogotá last", "Bogotá after"}


def test_dates_at_the_ends_of_the_calendar_keep_everything(org: Any, branches: Any) -> None:
    assert for_org(org, started_from=date.min, started_to=date.max) == EVERYTHING


# --- the list page ---------------------------------------------------------------------------------


def listed(client: Client, query: dict[str, Any]) -> set[str]:
    response = client.get(LIST, query)
    assert response.status_code == 200
    return {i.reason for i in response.context["page"].object_list}


def test_the_list_page_shows_each_branch_local_day(
    admin_client: Client, org: Any, branches: Any, make_member_of: Any, member_client: Any
) -> None:
    day = {"started_from": "2026-03-02", "started_to": "2026-03-02"}
    assert listed(admin_client, day) == INSIDE
    assert listed(admin_client, {**day, "branch": branches["bogota"].pk}) == {"Bogotá first", "Bogotá last"}
    supervisor = make_member_of(Role.SUPERVISOR, branches=[branches["manila"]])
    assert listed(member_client(supervisor), day) == {"Manila first", "Manila last"}


def test_an_invalid_date_is_a_form_error_not_a_failure(admin_client: Client, branches: Any) -> None:
    response = admin_client.get(LIST, {"started_from": "2026-02-30", "started_to": "2026-03-02"})
    assert response.status_code == 200
    assert "started_from" in response.context["form"].errors
    assert "Some filters were ignored" in response.content.decode()
    # The valid bound still filters.
    assert {i.reason for i in response.context["page"].object_list} == EVERYTHING - {
        "Bogotá after",
        "Manila after",
    }


def test_the_first_and_last_dates_of_the_calendar_list_everything(
    admin_client: Client, branches: Any
) -> None:
    assert listed(admin_client, {"started_from": "0001-01-01", "started_to": "9999-12-31"}) == EVERYTHING


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_reads_dates_as_local_days_and_rejects_a_bad_one(
    client: Client, org: Any, branches: Any
) -> None:
    _token, raw = api_token_create(organization=org, created_by=admin_of(org).user, name="Helpdesk")
    headers = {"Authorization": f"Bearer {raw}"}

    def get(query: dict[str, str]) -> Any:
        return client.get("/api/v1/interactions", query, headers=headers)

    def reasons_of(query: dict[str, str]) -> set[str]:
        response = get(query)
        assert response.status_code == 200, response.content
        return {item["reason"] for item in response.json()["items"]}

    day = {"started_from": "2026-03-02", "started_to": "2026-03-02"}
    assert reasons_of(day) == INSIDE
    assert reasons_of({**day, "branch": str(branches["manila"].pk)}) == {"Manila first", "Manila last"}
    # A date and time with its offset is an instant, as before.
    instants = {"started_from": "2026-03-02T00:00:00-05:00", "started_to": "2026-03-02T23:59:59-05:00"}
    assert reasons_of(instants) == {"Bogotá first", "Bogotá last", "Manila last", "Manila after"}
    for bad in ({"started_from": "2026-02-30"}, {"started_to": "2026-03-02T25:00:00-05:00"}):
        response = get(bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid_parameters"

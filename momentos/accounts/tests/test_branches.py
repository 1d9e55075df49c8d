"""Branches: create, edit, delete; weekly opening hours; holidays."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts import services
from momentos.accounts.models import Branch, Holiday, OpeningHours
from momentos.accounts.tests.factories import make_branch

pytestmark = pytest.mark.django_db


def branch_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Centro",
        "code": "C01",
        "address": "Calle 1",
        "city": "Bogotá",
        "time_zone": "America/Bogota",
        "language": "es",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def hours(branch: Branch) -> list[tuple[int, time, time]]:
    return list(OpeningHours.objects.filter(branch=branch).values_list("weekday", "opens", "closes"))


# --- create, edit, delete --------------------------------------------------------------------------


def test_create_branch_goes_to_its_page(admin_client: Client, org: Any) -> None:
    response = admin_client.post(reverse("accounts:branch_create"), branch_data())
    branch = Branch.objects.for_organization(org).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:branch_detail", kwargs={"pk": branch.pk})
    assert (branch.name, branch.city, branch.time_zone, branch.is_active) == (
        "Centro",
        "Bogotá",
        "America/Bogota",
        True,
    )
    page = admin_client.get(response["Location"])
    assert page.status_code == 200 and "Centro" in page.content.decode()


def test_create_form_suggests_the_organisation_language(admin_client: Client, org: Any) -> None:
    form = admin_client.get(reverse("accounts:branch_create")).context["form"]
    assert form.initial["language"] == org.language


@pytest.mark.parametrize("name", ["centro", "CENTRO", " Centro "])
def test_duplicate_branch_name_in_any_case_is_a_form_error(admin_client: Client, org: Any, name: str) -> None:
    make_branch(org, name="Centro")
    response = admin_client.post(reverse("accounts:branch_create"), branch_data(name=name))
    assert response.status_code == 200
    assert "already a branch called" in " ".join(response.context["form"].errors["name"])
    assert Branch.objects.for_organization(org).count() == 1


def test_same_branch_name_in_another_organisation_is_allowed(
    admin_client: Client, org: Any, other_org: Any
) -> None:
    make_branch(other_org, name="Centro")
    assert admin_client.post(reverse("accounts:branch_create"), branch_data()).status_code == 302


def test_invalid_time_zone_is_a_form_error(admin_client: Client, org: Any) -> None:
    response = admin_client.post(reverse("accounts:branch_create"), branch_data(time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    assert not Branch.objects.exists()


def test_edit_branch_keeps_its_own_name_and_refuses_another_branchs(admin_client: Client, org: Any) -> None:
    branch = make_branch(org, name="Centro")
    make_branch(org, name="Norte")
    url = reverse("accounts:branch_edit", kwargs={"pk": branch.pk})
    assert admin_client.post(url, branch_data(name="CENTRO", city="Cali")).status_code == 302
    branch.refresh_from_db()
    assert (branch.name, branch.city) == ("CENTRO", "Cali")
    response = admin_client.post(url, branch_data(name="norte"))
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    branch.refresh_from_db()
    assert branch.name == "CENTRO"


def test_delete_branch_asks_first_then_deletes_with_hours_and_holidays(
    admin_client: Client, org: Any
) -> None:
    branch = make_branch(org, name="Centro")
    services.opening_hours_replace(branch=branch, spans=[(0, time(9), time(17))])
    services.holiday_add(branch=branch, date=date(2030, 5, 1), name="Labour day")
    url = reverse("accounts:branch_delete", kwargs={"pk": branch.pk})
    confirm = admin_client.get(url)
    assert confirm.status_code == 200 and "Centro" in confirm.content.decode()
    assert Branch.objects.filter(pk=branch.pk).exists()
    response = admin_client.post(url)
    assert response["Location"] == reverse("accounts:branch_list")
    assert not Branch.objects.filter(pk=branch.pk).exists()
    assert not OpeningHours.objects.exists() and not Holiday.objects.exists()


def test_branch_list_searches_by_name_city_and_code(admin_client: Client, org: Any) -> None:
    make_branch(org, name="Centro", city="Bogotá", code="B1")
    make_branch(org, name="Puerto", city="Cartagena", code="C9")

    def names(q: str) -> list[str]:
        page = admin_client.get(reverse("accounts:branch_list"), {"q": q}).context["page"]
        return [b.name for b in page]

    assert names("cent") == ["Centro"]
    assert names("cartagena") == ["Puerto"]
    assert names("c9") == ["Puerto"]
    assert names("") == ["Centro", "Puerto"]


# --- opening hours ------------------------------------------------------------------------------------


def hours_data(**spans: str) -> dict[str, str]:
    return dict(spans)


def test_opening_hours_are_saved_with_two_spans_a_day(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    url = reverse("accounts:branch_hours", kwargs={"pk": branch.pk})
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "d0_opens1": "08:00",
            "d0_closes1": "12:00",
            "d0_opens2": "14:00",
            "d0_closes2": "18:00",
            "d5_opens1": "09:00",
            "d5_closes1": "13:00",
        },
    )
    assert response.status_code == 302
    assert hours(branch) == [
        (0, time(8), time(12)),
        (0, time(14), time(18)),
        (5, time(9), time(13)),
    ]
    # The form shows what is stored.
    form = admin_client.get(url).context["form"]
    assert form["d0_opens2"].initial == time(14) and form["d6_opens1"].initial is None


@pytest.mark.parametrize(
    "data",
    [
        {"d1_opens1": "18:00", "d1_closes1": "09:00"},  # closes before it opens
        {"d1_opens1": "09:00", "d1_closes1": "09:00"},  # an empty span
        {"d1_opens1": "09:00"},  # half a span
        {"d1_opens1": "09:00", "d1_closes1": "13:00", "d1_opens2": "12:00", "d1_closes2": "18:00"},  # overlap
        {"d1_opens1": "09:00", "d1_closes1": "18:00", "d1_opens2": "10:00", "d1_closes2": "11:00"},  # inside
        {"d1_opens1": "25:00", "d1_closes1": "26:00"},  # not a time
    ],
)
def test_invalid_opening_hours_are_a_form_error_and_keep_the_old_hours(
    admin_client: Client, org: Any, data: dict[str, str]
) -> None:
    branch = make_branch(org)
    services.opening_hours_replace(branch=branch, spans=[(2, time(9), time(17))])
    response = admin_client.post(reverse("accounts:branch_hours", kwargs={"pk": branch.pk}), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert hours(branch) == [(2, time(9), time(17))]


def test_adjacent_spans_are_fine(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    response = admin_client.post(
        reverse("accounts:branch_hours", kwargs={"pk": branch.pk}),
        {"d3_opens1": "13:00", "d3_closes1": "18:00", "d3_opens2": "08:00", "d3_closes2": "13:00"},
    )
    assert response.status_code == 302
    assert hours(branch) == [(3, time(8), time(13)), (3, time(13), time(18))]


def test_clearing_every_field_closes_the_branch_all_week(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    services.opening_hours_replace(branch=branch, spans=[(0, time(9), time(17))])
    assert (
        admin_client.post(reverse("accounts:branch_hours", kwargs={"pk": branch.pk}), {}).status_code == 302
    )
    assert hours(branch) == []


def test_the_service_refuses_bad_spans_without_touching_stored_hours(org: Any) -> None:
    from momentos.core.errors import DomainError

    branch = make_branch(org)
    services.opening_hours_replace(branch=branch, spans=[(4, time(9), time(17))])
    with pytest.raises(DomainError) as caught:
        services.opening_hours_replace(
            branch=branch, spans=[(0, time(9), time(12)), (0, time(11), time(15)), (1, time(10), time(9))]
        )
    assert len(caught.value.details) == 2
    assert hours(branch) == [(4, time(9), time(17))]


# --- holidays ---------------------------------------------------------------------------------------


def add_holiday(client: Client, branch: Branch, **data: str) -> Any:
    return client.post(reverse("accounts:holiday_create", kwargs={"pk": branch.pk}), data)


def test_full_day_holiday(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    response = add_holiday(admin_client, branch, date="2030-12-25", name="Navidad")
    assert response["Location"] == reverse("accounts:branch_detail", kwargs={"pk": branch.pk})
    holiday = Holiday.objects.get(branch=branch)
    assert holiday.is_full_day and holiday.date == date(2030, 12, 25)
    assert holiday.organization_id == org.pk


def test_partial_day_holiday(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    add_holiday(admin_client, branch, date="2030-12-24", name="Nochebuena", opens="09:00", closes="13:00")
    holiday = Holiday.objects.get(branch=branch)
    assert (holiday.opens, holiday.closes) == (time(9), time(13)) and not holiday.is_full_day


@pytest.mark.parametrize(
    "times",
    [
        {"opens": "13:00", "closes": "09:00"},
        {"opens": "09:00", "closes": "09:00"},
        {"opens": "09:00"},
        {"closes": "13:00"},
    ],
)
def test_partial_holiday_with_bad_times_is_refused(
    admin_client: Client, org: Any, times: dict[str, str]
) -> None:
    branch = make_branch(org)
    response = add_holiday(admin_client, branch, date="2030-12-24", name="Nochebuena", **times)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Holiday.objects.exists()


def test_second_holiday_on_the_same_date_is_refused(admin_client: Client, org: Any) -> None:
    branch, other = make_branch(org), make_branch(org)
    add_holiday(admin_client, branch, date="2030-01-01", name="Año nuevo")
    response = add_holiday(admin_client, branch, date="2030-01-01", name="Again")
    assert response.status_code == 200
    assert "already has a holiday" in " ".join(response.context["form"].errors["date"])
    assert Holiday.objects.filter(branch=branch).count() == 1
    # Another branch may close the same day.
    assert add_holiday(admin_client, other, date="2030-01-01", name="Año nuevo").status_code == 302


def test_delete_holiday_asks_first(admin_client: Client, org: Any) -> None:
    branch = make_branch(org)
    holiday = services.holiday_add(branch=branch, date=date(2030, 1, 6), name="Reyes")
    url = reverse("accounts:holiday_delete", kwargs={"pk": holiday.pk})
    assert admin_client.get(url).status_code == 200
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert admin_client.post(url)["Location"] == reverse("accounts:branch_detail", kwargs={"pk": branch.pk})
    assert not Holiday.objects.filter(pk=holiday.pk).exists()

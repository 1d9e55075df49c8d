"""A branch and an organisation always hold a known time zone, whatever writes them."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as global_apps
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from momentos.accounts import services
from momentos.accounts.models import Branch, Organization
from momentos.accounts.tests.factories import make_branch, make_organization, make_user
from momentos.accounts.tests.test_api import post_branch
from momentos.core.errors import DomainError

repair_migration = importlib.import_module("momentos.accounts.migrations.0003_repair_empty_time_zones")

BEFORE_REPAIR = ("accounts", "0002_utc_time_zone_choice")


# --- the database ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_a_branch_created_without_a_time_zone(org: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Branch.objects.create(organization=org, name="Norte")
    assert not Branch.objects.for_organization(org).exists()


@pytest.mark.django_db
def test_the_database_refuses_emptying_a_branchs_time_zone(org: Any) -> None:
    branch = make_branch(org, time_zone="Europe/Madrid")
    with pytest.raises(IntegrityError), transaction.atomic():
        Branch.objects.filter(pk=branch.pk).update(time_zone="")
    branch.refresh_from_db()
    assert branch.time_zone == "Europe/Madrid"


@pytest.mark.django_db
def test_the_database_refuses_an_organisation_without_a_time_zone(org: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=org.pk).update(time_zone="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Blank", slug="blank", time_zone="")
    org.refresh_from_db()
    assert org.time_zone == "UTC"


# --- the migration that repairs existing rows ------------------------------------------------------


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_repair_gives_every_empty_zone_one_and_the_constraints_follow() -> None:
    # Given rows written before the constraints existed, some without a zone.
    madrid = make_organization(name="Madrid")
    Organization.objects.filter(pk=madrid.pk).update(time_zone="Europe/Madrid")
    blank = make_organization(name="Blank")
    inherits = make_branch(madrid, name="Inherits", time_zone="America/Bogota")
    keeps = make_branch(madrid, name="Keeps", time_zone="America/Lima")
    orphan = make_branch(blank, name="Orphan", time_zone="America/Bogota")
    _migrate([BEFORE_REPAIR])
    try:
        Organization.objects.filter(pk=blank.pk).update(time_zone="")
        Branch.objects.filter(pk__in=[inherits.pk, orphan.pk]).update(time_zone="")

        # When the repair runs.
        changed = repair_migration.repair_empty_time_zones(
            global_apps, SimpleNamespace(connection=connection)
        )

        # Then an organisation gets UTC and a branch its organisation's zone (after that repair).
        assert changed == (1, 2)
        assert dict(Organization.objects.values_list("name", "time_zone")) == {
            "Madrid": "Europe/Madrid",
            "Blank": "UTC",
        }
        assert dict(Branch.objects.values_list("name", "time_zone")) == {
            "Inherits": "Europe/Madrid",
            "Keeps": "America/Lima",
            "Orphan": "UTC",
        }

        # And migrating forward over an empty zone repairs it before the constraint is added.
        Branch.objects.filter(pk=keeps.pk).update(time_zone="")
    finally:
        _migrate(_latest())
    assert Branch.objects.get(pk=keeps.pk).time_zone == "Europe/Madrid"
    with pytest.raises(IntegrityError), transaction.atomic():
        Branch.objects.filter(pk=keeps.pk).update(time_zone="")


# --- the services ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "EST", "x" * 200])
def test_branch_save_refuses_an_unknown_zone_as_a_time_zone_error(org: Any, zone: str) -> None:
    with pytest.raises(DomainError) as refused:
        services.branch_save(organization=org, name="Sur", time_zone=zone)
    assert (refused.value.field, refused.value.code) == ("time_zone", "invalid_time_zone")
    assert "is not a known time zone" in str(refused.value.message)
    assert refused.value.details == [{"field": "time_zone", "message": str(refused.value.message)}]
    assert not Branch.objects.for_organization(org).exists()


@pytest.mark.django_db
def test_branch_save_refuses_to_empty_or_break_an_existing_branchs_zone(org: Any) -> None:
    branch = make_branch(org, time_zone="America/Lima")
    with pytest.raises(DomainError, match="Choose a time zone") as refused:
        services.branch_save(organization=org, branch=branch, time_zone="")
    assert refused.value.field == "time_zone"
    with pytest.raises(DomainError) as refused:
        services.branch_save(organization=org, branch=branch, time_zone="Mars/Olympus")
    assert refused.value.field == "time_zone"
    branch.refresh_from_db()
    assert branch.time_zone == "America/Lima"
    # An edit that does not touch the zone keeps it.
    services.branch_save(organization=org, branch=branch, city="Lima")
    branch.refresh_from_db()
    assert (branch.city, branch.time_zone) == ("Lima", "America/Lima")


@pytest.mark.django_db
@pytest.mark.parametrize("given", [{}, {"time_zone": ""}, {"time_zone": None}])
def test_a_branch_created_without_a_zone_takes_its_organisations(given: dict[str, Any]) -> None:
    org = services.organization_create(name="Sevilla", admin=make_user(), time_zone="Europe/Madrid")
    branch = services.branch_save(organization=org, name="Triana", **given)
    branch.refresh_from_db()
    assert branch.time_zone == "Europe/Madrid"


@pytest.mark.django_db
def test_organization_create_refuses_an_unknown_zone() -> None:
    with pytest.raises(DomainError) as refused:
        services.organization_create(name="Nowhere", admin=make_user(), time_zone="Mars/Olympus")
    assert (refused.value.field, refused.value.code) == ("time_zone", "invalid_time_zone")
    with pytest.raises(DomainError) as refused:
        services.organization_create(name="Nowhere", admin=make_user(), time_zone="")
    assert refused.value.field == "time_zone"
    assert not Organization.objects.filter(name="Nowhere").exists()


# --- the API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["", "EST", "Mars/Olympus", None, 5])
def test_the_api_refuses_an_unknown_zone_naming_the_field(
    client: Client, org: Any, headers: dict[str, str], zone: Any
) -> None:
    response = post_branch(client, headers, name="Sur", time_zone=zone)
    assert response.status_code == 422, response.content
    assert "time_zone" in [d["field"] for d in response.json()["error"]["details"]]
    assert not Branch.objects.for_organization(org).exists()


@pytest.mark.django_db
def test_a_zone_the_schema_lets_through_is_still_refused_by_the_service_as_a_400(
    client: Client, org: Any, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a schema that (by mistake) knows a zone the service does not.
    from momentos.accounts import api

    monkeypatch.setattr(api, "TIME_ZONES", api.TIME_ZONES | {"Mars/Olympus"})
    response = post_branch(client, headers, name="Sur", time_zone="Mars/Olympus")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_time_zone"
    assert [d["field"] for d in error["details"]] == ["time_zone"]
    assert not Branch.objects.for_organization(org).exists()

"""Fixtures shared by every test: organisations, members and logged-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from momentos.accounts.choices import Role


@pytest.fixture(autouse=True)
def _english_by_default(settings: Any) -> None:
    # Assertions read the English source strings unless a test asks for Spanish.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def org(db: Any) -> Any:
    from momentos.accounts.tests.factories import make_organization

    return make_organization(name="Acme")


@pytest.fixture
def other_org(db: Any) -> Any:
    from momentos.accounts.tests.factories import make_organization

    return make_organization(name="Rival")


@pytest.fixture
def admin(org: Any) -> Any:
    from momentos.accounts.tests.factories import admin_of

    return admin_of(org)


@pytest.fixture
def member_client() -> Any:
    """`member_client(membership)` → a Client logged in as that member, in that organisation."""

    def make(membership: Any) -> Client:
        client = Client()
        client.force_login(membership.user)
        session = client.session
        session["momentos_organization"] = str(membership.organization_id)
        session.save()
        return client

    return make


@pytest.fixture
def admin_client(admin: Any, member_client: Any) -> Client:
    return member_client(admin)


@pytest.fixture
def make_member_of(org: Any) -> Any:
    from momentos.accounts.tests.factories import make_member

    def make(role: str = Role.AGENT, **kwargs: Any) -> Any:
        return make_member(org, role=role, **kwargs)

    return make

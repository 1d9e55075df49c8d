"""One guard for every organisation settings page: anonymous → log in, other roles → 404, admin → 2xx.

The pages are enumerated from the accounts URLconf, so a new settings page is covered (or the
completeness test below fails until it is classified).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from momentos.accounts.choices import Role
from momentos.accounts.tests.factories import (
    make_api_token,
    make_branch,
    make_holiday,
    make_invitation,
    make_member,
)
from momentos.accounts.tests.factories import make_team as make_team_factory

pytestmark = pytest.mark.django_db

# Pages every visitor or member reaches; everything else under accounts: is organisation settings.
NOT_SETTINGS = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    "organization_switch",
    "profile",
}

# The object a settings page with a <uuid:pk> works on.
OBJECT_FOR = {
    "branch_detail": make_branch,
    "branch_edit": make_branch,
    "branch_hours": make_branch,
    "branch_delete": make_branch,
    "holiday_create": make_branch,
    "holiday_delete": make_holiday,
    "team_edit": make_team_factory,
    "team_delete": make_team_factory,
    "member_edit": lambda org: make_member(org, role=Role.QUALITY_MANAGER),
    "invitation_revoke": make_invitation,
    "api_token_revoke": make_api_token,
}

POST_ONLY = {"invitation_revoke"}


def accounts_url_names() -> list[str]:
    resolver = get_resolver()
    _namespace, accounts = resolver.namespace_dict["accounts"]
    return sorted({name for name in accounts.reverse_dict if isinstance(name, str)})


SETTINGS_PAGES = [name for name in accounts_url_names() if name not in NOT_SETTINGS]


def test_every_accounts_page_is_classified() -> None:
    unknown = set(accounts_url_names()) - NOT_SETTINGS - set(SETTINGS_PAGES)
    assert not unknown
    assert len(SETTINGS_PAGES) >= 15, SETTINGS_PAGES
    with_object = {name for name in SETTINGS_PAGES if "<uuid:pk>" in route_of(name)}
    assert with_object == set(OBJECT_FOR), "say which object each settings page with an id works on"


def route_of(name: str) -> str:
    for pattern in get_resolver().namespace_dict["accounts"][1].url_patterns:
        if pattern.name == name:
            return str(pattern.pattern)
    raise LookupError(name)


def url_for(name: str, org: Any) -> str:
    if name in OBJECT_FOR:
        return reverse(f"accounts:{name}", kwargs={"pk": OBJECT_FOR[name](org).pk})
    return reverse(f"accounts:{name}")


def visit(client: Client, name: str, url: str) -> Any:
    return client.post(url) if name in POST_ONLY else client.get(url)


@pytest.mark.parametrize("who", ["anonymous", Role.AGENT, Role.SUPERVISOR, Role.QUALITY_MANAGER, Role.ADMIN])
@pytest.mark.parametrize("name", SETTINGS_PAGES)
def test_settings_page_guard(name: str, who: str, org: Any, admin_client: Client, member_client: Any) -> None:
    url = url_for(name, org)
    if who == "anonymous":
        response = visit(Client(), name, url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
        return
    if who == Role.ADMIN:
        response = visit(admin_client, name, url)
        assert response.status_code == (302 if name in POST_ONLY else 200)
        return
    # Supervisors and agents get a scope that includes the page's branch: still not theirs to manage.
    branch = make_branch(org)
    member = make_member(org, role=who, branches=[branch])
    assert visit(member_client(member), name, url).status_code == 404
    if name not in POST_ONLY:
        assert member_client(member).post(url).status_code == 404


def test_a_user_without_any_organisation_is_told_so(org: Any) -> None:
    from momentos.accounts.tests.factories import make_user

    client = Client()
    client.force_login(make_user())
    response = client.get(reverse("accounts:branch_list"))
    assert response.status_code == 403

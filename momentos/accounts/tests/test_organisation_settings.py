"""Teams, channels, members, switching organisation and the profile's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from momentos.accounts.choices import Role
from momentos.accounts.models import Channel, Membership, Team
from momentos.accounts.tests.factories import make_branch, make_member, make_organization, make_team

pytestmark = pytest.mark.django_db


# --- teams ----------------------------------------------------------------------------------------


def test_create_edit_and_delete_a_team(admin_client: Client, org: Any) -> None:
    branch = make_branch(org, name="Centro")
    response = admin_client.post(reverse("accounts:team_create"), {"name": "Caja", "branch": branch.pk})
    assert response["Location"] == reverse("accounts:team_list")
    team = Team.objects.for_organization(org).get()
    assert (team.name, team.branch_id) == ("Caja", branch.pk)

    edit = reverse("accounts:team_edit", kwargs={"pk": team.pk})
    assert (
        admin_client.post(edit, {"name": "Cajas", "branch": "", "description": "Front desk"}).status_code
        == 302
    )
    team.refresh_from_db()
    assert (team.name, team.branch_id, team.description) == ("Cajas", None, "Front desk")

    delete = reverse("accounts:team_delete", kwargs={"pk": team.pk})
    assert admin_client.get(delete).status_code == 200 and Team.objects.filter(pk=team.pk).exists()
    assert admin_client.post(delete).status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()


def test_duplicate_team_name_in_any_case_is_a_form_error(admin_client: Client, org: Any) -> None:
    make_team(org, name="Caja")
    response = admin_client.post(reverse("accounts:team_create"), {"name": "CAJA"})
    assert response.status_code == 200
    assert "already a team called" in " ".join(response.context["form"].errors["name"])
    assert Team.objects.for_organization(org).count() == 1


def test_a_team_cannot_be_tied_to_another_organisations_branch(
    admin_client: Client, org: Any, other_org: Any
) -> None:
    theirs = make_branch(other_org)
    response = admin_client.post(reverse("accounts:team_create"), {"name": "Caja", "branch": theirs.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["branch"]
    assert not Team.objects.exists()


# --- channels -------------------------------------------------------------------------------------


def active_kinds(org: Any) -> set[str]:
    return set(Channel.objects.for_organization(org).filter(is_active=True).values_list("kind", flat=True))


def test_choose_the_channels_in_use(admin_client: Client, org: Any) -> None:
    response = admin_client.post(reverse("accounts:channel_list"), {"kinds": ["chat", "phone"]})
    assert response.status_code == 302
    assert active_kinds(org) == {"chat", "phone"}
    form = admin_client.get(reverse("accounts:channel_list")).context["form"]
    assert set(form.initial["kinds"]) == {"chat", "phone"}


def test_at_least_one_channel_stays_in_use(admin_client: Client, org: Any) -> None:
    before = active_kinds(org)
    response = admin_client.post(reverse("accounts:channel_list"), {})
    assert response.status_code == 200
    assert "at least one channel" in " ".join(response.context["form"].errors["kinds"])
    assert active_kinds(org) == before


def test_unknown_channel_kind_is_a_form_error(admin_client: Client, org: Any) -> None:
    before = active_kinds(org)
    response = admin_client.post(reverse("accounts:channel_list"), {"kinds": ["carrier_pigeon"]})
    assert response.status_code == 200 and response.context["form"].errors["kinds"]
    assert active_kinds(org) == before


def test_changing_channels_leaves_another_organisation_alone(
    admin_client: Client, org: Any, other_org: Any
) -> None:
    before = active_kinds(other_org)
    admin_client.post(reverse("accounts:channel_list"), {"kinds": ["social"]})
    assert active_kinds(other_org) == before


# --- members --------------------------------------------------------------------------------------


def test_admin_changes_a_members_role_and_scope(admin_client: Client, org: Any) -> None:
    north, south = make_branch(org, name="Norte"), make_branch(org, name="Sur")
    team = make_team(org, name="Caja")
    member = make_member(org, role=Role.AGENT, branches=[north])
    url = reverse("accounts:member_edit", kwargs={"pk": member.pk})
    form = admin_client.get(url).context["form"]
    assert form.initial["role"] == Role.AGENT and list(form.initial["branches"]) == [north.pk]
    response = admin_client.post(
        url, {"role": Role.SUPERVISOR, "branches": [south.pk], "teams": [team.pk], "is_active": "on"}
    )
    assert response["Location"] == reverse("accounts:member_list")
    member = Membership.objects.get(pk=member.pk)
    assert member.role == Role.SUPERVISOR
    assert member.branch_ids == {south.pk} and member.team_ids == {team.pk}


def test_supervisor_without_scope_is_a_form_error(admin_client: Client, org: Any) -> None:
    member = make_member(org, role=Role.QUALITY_MANAGER)
    response = admin_client.post(
        reverse("accounts:member_edit", kwargs={"pk": member.pk}),
        {"role": Role.SUPERVISOR, "is_active": "on"},
    )
    assert response.status_code == 200 and response.context["form"].errors["branches"]
    assert Membership.objects.get(pk=member.pk).role == Role.QUALITY_MANAGER


@pytest.mark.parametrize(
    "data",
    [
        {"role": Role.QUALITY_MANAGER, "is_active": "on"},
        {"role": Role.ADMIN},  # deactivating oneself
    ],
)
def test_an_admin_cannot_demote_or_deactivate_themself(
    admin_client: Client, admin: Any, data: dict[str, str]
) -> None:
    response = admin_client.post(reverse("accounts:member_edit", kwargs={"pk": admin.pk}), data)
    assert response.status_code == 200
    assert "cannot remove your own administrator role" in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_active


def test_an_admin_can_demote_another_admin(admin_client: Client, org: Any) -> None:
    other = make_member(org, role=Role.ADMIN)
    response = admin_client.post(
        reverse("accounts:member_edit", kwargs={"pk": other.pk}),
        {"role": Role.QUALITY_MANAGER, "is_active": "on"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(pk=other.pk).role == Role.QUALITY_MANAGER


def test_a_deactivated_member_loses_access(admin_client: Client, org: Any, member_client: Any) -> None:
    member = make_member(org, role=Role.QUALITY_MANAGER)
    client = member_client(member)
    assert client.get(reverse("core:home")).status_code == 200
    admin_client.post(
        reverse("accounts:member_edit", kwargs={"pk": member.pk}), {"role": Role.QUALITY_MANAGER}
    )
    assert not Membership.objects.get(pk=member.pk).is_active
    assert client.get(reverse("accounts:profile")).status_code == 403


def test_member_list_filters_by_role_and_search(admin_client: Client, org: Any) -> None:
    from momentos.accounts.tests.factories import make_user

    make_member(org, role=Role.QUALITY_MANAGER, user=make_user(full_name="Quinta Calidad"))
    branch = make_branch(org)
    make_member(org, role=Role.AGENT, branches=[branch], user=make_user(full_name="Agustín Agente"))
    url = reverse("accounts:member_list")
    by_role = admin_client.get(url, {"role": Role.AGENT}).context["page"]
    assert [m.user.full_name for m in by_role] == ["Agustín Agente"]
    by_name = admin_client.get(url, {"q": "quinta"}).context["page"]
    assert [m.user.full_name for m in by_name] == ["Quinta Calidad"]
    assert admin_client.get(url, {"role": "emperor"}).status_code == 200


# --- switching organisation -------------------------------------------------------------------------


@pytest.fixture
def two_org_user(org: Any, admin: Any) -> Any:
    second = make_organization(name="Beta")
    make_member(second, role=Role.QUALITY_MANAGER, user=admin.user)
    return second


def test_user_in_two_organisations_switches_by_post(
    admin_client: Client, org: Any, two_org_user: Any
) -> None:
    assert admin_client.get(reverse("core:home")).context["organization"] == org
    url = reverse("accounts:organization_switch")
    assert admin_client.get(url, {"organization": two_org_user.pk}).status_code == 405
    response = admin_client.post(url, {"organization": str(two_org_user.pk)})
    assert response["Location"] == reverse("core:home")
    page = admin_client.get(reverse("core:home"))
    assert page.context["organization"] == two_org_user
    assert page.context["membership"].role == Role.QUALITY_MANAGER
    # The new organisation's role applies: a quality manager has no settings pages.
    assert admin_client.get(reverse("accounts:branch_list")).status_code == 404


def test_the_switcher_lists_the_other_organisation(admin_client: Client, two_org_user: Any) -> None:
    page = admin_client.get(reverse("core:home")).content.decode()
    assert f'value="{two_org_user.pk}"' in page


@pytest.mark.parametrize("value", ["not-a-uuid", "", "0190d1d2-0000-7000-8000-000000000000", "' OR 1=1 --"])
def test_switching_to_an_unknown_value_is_404(admin_client: Client, org: Any, value: str) -> None:
    response = admin_client.post(reverse("accounts:organization_switch"), {"organization": value})
    assert response.status_code == 404
    assert admin_client.get(reverse("core:home")).context["organization"] == org


def test_cannot_switch_into_an_organisation_one_does_not_belong_to(
    admin_client: Client, org: Any, other_org: Any
) -> None:
    response = admin_client.post(reverse("accounts:organization_switch"), {"organization": str(other_org.pk)})
    assert response.status_code == 404
    assert admin_client.get(reverse("core:home")).context["organization"] == org


def test_cannot_switch_into_an_organisation_where_membership_was_deactivated(
    admin_client: Client, admin: Any, two_org_user: Any
) -> None:
    Membership.objects.filter(user=admin.user, organization=two_org_user).update(is_active=False)
    response = admin_client.post(
        reverse("accounts:organization_switch"), {"organization": str(two_org_user.pk)}
    )
    assert response.status_code == 404


def test_anonymous_switch_goes_to_login(client: Client, org: Any) -> None:
    response = client.post(reverse("accounts:organization_switch"), {"organization": str(org.pk)})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# --- profile and language ---------------------------------------------------------------------------


def test_profile_saves_the_name_and_language_and_the_language_is_used(
    admin_client: Client, admin: Any, member_client: Any
) -> None:
    response = admin_client.post(reverse("accounts:profile"), {"full_name": "Ana Admin", "language": "es"})
    assert response["Location"] == reverse("accounts:profile")
    admin.user.refresh_from_db()
    assert (admin.user.full_name, admin.user.language) == ("Ana Admin", "es")
    assert '<html lang="es">' in admin_client.get(reverse("core:home")).content.decode()
    # A new session on another device, without the cookie, follows the saved language too.
    fresh = member_client(admin)
    assert '<html lang="es">' in fresh.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_profile_without_language_follows_the_browser(admin_client: Client, admin: Any) -> None:
    admin_client.post(reverse("accounts:profile"), {"full_name": "Ana", "language": "es"})
    admin_client.post(reverse("accounts:profile"), {"full_name": "Ana", "language": ""})
    admin.user.refresh_from_db()
    assert admin.user.language == ""
    page = admin_client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page


def test_profile_refuses_an_unknown_language(admin_client: Client, admin: Any) -> None:
    response = admin_client.post(reverse("accounts:profile"), {"full_name": "Ana", "language": "xx"})
    assert response.status_code == 200 and response.context["form"].errors["language"]
    admin.user.refresh_from_db()
    assert admin.user.language == ""


def test_every_member_reaches_their_profile(member_client: Any, make_member_of: Any, org: Any) -> None:
    branch = make_branch(org)
    client = member_client(make_member_of(Role.AGENT, branches=[branch]))
    assert client.get(reverse("accounts:profile")).status_code == 200

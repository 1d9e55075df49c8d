"""Invitations: an administrator invites by e-mail; the link creates or joins an account, once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from momentos.accounts import services
from momentos.accounts.choices import Role
from momentos.accounts.models import Invitation, Membership, User
from momentos.accounts.tests.factories import (
    PASSWORD,
    admin_of,
    expire,
    make_branch,
    make_invitation_with_token,
    make_member,
    make_organization,
    make_team,
    make_user,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-fresh-passphrase-42"


def accept_url(token: str) -> str:
    return reverse("accounts:invitation_accept", kwargs={"token": token})


def new_account(full_name: str = "Marta Gómez") -> dict[str, str]:
    return {"full_name": full_name, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


# --- creating ---------------------------------------------------------------------------------------


def test_admin_invites_and_the_email_goes_out_with_a_working_link(
    admin_client: Client, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    branch = make_branch(org, name="Centro")
    # The e-mail is queued once the invitation is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("accounts:invitation_create"),
            {"email": "Marta@Example.test", "role": Role.SUPERVISOR, "branches": [branch.pk]},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:member_list")
    invitation = Invitation.objects.for_organization(org).get()
    assert invitation.email == "marta@example.test"
    assert invitation.role == Role.SUPERVISOR and invitation.branches == [str(branch.pk)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marta@example.test"]
    assert "Acme" in message.subject
    link = re.search(r"http://testserver(/accounts/invitation/\S+/)", message.body)
    assert link, message.body
    assert Client().get(link.group(1)).status_code == 200
    assert "marta@example.test" in admin_client.get(reverse("accounts:member_list")).content.decode()


def test_the_token_is_stored_only_as_a_hash(org: Any) -> None:
    invitation, token = make_invitation_with_token(org)
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_supervisor_invitation_needs_a_scope(admin_client: Client, org: Any) -> None:
    response = admin_client.post(
        reverse("accounts:invitation_create"), {"email": "x@example.test", "role": Role.AGENT}
    )
    assert response.status_code == 200
    assert "Choose at least one branch or team" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_someone_already_a_member_is_a_form_error(admin_client: Client, org: Any) -> None:
    member = make_member(org, role=Role.QUALITY_MANAGER, user=make_user(email="qm@example.test"))
    response = admin_client.post(
        reverse("accounts:invitation_create"), {"email": "QM@example.test", "role": Role.QUALITY_MANAGER}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "already a member" in " ".join(form.errors["email"])
    assert not Invitation.objects.exists()
    assert member.user.email == "qm@example.test"


def test_a_member_of_another_organisation_can_be_invited(
    admin_client: Client, org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    elsewhere = make_organization(name="Elsewhere")
    make_member(elsewhere, role=Role.ADMIN, user=make_user(email="both@example.test"))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("accounts:invitation_create"),
            {"email": "both@example.test", "role": Role.QUALITY_MANAGER},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_a_second_invitation_replaces_the_first(org: Any) -> None:
    first, first_token = make_invitation_with_token(org, email="dup@example.test")
    _second, second_token = make_invitation_with_token(org, email="dup@example.test")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert Client().get(accept_url(first_token)).status_code == 410
    assert Client().get(accept_url(second_token)).status_code == 200


@pytest.mark.parametrize("role", [Role.QUALITY_MANAGER, Role.SUPERVISOR, Role.AGENT])
def test_only_admins_may_invite(member_client: Any, make_member_of: Any, org: Any, role: str) -> None:
    branch = make_branch(org)
    client = member_client(make_member_of(role, branches=[branch]))
    assert client.get(reverse("accounts:invitation_create")).status_code == 404
    response = client.post(
        reverse("accounts:invitation_create"), {"email": "x@example.test", "role": Role.ADMIN}
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


# --- accepting ---------------------------------------------------------------------------------------


def test_new_person_accepts_creates_account_membership_and_is_logged_in(org: Any) -> None:
    branch, team = make_branch(org, name="Centro"), make_team(org, name="Caja")
    _invitation, token = services.invitation_create(
        organization=org,
        invited_by=admin_of(org).user,
        email="marta@example.test",
        role=Role.AGENT,
        branches=[branch],
        teams=[team],
    )
    client = Client()
    page = client.get(accept_url(token))
    assert page.status_code == 200 and "marta@example.test" in page.content.decode()
    response = client.post(accept_url(token), new_account())
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    user = User.objects.get(email="marta@example.test")
    assert user.full_name == "Marta Gómez" and user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.organization_id == org.pk and membership.role == Role.AGENT
    assert membership.branch_ids == {branch.pk} and membership.team_ids == {team.pk}
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["momentos_organization"] == str(org.pk)
    assert Invitation.objects.get().accepted_at is not None


def test_weak_or_mismatched_password_is_a_form_error_and_creates_nothing(org: Any) -> None:
    _inv, token = make_invitation_with_token(org, email="weak@example.test")
    client = Client()
    weak = client.post(accept_url(token), {"full_name": "W", "password1": "12345", "password2": "12345"})
    assert weak.status_code == 200 and weak.context["form"].errors["password1"]
    differ = client.post(
        accept_url(token), {"full_name": "W", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert differ.status_code == 200 and differ.context["form"].errors["password2"]
    assert not User.objects.filter(email="weak@example.test").exists()
    assert Invitation.objects.get().accepted_at is None


def test_logged_in_existing_user_accepts_with_one_click(org: Any, member_client: Any) -> None:
    elsewhere = make_organization(name="Elsewhere")
    user = make_user(email="luis@example.test")
    home = make_member(elsewhere, role=Role.ADMIN, user=user)
    _inv, token = make_invitation_with_token(org, email="LUIS@example.test", role=Role.QUALITY_MANAGER)
    client = member_client(home)
    page = client.get(accept_url(token))
    assert page.status_code == 200 and "You are logged in as luis@example.test" in page.content.decode()
    response = client.post(accept_url(token))
    assert response.status_code == 302
    assert Membership.objects.get(user=user, organization=org).role == Role.QUALITY_MANAGER
    assert User.objects.filter(email__iexact="luis@example.test").count() == 1
    assert client.session["momentos_organization"] == str(org.pk)


def test_logged_in_as_someone_else_is_told_so_and_cannot_accept(
    org: Any, admin: Any, admin_client: Client
) -> None:
    _inv, token = make_invitation_with_token(org, email="someone@example.test")
    page = admin_client.get(accept_url(token))
    assert page.status_code == 200
    assert "this invitation is for someone@example.test" in page.content.decode()
    response = admin_client.post(accept_url(token))
    assert response.status_code == 200
    assert Invitation.objects.get().accepted_at is None
    assert not User.objects.filter(email="someone@example.test").exists()


def test_existing_account_not_logged_in_is_sent_to_log_in_first(org: Any) -> None:
    make_user(email="known@example.test")
    _inv, token = make_invitation_with_token(org, email="known@example.test")
    client = Client()
    page = client.get(accept_url(token))
    assert page.status_code == 200
    login_link = f"{reverse('accounts:login')}?next=%2Faccounts%2Finvitation%2F"
    assert login_link in page.content.decode()
    response = client.post(accept_url(token), new_account())
    assert response.status_code == 200
    assert User.objects.filter(email="known@example.test").count() == 1
    assert Invitation.objects.get().accepted_at is None
    # Logging in through that link comes back to the invitation.
    login = client.post(
        reverse("accounts:login"),
        {"username": "known@example.test", "password": PASSWORD, "next": accept_url(token)},
    )
    assert login["Location"] == accept_url(token)
    assert client.post(accept_url(token)).status_code == 302


def test_expired_invitation_is_a_clear_410_and_creates_nothing(org: Any) -> None:
    invitation, token = make_invitation_with_token(org, email="late@example.test")
    expire(invitation)
    client = Client()
    page = client.get(accept_url(token))
    assert page.status_code == 410
    assert "expired" in page.content.decode() and "Ask an administrator" in page.content.decode()
    assert client.post(accept_url(token), new_account()).status_code == 410
    assert not User.objects.filter(email="late@example.test").exists()
    assert Membership.objects.for_organization(org).count() == 1
    assert "_auth_user_id" not in client.session


def test_a_used_link_cannot_be_used_again(org: Any) -> None:
    _inv, token = make_invitation_with_token(org, email="once@example.test")
    assert Client().post(accept_url(token), new_account()).status_code == 302
    again = Client().post(accept_url(token), new_account("Impostor"))
    assert again.status_code == 410
    assert "already been accepted" in again.content.decode()
    assert User.objects.get(email="once@example.test").full_name == "Marta Gómez"


def test_revoked_invitation_is_410(admin_client: Client, org: Any) -> None:
    invitation, token = make_invitation_with_token(org, email="gone@example.test")
    response = admin_client.post(reverse("accounts:invitation_revoke", kwargs={"pk": invitation.pk}))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(accept_url(token)).status_code == 410
    assert Client().post(accept_url(token), new_account()).status_code == 410
    assert not User.objects.filter(email="gone@example.test").exists()
    assert invitation not in admin_client.get(reverse("accounts:member_list")).context["invitations"]


def test_revoke_is_post_only_and_an_accepted_invitation_stays(admin_client: Client, org: Any) -> None:
    invitation, token = make_invitation_with_token(org, email="kept@example.test")
    url = reverse("accounts:invitation_revoke", kwargs={"pk": invitation.pk})
    assert admin_client.get(url).status_code == 405
    Client().post(accept_url(token), new_account())
    response = admin_client.post(url, follow=True)
    assert "cannot be revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and invitation.accepted_at is not None


@pytest.mark.parametrize("token", ["nonsense", "x" * 5000, "ñandú", "%00"])
def test_unknown_or_malformed_token_is_410(client: Client, org: Any, token: str) -> None:
    assert client.get(accept_url(token)).status_code == 410

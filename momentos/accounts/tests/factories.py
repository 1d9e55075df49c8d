"""Factories for the accounts app, registered for the tenant-isolation test."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from momentos.accounts import services
from momentos.accounts.choices import Role
from momentos.accounts.models import (
    ApiToken,
    Branch,
    Channel,
    Holiday,
    Invitation,
    Membership,
    MembershipBranch,
    MembershipTeam,
    OpeningHours,
    Organization,
    Team,
    User,
)
from momentos.core.testing import tenant_factory

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-9"


def make_user(*, email: str | None = None, full_name: str = "", password: str = PASSWORD) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"user{n}@example.test", password=password, full_name=full_name or f"User {n}"
    )


def make_organization(*, name: str | None = None, admin: User | None = None) -> Organization:
    return services.organization_create(name=name or f"Org {next(_seq)}", admin=admin or make_user())


def make_member(
    organization: Organization,
    *,
    role: str = Role.AGENT,
    branches: Any = (),
    teams: Any = (),
    user: User | None = None,
) -> Membership:
    return services.membership_add(
        organization=organization,
        user=user or make_user(),
        role=role,
        branches=list(branches),
        teams=list(teams),
    )


def admin_of(organization: Organization) -> Membership:
    return (
        Membership.objects.for_organization(organization)
        .filter(role=Role.ADMIN)
        .select_related("user")
        .first()
    )


@tenant_factory(Branch)
def make_branch(organization: Organization, **fields: Any) -> Branch:
    fields.setdefault("name", f"Branch {next(_seq)}")
    fields.setdefault("time_zone", "America/Bogota")
    return services.branch_save(organization=organization, **fields)


@tenant_factory(OpeningHours)
def make_opening_hours(organization: Organization) -> OpeningHours:
    branch = make_branch(organization)
    return services.opening_hours_replace(branch=branch, spans=[(0, time(9), time(17))])[0]


@tenant_factory(Holiday)
def make_holiday(organization: Organization) -> Holiday:
    return services.holiday_add(branch=make_branch(organization), date=date(2030, 1, 1), name="New year")


@tenant_factory(Team)
def make_team(organization: Organization, **fields: Any) -> Team:
    fields.setdefault("name", f"Team {next(_seq)}")
    return services.team_save(organization=organization, **fields)


@tenant_factory(Channel)
def make_channel(organization: Organization) -> Channel:
    return Channel.objects.for_organization(organization).first()


@tenant_factory(Membership)
def make_membership(organization: Organization) -> Membership:
    return make_member(organization, role=Role.SUPERVISOR, branches=[make_branch(organization)])


@tenant_factory(MembershipBranch)
def make_membership_branch(organization: Organization) -> MembershipBranch:
    member = make_member(organization, role=Role.AGENT, branches=[make_branch(organization)])
    return MembershipBranch.objects.filter(membership=member).first()


@tenant_factory(MembershipTeam)
def make_membership_team(organization: Organization) -> MembershipTeam:
    member = make_member(organization, role=Role.AGENT, teams=[make_team(organization)])
    return MembershipTeam.objects.filter(membership=member).first()


@tenant_factory(Invitation)
def make_invitation(organization: Organization, **fields: Any) -> Invitation:
    invitation, _token = services.invitation_create(
        organization=organization,
        invited_by=admin_of(organization).user,
        email=fields.get("email", f"invitee{next(_seq)}@example.test"),
        role=fields.get("role", Role.QUALITY_MANAGER),
    )
    return invitation


def make_invitation_with_token(organization: Organization, **fields: Any) -> tuple[Invitation, str]:
    return services.invitation_create(
        organization=organization,
        invited_by=admin_of(organization).user,
        email=fields.get("email", f"invitee{next(_seq)}@example.test"),
        role=fields.get("role", Role.QUALITY_MANAGER),
        branches=fields.get("branches", ()),
    )


@tenant_factory(ApiToken)
def make_api_token(organization: Organization) -> ApiToken:
    return services.api_token_create(
        organization=organization, created_by=admin_of(organization).user, name="Sync"
    )[0]


def expire(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

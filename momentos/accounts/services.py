"""Writes of the accounts app: each service is one transaction and raises DomainError on refusal."""

from __future__ import annotations

import secrets
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from momentos.accounts.choices import ChannelKind, Role
from momentos.accounts.models import (
    TIME_ZONES,
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
    hash_secret,
)
from momentos.accounts.tasks import send_email
from momentos.core.errors import Conflict, DomainError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date


def _checked_time_zone(value: Any) -> str:
    """``value`` if it is a zone a branch or an organisation may hold; DomainError on "time_zone" if not."""
    if isinstance(value, str) and value in TIME_ZONES:
        return value
    if not value:
        message = _("Choose a time zone.")
    else:
        message = _("“%(zone)s” is not a known time zone; use a name such as America/Bogota.") % {
            "zone": str(value)[:64]
        }
    # details in the API's field-error shape, so an API client sees which field was refused.
    raise DomainError(
        message,
        code="invalid_time_zone",
        field="time_zone",
        details=[{"field": "time_zone", "message": message}],
    )


def organization_create(
    *, name: str, admin: User, language: str = "es", time_zone: str = "UTC"
) -> Organization:
    """A new organisation with ``admin`` as its first administrator and every channel kind available."""
    time_zone = _checked_time_zone(time_zone)
    base = slugify(name)[:50] or "org"
    slug = base
    n = 2
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    with transaction.atomic():
        org = Organization.objects.create(name=name, slug=slug, language=language, time_zone=time_zone)
        Membership.objects.create(organization=org, user=admin, role=Role.ADMIN)
        Channel.objects.bulk_create(
            [
                Channel(organization=org, kind=kind, is_active=kind in DEFAULT_CHANNELS)
                for kind in ChannelKind.values
            ]
        )
    return org


DEFAULT_CHANNELS = {ChannelKind.IN_PERSON, ChannelKind.PHONE, ChannelKind.EMAIL, ChannelKind.WHATSAPP}


def _name_taken(model: Any, *, organization: Organization, name: str, exclude_pk: Any = None) -> bool:
    qs = model.objects.for_organization(organization).filter(name__iexact=name.strip())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def branch_save(*, organization: Organization, branch: Branch | None = None, **fields: Any) -> Branch:
    """Create a branch, or update ``branch``; names are unique within the organisation.

    A new branch given no time zone takes its organisation's; a zone that is given must be known.
    """
    if branch is None and not fields.get("time_zone"):
        zone = organization.time_zone
        fields["time_zone"] = zone if zone in TIME_ZONES else "UTC"
    if "time_zone" in fields:
        fields["time_zone"] = _checked_time_zone(fields["time_zone"])
    name = fields.get("name", branch.name if branch else "")
    if _name_taken(Branch, organization=organization, name=name, exclude_pk=branch.pk if branch else None):
        raise Conflict(_("There is already a branch called “%(name)s”.") % {"name": name}, field="name")
    branch = branch or Branch(organization=organization)
    for key, value in fields.items():
        setattr(branch, key, value)
    try:
        with transaction.atomic():
            branch.save()
    except IntegrityError as exc:
        raise Conflict(
            _("There is already a branch called “%(name)s”.") % {"name": name}, field="name"
        ) from exc
    return branch


def _history_blocking_delete(obj: Any, *, owned: set[type]) -> dict[str, int]:
    """What else in the database would be deleted with ``obj``, beyond the rows it owns outright."""
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except ProtectedError as exc:
        return {str(exc.protected_objects.__class__.__name__): len(exc.protected_objects)}
    blocking: dict[str, int] = {}
    for model, rows in collector.data.items():
        if model is not type(obj) and model not in owned and rows:
            blocking[str(model._meta.verbose_name_plural)] = len(rows)
    for qs in collector.fast_deletes:
        if qs.model not in owned and qs.model is not type(obj):
            count = qs.count()
            if count:
                name = str(qs.model._meta.verbose_name_plural)
                blocking[name] = blocking.get(name, 0) + count
    return blocking


def _delete_or_refuse(obj: Any, *, owned: set[type], message: str) -> None:
    blocking = _history_blocking_delete(obj, owned=owned)
    if blocking:
        listing = ", ".join(f"{n} {what}" for what, n in sorted(blocking.items()))
        raise Conflict(message % {"what": listing}, code="has_history", details=blocking)
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, IntegrityError, DatabaseError) as exc:
        raise Conflict(message % {"what": _("published documents")}, code="has_history") from exc


def branch_delete(*, branch: Branch) -> None:
    """Delete a branch that has no history; one with history is kept (deactivate it instead)."""
    _delete_or_refuse(
        branch,
        owned={OpeningHours, Holiday, MembershipBranch},
        message=_("This branch has history (%(what)s), so it cannot be deleted. Mark it inactive instead."),
    )


def team_delete(*, team: Team) -> None:
    """Delete a team that has no history; its members simply leave it."""
    _delete_or_refuse(
        team,
        owned={MembershipTeam},
        message=_("This team has history (%(what)s), so it cannot be deleted. Rename it or leave it unused."),
    )


def opening_hours_replace(*, branch: Branch, spans: Iterable[tuple[int, time, time]]) -> list[OpeningHours]:
    """Replace a branch's weekly hours with ``spans`` (weekday, opens, closes), all or nothing."""
    spans = sorted(spans)
    errors: list[str] = []
    for weekday, opens, closes in spans:
        if closes <= opens:
            errors.append(
                _("%(day)s: closing time %(closes)s must be after opening time %(opens)s.")
                % {"day": _weekday_name(weekday), "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"}
            )
    for (d1, _o1, c1), (d2, o2, _c2) in zip(spans, spans[1:], strict=False):
        if d1 == d2 and o2 < c1:
            errors.append(_("%(day)s: two spans overlap.") % {"day": _weekday_name(d1)})
    if errors:
        raise DomainError(" ".join(errors), code="invalid_hours", details=errors)
    with transaction.atomic():
        OpeningHours.objects.filter(branch=branch).delete()
        return OpeningHours.objects.bulk_create(
            [
                OpeningHours(
                    organization_id=branch.organization_id, branch=branch, weekday=d, opens=o, closes=c
                )
                for d, o, c in spans
            ]
        )


def _weekday_name(weekday: int) -> str:
    from momentos.accounts.choices import Weekday

    return str(Weekday(weekday).label)


def holiday_add(
    *, branch: Branch, date: date, name: str, opens: time | None = None, closes: time | None = None
) -> Holiday:
    if (opens is None) != (closes is None):
        raise DomainError(
            _("A partial holiday needs both an opening and a closing time."), code="invalid_hours"
        )
    if opens is not None and closes is not None and closes <= opens:
        raise DomainError(_("The closing time must be after the opening time."), code="invalid_hours")
    if Holiday.objects.filter(branch=branch, date=date).exists():
        raise Conflict(_("This branch already has a holiday on that date."), field="date")
    with transaction.atomic():
        return Holiday.objects.create(
            organization_id=branch.organization_id,
            branch=branch,
            date=date,
            name=name,
            opens=opens,
            closes=closes,
        )


def team_save(*, organization: Organization, team: Team | None = None, **fields: Any) -> Team:
    name = fields.get("name", team.name if team else "")
    if _name_taken(Team, organization=organization, name=name, exclude_pk=team.pk if team else None):
        raise Conflict(_("There is already a team called “%(name)s”.") % {"name": name}, field="name")
    branch = fields.get("branch")
    if branch is not None and branch.organization_id != organization.pk:
        raise DomainError(_("Choose a branch of this organisation."), field="branch")
    team = team or Team(organization=organization)
    for key, value in fields.items():
        setattr(team, key, value)
    with transaction.atomic():
        team.save()
    return team


def channels_set_active(*, organization: Organization, kinds: Iterable[str]) -> None:
    """Mark exactly ``kinds`` as the channels in use."""
    kinds = set(kinds)
    unknown = kinds - set(ChannelKind.values)
    if unknown:
        raise DomainError(_("Unknown channel: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))})
    if not kinds:
        raise DomainError(_("Keep at least one channel in use."), code="no_channels")
    with transaction.atomic():
        existing = set(Channel.objects.for_organization(organization).values_list("kind", flat=True))
        Channel.objects.bulk_create(
            [Channel(organization=organization, kind=k) for k in ChannelKind.values if k not in existing]
        )
        Channel.objects.for_organization(organization).update(is_active=False)
        Channel.objects.for_organization(organization).filter(kind__in=kinds).update(is_active=True)


def membership_set_scope(
    *, membership: Membership, branches: Sequence[Branch], teams: Sequence[Team]
) -> None:
    org_id = membership.organization_id
    if any(b.organization_id != org_id for b in branches) or any(t.organization_id != org_id for t in teams):
        raise DomainError(_("Choose branches and teams of this organisation."))
    with transaction.atomic():
        MembershipBranch.objects.filter(membership=membership).delete()
        MembershipTeam.objects.filter(membership=membership).delete()
        MembershipBranch.objects.bulk_create(
            [MembershipBranch(organization_id=org_id, membership=membership, branch=b) for b in branches]
        )
        MembershipTeam.objects.bulk_create(
            [MembershipTeam(organization_id=org_id, membership=membership, team=t) for t in teams]
        )
    membership.__dict__.pop("branch_ids", None)
    membership.__dict__.pop("team_ids", None)


def membership_update(
    *,
    membership: Membership,
    actor: Membership,
    role: str,
    branches: Sequence[Branch],
    teams: Sequence[Team],
    is_active: bool = True,
) -> Membership:
    if membership.pk == actor.pk and (role != Role.ADMIN or not is_active):
        raise DomainError(_("You cannot remove your own administrator role."), code="self_demotion")
    if membership.role == Role.ADMIN and (role != Role.ADMIN or not is_active):
        other_admins = (
            Membership.objects.for_organization(membership.organization_id)
            .filter(role=Role.ADMIN, is_active=True)
            .exclude(pk=membership.pk)
        )
        if not other_admins.exists():
            raise DomainError(
                _("The organisation needs at least one active administrator."), code="last_admin"
            )
    with transaction.atomic():
        membership.role = role
        membership.is_active = is_active
        membership.save(update_fields=["role", "is_active", "updated_at"])
        membership_set_scope(membership=membership, branches=branches, teams=teams)
    return membership


def membership_add(
    *,
    organization: Organization,
    user: User,
    role: str,
    branches: Sequence[Branch] = (),
    teams: Sequence[Team] = (),
) -> Membership:
    with transaction.atomic():
        membership, _created = Membership.objects.update_or_create(
            organization=organization, user=user, defaults={"role": role, "is_active": True}
        )
        membership_set_scope(membership=membership, branches=branches, teams=teams)
    return membership


def invitation_create(
    *,
    organization: Organization,
    invited_by: User,
    email: str,
    role: str,
    branches: Sequence[Branch] = (),
    teams: Sequence[Team] = (),
    base_url: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link; returns the invitation and the raw token (shown once)."""
    email = email.strip().lower()
    if (
        Membership.objects.for_organization(organization)
        .filter(user__email__iexact=email, is_active=True)
        .exists()
    ):
        raise Conflict(
            _("%(email)s is already a member of this organisation.") % {"email": email}, field="email"
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.for_organization(organization).filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            invited_by=invited_by,
            branches=[str(b.pk) for b in branches],
            teams=[str(t.pk) for t in teams],
            token_hash=hash_secret(token),
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        link = base_url + reverse("accounts:invitation_accept", kwargs={"token": token})
        with translation.override(organization.language):
            context = {
                "organization": organization,
                "invited_by": invited_by,
                "link": link,
                "role": invitation.get_role_display(),
                "days": settings.INVITATION_DAYS,
            }
            subject = _("You are invited to join %(org)s on momentos") % {"org": organization.name}
            body = render_to_string("accounts/email/invitation.txt", context)
        transaction.on_commit(lambda: send_email.enqueue(to=[email], subject=subject, body=body))
    return invitation, token


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation a link stands for, if it can still be accepted; DomainError says why not."""
    invitation = (
        Invitation.objects.select_related("organization").filter(token_hash=hash_secret(token)).first()
    )
    if invitation is None or invitation.revoked_at:
        raise DomainError(
            _("This invitation link is not valid. Ask for a new one."), code="invitation_invalid"
        )
    if invitation.accepted_at:
        raise DomainError(
            _("This invitation has already been accepted. Log in instead."), code="invitation_used"
        )
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _("This invitation expired on %(date)s. Ask an administrator for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")},
            code="invitation_expired",
        )
    return invitation


def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation: an existing user joins; otherwise an account is created with ``password``."""
    with transaction.atomic():
        # Lock first, then check: two tabs accepting the same link must not both succeed.
        Invitation.objects.select_for_update().filter(token_hash=hash_secret(token)).first()
        invitation = invitation_get_by_token(token=token)
        if user is None:
            if not password:
                raise DomainError(_("Choose a password."), code="password_required", field="password1")
            user = User.objects.filter(email__iexact=invitation.email).first()
            if user is not None:
                raise DomainError(
                    _("An account with this e-mail exists: log in first to accept."), code="login_first"
                )
            user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
        elif user.email.lower() != invitation.email.lower():
            raise DomainError(
                _("This invitation is for %(email)s; you are logged in as someone else.")
                % {"email": invitation.email},
                code="wrong_user",
            )
        org = invitation.organization
        branches = list(Branch.objects.for_organization(org).filter(pk__in=invitation.branches))
        teams = list(Team.objects.for_organization(org).filter(pk__in=invitation.teams))
        membership = membership_add(
            organization=org, user=user, role=invitation.role, branches=branches, teams=teams
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at:
        raise DomainError(_("An accepted invitation cannot be revoked."), code="invitation_used")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])


API_TOKEN_PREFIX = "mom_"


def api_token_create(*, organization: Organization, created_by: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the raw key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name that says what uses it."), field="name")
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            organization=organization,
            name=name,
            created_by=created_by,
            prefix=raw[:12],
            key_hash=hash_secret(raw),
        )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token ``raw`` stands for, or None; never raises on malformed input."""
    if not raw or not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("organization")
        .filter(key_hash=hash_secret(raw), revoked_at__isnull=True)
        .first()
    )
    if token is not None and (
        token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=1)
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token

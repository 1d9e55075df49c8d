"""People and the organisation they work for: the tenant and everything that shapes it."""

from __future__ import annotations

import hashlib
from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from momentos.accounts.choices import ChannelKind, Language, Role, Weekday
from momentos.accounts.permissions import Capability, role_can
from momentos.core.ids import uuid7
from momentos.core.models import BaseModel, TenantModel

TIME_ZONE_CHOICES = [("UTC", "UTC")] + sorted(
    (tz, tz.replace("_", " ")) for tz in available_timezones() if "/" in tz
)
# The zones a branch or an organisation may hold; the database only refuses an empty one, since the
# list changes with the tz database, and services refuse the rest (``DomainError`` on "time_zone").
TIME_ZONES = frozenset(tz for tz, _label in TIME_ZONE_CHOICES)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in; may belong to several organisations through memberships."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Organization(BaseModel):
    """The tenant: every organisation-owned row points here and nothing crosses between two of them."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    language = models.CharField(_("default language"), max_length=5, choices=Language.choices, default="es")
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    min_sample_size = models.PositiveIntegerField(
        _("minimum sample size"),
        default=10,
        help_text=_("Below this many answers an indicator says 'not enough answers'."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # Local days (rollups, reports) are read in this zone; an empty one breaks them.
            models.CheckConstraint(condition=~Q(time_zone=""), name="organization_time_zone_set"),
        ]

    def __str__(self) -> str:
        return self.name


class Branch(TenantModel):
    """A place (or virtual office) where customers are attended, with its own time zone and hours."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default="es")
    is_active = models.BooleanField(_("active"), default=True)

    scope_branch_field = "pk"

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="branch_name_unique_per_org"
            ),
            # No model default: only the organisation knows the natural one, so ``branch_save`` fills
            # it in and a write that bypasses the service without a zone is refused here.
            models.CheckConstraint(condition=~Q(time_zone=""), name="branch_time_zone_set"),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(TenantModel):
    """One span of opening on a weekday; a day may have several spans, a day with none is closed."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    scope_branch_field = "branch"

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Holiday(TenantModel):
    """A day a branch is closed, or open only for a reduced span (both times set)."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    scope_branch_field = "branch"

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "date"], name="holiday_once_per_branch_day"),
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, closes__gt=F("opens")),
                name="holiday_partial_span_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def is_full_day(self) -> bool:
        return self.opens is None


class Team(TenantModel):
    """A group of staff, optionally tied to one branch."""

    name = models.CharField(_("name"), max_length=120)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)

    scope_branch_field = "branch"
    scope_team_field = "pk"

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="team_name_unique_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(TenantModel):
    """A way customers reach the organisation; one row per kind the organisation uses."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=120, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="channel_kind_unique_per_org"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.get_kind_display())


class Membership(TenantModel):
    """A user's place in an organisation: role, and for supervisors and agents, branches and teams."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    branches: models.ManyToManyField[Branch, MembershipBranch] = models.ManyToManyField(
        Branch, verbose_name=_("branches"), through="MembershipBranch", blank=True, related_name="+"
    )
    teams: models.ManyToManyField[Team, MembershipTeam] = models.ManyToManyField(
        Team, verbose_name=_("teams"), through="MembershipTeam", blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope_agent_field = "user"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_once_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @classmethod
    def scope_q(cls, scope: Any) -> Q:
        # Supervisors see the people of their branches and teams; agents see themselves.
        if scope.sees_whole_organization:
            return Q()
        if scope.is_agent:
            return Q(user_id=scope.user_id)
        return (
            Q(membershipbranch__branch_id__in=list(scope.branch_ids))
            | Q(membershipteam__team_id__in=list(scope.team_ids))
            | Q(user_id=scope.user_id)
        )

    # The Scope protocol of momentos.core.models.
    @property
    def sees_whole_organization(self) -> bool:
        return self.role in {Role.ADMIN, Role.QUALITY_MANAGER}

    @property
    def is_agent(self) -> bool:
        return self.role == Role.AGENT

    @cached_property
    def branch_ids(self) -> frozenset[Any]:
        ids = set(MembershipBranch.objects.filter(membership=self).values_list("branch_id", flat=True))
        # A team tied to a branch brings that branch into a supervisor's scope.
        ids |= set(
            Team.objects.filter(
                pk__in=MembershipTeam.objects.filter(membership=self).values("team_id"), branch__isnull=False
            ).values_list("branch_id", flat=True)
        )
        return frozenset(ids)

    @cached_property
    def team_ids(self) -> frozenset[Any]:
        return frozenset(MembershipTeam.objects.filter(membership=self).values_list("team_id", flat=True))

    def can(self, capability: Capability | str) -> bool:
        return self.is_active and role_can(self.role, Capability(capability))


class MembershipBranch(TenantModel):
    """A branch in a member's scope."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE)
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)

    scope_branch_field = "branch"

    class Meta:
        verbose_name = _("membership branch")
        verbose_name_plural = _("membership branches")
        constraints = [
            models.UniqueConstraint(fields=["membership", "branch"], name="membership_branch_once"),
        ]


class MembershipTeam(TenantModel):
    """A team in a member's scope."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE)

    scope_team_field = "team"

    class Meta:
        verbose_name = _("membership team")
        verbose_name_plural = _("membership teams")
        constraints = [
            models.UniqueConstraint(fields=["membership", "team"], name="membership_team_once"),
        ]


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(TenantModel):
    """An e-mailed offer to join the organisation with a role; the token is stored only as a hash."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    branches = models.JSONField(_("branches"), default=list, blank=True)
    teams = models.JSONField(_("teams"), default=list, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class ApiToken(TenantModel):
    """A per-organisation key for the REST API; only its hash and a visible prefix are stored."""

    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

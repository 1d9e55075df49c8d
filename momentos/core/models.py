"""Base models: every organisation-owned row carries its organisation and is read through a scoped queryset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from momentos.core.ids import uuid7

if TYPE_CHECKING:
    from collections.abc import Collection


class Scope(Protocol):
    """What core needs to know of a member to scope queries; accounts.Membership provides it."""

    organization_id: Any
    user_id: Any

    @property
    def sees_whole_organization(self) -> bool: ...

    @property
    def branch_ids(self) -> Collection[Any]: ...

    @property
    def team_ids(self) -> Collection[Any]: ...

    @property
    def is_agent(self) -> bool: ...


class BaseModel(models.Model):
    """A row with a time-ordered UUID key and creation/update stamps."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TenantQuerySet(models.QuerySet):
    """Queries that always start from an organisation, and narrow to a member's scope."""

    def for_organization(self, organization: Any) -> Self:
        org_id = getattr(organization, "pk", organization)
        return self.filter(organization_id=org_id)

    def visible_to(self, scope: Scope) -> Self:
        model: type[TenantModel] = self.model
        return self.filter(organization_id=scope.organization_id).filter(model.scope_q(scope))


class TenantModel(BaseModel):
    """A row owned by one organisation.

    Subclasses say how a supervisor's or agent's scope narrows them: ``scope_branch_field`` and
    ``scope_team_field`` are lookups to the row's branch and team (None when the row is
    organisation-wide); ``scope_agent_field`` is the lookup to the user an agent is limited to.
    """

    organization = models.ForeignKey(
        settings.MOMENTOS_ORGANIZATION_MODEL,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )

    objects = TenantQuerySet.as_manager()

    scope_branch_field: ClassVar[str | None] = None
    scope_team_field: ClassVar[str | None] = None
    scope_agent_field: ClassVar[str | None] = None

    class Meta:
        abstract = True

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        """The filter that limits this model's rows to what ``scope`` may see."""
        if scope.sees_whole_organization:
            return Q()
        if scope.is_agent and cls.scope_agent_field:
            return Q(**{cls.scope_agent_field: scope.user_id})
        condition = Q()
        restricted = False
        if cls.scope_branch_field and scope.branch_ids:
            condition |= Q(**{f"{cls.scope_branch_field}__in": list(scope.branch_ids)})
            restricted = True
        if cls.scope_team_field and scope.team_ids:
            condition |= Q(**{f"{cls.scope_team_field}__in": list(scope.team_ids)})
            restricted = True
        if not restricted and (cls.scope_branch_field or cls.scope_team_field):
            # A scoped member with no branch or team assigned sees none of the scoped rows.
            return Q(pk__in=[])
        return condition

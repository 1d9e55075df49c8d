"""Improvement actions: what the organisation does about a missed target, a weak moment or a detractor."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from momentos.accounts.models import Branch
from momentos.core.models import Scope, TenantModel
from momentos.cycle.models import Moment, Objective
from momentos.improvement.choices import (
    CLOSED_STATUSES,
    COMMITTED_STATUSES,
    ActionSource,
    ActionStatus,
    EventKind,
)
from momentos.protocols.models import DocumentVersion
from momentos.surveys.models import FollowUp


class ImprovementAction(TenantModel):
    """A change someone owns until a due date, often closed by a new version of a protocol."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=ActionSource.choices, default=ActionSource.MANUAL
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moment = models.ForeignKey(
        Moment,
        verbose_name=_("moment of truth"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name=_("follow-up"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole organisation. The branch's supervisors see and update the action."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closing_version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("closed by version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The published protocol version that puts the change in force."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    scope_branch_field = "branch"

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_date", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_valid"),
            models.CheckConstraint(condition=Q(source__in=ActionSource.values), name="action_source_valid"),
            # A closed action says when it closed; an active one does not.
            models.CheckConstraint(
                condition=(Q(status__in=CLOSED_STATUSES) & Q(closed_at__isnull=False))
                | (~Q(status__in=CLOSED_STATUSES) & Q(closed_at__isnull=True)),
                name="action_closed_at_matches_status",
            ),
            # Once committed to, an action has a due date.
            models.CheckConstraint(
                condition=~Q(status__in=COMMITTED_STATUSES) | Q(due_date__isnull=False),
                name="action_committed_has_due_date",
            ),
            # Never two pending proposals for the same source.
            models.UniqueConstraint(
                fields=["organization", "objective"],
                condition=Q(status=ActionStatus.PROPOSED, objective__isnull=False),
                name="action_one_proposal_per_objective",
            ),
            models.UniqueConstraint(
                fields=["organization", "moment"],
                condition=Q(status=ActionStatus.PROPOSED, moment__isnull=False),
                name="action_one_proposal_per_moment",
            ),
            models.UniqueConstraint(
                fields=["organization", "follow_up"],
                condition=Q(status=ActionStatus.PROPOSED, follow_up__isnull=False),
                name="action_one_proposal_per_follow_up",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "due_date"], name="action_org_status_due"),
            models.Index(fields=["organization", "branch", "status"], name="action_org_branch_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        # Agents do not see improvement actions, even those of their branch.
        if scope.is_agent and not scope.sees_whole_organization:
            return Q(pk__in=[])
        return super().scope_q(scope)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.status in COMMITTED_STATUSES and self.due_date is not None and self.due_date < today


class ActionEvent(TenantModel):
    """One step in an action's history: raised or proposed, edited, accepted, moved to a status."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_branch_field = "action__branch"

    class Meta:
        verbose_name = _("action event")
        verbose_name_plural = _("action events")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="action_event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if scope.is_agent and not scope.sees_whole_organization:
            return Q(pk__in=[])
        return super().scope_q(scope)

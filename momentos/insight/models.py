"""Models of insight."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from momentos.core.models import TenantModel


class ReportDelivery(TenantModel):
    """The weekly report of one week e-mailed to an organisation's managers: recorded so it is sent only once."""

    week_start = models.DateField(_("week starting"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly report delivery")
        verbose_name_plural = _("weekly report deliveries")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "week_start"], name="report_delivery_once_per_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%G-W%V}"


# Rollups ----------------------------------------------------------------------------------------------
#
# Sums of the indicators per local day, branch and the other dimensions, recomputed from the raw rows
# one (branch, day) partition at a time (see momentos.insight.rollups and docs/adr/0004). The dimension
# columns are plain keys, without an index or a database constraint of their own: the rollups are read
# by organisation and day and written by partition, and when a branch, team, agent, segment, moment or
# standard is deleted the upkeep recomputes the partitions that named it (receivers.py).


def _key(model: str, name: Any, *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        model,
        verbose_name=name,
        on_delete=models.DO_NOTHING,
        null=null,
        blank=null,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class RollupBase(TenantModel):
    """The dimensions every rollup shares: the local day and the branch, channel, team, agent and segment."""

    day = models.DateField(_("day"))
    branch = _key("accounts.Branch", _("branch"), null=False)
    channel = _key("accounts.Channel", _("channel"))
    team = _key("accounts.Team", _("team"))
    agent = _key(settings.AUTH_USER_MODEL, _("agent"))
    segment = _key("cycle.Segment", _("customer segment"))
    moment = _key("cycle.Moment", _("moment of truth"))

    scope_branch_field = "branch"
    scope_team_field = "team"
    scope_agent_field = "agent"

    class Meta:
        abstract = True


class InteractionRollup(RollupBase):
    """Closed interactions per day and dimensions; ``moment`` empty: all of them, else those that reached it."""

    closed = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    fcr = models.PositiveIntegerField(default=0)
    attention_us = models.BigIntegerField(default=0)
    frt_n = models.PositiveIntegerField(default=0)
    frt_sum = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("interaction rollup")
        verbose_name_plural = _("interaction rollups")
        indexes = [
            models.Index(fields=["organization", "day"], name="interaction_rollup_org_day"),
            models.Index(fields=["organization", "branch", "day"], name="interaction_rollup_partition"),
            # Most reads want the rows of all interactions (no moment filter): a quarter of the table.
            models.Index(
                fields=["organization", "day"],
                condition=models.Q(moment__isnull=True),
                name="interaction_rollup_all_day",
            ),
        ]


class SurveyRollup(RollupBase):
    """Scored survey answers of one kind per day and dimensions (``moment``: what the answer is about)."""

    kind = models.CharField(max_length=20)
    n = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    top = models.PositiveIntegerField(default=0)
    low = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("survey rollup")
        verbose_name_plural = _("survey rollups")
        indexes = [
            models.Index(fields=["organization", "day"], name="survey_rollup_org_day"),
            models.Index(fields=["organization", "branch", "day"], name="survey_rollup_partition"),
        ]


class StandardRollup(RollupBase):
    """Verdicts of one service standard (of ``moment``) on closed interactions per day and dimensions."""

    standard = _key("cycle.ServiceStandard", _("service standard"), null=False)
    met = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("standard rollup")
        verbose_name_plural = _("standard rollups")
        indexes = [
            models.Index(fields=["organization", "day"], name="standard_rollup_org_day"),
            models.Index(fields=["organization", "branch", "day"], name="standard_rollup_partition"),
        ]


class ChecklistRollup(RollupBase):
    """Checklist applications of one moment on closed interactions per day and dimensions."""

    yes_weight = models.PositiveIntegerField(default=0)
    weight = models.PositiveIntegerField(default=0)
    applications = models.PositiveIntegerField(default=0)
    critical_failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("checklist rollup")
        verbose_name_plural = _("checklist rollups")
        indexes = [
            models.Index(fields=["organization", "day"], name="checklist_rollup_org_day"),
            models.Index(fields=["organization", "branch", "day"], name="checklist_rollup_partition"),
        ]


class RollupDirty(TenantModel):
    """A (branch, local day) partition whose rollups no longer match the raw rows and wait to be recomputed."""

    branch = _key("accounts.Branch", _("branch"), null=False)
    day = models.DateField(_("day"))

    scope_branch_field = "branch"

    class Meta:
        verbose_name = _("rollup to refresh")
        verbose_name_plural = _("rollups to refresh")
        constraints = [
            models.UniqueConstraint(fields=["organization", "branch", "day"], name="rollup_dirty_once"),
        ]

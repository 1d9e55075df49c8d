"""Interactions with customers on every channel, the moments of truth they reached, and how they measured up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from momentos.accounts.models import Branch, Channel, Team
from momentos.attention.choices import ImportFormat, ImportStatus, Outcome, StandardStatus, TickAnswer
from momentos.core.models import TenantModel
from momentos.cycle.choices import Unit
from momentos.cycle.models import ChecklistItem, Moment, Segment, ServiceStandard


class Interaction(TenantModel):
    """One customer attended on one channel in one branch, from arrival to close.

    ``external_id`` is the key of the system the interaction came from (a helpdesk, a queue manager);
    it is unique in the organisation when given, which makes ingestion idempotent.
    """

    branch = models.ForeignKey(Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    segment = models.ForeignKey(
        Segment,
        verbose_name=_("customer segment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    customer_ref = models.CharField(
        _("customer reference"),
        max_length=100,
        blank=True,
        help_text=_("A pseudonymous reference, never a name or contact detail."),
    )
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, help_text=_("Its key in the system it came from.")
    )
    started_at = models.DateTimeField(_("started"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    # Filled by insight's rollup upkeep when empty (bulk writers may fill it directly).
    first_response_seconds = models.PositiveIntegerField(
        _("first response in business seconds"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Time to the first response counted in the branch's business hours."),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, null=True, blank=True)
    contacts = models.PositiveSmallIntegerField(
        _("contacts"), default=1, help_text=_("How many contacts the customer needed.")
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_branch_field = "branch"
    scope_team_field = "team"
    scope_agent_field = "agent"

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~Q(external_id=""),
                name="interaction_external_id_unique_per_org",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=F("started_at")),
                name="interaction_closed_after_started",
            ),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True) | Q(first_response_at__gte=F("started_at")),
                name="interaction_first_response_after_started",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("started_at")),
                name="interaction_resolved_after_started",
            ),
            models.CheckConstraint(condition=Q(contacts__gte=1), name="interaction_contacts_at_least_one"),
            models.CheckConstraint(
                condition=Q(outcome__isnull=True) | Q(outcome__in=Outcome.values),
                name="interaction_outcome_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "started_at"], name="interaction_org_started"),
            models.Index(fields=["organization", "branch", "started_at"], name="interaction_org_branch"),
            models.Index(fields=["organization", "channel", "started_at"], name="interaction_org_channel"),
            models.Index(fields=["organization", "agent", "started_at"], name="interaction_org_agent"),
            models.Index(fields=["organization", "team", "started_at"], name="interaction_org_team"),
        ]

    def __str__(self) -> str:
        return self.external_id or self.reason or str(self.pk)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class MomentReached(TenantModel):
    """A moment of truth of the channel's cycle that the interaction reached, and when."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="moments_reached")
    moment = models.ForeignKey(
        Moment, verbose_name=_("moment of truth"), on_delete=models.CASCADE, related_name="+"
    )
    reached_at = models.DateTimeField(_("reached"))

    scope_branch_field = "interaction__branch"
    scope_team_field = "interaction__team"
    scope_agent_field = "interaction__agent"

    class Meta:
        verbose_name = _("moment reached")
        verbose_name_plural = _("moments reached")
        ordering = ["interaction", "reached_at"]
        constraints = [
            models.UniqueConstraint(fields=["interaction", "moment"], name="moment_reached_once"),
        ]

    def __str__(self) -> str:
        return f"{self.moment_id} @ {self.reached_at:%Y-%m-%d %H:%M}"


class StandardResult(TenantModel):
    """The verdict of one service standard on one interaction, stored so analytics never recompute it.

    ``measured`` is in ``unit`` (the standard's unit when it was evaluated); it is empty when the
    standard did not apply for lack of data.
    """

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="standard_results")
    standard = models.ForeignKey(
        ServiceStandard, verbose_name=_("service standard"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=StandardStatus.choices)
    measured = models.DecimalField(_("measured"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)

    scope_branch_field = "interaction__branch"
    scope_team_field = "interaction__team"
    scope_agent_field = "interaction__agent"

    class Meta:
        verbose_name = _("standard result")
        verbose_name_plural = _("standard results")
        ordering = ["interaction", "standard"]
        constraints = [
            models.UniqueConstraint(fields=["interaction", "standard"], name="standard_result_once"),
            models.CheckConstraint(
                condition=Q(status__in=StandardStatus.values), name="standard_result_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "standard", "status"], name="standard_result_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.standard_id}: {self.status}"


class ChecklistTick(TenantModel):
    """The agent's answer to one checklist item during a guided attention (one per item, last answer wins)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="checklist_ticks")
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.CASCADE, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=3, choices=TickAnswer.choices)
    ticked_at = models.DateTimeField(_("ticked"))

    scope_branch_field = "interaction__branch"
    scope_team_field = "interaction__team"
    scope_agent_field = "interaction__agent"

    class Meta:
        verbose_name = _("checklist tick")
        verbose_name_plural = _("checklist ticks")
        ordering = ["interaction", "ticked_at"]
        constraints = [
            models.UniqueConstraint(fields=["interaction", "item"], name="checklist_tick_once"),
            models.CheckConstraint(
                condition=Q(answer__in=TickAnswer.values), name="checklist_tick_answer_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.answer}"


class ColumnMapping(TenantModel):
    """A saved way to read one kind of file: the column behind each interaction field and value translations.

    ``columns`` maps a field to a column header (``notes`` may list several columns); ``defaults`` gives
    a constant for a field the file lacks (a helpdesk export has no branch); ``values`` translates a
    field's values (``{"outcome": {"solved": "resolved"}}``), case-insensitively.
    """

    name = models.CharField(_("name"), max_length=120)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    defaults = models.JSONField(_("fixed values"), default=dict, blank=True)
    values = models.JSONField(_("value translations"), default=dict, blank=True)
    date_format = models.CharField(
        _("date format"), max_length=40, blank=True, help_text=_("Empty for ISO 8601 (2026-03-02 09:30).")
    )

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="column_mapping_name_unique_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(TenantModel):
    """One uploaded file of interactions on its way in: the mapping in effect, progress and the outcome.

    The mapping is copied into the job, so editing a saved mapping later does not change what a job did.
    ``errors`` keeps the first problems found (with the file's line numbers); the counts cover them all.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(_("stored file"), max_length=255, blank=True, editable=False)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    file_format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    all_or_nothing = models.BooleanField(_("all or nothing"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_job_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, self.processed * 100 // self.total)

    @property
    def is_active(self) -> bool:
        return self.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}

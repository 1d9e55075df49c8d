"""Steps 1–3 of the design: objectives, segments with needs and expectations, and the service cycle."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from momentos.accounts.models import Branch, Channel
from momentos.core.models import Scope, TenantModel
from momentos.cycle.choices import (
    Comparison,
    EvidenceKind,
    ExpectationKind,
    Indicator,
    Period,
    StandardMetric,
    Unit,
)
from momentos.protocols.models import Document


class Objective(TenantModel):
    """Step 1: what the protocol must achieve, as an indicator with a target for a period and scope."""

    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    comparison = models.CharField(
        _("comparison"), max_length=4, choices=Comparison.choices, default=Comparison.GTE
    )
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices, default=Period.MONTH)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole organisation."),
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every channel."),
    )

    scope_branch_field = "branch"

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["indicator", "title"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        # Organisation-wide objectives concern everyone; branch objectives only that branch's people.
        base = super().scope_q(scope)
        return base | Q(branch__isnull=True) if not scope.sees_whole_organization else base


class Segment(TenantModel):
    """Step 2: a group of customers with needs and expectations of their own."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("name"), name="segment_name_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Expectation(TenantModel):
    """Step 2: a need or expectation of a segment, with how much it matters to them (1–5)."""

    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.CASCADE, related_name="expectations"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ExpectationKind.choices, default=ExpectationKind.EXPECTATION
    )
    description = models.CharField(_("description"), max_length=300)
    importance = models.PositiveSmallIntegerField(
        _("importance"), default=3, help_text=_("1 = minor, 5 = essential")
    )

    class Meta:
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        ordering = ["segment", "-importance", "description"]
        constraints = [
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=5), name="expectation_importance_1_5"
            )
        ]

    def __str__(self) -> str:
        return self.description


class Evidence(TenantModel):
    """Step 2: the research behind an expectation: interview notes, survey results, data."""

    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    source = models.CharField(_("source"), max_length=200)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.source}"


class ServiceCycle(TenantModel):
    """Step 3: the sequence of moments of truth of one channel."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service cycle")
        verbose_name_plural = _("service cycles")
        ordering = ["channel__kind"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "channel"], name="one_cycle_per_channel")
        ]

    def __str__(self) -> str:
        return self.name


class Moment(TenantModel):
    """Step 3: a moment of truth — where the customer meets the organisation and judges the service."""

    cycle = models.ForeignKey(ServiceCycle, on_delete=models.CASCADE, related_name="moments")
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("what happens"), blank=True)
    procedure = models.ForeignKey(
        Document,
        verbose_name=_("procedure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moments",
        limit_choices_to={"kind": "protocol"},
        help_text=_("The protocol staff follow in this moment."),
    )
    expectations: models.ManyToManyField[Expectation, MomentExpectation] = models.ManyToManyField(
        Expectation, through="MomentExpectation", blank=True, related_name="moments"
    )

    class Meta:
        verbose_name = _("moment of truth")
        verbose_name_plural = _("moments of truth")
        ordering = ["cycle", "position"]

    def __str__(self) -> str:
        return self.name


class MomentExpectation(TenantModel):
    """An expectation a moment serves."""

    moment = models.ForeignKey(Moment, on_delete=models.CASCADE)
    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["moment", "expectation"], name="moment_expectation_once")
        ]


class ServiceStandard(TenantModel):
    """Step 3: a measurable promise for a moment, e.g. first response ≤ 2 business hours."""

    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="standards")
    name = models.CharField(_("name"), max_length=160)
    metric = models.CharField(_("metric"), max_length=40, choices=StandardMetric.choices)
    comparison = models.CharField(
        _("comparison"), max_length=4, choices=Comparison.choices, default=Comparison.LTE
    )
    threshold = models.DecimalField(_("threshold"), max_digits=10, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.MINUTES)
    business_hours = models.BooleanField(
        _("in business hours"), default=False, help_text=_("Count only the branch's opening hours.")
    )

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["moment", "name"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(TenantModel):
    """Step 3: an observable behaviour in a moment, scored yes / no / not applicable in audits."""

    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="checklist_items")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("observable behaviour"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    critical = models.BooleanField(_("critical"), default=False, help_text=_("A “no” fails the whole audit."))
    protocol = models.ForeignKey(
        Document,
        verbose_name=_("protocol"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_items",
        limit_choices_to={"kind": "protocol"},
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["moment", "position"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="checklist_weight_positive")]

    def __str__(self) -> str:
        return self.text

"""Reads of the four-step design: lists for pages and the API, completeness of each step, book data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from momentos.accounts.models import Channel
from momentos.core.access import scoped_queryset
from momentos.cycle.choices import KEY_INDICATORS, Indicator
from momentos.cycle.models import (
    ChecklistItem,
    Evidence,
    Expectation,
    Moment,
    Objective,
    Segment,
    ServiceCycle,
    ServiceStandard,
)
from momentos.protocols.choices import DocumentKind, VersionStatus
from momentos.protocols.models import Document


def _org_id(organization: Any) -> Any:
    return getattr(organization, "pk", organization)


# --- lists ---------------------------------------------------------------------------------------


def objective_list(*, scope: Any) -> QuerySet[Objective]:
    return scoped_queryset(Objective, scope=scope).select_related("branch", "channel")


def segment_list(*, organization: Any) -> QuerySet[Segment]:
    evidenced = Evidence.objects.filter(expectation__segment=OuterRef("pk"))
    return (
        Segment.objects.for_organization(organization)
        .annotate(
            expectation_count=Count("expectations", distinct=True),
            evidence_count=Count("expectations__evidence", distinct=True),
            has_evidence=Exists(evidenced),
        )
        .order_by("position", "name")
    )


def segment_expectations(*, segment: Segment) -> QuerySet[Expectation]:
    return (
        segment.expectations.all()
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("-date")))
        .annotate(moment_count=Count("moments", distinct=True))
        .order_by("-importance", "description")
    )


def expectation_choices(*, organization: Any) -> QuerySet[Expectation]:
    return (
        Expectation.objects.for_organization(organization)
        .select_related("segment")
        .order_by("segment__position", "segment__name", "-importance", "description")
    )


def protocol_choices(*, organization: Any) -> QuerySet[Document]:
    """Protocol-kind documents to choose as a procedure, with their titles loaded."""
    return (
        Document.objects.for_organization(organization)
        .filter(kind=DocumentKind.PROTOCOL, is_archived=False)
        .select_related("current_version")
        .prefetch_related("versions")
    )


def moments_annotated(queryset: QuerySet[Moment]) -> QuerySet[Moment]:
    """Moments with the counts the pages and the completeness checks need."""
    with_threshold = ServiceStandard.objects.filter(moment=OuterRef("pk"), threshold__isnull=False)
    return queryset.annotate(
        standard_count=Count("standards", distinct=True),
        checklist_count=Count("checklist_items", distinct=True),
        expectation_count=Count("expectations", distinct=True),
        has_measurable_standard=Exists(with_threshold),
    )


def cycle_list(*, organization: Any) -> list[dict[str, Any]]:
    """Every channel in use, with its cycle (or None) and the cycle's moments, for the cycles page."""
    channels = list(Channel.objects.for_organization(organization).filter(is_active=True).order_by("kind"))
    cycles = {
        c.channel_id: c
        for c in ServiceCycle.objects.for_organization(organization)
        .select_related("channel")
        .prefetch_related(Prefetch("moments", queryset=Moment.objects.order_by("position")))
    }
    rows = [{"channel": ch, "cycle": cycles.pop(ch.pk, None)} for ch in channels]
    # Cycles of channels no longer in use stay visible, so they can be found and deleted.
    rows.extend({"channel": c.channel, "cycle": c} for c in cycles.values())
    return rows


def cycle_moments(*, cycle: ServiceCycle) -> list[Moment]:
    return list(
        moments_annotated(cycle.moments.all())
        .select_related("procedure__current_version")
        .prefetch_related("procedure__versions")
        .order_by("position", "created_at")
    )


def moment_detail(*, moment: Moment) -> dict[str, Any]:
    return {
        "expectations": list(moment.expectations.select_related("segment").order_by("-importance")),
        "standards": list(moment.standards.order_by("name")),
        "checklist": list(
            moment.checklist_items.select_related("protocol__current_version")
            .prefetch_related("protocol__versions")
            .order_by("position")
        ),
    }


def document_title(document: Document | None) -> str:
    """A document's title without extra queries when ``current_version`` is loaded."""
    if document is None:
        return ""
    if document.current_version_id and document.current_version:
        return document.current_version.title
    versions = getattr(document, "_prefetched_objects_cache", {}).get("versions")
    if versions is not None:
        latest = max(versions, key=lambda v: v.number, default=None)
        return latest.title if latest else str(document.get_kind_display())
    return str(document)


# --- Step 4: implementation --------------------------------------------------------------------


def published_documents(*, organization: Any) -> list[dict[str, Any]]:
    """Each document with a version in force, and the channels and branches it concerns."""
    documents = (
        Document.objects.for_organization(organization)
        .filter(current_version__isnull=False, current_version__status=VersionStatus.PUBLISHED)
        .select_related("current_version", "current_version__published_by")
        .prefetch_related("current_version__channels", "current_version__branches")
        .order_by("kind", "current_version__title")
    )
    return [
        {
            "document": d,
            "version": d.current_version,
            "channels": list(d.current_version.channels.all()),
            "branches": list(d.current_version.branches.all()),
        }
        for d in documents
    ]


# --- the four-step overview ----------------------------------------------------------------------


@dataclass
class Missing:
    message: str
    url: str


@dataclass
class StepProgress:
    number: int
    title: str
    url: str
    done_count: int = 0
    total: int = 0
    missing: list[Missing] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done_count == self.total and not self.missing

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0


def step1_progress(*, organization: Any) -> StepProgress:
    """Step 1 is complete when every key indicator has an objective with a target."""
    step = StepProgress(1, _("Objectives and indicators"), reverse("cycle:objective_list"))
    covered = set(
        Objective.objects.for_organization(organization)
        .filter(indicator__in=KEY_INDICATORS)
        .values_list("indicator", flat=True)
    )
    step.total = len(KEY_INDICATORS)
    step.done_count = len(covered)
    for indicator in KEY_INDICATORS:
        if indicator not in covered:
            step.missing.append(
                Missing(
                    _("Set a target for %(indicator)s.") % {"indicator": Indicator(indicator).label},
                    reverse("cycle:objective_create") + f"?indicator={indicator}",
                )
            )
    return step


def step2_progress(*, organization: Any) -> StepProgress:
    """Step 2 is complete when there are segments and each has an expectation backed by evidence."""
    step = StepProgress(2, _("Needs and expectations"), reverse("cycle:segment_list"))
    segments = list(segment_list(organization=organization))
    if not segments:
        step.total = 1
        step.missing.append(
            Missing(_("Describe your first customer segment."), reverse("cycle:segment_create"))
        )
        return step
    step.total = len(segments)
    for segment in segments:
        url = reverse("cycle:segment_detail", kwargs={"pk": segment.pk})
        if getattr(segment, "has_evidence", False):
            step.done_count += 1
        elif getattr(segment, "expectation_count", 0):
            step.missing.append(
                Missing(_("%(segment)s: back an expectation with evidence.") % {"segment": segment.name}, url)
            )
        else:
            step.missing.append(
                Missing(_("%(segment)s: add its needs and expectations.") % {"segment": segment.name}, url)
            )
    return step


def step3_progress(*, organization: Any) -> StepProgress:
    """Step 3 is complete when each channel in use has a cycle with moments, and each moment has a
    procedure, at least one standard with a threshold and at least one checklist item."""
    step = StepProgress(3, _("Service cycle and standards"), reverse("cycle:cycle_list"))
    channels = list(Channel.objects.for_organization(organization).filter(is_active=True).order_by("kind"))
    cycles = {c.channel_id: c for c in ServiceCycle.objects.for_organization(organization)}
    moments = list(
        moments_annotated(Moment.objects.for_organization(organization))
        .filter(cycle__channel__is_active=True)
        .select_related("cycle__channel")
        .order_by("cycle__channel__kind", "position")
    )
    by_cycle: dict[Any, list[Moment]] = {}
    for moment in moments:
        by_cycle.setdefault(moment.cycle_id, []).append(moment)
    if not channels:
        step.total = 1
        step.missing.append(
            Missing(_("Choose the channels your organisation uses."), reverse("cycle:cycle_list"))
        )
        return step
    for channel in channels:
        cycle = cycles.get(channel.pk)
        step.total += 1
        if cycle is None:
            step.missing.append(
                Missing(
                    _("%(channel)s has no service cycle yet.") % {"channel": channel},
                    reverse("cycle:cycle_create") + f"?channel={channel.pk}",
                )
            )
            continue
        cycle_moments = by_cycle.get(cycle.pk, [])
        if not cycle_moments:
            step.missing.append(
                Missing(
                    _("%(cycle)s: add its moments of truth.") % {"cycle": cycle.name},
                    reverse("cycle:moment_create", kwargs={"pk": cycle.pk}),
                )
            )
            continue
        step.done_count += 1
    for moment in moments:
        step.total += 1
        gaps = []
        if moment.procedure_id is None:
            gaps.append(_("a procedure"))
        if not getattr(moment, "has_measurable_standard", False):
            gaps.append(_("a standard with a threshold"))
        if not getattr(moment, "checklist_count", 0):
            gaps.append(_("a checklist item"))
        if gaps:
            step.missing.append(
                Missing(
                    _("%(moment)s (%(channel)s) needs %(gaps)s.")
                    % {"moment": moment.name, "channel": moment.cycle.channel, "gaps": ", ".join(gaps)},
                    reverse("cycle:moment_detail", kwargs={"pk": moment.pk}),
                )
            )
        else:
            step.done_count += 1
    return step


def step4_progress(*, organization: Any) -> StepProgress:
    """Step 4 (for now): the procedures used in the cycle are published, and something is published."""
    step = StepProgress(4, _("Implementation"), reverse("cycle:implementation"))
    procedures = list(
        Document.objects.for_organization(organization)
        .filter(moments__isnull=False)
        .distinct()
        .select_related("current_version")
    )
    published_count = (
        Document.objects.for_organization(organization).filter(current_version__isnull=False).count()
    )
    step.total = max(len(procedures), 1)
    if not procedures:
        step.done_count = 1 if published_count else 0
        if not published_count:
            step.missing.append(Missing(_("Publish your first protocol."), reverse("cycle:implementation")))
        return step
    for document in procedures:
        if document.current_version_id:
            step.done_count += 1
        else:
            step.missing.append(
                Missing(
                    _("Publish the procedure “%(title)s”.") % {"title": document_title(document)},
                    reverse("cycle:implementation"),
                )
            )
    return step


def design_progress(*, organization: Any) -> list[StepProgress]:
    """How complete each of the four steps is for the organisation, and what to do next."""
    return [
        step1_progress(organization=organization),
        step2_progress(organization=organization),
        step3_progress(organization=organization),
        step4_progress(organization=organization),
    ]


# --- the protocol book ---------------------------------------------------------------------------


def cycle_book_sections(organization: Any) -> list[dict[str, Any]]:
    """The service cycles as plain data for the protocol book (PDF): cycles → moments → standards
    and checklist. Strings are raw text (escape them when rendering); numbers are Decimal or None.

    [{"id", "name", "description", "channel", "channel_kind", "moments": [{"id", "position", "name",
      "description", "procedure": {"id", "title"} | None, "expectations": [str],
      "standards": [{"name", "metric", "metric_label", "comparison", "comparison_symbol",
                     "threshold", "unit", "unit_label", "business_hours", "complete"}],
      "checklist": [{"position", "text", "weight", "critical", "protocol": {"id", "title"} | None}]}]}]
    """
    org_id = _org_id(organization)
    cycles = (
        ServiceCycle.objects.for_organization(org_id)
        .select_related("channel")
        .prefetch_related(
            Prefetch(
                "moments",
                queryset=Moment.objects.order_by("position", "created_at")
                .select_related("procedure__current_version")
                .prefetch_related(
                    Prefetch("standards", queryset=ServiceStandard.objects.order_by("name")),
                    Prefetch(
                        "checklist_items",
                        queryset=ChecklistItem.objects.order_by("position").select_related(
                            "protocol__current_version"
                        ),
                    ),
                    Prefetch("expectations", queryset=Expectation.objects.order_by("-importance")),
                ),
            )
        )
        .order_by("channel__kind")
    )

    def doc(document: Document | None) -> dict[str, Any] | None:
        return {"id": document.pk, "title": document_title(document)} if document else None

    return [
        {
            "id": cycle.pk,
            "name": cycle.name,
            "description": cycle.description,
            "channel": str(cycle.channel),
            "channel_kind": cycle.channel.kind,
            "moments": [
                {
                    "id": m.pk,
                    "position": m.position,
                    "name": m.name,
                    "description": m.description,
                    "procedure": doc(m.procedure),
                    "expectations": [e.description for e in m.expectations.all()],
                    "standards": [
                        {
                            "name": s.name,
                            "metric": s.metric,
                            "metric_label": str(s.get_metric_display()),
                            "comparison": s.comparison,
                            "comparison_symbol": str(s.get_comparison_display()),
                            "threshold": s.threshold,
                            "unit": s.unit,
                            "unit_label": str(s.get_unit_display()),
                            "business_hours": s.business_hours,
                            "complete": s.threshold is not None,
                        }
                        for s in m.standards.all()
                    ],
                    "checklist": [
                        {
                            "position": c.position,
                            "text": c.text,
                            "weight": c.weight,
                            "critical": c.critical,
                            "protocol": doc(c.protocol),
                        }
                        for c in m.checklist_items.all()
                    ],
                }
                for m in cycle.moments.all()
            ],
        }
        for cycle in cycles
    ]

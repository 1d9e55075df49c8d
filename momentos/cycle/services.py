"""Writes of the four-step design: objectives, segments and expectations, the service cycle.

Every function is keyword-only, runs in one transaction and raises ``DomainError`` (with ``field``
when one input is to blame) so that pages show a form error and the API a 4xx.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from momentos.accounts.models import Branch, Channel, Organization
from momentos.core.errors import Conflict, DomainError
from momentos.cycle.choices import (
    METRIC_UNITS,
    TARGET_RANGES,
    TIME_INDICATORS,
    Comparison,
    EvidenceKind,
    ExpectationKind,
    Indicator,
    Period,
    StandardMetric,
    Unit,
)
from momentos.cycle.models import (
    ChecklistItem,
    Evidence,
    Expectation,
    Moment,
    MomentExpectation,
    Objective,
    Segment,
    ServiceCycle,
    ServiceStandard,
)
from momentos.protocols.choices import DocumentKind
from momentos.protocols.models import Document


def _same_org(obj: Any, organization: Any, *, field: str, label: str) -> None:
    if obj is not None and obj.organization_id != organization.pk:
        raise DomainError(_("Choose a %(what)s of your organisation.") % {"what": label}, field=field)


def _choice(value: str, choices: Any, *, field: str) -> None:
    if value not in choices.values:
        raise DomainError(_("“%(value)s” is not one of the allowed values.") % {"value": value}, field=field)


# --- Step 1: objectives ------------------------------------------------------------------------


MAX_VALUE = Decimal(10) ** 8  # the decimal columns hold 10 digits, 2 after the point


def objective_target_problem(*, indicator: str, target: Decimal) -> str | None:
    """Why ``target`` cannot be a target for ``indicator`` (None when it can)."""
    low, high, low_excluded = TARGET_RANGES.get(indicator, (None, None, False))
    if abs(target) >= MAX_VALUE:
        return _("That number is too large.")
    if indicator in TIME_INDICATORS and target <= 0:
        return _("A time target must be more than 0 minutes.")
    if low is not None and (target < low or (low_excluded and target == low)):
        return _("For %(indicator)s the target must be between %(low)s and %(high)s.") % {
            "indicator": Indicator(indicator).label,
            "low": low,
            "high": high,
        }
    if high is not None and target > high:
        return _("For %(indicator)s the target must be between %(low)s and %(high)s.") % {
            "indicator": Indicator(indicator).label,
            "low": low,
            "high": high,
        }
    return None


@transaction.atomic
def objective_save(
    *,
    organization: Organization,
    objective: Objective | None = None,
    title: str,
    indicator: str,
    target: Decimal,
    comparison: str = Comparison.GTE,
    period: str = Period.MONTH,
    description: str = "",
    branch: Branch | None = None,
    channel: Channel | None = None,
) -> Objective:
    """Create or update an objective: an indicator with a target for a period and a scope."""
    title = title.strip()
    if not title:
        raise DomainError(_("Give the objective a name."), field="title")
    _choice(indicator, Indicator, field="indicator")
    _choice(comparison, Comparison, field="comparison")
    _choice(period, Period, field="period")
    problem = objective_target_problem(indicator=indicator, target=Decimal(target))
    if problem:
        raise DomainError(problem, field="target", code="target_out_of_range")
    _same_org(branch, organization, field="branch", label=_("branch"))
    _same_org(channel, organization, field="channel", label=_("channel"))
    objective = objective or Objective(organization=organization)
    objective.title = title
    objective.description = description.strip()
    objective.indicator = indicator
    objective.comparison = comparison
    objective.target = Decimal(target)
    objective.period = period
    objective.branch = branch
    objective.channel = channel
    objective.save()
    return objective


# --- Step 2: segments, expectations, evidence --------------------------------------------------


@transaction.atomic
def segment_save(
    *, organization: Organization, segment: Segment | None = None, name: str, description: str = ""
) -> Segment:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the segment a name."), field="name")
    taken = Segment.objects.for_organization(organization).filter(name__iexact=name)
    if segment is not None:
        taken = taken.exclude(pk=segment.pk)
    if taken.exists():
        raise Conflict(_("There is already a segment called “%(name)s”.") % {"name": name}, field="name")
    if segment is None:
        last = Segment.objects.for_organization(organization).aggregate(m=Max("position"))["m"] or 0
        segment = Segment(organization=organization, position=last + 1)
    segment.name = name
    segment.description = description.strip()
    segment.save()
    return segment


@transaction.atomic
def expectation_save(
    *,
    segment: Segment,
    expectation: Expectation | None = None,
    description: str,
    importance: int,
    kind: str = ExpectationKind.EXPECTATION,
) -> Expectation:
    description = description.strip()
    if not description:
        raise DomainError(_("Say what the customers need or expect."), field="description")
    if not 1 <= int(importance) <= 5:
        raise DomainError(_("Importance goes from 1 (minor) to 5 (essential)."), field="importance")
    _choice(kind, ExpectationKind, field="kind")
    expectation = expectation or Expectation(organization_id=segment.organization_id)
    expectation.segment = segment
    expectation.description = description
    expectation.importance = int(importance)
    expectation.kind = kind
    expectation.save()
    return expectation


@transaction.atomic
def evidence_save(
    *,
    expectation: Expectation,
    evidence: Evidence | None = None,
    kind: str,
    source: str,
    date: date,
    notes: str = "",
) -> Evidence:
    source = source.strip()
    if not source:
        raise DomainError(_("Say where the evidence comes from."), field="source")
    _choice(kind, EvidenceKind, field="kind")
    evidence = evidence or Evidence(organization_id=expectation.organization_id)
    evidence.expectation = expectation
    evidence.kind = kind
    evidence.source = source
    evidence.date = date
    evidence.notes = notes.strip()
    evidence.save()
    return evidence


# --- Step 3: cycles and moments ----------------------------------------------------------------


@transaction.atomic
def cycle_save(
    *,
    organization: Organization,
    cycle: ServiceCycle | None = None,
    channel: Channel,
    name: str,
    description: str = "",
) -> ServiceCycle:
    """Create or rename a channel's service cycle; a channel has one cycle at most."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the cycle a name."), field="name")
    _same_org(channel, organization, field="channel", label=_("channel"))
    taken = ServiceCycle.objects.for_organization(organization).filter(channel=channel)
    if cycle is not None:
        taken = taken.exclude(pk=cycle.pk)
    if taken.exists():
        raise Conflict(
            _("The channel “%(channel)s” already has a service cycle.") % {"channel": channel},
            field="channel",
        )
    cycle = cycle or ServiceCycle(organization=organization)
    cycle.channel = channel
    cycle.name = name
    cycle.description = description.strip()
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as exc:  # a concurrent creation for the same channel
        raise Conflict(_("This channel already has a service cycle."), field="channel") from exc
    return cycle


def _check_procedure(document: Document | None, organization_id: Any, *, field: str) -> None:
    if document is None:
        return
    if document.organization_id != organization_id:
        raise DomainError(_("Choose a protocol of your organisation."), field=field)
    if document.kind != DocumentKind.PROTOCOL:
        raise DomainError(_("Choose a protocol, not a manual or a guide."), field=field)


@transaction.atomic
def moment_save(
    *,
    cycle: ServiceCycle,
    moment: Moment | None = None,
    name: str,
    description: str = "",
    procedure: Document | None = None,
    expectations: Iterable[Expectation] | None = None,
) -> Moment:
    """Create (at the end of the cycle) or update a moment of truth and the expectations it serves."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the moment a name."), field="name")
    _check_procedure(procedure, cycle.organization_id, field="procedure")
    if moment is None:
        last = cycle.moments.aggregate(m=Max("position"))["m"] or 0
        moment = Moment(organization_id=cycle.organization_id, cycle=cycle, position=last + 1)
    moment.name = name
    moment.description = description.strip()
    moment.procedure = procedure
    moment.save()
    if expectations is not None:
        chosen = list(expectations)
        if any(e.organization_id != cycle.organization_id for e in chosen):
            raise DomainError(_("Choose expectations of your organisation."), field="expectations")
        MomentExpectation.objects.filter(moment=moment).exclude(expectation__in=chosen).delete()
        existing = set(
            MomentExpectation.objects.filter(moment=moment).values_list("expectation_id", flat=True)
        )
        MomentExpectation.objects.bulk_create(
            [
                MomentExpectation(organization_id=moment.organization_id, moment=moment, expectation=e)
                for e in chosen
                if e.pk not in existing
            ]
        )
    return moment


def _renumber(items: Sequence[Any], model: Any) -> None:
    changed = []
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index
            changed.append(item)
    if changed:
        model.objects.bulk_update(changed, ["position"])


@transaction.atomic
def moment_delete(*, moment: Moment) -> None:
    cycle = moment.cycle
    moment.delete()
    _renumber(list(cycle.moments.select_for_update().order_by("position", "created_at")), Moment)


def _move(items: list[Any], target: Any, direction: str) -> list[Any]:
    if direction not in {"up", "down"}:
        raise DomainError(_("Move up or down."), code="invalid_direction")
    index = next(i for i, item in enumerate(items) if item.pk == target.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    return items


def _reorder(items: list[Any], order: Sequence[Any], *, what: str) -> list[Any]:
    by_id = {str(item.pk): item for item in items}
    wanted = [str(pk) for pk in order]
    if len(wanted) != len(set(wanted)) or set(wanted) != set(by_id):
        raise DomainError(
            _("The new order must list each of the %(what)s exactly once.") % {"what": what},
            code="invalid_order",
            field="order",
        )
    return [by_id[pk] for pk in wanted]


@transaction.atomic
def moment_move(*, moment: Moment, direction: str) -> None:
    """Swap a moment with its neighbour (the keyboard path of reordering)."""
    items = list(moment.cycle.moments.select_for_update().order_by("position", "created_at"))
    _renumber(_move(items, moment, direction), Moment)


@transaction.atomic
def moment_reorder(*, cycle: ServiceCycle, order: Sequence[Any]) -> list[Moment]:
    """Put the cycle's moments in ``order`` (their ids, first to last); it must list each exactly once."""
    items = list(cycle.moments.select_for_update().order_by("position", "created_at"))
    ordered = _reorder(items, order, what=_("moments of the cycle"))
    _renumber(ordered, Moment)
    return ordered


# --- Step 3: standards and checklists ----------------------------------------------------------


def standard_problems(*, metric: str, threshold: Decimal | None, unit: str) -> dict[str, str]:
    """What is wrong with a standard's measure, by field (empty: nothing)."""
    problems: dict[str, str] = {}
    allowed = METRIC_UNITS.get(metric, ())
    if unit not in allowed:
        problems["unit"] = _("%(metric)s is measured in: %(units)s.") % {
            "metric": StandardMetric(metric).label if metric in StandardMetric.values else metric,
            "units": ", ".join(str(Unit(u).label) for u in allowed),
        }
    if threshold is not None:
        if threshold >= MAX_VALUE:
            problems["threshold"] = _("That number is too large.")
        elif threshold < 0:
            problems["threshold"] = _("A threshold cannot be negative.")
        elif unit == Unit.PERCENT and threshold > 100:
            problems["threshold"] = _("A percentage goes from 0 to 100.")
        elif unit in {Unit.SECONDS, Unit.MINUTES, Unit.HOURS, Unit.DAYS} and threshold == 0:
            problems["threshold"] = _("A time threshold must be more than 0.")
    return problems


@transaction.atomic
def standard_save(
    *,
    moment: Moment,
    standard: ServiceStandard | None = None,
    name: str,
    metric: str,
    threshold: Decimal | None,
    unit: str,
    comparison: str = Comparison.LTE,
    business_hours: bool = False,
) -> ServiceStandard:
    """Create or update a service standard; without a threshold it is kept as an incomplete draft."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the standard a name."), field="name")
    _choice(metric, StandardMetric, field="metric")
    _choice(comparison, Comparison, field="comparison")
    _choice(unit, Unit, field="unit")
    problems = standard_problems(metric=metric, threshold=threshold, unit=unit)
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field, details=problems)
    standard = standard or ServiceStandard(organization_id=moment.organization_id, moment=moment)
    standard.name = name
    standard.metric = metric
    standard.comparison = comparison
    standard.threshold = threshold
    standard.unit = unit
    standard.business_hours = bool(business_hours)
    standard.save()
    return standard


@transaction.atomic
def checklist_item_save(
    *,
    moment: Moment,
    item: ChecklistItem | None = None,
    text: str,
    weight: int = 1,
    critical: bool = False,
    protocol: Document | None = None,
) -> ChecklistItem:
    text = text.strip()
    if not text:
        raise DomainError(_("Describe a behaviour an auditor can observe."), field="text")
    if int(weight) < 1:
        raise DomainError(_("The weight must be 1 or more."), field="weight")
    _check_procedure(protocol, moment.organization_id, field="protocol")
    if item is None:
        last = moment.checklist_items.aggregate(m=Max("position"))["m"] or 0
        item = ChecklistItem(organization_id=moment.organization_id, moment=moment, position=last + 1)
    item.text = text
    item.weight = int(weight)
    item.critical = bool(critical)
    item.protocol = protocol
    item.save()
    return item


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem) -> None:
    moment = item.moment
    item.delete()
    _renumber(
        list(moment.checklist_items.select_for_update().order_by("position", "created_at")), ChecklistItem
    )


@transaction.atomic
def checklist_item_move(*, item: ChecklistItem, direction: str) -> None:
    items = list(item.moment.checklist_items.select_for_update().order_by("position", "created_at"))
    _renumber(_move(items, item, direction), ChecklistItem)


@transaction.atomic
def checklist_item_reorder(*, moment: Moment, order: Sequence[Any]) -> list[ChecklistItem]:
    items = list(moment.checklist_items.select_for_update().order_by("position", "created_at"))
    ordered = _reorder(items, order, what=_("checklist items"))
    _renumber(ordered, ChecklistItem)
    return ordered

"""Pages of the four-step design. Editing needs DESIGN_PROTOCOL; the cycle can be read with READ_PROTOCOL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.models import Channel
from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_scope
from momentos.core.errors import DomainError
from momentos.cycle import selectors, services
from momentos.cycle.choices import Indicator
from momentos.cycle.forms import (
    ChecklistItemForm,
    CycleForm,
    EvidenceForm,
    ExpectationForm,
    MomentForm,
    ObjectiveForm,
    SegmentForm,
    StandardForm,
)
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
from momentos.cycle.svg import cycle_svg

DESIGN = Capability.DESIGN_PROTOCOL
READ = Capability.READ_PROTOCOL


def _apply_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error.message))


def _bad_request(error: DomainError) -> HttpResponse:
    return HttpResponseBadRequest(str(error.message), content_type="text/plain; charset=utf-8")


def _confirm_delete(request: HttpRequest, obj: Any, cancel_url: str, warning: str = "") -> HttpResponse:
    return render(
        request, "core/confirm_delete.html", {"object": obj, "cancel_url": cancel_url, "warning": warning}
    )


def _get(model: Any, request: MemberRequest, pk: Any) -> Any:
    return object_get_for_scope(model, scope=request.membership, pk=pk)


# --- overview and step 4 ---------------------------------------------------------------------------


@member_required(DESIGN)
def design_overview(request: MemberRequest) -> HttpResponse:
    steps = selectors.design_progress(organization=request.organization)
    return render(request, "cycle/design_overview.html", {"steps": steps})


@member_required(DESIGN)
def implementation(request: MemberRequest) -> HttpResponse:
    documents = selectors.published_documents(organization=request.organization)
    return render(request, "cycle/implementation.html", {"documents": documents})


# --- step 1: objectives ----------------------------------------------------------------------------


@member_required(DESIGN)
def objective_list(request: MemberRequest) -> HttpResponse:
    objectives = list(selectors.objective_list(scope=request.membership))
    return render(request, "cycle/objective_list.html", {"objectives": objectives})


@member_required(DESIGN)
def objective_create(request: MemberRequest) -> HttpResponse:
    return _objective_form(request, None)


@member_required(DESIGN)
def objective_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    return _objective_form(request, _get(Objective, request, pk))


def _objective_form(request: MemberRequest, objective: Objective | None) -> HttpResponse:
    org = request.organization
    initial = {}
    if objective is None and request.GET.get("indicator") in Indicator.values:
        initial["indicator"] = request.GET["indicator"]
    form = ObjectiveForm(request.POST or None, instance=objective, organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_save(organization=org, objective=objective, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Objective saved."))
            return redirect("cycle:objective_list")
    return render(request, "cycle/objective_form.html", {"form": form, "objective": objective})


@member_required(DESIGN)
def objective_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    objective = _get(Objective, request, pk)
    if request.method == "POST":
        objective.delete()
        messages.success(request, _("Objective deleted."))
        return redirect("cycle:objective_list")
    return _confirm_delete(request, objective, reverse("cycle:objective_list"))


# --- step 2: segments, expectations, evidence ------------------------------------------------------


@member_required(DESIGN)
def segment_list(request: MemberRequest) -> HttpResponse:
    segments = list(selectors.segment_list(organization=request.organization))
    return render(request, "cycle/segment_list.html", {"segments": segments})


@member_required(DESIGN)
def segment_create(request: MemberRequest) -> HttpResponse:
    return _segment_form(request, None)


@member_required(DESIGN)
def segment_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    return _segment_form(request, _get(Segment, request, pk))


def _segment_form(request: MemberRequest, segment: Segment | None) -> HttpResponse:
    form = SegmentForm(request.POST or None, instance=segment)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.segment_save(
                organization=request.organization,
                segment=segment,
                **form.cleaned_data,
            )
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Segment “%(name)s” saved.") % {"name": saved.name})
            return redirect("cycle:segment_detail", pk=saved.pk)
    return render(request, "cycle/segment_form.html", {"form": form, "segment": segment})


@member_required(DESIGN)
def segment_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    segment = _get(Segment, request, pk)
    expectations = list(selectors.segment_expectations(segment=segment))
    return render(request, "cycle/segment_detail.html", {"segment": segment, "expectations": expectations})


@member_required(DESIGN)
def segment_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    segment = _get(Segment, request, pk)
    if request.method == "POST":
        segment.delete()
        messages.success(request, _("Segment deleted."))
        return redirect("cycle:segment_list")
    return _confirm_delete(
        request,
        segment,
        reverse("cycle:segment_detail", kwargs={"pk": segment.pk}),
        _("Its expectations and their evidence are deleted with it."),
    )


@member_required(DESIGN)
def expectation_create(request: MemberRequest, pk: Any) -> HttpResponse:
    segment = _get(Segment, request, pk)
    return _expectation_form(request, segment, None)


@member_required(DESIGN)
def expectation_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    expectation = _get(Expectation, request, pk)
    return _expectation_form(request, expectation.segment, expectation)


def _expectation_form(
    request: MemberRequest, segment: Segment, expectation: Expectation | None
) -> HttpResponse:
    form = ExpectationForm(request.POST or None, instance=expectation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.expectation_save(segment=segment, expectation=expectation, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            if expectation is None:
                messages.success(request, _("Expectation added. Now record the evidence behind it."))
                return redirect("cycle:evidence_create", pk=saved.pk)
            messages.success(request, _("Expectation saved."))
            return redirect("cycle:segment_detail", pk=segment.pk)
    return render(
        request,
        "cycle/expectation_form.html",
        {"form": form, "segment": segment, "expectation": expectation},
    )


@member_required(DESIGN)
def expectation_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    expectation = _get(Expectation, request, pk)
    back = reverse("cycle:segment_detail", kwargs={"pk": expectation.segment_id})
    if request.method == "POST":
        expectation.delete()
        messages.success(request, _("Expectation deleted."))
        return redirect(back)
    return _confirm_delete(request, expectation, back, _("Its evidence is deleted with it."))


@member_required(DESIGN)
def evidence_create(request: MemberRequest, pk: Any) -> HttpResponse:
    expectation = _get(Expectation, request, pk)
    return _evidence_form(request, expectation, None)


@member_required(DESIGN)
def evidence_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    evidence = _get(Evidence, request, pk)
    return _evidence_form(request, evidence.expectation, evidence)


def _evidence_form(request: MemberRequest, expectation: Expectation, evidence: Evidence | None) -> HttpResponse:
    form = EvidenceForm(request.POST or None, instance=evidence)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_save(expectation=expectation, evidence=evidence, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Evidence saved."))
            return redirect("cycle:segment_detail", pk=expectation.segment_id)
    return render(
        request,
        "cycle/evidence_form.html",
        {"form": form, "expectation": expectation, "evidence": evidence},
    )


@member_required(DESIGN)
def evidence_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    evidence = _get(Evidence, request, pk)
    back = reverse("cycle:segment_detail", kwargs={"pk": evidence.expectation.segment_id})
    if request.method == "POST":
        evidence.delete()
        messages.success(request, _("Evidence deleted."))
        return redirect(back)
    return _confirm_delete(request, evidence, back)


# --- step 3: cycles and moments --------------------------------------------------------------------


def _moment_status(moment: Moment) -> tuple[str, str]:
    gaps = (
        (moment.procedure_id is None)
        + (not getattr(moment, "has_measurable_standard", True))
        + (not getattr(moment, "checklist_count", 1))
    )
    if gaps:
        return "incomplete", _("%(count)s missing") % {"count": gaps}
    return "complete", _("complete")


def _cycle_context(request: MemberRequest, cycle: ServiceCycle) -> dict[str, Any]:
    moments = selectors.cycle_moments(cycle=cycle)
    for moment in moments:
        # Display-only attributes the moments partial reads; Moment has no such fields, hence the ignore.
        moment.status_css, moment.status_words = _moment_status(moment)  # type: ignore[attr-defined]
    diagram = cycle_svg(
        cycle=cycle,
        moments=moments,
        url_for=lambda m: reverse("cycle:moment_detail", kwargs={"pk": m.pk}),
        status_for=_moment_status,
    )
    can_edit = request.membership.can(DESIGN)
    return {"cycle": cycle, "moments": moments, "diagram": diagram, "can_edit": can_edit}


@member_required(READ)
def cycle_list(request: MemberRequest) -> HttpResponse:
    rows = selectors.cycle_list(organization=request.organization)
    return render(
        request,
        "cycle/cycle_list.html",
        {"rows": rows, "can_edit": request.membership.can(DESIGN)},
    )


@member_required(DESIGN)
def cycle_create(request: MemberRequest) -> HttpResponse:
    org = request.organization
    initial: dict[str, Any] = {}
    chosen = request.GET.get("channel")
    if chosen:
        channel = Channel.objects.for_organization(org).filter(pk__in=_uuids([chosen])).first()
        if channel is not None:
            initial = {
                "channel": channel,
                "name": _("%(channel)s service cycle") % {"channel": channel},
            }
    return _cycle_form(request, None, initial)


@member_required(DESIGN)
def cycle_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    return _cycle_form(request, _get(ServiceCycle, request, pk), {})


def _cycle_form(request: MemberRequest, cycle: ServiceCycle | None, initial: dict[str, Any]) -> HttpResponse:
    org = request.organization
    form = CycleForm(request.POST or None, instance=cycle, organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.cycle_save(organization=org, cycle=cycle, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Service cycle saved."))
            return redirect("cycle:cycle_detail", pk=saved.pk)
    return render(request, "cycle/cycle_form.html", {"form": form, "cycle": cycle})


@member_required(READ)
def cycle_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    cycle = _get(ServiceCycle, request, pk)
    return render(request, "cycle/cycle_detail.html", _cycle_context(request, cycle))


@member_required(DESIGN)
def cycle_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    cycle = _get(ServiceCycle, request, pk)
    if request.method == "POST":
        cycle.delete()
        messages.success(request, _("Service cycle deleted."))
        return redirect("cycle:cycle_list")
    return _confirm_delete(
        request,
        cycle,
        reverse("cycle:cycle_detail", kwargs={"pk": cycle.pk}),
        _("Its moments, standards and checklists are deleted with it."),
    )


def _uuids(values: list[str]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(str(uuid.UUID(value)))
        except (ValueError, TypeError, AttributeError):
            continue
    return out


def _moments_response(request: MemberRequest, cycle: ServiceCycle) -> HttpResponse:
    if request.htmx:
        return render(request, "cycle/partials/cycle_moments.html", _cycle_context(request, cycle))
    return redirect("cycle:cycle_detail", pk=cycle.pk)


def _reorder(action: Callable[[], Any], respond: Callable[[], HttpResponse], *, given: bool) -> HttpResponse:
    """Apply a move or a new order when the form gave one, then answer with the list as it now is."""
    if given:  # nothing given: nothing to change, show the list as it is
        try:
            action()
        except DomainError as error:
            return _bad_request(error)
    return respond()


@require_POST
@member_required(DESIGN)
def moment_move(request: MemberRequest, pk: Any) -> HttpResponse:
    moment = _get(Moment, request, pk)
    direction = request.POST.get("direction", "")
    return _reorder(
        lambda: services.moment_move(moment=moment, direction=direction),
        lambda: _moments_response(request, moment.cycle),
        given=bool(direction),
    )


@require_POST
@member_required(DESIGN)
def moment_reorder(request: MemberRequest, pk: Any) -> HttpResponse:
    """The drag-and-drop path: ``order`` lists every moment id of the cycle, first to last."""
    cycle = _get(ServiceCycle, request, pk)
    order = request.POST.getlist("order")
    return _reorder(
        lambda: services.moment_reorder(cycle=cycle, order=order),
        lambda: _moments_response(request, cycle),
        given=bool(order),
    )


@member_required(DESIGN)
def moment_create(request: MemberRequest, pk: Any) -> HttpResponse:
    cycle = _get(ServiceCycle, request, pk)
    return _moment_form(request, cycle, None)


@member_required(DESIGN)
def moment_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    moment = _get(Moment, request, pk)
    return _moment_form(request, moment.cycle, moment)


def _moment_form(request: MemberRequest, cycle: ServiceCycle, moment: Moment | None) -> HttpResponse:
    org = request.organization
    form = MomentForm(request.POST or None, instance=moment, organization=org)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.moment_save(cycle=cycle, moment=moment, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Moment “%(name)s” saved.") % {"name": saved.name})
            return redirect("cycle:moment_detail", pk=saved.pk)
    return render(request, "cycle/moment_form.html", {"form": form, "cycle": cycle, "moment": moment})


@member_required(READ)
def moment_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    moment = _get(Moment, request, pk)
    context = selectors.moment_detail(moment=moment)
    context.update(
        {
            "moment": moment,
            "cycle": moment.cycle,
            "procedure_title": selectors.document_title(moment.procedure),
            "can_edit": request.membership.can(DESIGN),
        }
    )
    return render(request, "cycle/moment_detail.html", context)


@member_required(DESIGN)
def moment_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    moment = _get(Moment, request, pk)
    back = reverse("cycle:cycle_detail", kwargs={"pk": moment.cycle_id})
    if request.method == "POST":
        services.moment_delete(moment=moment)
        messages.success(request, _("Moment deleted."))
        return redirect(back)
    return _confirm_delete(request, moment, back, _("Its standards and checklist items are deleted with it."))


# --- step 3: standards and checklist items -------------------------------------------------------


@member_required(DESIGN)
def standard_create(request: MemberRequest, pk: Any) -> HttpResponse:
    return _standard_form(request, _get(Moment, request, pk), None)


@member_required(DESIGN)
def standard_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    standard = _get(ServiceStandard, request, pk)
    return _standard_form(request, standard.moment, standard)


def _standard_form(request: MemberRequest, moment: Moment, standard: ServiceStandard | None) -> HttpResponse:
    form = StandardForm(request.POST or None, instance=standard)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.standard_save(moment=moment, standard=standard, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            if saved.threshold is None:
                messages.warning(request, _("Standard saved as a draft: give it a threshold to complete it."))
            else:
                messages.success(request, _("Standard saved."))
            return redirect("cycle:moment_detail", pk=moment.pk)
    return render(request, "cycle/standard_form.html", {"form": form, "moment": moment, "standard": standard})


@member_required(DESIGN)
def standard_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    standard = _get(ServiceStandard, request, pk)
    back = reverse("cycle:moment_detail", kwargs={"pk": standard.moment_id})
    if request.method == "POST":
        standard.delete()
        messages.success(request, _("Standard deleted."))
        return redirect(back)
    return _confirm_delete(request, standard, back)


@member_required(DESIGN)
def checklist_item_create(request: MemberRequest, pk: Any) -> HttpResponse:
    return _checklist_item_form(request, _get(Moment, request, pk), None)


@member_required(DESIGN)
def checklist_item_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    item = _get(ChecklistItem, request, pk)
    return _checklist_item_form(request, item.moment, item)


def _checklist_item_form(request: MemberRequest, moment: Moment, item: ChecklistItem | None) -> HttpResponse:
    org = request.organization
    form = ChecklistItemForm(request.POST or None, instance=item, organization=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_item_save(moment=moment, item=item, **form.cleaned_data)
        except DomainError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Checklist item saved."))
            return redirect("cycle:moment_detail", pk=moment.pk)
    return render(request, "cycle/checklist_item_form.html", {"form": form, "moment": moment, "item": item})


@member_required(DESIGN)
def checklist_item_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    item = _get(ChecklistItem, request, pk)
    back = reverse("cycle:moment_detail", kwargs={"pk": item.moment_id})
    if request.method == "POST":
        services.checklist_item_delete(item=item)
        messages.success(request, _("Checklist item deleted."))
        return redirect(back)
    return _confirm_delete(request, item, back)


def _checklist_response(request: MemberRequest, moment: Moment) -> HttpResponse:
    if request.htmx:
        context = selectors.moment_detail(moment=moment)
        context.update({"moment": moment, "can_edit": True})
        return render(request, "cycle/partials/checklist.html", context)
    return redirect("cycle:moment_detail", pk=moment.pk)


@require_POST
@member_required(DESIGN)
def checklist_item_move(request: MemberRequest, pk: Any) -> HttpResponse:
    item = _get(ChecklistItem, request, pk)
    direction = request.POST.get("direction", "")
    return _reorder(
        lambda: services.checklist_item_move(item=item, direction=direction),
        lambda: _checklist_response(request, item.moment),
        given=bool(direction),
    )


@require_POST
@member_required(DESIGN)
def checklist_item_reorder(request: MemberRequest, pk: Any) -> HttpResponse:
    moment = _get(Moment, request, pk)
    order = request.POST.getlist("order")
    return _reorder(
        lambda: services.checklist_item_reorder(moment=moment, order=order),
        lambda: _checklist_response(request, moment),
        given=bool(order),
    )

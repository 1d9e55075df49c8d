"""Staff pages of continuous improvement: `improvement:action_<verb>`.

Quality managers and administrators manage every action; supervisors see and update the actions of
their branches; agents do not see them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_scope
from momentos.core.errors import DomainError
from momentos.core.pagination import paginate, querystring_without_page
from momentos.cycle.models import Moment, Objective
from momentos.improvement import selectors, services
from momentos.improvement.choices import ActionStatus
from momentos.improvement.forms import AcceptForm, ActionFilterForm, ActionForm
from momentos.improvement.models import ImprovementAction
from momentos.improvement.tasks import propose_actions_task
from momentos.surveys.models import FollowUp

MANAGE = Capability.DESIGN_PROTOCOL
ACCEPT_DUE_DAYS = 14  # the due date offered when a proposal is accepted
SEE = Capability.AUDIT

# The buttons each status offers: (target status, label, style).
STATUS_BUTTONS: dict[str, list[tuple[str, Any, str]]] = {
    ActionStatus.OPEN: [
        (ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS.label, "btn"),
        (ActionStatus.DONE, ActionStatus.DONE.label, "btn btn-primary"),
        (ActionStatus.DISMISSED, ActionStatus.DISMISSED.label, "btn"),
    ],
    ActionStatus.IN_PROGRESS: [
        (ActionStatus.DONE, ActionStatus.DONE.label, "btn btn-primary"),
        (ActionStatus.OPEN, ActionStatus.OPEN.label, "btn"),
        (ActionStatus.DISMISSED, ActionStatus.DISMISSED.label, "btn"),
    ],
    ActionStatus.DONE: [(ActionStatus.OPEN, ActionStatus.OPEN.label, "btn")],
    ActionStatus.DISMISSED: [(ActionStatus.OPEN, ActionStatus.OPEN.label, "btn")],
    ActionStatus.PROPOSED: [(ActionStatus.DISMISSED, ActionStatus.DISMISSED.label, "btn")],
}


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _get_action(request: MemberRequest, pk: Any) -> ImprovementAction:
    return object_get_for_scope(
        ImprovementAction,
        scope=request.membership,
        pk=pk,
        queryset=ImprovementAction.objects.select_related(
            "organization",
            "owner",
            "branch",
            "created_by",
            "objective",
            "moment__cycle",
            "follow_up__alert",
            "closing_version__document",
        ),
    )


@member_required(SEE)
def action_list(request: MemberRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None, organization=request.organization, scope=request.membership)
    if form.is_bound:
        form.is_valid()
    today = selectors.organization_today(request.organization)
    qs = selectors.action_list(scope=request.membership, filters=form.filters(), today=today)
    page = paginate(request, qs)
    filtered = any(v for k, v in request.GET.items() if k != "page")
    return render(
        request,
        "improvement/action_list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "filtered": filtered,
            "qs": querystring_without_page(request),
            "can_manage": request.membership.can(MANAGE),
        },
    )


def _source_from_query(request: MemberRequest) -> dict[str, Any]:
    """The objective, moment or follow-up named in ?objective= / ?moment= / ?follow_up= (404 if not visible)."""
    scope = request.membership
    found: dict[str, Any] = {"objective": None, "moment": None, "follow_up": None}
    if request.GET.get("objective"):
        found["objective"] = object_get_for_scope(
            Objective,
            scope=scope,
            pk=request.GET["objective"],
            queryset=Objective.objects.select_related("branch"),
        )
    elif request.GET.get("moment"):
        found["moment"] = object_get_for_scope(Moment, scope=scope, pk=request.GET["moment"])
    elif request.GET.get("follow_up"):
        found["follow_up"] = object_get_for_scope(
            FollowUp,
            scope=scope,
            pk=request.GET["follow_up"],
            queryset=FollowUp.objects.select_related("alert__branch"),
        )
    return found


@member_required(MANAGE)
def action_create(request: MemberRequest) -> HttpResponse:
    """Raise an action by hand; ?objective=, ?moment= or ?follow_up= prefill it from where it was raised."""
    initial = services.prefill_from(organization=request.organization, **_source_from_query(request))
    form = ActionForm(
        _posted(request), initial=initial, organization=request.organization, scope=request.membership
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                organization=request.organization, created_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Action “%(title)s” raised.") % {"title": action.title})
            return redirect("improvement:action_detail", pk=action.pk)
    return render(
        request,
        "improvement/action_form.html",
        {"form": form, "action": None, "prefilled": initial},
        status=400 if request.method == "POST" else 200,
    )


@member_required(SEE)
def action_edit(request: MemberRequest, pk: Any) -> HttpResponse:
    action = _get_action(request, pk)
    initial = {name: getattr(action, name) for name in services.FIELDS}
    form = ActionForm(
        _posted(request),
        initial=initial,
        organization=request.organization,
        scope=request.membership,
        proposal=action.status == ActionStatus.PROPOSED,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Action saved."))
            return redirect("improvement:action_detail", pk=action.pk)
    return render(
        request,
        "improvement/action_form.html",
        {"form": form, "action": action},
        status=400 if request.method == "POST" else 200,
    )


@member_required(SEE)
def action_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    action = _get_action(request, pk)
    today = selectors.organization_today(action.organization)
    return render(
        request,
        "improvement/action_detail.html",
        {
            "action": action,
            "today": today,
            "overdue": action.is_overdue(today),
            "comparison": selectors.action_before_after(action, today=today),
            "events": list(action.events.select_related("actor")),
            "status_buttons": STATUS_BUTTONS.get(action.status, []),
            "can_manage": request.membership.can(MANAGE),
        },
    )


@require_POST
@member_required(SEE)
def action_status(request: MemberRequest, pk: Any) -> HttpResponse:
    action = _get_action(request, pk)
    status = request.POST.get("status", "")
    try:
        services.action_status_set(action=action, status=status, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": action.title, "status": action.get_status_display()},
        )
    return redirect("improvement:action_detail", pk=action.pk)


@member_required(SEE)
def action_accept(request: MemberRequest, pk: Any) -> HttpResponse:
    action = _get_action(request, pk)
    if action.status != ActionStatus.PROPOSED:
        messages.info(request, _("This action is not a proposal any more."))
        return redirect("improvement:action_detail", pk=action.pk)
    today = selectors.organization_today(request.organization)
    form = AcceptForm(
        _posted(request),
        organization=request.organization,
        initial={"owner": request.user.pk, "due_date": today + timedelta(days=ACCEPT_DUE_DAYS)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_accept(action=action, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Proposal accepted: “%(title)s” is open.") % {"title": action.title})
            return redirect("improvement:action_detail", pk=action.pk)
    return render(
        request,
        "improvement/action_accept.html",
        {"form": form, "action": action},
        status=400 if request.method == "POST" else 200,
    )


@member_required(MANAGE)
def action_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    action = _get_action(request, pk)
    if request.method == "POST":
        title = action.title
        services.action_delete(action=action)
        messages.success(request, _("Action “%(title)s” deleted.") % {"title": title})
        return redirect("improvement:action_list")
    return render(
        request,
        "core/confirm_delete.html",
        {"object": action, "cancel_url": reverse("improvement:action_detail", kwargs={"pk": action.pk})},
    )


@require_POST
@member_required(MANAGE)
def action_propose(request: MemberRequest) -> HttpResponse:
    """Look for proposals now (the same task the daily command runs)."""
    result = propose_actions_task.enqueue(organization_id=str(request.organization.pk))
    if result.status == "SUCCESSFUL":
        count = result.return_value or 0
        if count:
            messages.success(
                request,
                ngettext("%(count)s new proposal to review.", "%(count)s new proposals to review.", count)
                % {"count": count},
            )
        else:
            messages.info(
                request, _("Nothing new to propose: every source already has an action, or is on target.")
            )
    elif result.status == "FAILED":
        messages.error(request, _("The proposals could not be computed. Try again later."))
    else:
        messages.info(request, _("Looking for proposals: they will appear in the list shortly."))
    url = reverse("improvement:action_list") + "?status=" + ActionStatus.PROPOSED
    return redirect(url)

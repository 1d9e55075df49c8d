"""Pages of the guided attention console: start, run and close an attention; the supervisors' live view.

Every write works as a plain form post (redirect back to the console) and, with htmx, as a fragment
swap; the console page always rebuilds from the database, so a closed tab resumes where it was.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.attention import console, hooks
from momentos.attention.console_forms import AttentionStartForm, CloseForm, NextForm, TickForm
from momentos.attention.models import ChecklistTick, Interaction
from momentos.core.access import object_get_for_scope
from momentos.core.errors import DomainError
from momentos.core.forms import model_choice_field
from momentos.cycle.models import ChecklistItem

SURVEY_SESSION_KEY = "attention_console_survey"


def _interaction(request: MemberRequest, pk: Any) -> Interaction:
    # Agents reach only their own attentions, supervisors those of their scope: anything else is a 404.
    return object_get_for_scope(
        Interaction,
        scope=request.membership,
        pk=pk,
        queryset=console.console_interaction_queryset(),
    )


def _console_url(interaction: Interaction, anchor: str = "") -> str:
    url = reverse("attention:console_detail", kwargs={"pk": interaction.pk})
    return f"{url}#{anchor}" if anchor else url


def _survey_invitation(request: HttpRequest, interaction: Interaction) -> dict[str, str]:
    """What the apps built on attention (surveys) offer the customer after closing: a link and a QR code.

    Attention does not import them; they register a provider in ``hooks`` and the console works
    (with a placeholder) without any.
    """
    try:
        return hooks.close_offers(interaction, request)
    except DomainError as error:
        return {"error": str(error.message)}


@member_required(Capability.ATTEND)
def console_list(request: MemberRequest) -> HttpResponse:
    """The member's open attentions, to resume one, and the way to start a new one."""
    scope = request.membership
    return render(
        request,
        "attention/console/console_list.html",
        {
            "open_attentions": list(console.my_open_attentions(scope=scope)),
            "can_start": console.channels_for_console(organization=scope.organization_id).exists(),
        },
    )


@member_required(Capability.ATTEND)
def console_start(request: MemberRequest) -> HttpResponse:
    scope = request.membership
    form = AttentionStartForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        teams = list(scope.team_ids)
        try:
            interaction = console.attention_start(
                organization=scope.organization_id,
                agent=request.user,
                branch=data["branch"],
                channel=data["channel"],
                reason=data["reason"],
                segment=data["segment"],
                customer_ref=data["customer_ref"],
                team=scope.teams.filter(pk=teams[0]).first() if len(teams) == 1 else None,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            return redirect(_console_url(interaction))
    status = 400 if request.method == "POST" else 200
    channels = model_choice_field(form, "channel").queryset
    return render(
        request,
        "attention/console/console_start.html",
        {"form": form, "no_channel": channels is None or not channels.exists()},
        status=status,
    )


@member_required(Capability.ATTEND)
def console_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    interaction = _interaction(request, pk)
    state = console.console_state(interaction=interaction)
    survey = request.session.get(SURVEY_SESSION_KEY, {}).get(str(interaction.pk))
    return render(
        request,
        "attention/console/console_detail.html",
        {
            "state": state,
            "interaction": interaction,
            "close_form": CloseForm(),
            "survey": survey,
            "surveys_installed": hooks.has_close_offers(),
        },
    )


@member_required(Capability.ATTEND)
def console_tick(request: MemberRequest, pk: Any) -> HttpResponse:
    """Save one checklist answer; idempotent, so htmx retries and double posts store it once."""
    interaction = _interaction(request, pk)
    if request.method != "POST":
        return redirect(_console_url(interaction))
    form = TickForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a checklist item and an answer."), status=400)
    try:
        item = ChecklistItem.objects.for_organization(interaction.organization_id).get(
            pk=form.cleaned_data["item"]
        )
    except ChecklistItem.DoesNotExist:
        return HttpResponse(_("This checklist item does not exist."), status=400)
    error, status = "", 200
    tick: ChecklistTick | None = None
    try:
        tick = console.checklist_tick(interaction=interaction, item=item, answer=form.cleaned_data["answer"])
    except DomainError as exc:
        error = str(exc.message)
        status = exc.status
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_console_url(interaction, f"item-{item.pk}"))
    if tick is None:
        tick = ChecklistTick.objects.filter(interaction=interaction, item=item).first()
    return render(
        request,
        "attention/console/partials/checklist_item.html",
        {"interaction": interaction, "item": item, "tick": tick, "error": error},
        status=status,
    )


@member_required(Capability.ATTEND)
def console_next(request: MemberRequest, pk: Any) -> HttpResponse:
    interaction = _interaction(request, pk)
    if request.method != "POST":
        return redirect(_console_url(interaction))
    form = NextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date; here is where the attention stands now."))
        return HttpResponseRedirect(_console_url(interaction), status=303)
    try:
        console.moment_advance(interaction=interaction, current_moment_id=form.cleaned_data["current"])
    except console.StaleMoment as error:
        messages.warning(request, str(error.message))
    except DomainError as error:
        messages.error(request, str(error.message))
    return HttpResponseRedirect(_console_url(interaction), status=303)


@member_required(Capability.ATTEND)
def console_close(request: MemberRequest, pk: Any) -> HttpResponse:
    interaction = _interaction(request, pk)
    if not interaction.is_open:
        return redirect(_console_url(interaction))
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interaction = console.attention_close(
                interaction=interaction,
                outcome=data["outcome"],
                contacts=data["contacts"],
                notes=data["notes"],
            )
        except console.AttentionClosed:
            return redirect(_console_url(interaction))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            invitations = dict(request.session.get(SURVEY_SESSION_KEY, {}))
            # Keep only the latest few: the raw link is shown to this agent and cannot be read again.
            invitations = dict(list(invitations.items())[-4:])
            invitations[str(interaction.pk)] = _survey_invitation(request, interaction)
            request.session[SURVEY_SESSION_KEY] = invitations
            messages.success(request, _("The attention is closed."))
            return HttpResponseRedirect(_console_url(interaction), status=303)
    return render(
        request,
        "attention/console/console_close.html",
        {"interaction": interaction, "close_form": form},
        status=400 if request.method == "POST" else 200,
    )


@member_required(Capability.AUDIT)
def live_list(request: MemberRequest) -> HttpResponse:
    """The open attentions of the supervisor's scope; htmx polls the same address for the table alone."""
    rows = console.live_attentions(scope=request.membership)
    template = (
        "attention/console/partials/live_table.html"
        if request.htmx
        else "attention/console/console_live.html"
    )
    return render(request, template, {"rows": rows, "now": timezone.now()})

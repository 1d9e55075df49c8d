"""The starter kit's page: choose the language, see what will be created, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.core.errors import DomainError
from momentos.cycle.starter import selectors, services
from momentos.cycle.starter.forms import StarterForm


def _after_apply_url() -> str:
    try:
        return reverse("cycle:design_overview")
    except NoReverseMatch:
        return reverse("core:home")


@member_required(Capability.DESIGN_PROTOCOL)
@require_http_methods(["GET", "POST"])
def starter_apply(request: MemberRequest) -> HttpResponse:
    organization = request.membership.organization
    status = 200
    if request.method == "POST":
        form = StarterForm(request.POST)
        if form.is_valid():
            try:
                services.starter_apply(
                    organization=organization, language=form.cleaned_data["language"], user=request.user
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
                status = error.status
            else:
                messages.success(
                    request,
                    _(
                        "The starter kit is in place: objectives, segments, service cycles and published "
                        "documents. Adapt them to your organisation."
                    ),
                )
                return redirect(_after_apply_url())
        else:
            status = 400
    else:
        form = StarterForm(initial={"language": organization.language})
    language = form.data.get("language") or organization.language
    plan = selectors.starter_plan(
        organization=organization, language=language if language in ("es", "en") else "es"
    )
    context = {
        "form": form,
        "plan": plan,
        "blockers": selectors.starter_blockers(organization=organization),
    }
    return render(request, "cycle/starter/apply.html", context, status=status)

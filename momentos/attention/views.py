"""Pages of the attention app: the interactions a member's scope covers, and each one in detail."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.attention import selectors
from momentos.attention.choices import StandardStatus
from momentos.attention.forms import InteractionFilterForm
from momentos.attention.models import Interaction
from momentos.core.access import object_get_for_scope
from momentos.core.pagination import paginate, querystring_without_page


@member_required(Capability.ATTEND)
def interaction_list(request: MemberRequest) -> HttpResponse:
    scope = request.membership
    form = InteractionFilterForm(request.GET or None, scope=scope)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    page = paginate(request, selectors.interaction_list(scope=scope, filters=filters))
    return render(
        request,
        "attention/interaction_list.html",
        {
            "form": form,
            "page": page,
            "filtered": filters != selectors.InteractionFilters(),
            "qs": querystring_without_page(request),
            "can_import": scope.can(Capability.IMPORT_INTERACTIONS),
            "can_attend": True,
        },
    )


@member_required(Capability.ATTEND)
def interaction_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    interaction = object_get_for_scope(
        Interaction,
        scope=request.membership,
        pk=pk,
        queryset=selectors.interaction_detail_queryset(),
    )
    results = list(interaction.standard_results.all())
    return render(
        request,
        "attention/interaction_detail.html",
        {
            "interaction": interaction,
            "moments": list(interaction.moments_reached.all()),
            "results": results,
            "met": sum(1 for r in results if r.status == StandardStatus.MET),
            "applicable": sum(1 for r in results if r.status != StandardStatus.NOT_APPLICABLE),
        },
    )

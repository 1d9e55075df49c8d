"""Pages of webhooks: the organisation's endpoints, their recent deliveries, a test post, deletion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentos.accounts.decorators import member_required
from momentos.accounts.http import MemberRequest
from momentos.accounts.permissions import Capability
from momentos.core.access import object_get_for_scope
from momentos.core.errors import DomainError
from momentos.core.pagination import paginate
from momentos.webhooks import selectors, services
from momentos.webhooks.forms import EndpointForm
from momentos.webhooks.models import WebhookEndpoint, WebhookEvent

MANAGE = Capability.MANAGE_ORGANIZATION
NEW_SECRET_SESSION_KEY = "momentos_new_webhook_secret"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _endpoint(request: MemberRequest, pk: Any) -> WebhookEndpoint:
    return object_get_for_scope(WebhookEndpoint, scope=request.membership, pk=pk)


@member_required(MANAGE)
def endpoint_list(request: MemberRequest) -> HttpResponse:
    form = EndpointForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.endpoint_create(
                organization=request.organization, created_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Webhook added. Copy its secret now: it will not be shown again."))
            # Post/redirect/get; the secret waits in the session for exactly one page view.
            request.session[NEW_SECRET_SESSION_KEY] = {"id": str(endpoint.pk), "secret": secret}
            return redirect("webhooks:endpoint_list")
    new_secret = request.session.pop(NEW_SECRET_SESSION_KEY, None) if request.method == "GET" else None
    page = paginate(request, selectors.endpoint_list(scope=request.membership))
    response = render(
        request,
        "webhooks/endpoint_list.html",
        {"form": form, "page": page, "new_secret": new_secret, "event_labels": dict(WebhookEvent.choices)},
    )
    if new_secret:
        add_never_cache_headers(response)  # the only copy of the secret must not stay in a cache
    return response


@member_required(MANAGE)
def endpoint_detail(request: MemberRequest, pk: Any) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "deliveries": selectors.recent_deliveries(endpoint=endpoint),
            "event_labels": dict(WebhookEvent.choices),
        },
    )


@member_required(MANAGE)
@require_POST
def endpoint_toggle(request: MemberRequest, pk: Any) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    try:
        services.endpoint_set_active(endpoint=endpoint, active=not endpoint.is_active)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if endpoint.is_active:
            messages.success(request, _("Webhook activated."))
        else:
            messages.success(request, _("Webhook deactivated: it receives no events until you activate it."))
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@member_required(MANAGE)
@require_POST
def endpoint_ping(request: MemberRequest, pk: Any) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    services.endpoint_ping(endpoint=endpoint)
    messages.success(request, _("Test event sent. Its delivery is listed below."))
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@member_required(MANAGE)
def endpoint_delete(request: MemberRequest, pk: Any) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(request, _("Webhook “%(url)s” deleted.") % {"url": endpoint.url})
        return redirect("webhooks:endpoint_list")
    return render(
        request,
        "core/confirm_delete.html",
        {
            "object": endpoint,
            "cancel_url": reverse("webhooks:endpoint_detail", kwargs={"pk": endpoint.pk}),
            "warning": _("The endpoint stops receiving events at once, and its delivery history is deleted."),
        },
    )

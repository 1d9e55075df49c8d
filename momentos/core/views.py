"""Pages that belong to no domain: home, health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from momentos.core.home import home_sections


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    membership = getattr(request, "membership", None)
    if membership is None:
        return render(request, "accounts/no_organization.html", status=403)
    return render(request, "core/home.html", {"sections": home_sections(request, membership)})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Pages without a <link rel="icon"> (the API docs, say) still ask browsers for /favicon.ico.
    return redirect(static("momentos/img/logo.svg"), permanent=True)

"""Root URL configuration: the web application, the API and the language switch."""

from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("momentos.core.urls")),
    path("accounts/", include("momentos.accounts.urls")),
    path("studio/", include("momentos.protocols.urls")),
    path("design/", include("momentos.cycle.urls")),
    path("attention/", include("momentos.attention.urls")),
    path("surveys/", include("momentos.surveys.urls")),
    path("s/", include("momentos.surveys.public_urls")),
    path("insight/", include("momentos.insight.urls")),
    path("improvement/", include("momentos.improvement.urls")),
    path("webhooks/", include("momentos.webhooks.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]

# Pages for people, the error envelope for API clients.
handler400 = "momentos.core.api.bad_request"
handler404 = "momentos.core.api.page_not_found"
handler500 = "momentos.core.api.server_error"

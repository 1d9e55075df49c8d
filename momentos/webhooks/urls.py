"""Staff pages of webhooks: `webhooks:<name>` (admins only)."""

from django.urls import path

from momentos.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("<uuid:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("<uuid:pk>/active/", views.endpoint_toggle, name="endpoint_toggle"),
    path("<uuid:pk>/test/", views.endpoint_ping, name="endpoint_ping"),
    path("<uuid:pk>/delete/", views.endpoint_delete, name="endpoint_delete"),
]

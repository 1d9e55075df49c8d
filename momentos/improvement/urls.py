"""Staff pages of improvement actions: `improvement:<name>`."""

from django.urls import path

from momentos.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("new/", views.action_create, name="action_create"),
    path("propose/", views.action_propose, name="action_propose"),
    path("<uuid:pk>/", views.action_detail, name="action_detail"),
    path("<uuid:pk>/edit/", views.action_edit, name="action_edit"),
    path("<uuid:pk>/status/", views.action_status, name="action_status"),
    path("<uuid:pk>/accept/", views.action_accept, name="action_accept"),
    path("<uuid:pk>/delete/", views.action_delete, name="action_delete"),
]

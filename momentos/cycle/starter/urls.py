"""The starter kit's page, included by momentos/cycle/urls.py under the `cycle` namespace."""

from django.urls import path

from momentos.cycle.starter import views

urlpatterns = [
    path("", views.starter_apply, name="starter_apply"),
]

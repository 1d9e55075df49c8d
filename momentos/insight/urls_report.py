"""Routes of the insight pages (report); included by momentos.insight.urls."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

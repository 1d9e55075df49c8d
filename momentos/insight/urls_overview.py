"""Routes of the insight pages (overview); included by momentos.insight.urls."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

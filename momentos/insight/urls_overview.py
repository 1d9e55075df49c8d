"""Routes of the insight pages (overview); included by momentos.insight.urls."""

from django.urls import path

from momentos.insight import views_overview as views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("map/", views.cycle_map, name="cycle_map"),
    path("map/moments/<uuid:pk>/", views.moment_detail, name="moment_detail"),
]

"""Routes of the insight pages (analysis); included by momentos.insight.urls."""

from django.urls import path

from momentos.insight import views_analysis as views

urlpatterns = [
    path("trends/", views.trends, name="trends"),
    path("branches/", views.league, name="league"),
    path("teams/", views.teams, name="teams"),
    path("agents/", views.agents, name="agents"),
    path("agents/<uuid:pk>/", views.agent_detail, name="agent_detail"),
    path("expectations/", views.importance, name="importance"),
    path("comments/", views.verbatims, name="verbatims"),
    path("responses/", views.responses, name="responses"),
]

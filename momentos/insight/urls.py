"""Staff pages of insight: `insight:<name>`. Each group of pages keeps its routes in its own module."""

from django.urls import include, path

app_name = "insight"

urlpatterns = [
    path("", include("momentos.insight.urls_overview")),
    path("", include("momentos.insight.urls_analysis")),
    path("report/", include("momentos.insight.urls_report")),
]

"""Routes of the insight pages (report); included by momentos.insight.urls."""

from django.urls import path

from momentos.insight import views_report as views

urlpatterns = [
    path("", views.report, name="report"),
    path("pdf/", views.report_pdf_download, name="report_pdf"),
]

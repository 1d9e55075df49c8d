"""Staff pages of the surveys app: `surveys:<model>_<action>` (the customer's pages are in public_urls)."""

from django.urls import path

from momentos.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("new/", views.survey_create, name="survey_create"),
    path("<uuid:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("<uuid:pk>/questions/", views.survey_questions, name="survey_questions"),
    path("<uuid:pk>/preview/", views.survey_preview, name="survey_preview"),
    path("<uuid:pk>/export/", views.survey_export, name="survey_export"),
    path("<uuid:pk>/qr-codes/", views.survey_qr_codes, name="survey_qr_codes"),
    path("qr-codes/<uuid:pk>.png", views.qr_code_png, name="qr_code_png"),
    path("qr-codes/<uuid:pk>.svg", views.qr_code_svg, name="qr_code_svg"),
    path("qr-codes/<uuid:pk>.pdf", views.qr_code_pdf, name="qr_code_pdf"),
    path("interactions/<uuid:pk>/link/", views.interaction_survey_link, name="interaction_link"),
    path("interactions/<uuid:pk>/invite/", views.interaction_invite, name="interaction_invite"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<uuid:pk>/", views.alert_detail, name="alert_detail"),
]

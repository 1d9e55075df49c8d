"""The customer's pages, under a short prefix so links and QR codes stay small: `surveys_public:<page>`."""

from django.urls import path

from momentos.surveys import public_views

app_name = "surveys_public"

urlpatterns = [
    path("thanks/", public_views.thanks, name="thanks"),
    path("optout/<str:token>/", public_views.opt_out, name="opt_out"),
    path("q/<str:token>/", public_views.respond_qr, name="respond_qr"),
    path("<str:token>/", public_views.respond, name="respond"),
]

"""URLs of the accounts app: `accounts:<model>_<action>`."""

from django.contrib.auth import views as auth_views
from django.urls import path

from momentos.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("switch/", views.organization_switch, name="organization_switch"),
    path("profile/", views.profile, name="profile"),
    path("branches/", views.branch_list, name="branch_list"),
    path("branches/new/", views.branch_create, name="branch_create"),
    path("branches/<uuid:pk>/", views.branch_detail, name="branch_detail"),
    path("branches/<uuid:pk>/edit/", views.branch_edit, name="branch_edit"),
    path("branches/<uuid:pk>/hours/", views.branch_hours, name="branch_hours"),
    path("branches/<uuid:pk>/delete/", views.branch_delete, name="branch_delete"),
    path("branches/<uuid:pk>/holidays/new/", views.holiday_create, name="holiday_create"),
    path("holidays/<uuid:pk>/delete/", views.holiday_delete, name="holiday_delete"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<uuid:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<uuid:pk>/delete/", views.team_delete, name="team_delete"),
    path("members/", views.member_list, name="member_list"),
    path("members/<uuid:pk>/edit/", views.member_edit, name="member_edit"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<uuid:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("channels/", views.channel_list, name="channel_list"),
    path("api-tokens/", views.api_token_list, name="api_token_list"),
    path("api-tokens/<uuid:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]

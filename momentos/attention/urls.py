"""URLs of the attention app: `attention:<model>_<action>`."""

from django.urls import path

from momentos.attention import console_views, import_views, views

app_name = "attention"

urlpatterns = [
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/<uuid:pk>/", views.interaction_detail, name="interaction_detail"),
    path("imports/", import_views.import_list, name="importjob_list"),
    path("imports/<uuid:pk>/", import_views.importjob_detail, name="importjob_detail"),
    path("imports/<uuid:pk>/progress/", import_views.importjob_progress, name="importjob_progress"),
    path("console/", console_views.console_list, name="console_list"),
    path("console/new/", console_views.console_start, name="console_start"),
    path("console/live/", console_views.live_list, name="live_list"),
    path("console/<uuid:pk>/", console_views.console_detail, name="console_detail"),
    path("console/<uuid:pk>/tick/", console_views.console_tick, name="console_tick"),
    path("console/<uuid:pk>/next/", console_views.console_next, name="console_next"),
    path("console/<uuid:pk>/close/", console_views.console_close, name="console_close"),
]

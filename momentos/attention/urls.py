"""URLs of the attention app: `attention:<model>_<action>`."""

from django.urls import path

from momentos.attention import views

app_name = "attention"

urlpatterns = [
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/<uuid:pk>/", views.interaction_detail, name="interaction_detail"),
]

"""URLs of the four-step design, under /design/: `cycle:<model>_<action>`."""

from django.urls import include, path

from momentos.cycle import views

app_name = "cycle"

urlpatterns = [
    path("", views.design_overview, name="design_overview"),
    # Step 1
    path("objectives/", views.objective_list, name="objective_list"),
    path("objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<uuid:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<uuid:pk>/delete/", views.objective_delete, name="objective_delete"),
    # Step 2
    path("segments/", views.segment_list, name="segment_list"),
    path("segments/new/", views.segment_create, name="segment_create"),
    path("segments/<uuid:pk>/", views.segment_detail, name="segment_detail"),
    path("segments/<uuid:pk>/edit/", views.segment_edit, name="segment_edit"),
    path("segments/<uuid:pk>/delete/", views.segment_delete, name="segment_delete"),
    path("segments/<uuid:pk>/expectations/new/", views.expectation_create, name="expectation_create"),
    path("expectations/<uuid:pk>/edit/", views.expectation_edit, name="expectation_edit"),
    path("expectations/<uuid:pk>/delete/", views.expectation_delete, name="expectation_delete"),
    path("expectations/<uuid:pk>/evidence/new/", views.evidence_create, name="evidence_create"),
    path("evidence/<uuid:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("evidence/<uuid:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    # Step 3
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<uuid:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<uuid:pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("cycles/<uuid:pk>/delete/", views.cycle_delete, name="cycle_delete"),
    path("cycles/<uuid:pk>/moments/new/", views.moment_create, name="moment_create"),
    path("cycles/<uuid:pk>/moments/order/", views.moment_reorder, name="moment_reorder"),
    path("moments/<uuid:pk>/", views.moment_detail, name="moment_detail"),
    path("moments/<uuid:pk>/edit/", views.moment_edit, name="moment_edit"),
    path("moments/<uuid:pk>/delete/", views.moment_delete, name="moment_delete"),
    path("moments/<uuid:pk>/move/", views.moment_move, name="moment_move"),
    path("moments/<uuid:pk>/standards/new/", views.standard_create, name="standard_create"),
    path("moments/<uuid:pk>/checklist/new/", views.checklist_item_create, name="checklist_item_create"),
    path("moments/<uuid:pk>/checklist/order/", views.checklist_item_reorder, name="checklist_item_reorder"),
    path("standards/<uuid:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("standards/<uuid:pk>/delete/", views.standard_delete, name="standard_delete"),
    path("checklist/<uuid:pk>/edit/", views.checklist_item_edit, name="checklist_item_edit"),
    path("checklist/<uuid:pk>/delete/", views.checklist_item_delete, name="checklist_item_delete"),
    path("checklist/<uuid:pk>/move/", views.checklist_item_move, name="checklist_item_move"),
    # Step 4
    path("implementation/", views.implementation, name="implementation"),
    path("starter/", include("momentos.cycle.starter.urls")),
]

"""URLs of the protocol studio: `protocols:<model>_<action>`."""

from django.urls import path

from momentos.protocols import views

app_name = "protocols"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("new/", views.document_create, name="document_create"),
    path("book.pdf", views.book_pdf, name="book_pdf"),
    path("<uuid:pk>/", views.document_detail, name="document_detail"),
    path("<uuid:pk>/new-draft/", views.document_new_draft, name="document_new_draft"),
    path("<uuid:pk>/compare/", views.document_compare, name="document_compare"),
    path("versions/<uuid:pk>/", views.version_detail, name="version_detail"),
    path("versions/<uuid:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<uuid:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<uuid:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<uuid:pk>/print/", views.version_print, name="version_print"),
    path("versions/<uuid:pk>/pdf/", views.version_pdf, name="version_pdf"),
]

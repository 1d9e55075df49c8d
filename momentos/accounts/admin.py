"""Django admin for operators of a momentos installation (not the organisation's own settings pages)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from momentos.accounts.models import (
    ApiToken,
    Branch,
    Channel,
    Invitation,
    Membership,
    Organization,
    Team,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name", "language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "time_zone"]
    search_fields = ["name", "slug"]


for model in (Branch, Team, Channel, Membership, Invitation, ApiToken):
    admin.site.register(model)

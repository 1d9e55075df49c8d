"""Django admin for operators of an installation: interactions, read-mostly."""

from django.contrib import admin

from momentos.attention.models import Interaction, MomentReached, StandardResult


class MomentReachedInline(admin.TabularInline):
    model = MomentReached
    extra = 0
    raw_id_fields = ("moment",)
    readonly_fields = ("organization",)


class StandardResultInline(admin.TabularInline):
    model = StandardResult
    extra = 0
    can_delete = False
    readonly_fields = ("organization", "standard", "status", "measured", "unit")


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("started_at", "organization", "branch", "channel", "outcome", "external_id")
    list_filter = ("outcome", "channel__kind")
    search_fields = ("external_id", "reason", "customer_ref")
    date_hierarchy = "started_at"
    raw_id_fields = ("branch", "channel", "team", "agent", "segment")
    readonly_fields = ("organization",)
    inlines = (MomentReachedInline, StandardResultInline)
    list_select_related = ("organization", "branch", "channel")

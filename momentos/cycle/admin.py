"""Django admin for operators of an installation: read-mostly views of the design data."""

from django.contrib import admin

from momentos.cycle.models import (
    ChecklistItem,
    Evidence,
    Expectation,
    Moment,
    Objective,
    Segment,
    ServiceCycle,
    ServiceStandard,
)


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "indicator", "comparison", "target", "period", "organization"]
    list_filter = ["indicator", "period"]
    list_select_related = ["organization"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organization"]
    list_select_related = ["organization"]


@admin.register(Expectation)
class ExpectationAdmin(admin.ModelAdmin):
    list_display = ["description", "segment", "importance"]
    list_select_related = ["segment"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "date"]


class MomentInline(admin.TabularInline):
    model = Moment
    fields = ["position", "name"]
    readonly_fields = ["position", "name"]
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(ServiceCycle)
class ServiceCycleAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "organization"]
    list_select_related = ["channel", "organization"]
    inlines = [MomentInline]


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin):
    list_display = ["name", "moment", "metric", "comparison", "threshold", "unit", "business_hours"]
    list_select_related = ["moment"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["text", "moment", "weight", "critical"]
    list_select_related = ["moment"]

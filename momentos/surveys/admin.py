"""Django admin for operators of an installation: surveys and responses, read-mostly."""

from django.contrib import admin

from momentos.surveys.models import Alert, Answer, Question, Response, Survey, SurveyVersion


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("position", "kind", "text_es", "text_en", "required")
    readonly_fields = fields
    can_delete = False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    readonly_fields = ("organization",)
    list_select_related = ("organization",)


@admin.register(SurveyVersion)
class SurveyVersionAdmin(admin.ModelAdmin):
    list_display = ("survey", "number", "organization")
    readonly_fields = ("organization", "survey", "number")
    inlines = (QuestionInline,)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("question", "kind", "value", "choice_ids", "text", "followup_text")
    readonly_fields = fields


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("submitted_at", "organization", "branch", "source", "flagged_staff")
    list_filter = ("source", "flagged_staff")
    date_hierarchy = "submitted_at"
    raw_id_fields = ("version", "interaction", "branch", "channel", "team", "moment", "link", "qr_code")
    readonly_fields = ("organization", "client_hash")
    inlines = (AnswerInline,)
    list_select_related = ("organization", "branch")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("created_at", "organization", "branch", "kind", "score")
    list_filter = ("kind",)
    raw_id_fields = ("response", "answer", "branch", "team")
    readonly_fields = ("organization",)

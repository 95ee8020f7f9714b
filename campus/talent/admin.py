from django.contrib import admin

from campus.talent.models import Application, Call, CallDocument, Question


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "opens_at", "closes_at", "is_published"]
    list_filter = ["kind", "is_published", "is_demo"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["organisation", "created_by"]
    inlines = [QuestionInline, CallDocumentInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "status", "decision", "submitted_at"]
    list_filter = ["status", "decision", "call"]
    raw_id_fields = ["call", "applicant", "organisation"]

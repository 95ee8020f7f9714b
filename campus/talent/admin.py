from django.contrib import admin

from campus.talent.models import (
    Application,
    Call,
    CallDocument,
    HostPartner,
    Mobility,
    Question,
    Residency,
    Reviewer,
    SupportedProject,
)


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


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["user", "call", "appointed_at"]
    list_filter = ["call"]
    raw_id_fields = ["call", "user", "appointed_by"]


@admin.register(SupportedProject)
class SupportedProjectAdmin(admin.ModelAdmin):
    list_display = ["application", "amount_granted", "status", "is_public"]
    list_filter = ["status", "is_public"]
    raw_id_fields = ["application"]


@admin.register(Residency)
class ResidencyAdmin(admin.ModelAdmin):
    list_display = ["title", "host", "starts_on", "ends_on", "is_published"]
    list_filter = ["is_published", "is_demo"]
    raw_id_fields = ["host"]


@admin.register(HostPartner)
class HostPartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "is_active"]
    list_filter = ["country", "is_active"]


@admin.register(Mobility)
class MobilityAdmin(admin.ModelAdmin):
    list_display = ["learner_first_name", "host_partner", "departure_on", "return_on"]
    list_filter = ["host_partner__country"]
    raw_id_fields = ["sending_school", "application"]

from django.contrib import admin

from campus.formfields import HTTPS_URLS
from campus.outreach.models import (
    DiscoveryPlacement,
    InterventionRequest,
    TeacherResource,
)


@admin.register(InterventionRequest)
class InterventionRequestAdmin(admin.ModelAdmin):
    list_display = ["school_name", "class_level", "pupil_count", "status", "created_at"]
    list_filter = ["status", "class_level"]
    search_fields = ["school_name", "teacher_email"]
    readonly_fields = ["token", "confirmed_at"]
    autocomplete_fields = ["assigned_organisation"]


@admin.register(DiscoveryPlacement)
class DiscoveryPlacementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "level",
        "places",
        "is_published",
        "is_demo",
    ]
    list_filter = ["level", "is_published", "is_demo"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["trades"]


@admin.register(TeacherResource)
class TeacherResourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "kind", "source", "is_published", "is_demo"]
    list_filter = ["kind", "is_published", "is_demo"]
    filter_horizontal = ["trades"]

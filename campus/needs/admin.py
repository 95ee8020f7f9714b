from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campus.needs.models import Need, ProjectStep, TrainingProject


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["appellation", "organisation", "kind", "rome_code", "status"]
    list_filter = ["kind", "status", "route", "is_demo"]
    search_fields = ["appellation", "organisation__name", "rome_code"]
    raw_id_fields = ["organisation", "commune", "created_by"]
    filter_horizontal = ["skill_blocks"]


class ProjectStepInline(admin.TabularInline):
    model = ProjectStep
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(TrainingProject)
class TrainingProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "current_step", "certification", "opened_on"]
    list_filter = ["kind", "current_step", "is_demo"]
    search_fields = ["title", "certification__title", "certification__rncp_code"]
    raw_id_fields = [
        "certification",
        "lead_organisation",
        "partners",
        "needs",
        "offering",
        "created_by",
    ]
    inlines = [ProjectStepInline]

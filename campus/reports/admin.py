from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campus.reports.models import Narrative, Report, ReportVersion


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "created_by", "created_at"]


@admin.register(Narrative)
class NarrativeAdmin(SimpleHistoryAdmin):
    list_display = ["report", "section", "updated_by", "updated_at"]
    list_filter = ["section"]


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ["report", "number", "status", "requested_by", "finished_at"]
    readonly_fields = ["content", "import_dates"]

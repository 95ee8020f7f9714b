from django.contrib import admin

from campus.operations.models import ScheduledJobRun


@admin.register(ScheduledJobRun)
class ScheduledJobRunAdmin(admin.ModelAdmin):
    """The team reads the runs; only run_scheduled_jobs writes them."""

    list_display = ["job", "started_at", "finished_at", "outcome"]
    list_filter = ["outcome", "job"]
    date_hierarchy = "started_at"
    readonly_fields = [field.name for field in ScheduledJobRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from campus.opendata.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "source",
        "file_name",
        "status",
        "dry_run",
        "created_at",
        "rows_read",
        "created",
        "updated",
        "skipped",
    ]
    list_filter = ["source", "status", "dry_run"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]

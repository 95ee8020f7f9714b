from django.contrib import admin

from campus.needs.models import Need


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["appellation", "organisation", "kind", "rome_code", "status"]
    list_filter = ["kind", "status", "route", "is_demo"]
    search_fields = ["appellation", "organisation__name", "rome_code"]
    raw_id_fields = ["organisation", "commune", "created_by"]
    filter_horizontal = ["skill_blocks"]

from django.contrib import admin

from campus.places.models import Commune, Departement, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = [
        "insee_code",
        "name",
        "departement",
        "postal_codes",
        "latitude",
        "longitude",
    ]
    list_filter = ["departement"]
    search_fields = ["insee_code", "name", "search_name"]

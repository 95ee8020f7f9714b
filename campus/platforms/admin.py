from django.contrib import admin

from campus.formfields import HTTPS_URLS
from campus.platforms.models import Booking, Equipment


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_free", "hourly_price", "is_published"]
    list_filter = ["is_published", "is_free", "is_demo"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation", "site", "manager"]
    formfield_overrides = HTTPS_URLS


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["equipment", "organisation", "starts_at", "ends_at", "status"]
    list_filter = ["status", "is_demo"]
    search_fields = ["equipment__name", "organisation__name", "requester__email"]
    raw_id_fields = ["equipment", "requester", "organisation", "decided_by"]
    date_hierarchy = "starts_at"

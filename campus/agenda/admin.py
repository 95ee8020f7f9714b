from django.contrib import admin

from campus.agenda.models import Audience, Event
from campus.formfields import HTTPS_URLS


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "title",
        "kind",
        "starts_at",
        "organisation",
        "status",
        "state",
        "registration_enabled",
        "is_demo",
    ]
    list_filter = [
        "status",
        "state",
        "kind",
        "place_kind",
        "registration_enabled",
        "is_demo",
        ("starts_at", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "slug", "organisation__name", "commune__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organisation", "commune", "offerings"]
    filter_horizontal = ["audiences", "trades", "certifications"]
    readonly_fields = [
        "latitude",
        "longitude",
        "sequence",
        "submitted_by",
        "decided_by",
        "decided_at",
    ]
    list_select_related = ["organisation"]


@admin.register(Audience)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "position"]

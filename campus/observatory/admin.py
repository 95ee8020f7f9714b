from django.contrib import admin

from campus.formfields import HTTPS_URLS
from campus.observatory.models import Indicator, KeyFigure


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "label",
        "value",
        "period",
        "source_label",
        "is_published",
        "is_demo",
    ]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "naf_code",
        "territory_level",
        "territory_code",
        "year",
        "value",
        "source",
    ]
    list_filter = ["key", "naf_code", "year", "territory_level"]
    search_fields = ["territory_code", "naf_code"]

from django.contrib import admin

from campus.formfields import HTTPS_URLS
from campus.observatory.forms import KeyFigureForm
from campus.observatory.models import ActivityLabel, Indicator, KeyFigure


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    form = KeyFigureForm
    formfield_overrides = HTTPS_URLS
    list_display = [
        "label",
        "value",
        "period",
        "source_label",
        "indicator_key",
        "is_published",
        "is_demo",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "label",
                    "value",
                    "unit",
                    "period",
                    "territory",
                    "source_label",
                    "source_url",
                    "order",
                    "is_published",
                    "is_demo",
                ]
            },
        ),
        (
            "Chiffre calculé à partir des indicateurs",
            {
                "description": "Montré à côté du chiffre saisi sur la page "
                "d'accueil ; « Gestion › Observatoire » signale quand ils "
                "diffèrent.",
                "fields": [
                    "indicator_key",
                    "indicator_naf_codes",
                    "indicator_territory",
                    "indicator_year",
                ],
            },
        ),
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


@admin.register(ActivityLabel)
class ActivityLabelAdmin(admin.ModelAdmin):
    list_display = ["naf_code", "label", "source"]
    search_fields = ["naf_code", "label"]

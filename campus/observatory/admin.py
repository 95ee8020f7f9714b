from django.contrib import admin

from campus.formfields import HTTPS_URLS
from campus.observatory.models import KeyFigure


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

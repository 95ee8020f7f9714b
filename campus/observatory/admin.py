from django.contrib import admin

from campus.observatory.models import KeyFigure


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "value",
        "period",
        "source_label",
        "is_published",
        "is_demo",
    ]

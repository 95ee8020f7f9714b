from django.contrib import admin

from campus.trainings.models import Certification, Offering, SkillBlock


class SkillBlockInline(admin.TabularInline):
    model = SkillBlock
    extra = 0


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["title", "diploma_type", "level", "rncp_code", "is_demo"]
    list_filter = ["diploma_type", "level", "is_demo"]
    search_fields = ["title", "rncp_code", "search_text"]
    inlines = [SkillBlockInline]


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["certification", "organisation", "route", "is_published", "is_demo"]
    list_filter = ["route", "is_published", "is_demo", "departement_code"]
    search_fields = ["search_text"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["certification", "site"]

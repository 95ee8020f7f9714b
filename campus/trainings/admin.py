from django import forms
from django.contrib import admin

from campus.trainings.forms import limit_blocks_to_certification
from campus.trainings.models import Certification, Offering, SkillBlock


class SkillBlockInline(admin.StackedInline):
    model = SkillBlock
    extra = 0
    fields = ["order", "code", "title", "skills", "assessment"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["title", "diploma_type", "level", "rncp_code", "is_demo"]
    list_filter = ["diploma_type", "level", "is_demo"]
    search_fields = ["title", "rncp_code", "search_text"]
    inlines = [SkillBlockInline]


class OfferingAdminForm(forms.ModelForm):
    class Meta:
        model = Offering
        fields = ["skill_blocks"]
        widgets = {"skill_blocks": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_blocks_to_certification(self, self.fields["skill_blocks"])


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    form = OfferingAdminForm
    list_display = ["certification", "organisation", "route", "is_published", "is_demo"]
    list_filter = ["route", "is_published", "is_demo", "departement_code"]
    search_fields = ["search_text"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["certification", "site"]

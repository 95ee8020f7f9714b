from django.contrib import admin

from campus.surveys.models import SurveyCampaign


@admin.register(SurveyCampaign)
class SurveyCampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "sent_at", "closes_on", "is_demo"]
    search_fields = ["title"]

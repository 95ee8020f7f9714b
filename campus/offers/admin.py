from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campus.offers.models import Offer


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "contract", "expires_on", "is_withdrawn"]
    list_filter = ["contract", "is_withdrawn", "is_demo"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "commune", "rome_job", "certification"]

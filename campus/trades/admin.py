from django.contrib import admin

from campus.trades.models import (
    Assessment,
    CraftDomain,
    Holder,
    KnowHow,
    OnisepJob,
    ShowcaseItem,
    Trade,
    TransmissionAction,
)


@admin.register(CraftDomain)
class CraftDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = ["name", "rome_codes", "craft_domain", "is_published", "is_demo"]
    list_filter = ["craft_domain", "is_published", "is_demo"]
    search_fields = ["name", "rome_codes"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisations"]


class HolderInline(admin.TabularInline):
    model = Holder
    extra = 1
    autocomplete_fields = ["organisation"]


class TransmissionActionInline(admin.StackedInline):
    model = TransmissionAction
    extra = 0


@admin.register(KnowHow)
class KnowHowAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "score", "assessed_on", "is_published", "is_demo"]
    list_filter = ["level", "is_published", "is_demo"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["trades"]
    inlines = [HolderInline, TransmissionActionInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Assessments are recorded from the team page, where the level is computed."""

    list_display = ["know_how", "assessed_on", "level", "score", "assessor"]
    list_filter = ["level"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ShowcaseItem)
class ShowcaseItemAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "is_published", "is_demo"]
    list_filter = ["is_published", "is_demo"]


@admin.register(OnisepJob)
class OnisepJobAdmin(admin.ModelAdmin):
    """Fiches come from the ONISEP import only: a hand edit would be overwritten."""

    list_display = ["label", "onisep_id", "rome_codes", "source"]
    list_filter = ["rome_codes"]
    search_fields = ["label", "onisep_id", "rome_codes"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

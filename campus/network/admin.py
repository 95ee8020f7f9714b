from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campus.formfields import HTTPS_URLS
from campus.network.models import (
    Invitation,
    Membership,
    Organisation,
    Person,
    Proposal,
    Site,
)


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    autocomplete_fields = ["commune"]


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "name",
        "kind",
        "commune",
        "partnership_status",
        "is_published",
        "is_demo",
    ]
    list_filter = ["kind", "partnership_status", "is_published", "is_demo"]
    search_fields = ["name", "acronym", "siret", "uai", "search_text"]
    autocomplete_fields = ["commune"]
    inlines = [SiteInline, PersonInline, MembershipInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["__str__", "status", "submitter_name", "created_at"]
    list_filter = ["status", "kind"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at"]

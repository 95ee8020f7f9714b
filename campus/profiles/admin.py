from django.contrib import admin

from campus.formfields import HTTPS_URLS
from campus.profiles.models import CampusProfile, ReferenceLink, SectorProfile


class ReferenceLinkInline(admin.TabularInline):
    model = ReferenceLink
    formfield_overrides = HTTPS_URLS
    extra = 1


@admin.register(CampusProfile)
class CampusProfileAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    inlines = [ReferenceLinkInline]
    filter_horizontal = ["departements"]


admin.site.register(SectorProfile)

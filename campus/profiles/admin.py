from django.contrib import admin

from campus.profiles.models import CampusProfile, ReferenceLink, SectorProfile


class ReferenceLinkInline(admin.TabularInline):
    model = ReferenceLink
    extra = 1


@admin.register(CampusProfile)
class CampusProfileAdmin(admin.ModelAdmin):
    inlines = [ReferenceLinkInline]
    filter_horizontal = ["departements"]


admin.site.register(SectorProfile)

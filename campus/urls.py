from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path
from django.views.decorators.http import require_safe

from campus.profiles.views import public_media, robots_txt
from campus.sitemaps import SITEMAPS
from campus.sitemaps import index as sitemap_index

admin.site.site_header = "Gestion du campus"
admin.site.site_title = "Gestion du campus"
admin.site.index_title = "Données du campus"

urlpatterns = [
    path("", include("campus.profiles.urls")),
    path("", include("campus.accounts.urls")),
    path("", include("campus.network.urls")),
    path("", include("campus.places.urls")),
    path("", include("campus.opendata.urls")),
    path("", include("campus.trainings.urls")),
    path("", include("campus.trades.urls")),
    path("", include("campus.outreach.urls")),
    path("", include("campus.agenda.urls")),
    path("", include("campus.news.urls")),
    path("", include("campus.offers.urls")),
    path("", include("campus.observatory.urls")),
    path("", include("campus.newsletter.urls")),
    path("", include("campus.needs.urls")),
    path("", include("campus.surveys.urls")),
    path("", include("campus.talent.urls")),
    path("", include("campus.api.urls")),
    path("", include("campus.platforms.urls")),
    path("", include("campus.reports.urls")),
    path("", include("campus.operations.urls")),
    path("robots.txt", robots_txt, name="robots_txt"),
    # An index of one sitemap per section: a national catalogue holds more than the
    # 50,000 addresses a single sitemap may list (each section pages itself).
    path(
        "sitemap.xml",
        sitemap_index,
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        login_not_required(require_safe(sitemaps_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("gestion/admin/", admin.site.urls),
]

if settings.CAMPUS_SERVES_MEDIA:
    urlpatterns += [path("media/<path:path>", public_media)]

handler400 = "campus.profiles.views.bad_request"
handler403 = "campus.profiles.views.permission_denied"
handler404 = "campus.profiles.views.page_not_found"
handler500 = "campus.profiles.views.server_error"

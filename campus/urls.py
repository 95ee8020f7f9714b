from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from campus.profiles.views import public_media

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
    path("gestion/admin/", admin.site.urls),
]

if settings.DEBUG or settings.DEMO:
    # Uploaded files are served by the reverse proxy in production.
    urlpatterns += [path("media/<path:path>", public_media)]

handler400 = "campus.profiles.views.bad_request"
handler403 = "campus.profiles.views.permission_denied"
handler404 = "campus.profiles.views.page_not_found"
handler500 = "campus.profiles.views.server_error"

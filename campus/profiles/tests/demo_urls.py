"""The URLs as `make demo` serves them (CAMPUS_DEMO=1 adds the media files)."""

from django.urls import path

from campus.profiles.views import public_media
from campus.urls import urlpatterns as campus_urlpatterns

urlpatterns = [*campus_urlpatterns, path("media/<path:path>", public_media)]

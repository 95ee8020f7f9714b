from django.utils.functional import SimpleLazyObject

from campus import fragments
from campus.navigation import main_areas
from campus.profiles import rgaa
from campus.profiles.models import CampusProfile, SectorProfile


def campus(request):
    stamp = fragments.stamp(request)
    return {
        "campus": CampusProfile.for_request(request),
        # For `{% cache fragment_seconds "name" content_stamp using="fragments" %}`:
        # a part kept until the next write, or not at all when none may be kept.
        "content_stamp": stamp,
        "fragment_seconds": fragments.LONGEST_SECONDS if stamp is not None else 0,
        "main_areas": main_areas(),
        # Read only by the pages that name the sector, so the others pay no query.
        "sector": SimpleLazyObject(lambda: SectorProfile.for_request(request)),
        # Shown on every page, as the law asks: « Accessibilité : non conforme ».
        "accessibility_status": rgaa.load().status,
    }

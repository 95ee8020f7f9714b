from django.utils.functional import SimpleLazyObject

from campus.navigation import main_areas
from campus.profiles import rgaa
from campus.profiles.models import CampusProfile, SectorProfile


def campus(request):
    return {
        "campus": CampusProfile.for_request(request),
        "main_areas": main_areas(),
        # Read only by the pages that name the sector, so the others pay no query.
        "sector": SimpleLazyObject(lambda: SectorProfile.for_request(request)),
        # Shown on every page, as the law asks: « Accessibilité : non conforme ».
        "accessibility_status": rgaa.load().status,
    }

from campus.navigation import main_areas
from campus.profiles.models import CampusProfile


def campus(request):
    return {"campus": CampusProfile.load(), "main_areas": main_areas()}

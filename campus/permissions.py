"""Access rules shared by every app: who is the campus team."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def campus_team_required(view):
    """The back-office is hidden (404) from anyone but the campus team."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_campus_team:
            raise Http404("Réservé à l'équipe du campus.")
        return view(request, *args, **kwargs)

    return wrapper

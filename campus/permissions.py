"""Access rules shared by every app: who is the campus team, who edits an organisation."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from campus.network.models import Organisation


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


def organisation_editor_required(list_url_name: str):
    """Creating something an organisation owns needs an organisation the user edits.

    Without one, the user goes back to the list, which says that only editors add.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not Organisation.objects.editable_by(request.user).exists():
                return redirect(list_url_name)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

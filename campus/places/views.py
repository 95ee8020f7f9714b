from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from campus.places.models import Commune
from campus.search import MAX_QUERY_LENGTH


@login_not_required
@require_safe
def commune_suggestions(request):
    """Options of the commune <datalist>, refreshed by htmx as the person types."""
    query = request.GET.get("commune", "")[:MAX_QUERY_LENGTH].strip()
    communes = (
        Commune.objects.search(query)
        .select_related("departement")
        .order_by("-population", "name")[:15]
        if len(query) >= 2
        else Commune.objects.none()
    )
    return render(request, "places/commune_options.html", {"communes": communes})

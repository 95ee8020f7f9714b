"""The agenda as a widget for partners' sites: `/agenda/embed/?…`.

The list's filters (campus/agenda/filters.py) choose the events and `?limite=`
how many of the next ones show; the page may be framed by any site
(campus.embeds.embeddable). The agenda page's « Intégrer l'agenda sur votre site »
panel hands out its <iframe> code.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from campus import fragments
from campus.agenda.models import Event
from campus.agenda.views import _filtered, _listed, next_end
from campus.embeds import EmbedLimitForm, embed_errors, embeddable
from campus.search import query_in_use

EMBED_TITLE = "Prochains événements"


@embeddable
@require_safe
def agenda_embed(request):
    """The next published events matching the agenda's filters, nearest first."""
    events = Event.objects.published().upcoming().order_by("starts_at", "pk")
    event_filter, valid, results = _filtered(request, events)
    limit = EmbedLimitForm(request.GET)
    valid = limit.is_valid() and valid
    errors = embed_errors(event_filter.form, limit)
    context = {
        "title": EMBED_TITLE,
        "errors": errors,
        # The agenda page with the same filters: the widget's canonical page and link.
        "list_query": query_in_use(request, "page", "limite"),
    }
    # The events shown, rendered once per address until the first of them ends.
    context["events_html"] = fragments.rendered_results(
        request,
        "agenda/embed.html#events",
        lambda: {
            "errors": errors,
            "events": list(_listed(results)[: limit.rows]) if valid else [],
        },
        expires_at=next_end,
    )
    return render(request, "agenda/embed.html", context, status=200 if valid else 400)

import calendar as month_calendar
import datetime as dt
import hashlib
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import fragments
from campus.agenda import calendar, services
from campus.agenda.filters import EventFilter
from campus.agenda.forms import EventForm, PostponeForm, RefusalForm, StateChangeForm
from campus.agenda.models import Event, EventKind, PlaceKind
from campus.agenda.permissions import can_edit_event
from campus.agenda.structured_data import event_json_ld
from campus.agenda.templatetags.event_display import json_ld
from campus.dates import MONTHS, french_date_range, start_of_day
from campus.deletion import confirm_delete
from campus.embeds import embed_panel
from campus.moderation import ModerationStatus
from campus.network.models import Organisation
from campus.permissions import campus_team_required, organisation_editor_required
from campus.profiles.models import CampusProfile, served_departements
from campus.search import list_page, query_in_use
from campus.trainings.base_layer import layer_url
from campus.trainings.geojson import url_maker
from campus.trainings.models import Offering
from campus.trainings.views import CappedPaginator

# What the event page shows around its kept parts: its title, state, image and
# registration box. On PostgreSQL, reading the event and its organiser with all
# their columns took a quarter of the page's time; the kept parts read them whole,
# and the place, only when they are built.
EVENT_PAGE_COLUMNS = (
    "title",
    "slug",
    "kind",
    "status",
    "starts_at",
    "summary",
    "image",
    "image_alt",
    "state",
    "state_note",
    "registration_enabled",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "organisation__is_published",
)


@login_not_required
@require_safe
def event_detail(request, slug):
    """Anyone sees a published event; the organiser's members and the team also the others."""
    event = fragments.shown_object(
        request,
        Event.objects.select_related("organisation").only(*EVENT_PAGE_COLUMNS),
        slug=slug,
    )
    return render(
        request,
        "agenda/event_detail.html",
        {
            "event": event,
            "can_edit": can_edit_event(request.user, event),
            "kept": _event_parts(request, event.pk),
        },
    )


def _event_parts(request, pk) -> dict[str, str]:
    """The parts of an event's page that are the same for whoever may see it: its
    JSON-LD, its description and its facts, kept until a table they read is
    written. The registration box (a form and its CSRF token, the places left, the
    organiser's link) and the organiser's edit link are the visitor's, built on
    each visit."""

    def build():
        event = Event.objects.select_related("organisation").get(pk=pk)
        context = {
            "event": event,
            "location": calendar.event_location(event),
            "audiences": event.audiences.all(),
            "trades": event.trades.published().order_by("name", "pk"),
            "certifications": event.certifications.order_by("title", "pk"),
        }
        page = "agenda/event_detail.html"
        return {
            "head": json_ld(event_json_ld(event)) if event.is_published else "",
            "about": render_to_string(f"{page}#about", context),
            "facts": render_to_string(f"{page}#facts", context),
        }

    return fragments.kept(request, f"event-page.{pk}", build)


# Publishing: the partner space (/espace/evenements/) and the team's moderation
# (/gestion/evenements/). Partners reach their organisations' events only: an
# editor changes them, a viewer reads the list; another organisation's event is
# a 404. The team reaches every event.

TEAM_PAGE_SIZE = 30


def _event_form_view(request, event, *, initial=None):
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        instance=event,
        initial=initial,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        created = event.pk is None
        event = form.save(commit=False)
        save = services.propose_event if created else services.update_event
        save(event, acting_user=request.user, relations=form.relations)
        if event.is_published:
            messages.success(request, f"L'événement « {event.title} » est publié.")
        else:
            messages.success(
                request,
                f"L'événement « {event.title} » est enregistré ; l'équipe du campus "
                "le publiera après l'avoir relu.",
            )
        return redirect("agenda:partner_events")
    if request.method == "POST" and event.pk:
        event.refresh_from_db()
    return render(
        request,
        "agenda/event_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


def _editable_event(request, pk):
    return get_object_or_404(
        Event.objects.editable_by(request.user).select_related("organisation"), pk=pk
    )


@require_safe
def partner_events(request):
    """Events of the user's organisations, whatever their role; the team's own too."""
    events = (
        Event.objects.filter(organisation__memberships__user=request.user)
        .select_related("organisation")
        .order_by("-starts_at", "-pk")
    )
    return render(
        request,
        "agenda/partner_events.html",
        {
            "events": [
                (event, can_edit_event(request.user, event)) for event in events
            ],
            "can_create": Organisation.objects.editable_by(request.user).exists(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("agenda:partner_events")
def event_create(request):
    """`?type=open_day&formation=<pk>` prefills an open day of one of the user's
    trainings, from the partner's offering list."""
    initial = {}
    kind = request.GET.get("type", "")
    if kind in EventKind.values:
        initial["kind"] = kind
    formation = request.GET.get("formation", "")
    offering = (
        Offering.objects.editable_by(request.user)
        .select_related("certification")
        .filter(pk=formation)
        .first()
        if formation.isdigit()
        else None
    )
    if offering:
        initial.update(
            {
                "organisation": offering.organisation_id,
                "offerings": [offering.pk],
                "certifications": [offering.certification_id],
                "site": offering.site_id,
                "title": f"Portes ouvertes — {offering.certification.title}",
            }
        )
    return _event_form_view(request, Event(), initial=initial)


@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, pk):
    return _event_form_view(request, _editable_event(request, pk))


@require_http_methods(["GET", "HEAD", "POST"])
def event_delete(request, pk):
    event = _editable_event(request, pk)
    return confirm_delete(
        request,
        event,
        what=f"l'événement « {event.title} »",
        consequence="Il disparaîtra de l'agenda et des calendriers abonnés.",
        list_url=reverse("agenda:partner_events"),
        list_label="Événements",
        edit_url=reverse("agenda:event_edit", args=[event.pk]),
        delete=lambda: services.delete_event(event, acting_user=request.user),
    )


def _state_view(request, pk, *, form_class, service, template, done):
    event = _editable_event(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service(event, acting_user=request.user, **form.cleaned_data)
        messages.success(request, done.format(title=event.title))
        return redirect(event.get_absolute_url())
    return render(
        request,
        template,
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def event_cancel(request, pk):
    return _state_view(
        request,
        pk,
        form_class=StateChangeForm,
        service=services.cancel_event,
        template="agenda/event_cancel.html",
        done="L'événement « {title} » est annulé ; les inscrits sont prévenus.",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def event_postpone(request, pk):
    return _state_view(
        request,
        pk,
        form_class=PostponeForm,
        service=services.postpone_event,
        template="agenda/event_postpone.html",
        done="L'événement « {title} » est reporté ; les inscrits sont prévenus.",
    )


@campus_team_required
@require_safe
def team_events(request):
    """Every event, those awaiting moderation first, then the coming ones."""
    events = Event.objects.visible_to(request.user)
    show = request.GET.get("statut", "submitted")
    if show in ModerationStatus.values:
        events = events.filter(status=show)
    else:
        show = "all"
    page = Paginator(
        events.select_related("organisation").order_by("-starts_at", "-pk"),
        TEAM_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/team_events.html",
        {
            "page": page,
            "show": show,
            "query_string": f"statut={show}",
            "filters": [
                (ModerationStatus.SUBMITTED, "À valider"),
                (ModerationStatus.PUBLISHED, "Publiés"),
                (ModerationStatus.REFUSED, "Refusés"),
                ("all", "Tous"),
            ],
            "waiting": Event.objects.filter(status=ModerationStatus.SUBMITTED).count(),
        },
    )


def _render_team_event(request, event, *, refusal_form=None):
    refusal_form = refusal_form or RefusalForm()
    return render(
        request,
        "agenda/team_event_detail.html",
        {"event": event, "refusal_form": refusal_form},
        status=400 if refusal_form.errors else 200,
    )


def _team_event(request, pk):
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related(
            "organisation", "submitted_by", "decided_by", "site", "commune"
        ),
        pk=pk,
    )


@campus_team_required
@require_safe
def team_event_detail(request, pk):
    return _render_team_event(request, _team_event(request, pk))


@campus_team_required
@require_POST
def event_publish(request, pk):
    event = services.publish_event(_team_event(request, pk), acting_user=request.user)
    messages.success(request, f"L'événement « {event.title} » est publié.")
    return redirect("agenda:team_events")


@campus_team_required
@require_POST
def event_refuse(request, pk):
    event = _team_event(request, pk)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        return _render_team_event(request, event, refusal_form=form)
    services.refuse_event(
        event, reason=form.cleaned_data["reason"], acting_user=request.user
    )
    messages.success(
        request, f"L'événement « {event.title} » est refusé ; l'auteur est prévenu."
    )
    return redirect("agenda:team_events")


# The public agenda: list, archive, month, map and calendars. Every page shows
# published events only and reads the same filters (campus/agenda/filters.py).

AGENDA_PAGE_SIZE = 20
MAP_MAX_EVENTS = 500
MAP_MAX_ONLINE = 50
MONTH_MAX_EVENTS = 500
# More on one day would make its square unreadable: the rest is a link to the list.
DAY_MAX_EVENTS = 4


def _filtered(request, queryset, *, with_month=False):
    """The filter set, whether it is valid, and the matching events (none if not)."""
    event_filter = EventFilter(
        request.GET,
        queryset=queryset,
        request=request,
        departements=served_departements(request),
        with_month=with_month,
    )
    valid = event_filter.is_valid()
    return event_filter, valid, (event_filter.qs if valid else queryset.none())


def _listed(queryset):
    # Event.save() copies the place's commune onto the event: the card reads that one.
    return queryset.prefetch_related("organisation", "commune")


def _feed_links(request) -> dict:
    """The subscribable feed of the current filters, as webcal: and as a download."""
    query = query_in_use(request, "page", "mois")
    path = reverse("agenda:agenda_ics") + (f"?{query}" if query else "")
    return {
        "feed_url": path,
        "webcal_url": "webcal://" + settings.CAMPUS_SITE_URL.split("://", 1)[-1] + path,
    }


def next_end(since) -> dt.datetime | None:
    """When the first published event not over at `since` ends: it then leaves the
    events to come (list, map, widget) and joins the archive."""
    return (
        Event.objects.published()
        .filter(ends_at__gte=since)
        .aggregate(moment=Min("ends_at"))["moment"]
    )


def _list_page(request, *, archive: bool):
    now = timezone.now()
    published = Event.objects.published()
    if archive:
        events = published.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        # An event running now is still to come for someone deciding to go.
        events = published.upcoming().order_by("starts_at", "pk")
    event_filter, valid, results = _filtered(request, events)
    radius_km = event_filter.radius_km if valid else None

    def results_context():
        page = CappedPaginator(_listed(results), AGENDA_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return {
            "filter": event_filter,
            "page": page,
            "archive": archive,
            "query_string": query_in_use(request, "page"),
            "filters_query": query_in_use(request, "page", "mois"),
            "radius_km": radius_km,
            # The widget shows events to come: the archive offers none.
            "embed": None if archive else _embed_panel(request),
            **_feed_links(request),
        }

    name = "agenda:event_archive" if archive else "agenda:event_list"
    return list_page(
        request,
        "agenda/event_list.html",
        {"filter": event_filter, "archive": archive, "action": reverse(name)},
        results_context,
        status=200 if valid else 400,
        expires_at=next_end,
    )


def _embed_panel(request) -> dict:
    campus = CampusProfile.for_request(request)
    return embed_panel(
        request,
        "agenda:agenda_embed",
        title=f"Prochains événements — {campus.short_name or campus.name}",
        height=420,
        without=("mois",),
    )


@login_not_required
@require_safe
def event_list(request):
    """Published events still to come or running, nearest first."""
    return _list_page(request, archive=False)


@login_not_required
@require_safe
def event_archive(request):
    """Published events that have ended, most recent first."""
    return _list_page(request, archive=True)


def _month_grid(year: int, month: int, events, *, filters: str) -> list[list[dict]]:
    """Weeks of days (Monday first), each with the events running on that day: the
    first DAY_MAX_EVENTS, then a link to the list of that day for the others."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, month_calendar.monthrange(year, month)[1])
    by_day = defaultdict(list)
    for event in events:
        start = timezone.localtime(event.starts_at).date()
        end = timezone.localtime(event.ends_at).date()
        day = max(start, first)
        while day <= min(end, last):
            by_day[day].append(event)
            day += dt.timedelta(days=1)
    today = timezone.localdate()
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    list_url, archive_url = (
        reverse("agenda:event_list"),
        reverse("agenda:event_archive"),
    )
    extra = f"&{filters}" if filters else ""
    grid = []
    for week in weeks:
        days = []
        for day in week:
            running = by_day.get(day, []) if day.month == month else []
            url = list_url if day >= today else archive_url
            days.append(
                {
                    "date": day,
                    "in_month": day.month == month,
                    "is_today": day == today,
                    "events": running[:DAY_MAX_EVENTS],
                    "more": max(len(running) - DAY_MAX_EVENTS, 0),
                    "day_url": f"{url}?du={day:%Y-%m-%d}&au={day:%Y-%m-%d}{extra}",
                }
            )
        grid.append(days)
    return grid


@login_not_required
@require_safe
def event_month(request):
    """A month of published events as a calendar grid; an event spanning several
    days shows on each of them."""
    event_filter, valid, results = _filtered(
        request, Event.objects.published(), with_month=True
    )
    return list_page(
        request,
        "agenda/event_month.html",
        {"filter": event_filter},
        lambda: _month_context(request, event_filter, valid, results),
        status=200 if valid else 400,
        # The month shows today (and this month when none is asked) until midnight.
        expires_at=fragments.next_midnight,
    )


def _month_context(request, event_filter, valid, results) -> dict:
    if valid:
        year, number = event_filter.form.cleaned_data["mois"]
    else:
        today = timezone.localdate()
        year, number = today.year, today.month
    first = dt.date(year, number, 1)
    after = first + dt.timedelta(days=32)
    next_first = dt.date(after.year, after.month, 1)
    before = first - dt.timedelta(days=1)
    previous_first = dt.date(before.year, before.month, 1)
    events = []
    if valid:
        events = list(
            results.filter(
                starts_at__lt=start_of_day(next_first),
                ends_at__gte=start_of_day(first),
            )
            # What a day's square shows, and no more: a month may hold hundreds.
            .only("slug", "title", "starts_at", "ends_at", "all_day", "state")
            .order_by("starts_at", "pk")[:MONTH_MAX_EVENTS]
        )
    filters = query_in_use(request, "page", "mois")
    separator = f"&{filters}" if filters else ""
    for_day = query_in_use(request, "page", "mois", "du", "au")
    return {
        "filter": event_filter,
        "weeks": _month_grid(year, number, events, filters=for_day),
        "month_label": f"{MONTHS[number - 1]} {year}",
        "month_value": f"{year:04d}-{number:02d}",
        "event_count": len(events),
        "truncated": len(events) >= MONTH_MAX_EVENTS,
        "previous_url": f"?mois={previous_first:%Y-%m}{separator}",
        "previous_label": f"{MONTHS[previous_first.month - 1]} {previous_first.year}",
        "next_url": f"?mois={next_first:%Y-%m}{separator}",
        "next_label": f"{MONTHS[next_first.month - 1]} {next_first.year}",
        "filters_query": filters,
        "radius_km": event_filter.radius_km if valid else None,
        **_feed_links(request),
    }


def _upcoming(request):
    published = Event.objects.published().upcoming()
    return _filtered(request, published)


@login_not_required
@require_safe
def event_map(request):
    """Upcoming published events on a map; online ones are listed beside it."""
    event_filter, valid, results = _upcoming(request)
    data_query = query_in_use(request, "page")
    data_url = reverse("agenda:event_map_data") + (
        f"?{data_query}" if data_query else ""
    )

    def results_context():
        listed = _listed(results).order_by("starts_at", "pk")
        located = listed.exclude(place_kind=PlaceKind.ONLINE).filter(
            latitude__isnull=False
        )
        page = CappedPaginator(located, AGENDA_PAGE_SIZE * 2).get_page(
            request.GET.get("page")
        )
        return {
            "filter": event_filter,
            "page": page,
            "online_events": list(
                listed.filter(place_kind=PlaceKind.ONLINE)[:MAP_MAX_ONLINE]
            ),
            "query_string": query_in_use(request, "page"),
            "filters_query": data_query,
            "data_url": data_url,
            "radius_km": event_filter.radius_km if valid else None,
            **_feed_links(request),
        }

    return list_page(
        request,
        "agenda/event_map.html",
        {"filter": event_filter, "map": _map_parts(request, data_url)},
        results_context,
        status=200 if valid else 400,
        expires_at=next_end,
    )


def _map_parts(request, data_url: str) -> dict[str, str]:
    """The map's scripts and element (its layers, its data's address and the
    static files' addresses), kept per data address until a table they read is
    written."""

    def build():
        campus = CampusProfile.for_request(request)
        context = {
            "data_url": data_url,
            "base_layer_url": layer_url(campus.region.code if campus.region else None),
            "map_tiles_url": settings.CAMPUS_MAP_TILES_URL,
            "map_tiles_attribution": settings.CAMPUS_MAP_TILES_ATTRIBUTION,
        }
        return {
            "head": render_to_string("trainings/_map_assets.html"),
            "element": render_to_string("agenda/event_map.html#map", context),
        }

    digest = hashlib.sha256(data_url.encode()).hexdigest()
    return fragments.kept(request, f"agenda-map.{digest}", build)


def _filter_errors(event_filter) -> dict[str, list[str]]:
    return {
        name: [str(message) for message in messages]
        for name, messages in event_filter.form.errors.items()
    }


@login_not_required
@require_safe
def event_map_data(request):
    """GeoJSON of the upcoming events' places, in the shape of the catalogue's map
    data (campus/trainings/geojson.py), so the same map script shows them."""
    event_filter, valid, results = _upcoming(request)
    if not valid:
        errors = _filter_errors(event_filter)
        first = next(iter(errors.values()))[0]
        return JsonResponse(
            {"erreur": f"Filtres invalides : {first}", "champs": errors}, status=400
        )
    rows = list(
        results.exclude(place_kind=PlaceKind.ONLINE)
        .filter(latitude__isnull=False)
        .select_related("organisation__commune", "site__commune", "commune")
        .order_by("starts_at", "pk")[: MAP_MAX_EVENTS + 1]
    )
    organisation_url = url_maker("network:organisation_detail", "slug")
    event_url = url_maker("agenda:event_detail", "slug")
    places = {}
    for event in rows[:MAP_MAX_EVENTS]:
        name = (
            event.venue
            or (event.site.name if event.site else "")
            or event.organisation.name
        )
        place = places.setdefault(
            (name, event.latitude, event.longitude),
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [event.longitude, event.latitude],
                },
                "properties": {
                    "organisation": name,
                    "url": organisation_url(event.organisation.slug),
                    "commune": calendar.event_location(event),
                    "offerings": [],
                },
            },
        )
        place["properties"]["offerings"].append(
            {
                "title": event.title,
                "route": french_date_range(event.starts_at, event.ends_at),
                "url": event_url(event.slug),
            }
        )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": list(places.values()),
            "offerings": min(len(rows), MAP_MAX_EVENTS),
            "truncated": len(rows) > MAP_MAX_EVENTS,
        }
    )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_not_required
@require_safe
def event_ics(request, slug):
    """One event as an iCalendar file, for whoever may see its page."""
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related(
            "organisation__commune", "site__commune", "commune"
        ),
        slug=slug,
    )
    body = calendar.calendar([event], name=event.title)
    return _ics_response(body, f"{event.slug}.ics")


@login_not_required
@require_safe
def agenda_ics(request):
    """The published agenda with the filters of the address, as a feed to subscribe to."""
    event_filter, valid, results = _filtered(request, Event.objects.published())
    if not valid:
        messages = [m for ms in _filter_errors(event_filter).values() for m in ms]
        return HttpResponse(
            "Filtres invalides : " + " ".join(messages),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    campus = CampusProfile.for_request(request)
    name = f"Agenda — {campus.short_name or campus.name}"
    body = calendar.feed(results, name=name, key=query_in_use(request, "page", "mois"))
    return _ics_response(body, "agenda.ics")

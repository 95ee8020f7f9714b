"""Events of the agenda, past and to come."""

from ninja import Query, Router

from campus.agenda.filters import EventFilter
from campus.agenda.models import Event, EventKind
from campus.api.endpoints.base import (
    CURSOR_DESCRIPTION,
    ERRORS,
    LIMIT_DESCRIPTION,
    LIST_ERRORS,
    filter_parameters,
    filtered,
    list_page,
    one,
    organisation_ref,
    page_url,
    place,
)
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Sort
from campus.api.schemas import Event as EventSchema
from campus.api.schemas import item_schema, page_schema
from campus.profiles.models import CampusProfile

router = Router(tags=["Agenda"])
SORT = Sort("starts_at")
Parameters = filter_parameters(EventFilter, "EventParameters")
Page = page_schema(EventSchema, "EventPage")
Item = item_schema(EventSchema, "EventItem")
KIND_LABELS = dict(EventKind.choices)


def serialise(event: Event) -> dict:
    return {
        "id": event.pk,
        "slug": event.slug,
        "titre": event.title,
        "type": event.kind,
        "type_libelle": KIND_LABELS.get(event.kind, ""),
        "debut": event.starts_at,
        "fin": event.ends_at,
        "toute_la_journee": event.all_day,
        "lieu": event.place_kind,
        "nom_du_lieu": event.venue,
        "adresse": event.address,
        **place(event.commune),
        "latitude": event.latitude,
        "longitude": event.longitude,
        "organisateur": organisation_ref(event.organisation),
        "en_bref": event.summary,
        "description": event.description,
        "accessibilite": event.accessibility,
        "gratuit": event.is_free,
        "tarif": event.price,
        "deroulement": event.state,
        "precisions_deroulement": event.state_note,
        "inscription": event.registration_enabled,
        "places": event.capacity,
        "demo": event.is_demo,
        "url": page_url(event),
        "modifie_le": event.updated_at,
    }


def _published():
    return Event.objects.published().select_related("organisation", "commune")


@router.get(
    "/evenements",
    response={200: Page, **LIST_ERRORS},
    url_name="event_list",
    summary="Événements de l'agenda",
)
def event_list(
    request,
    filters: Query[Parameters],
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les événements publiés, passés et à venir, par date de début ; mêmes
    filtres que la page « Agenda » du site (du et au bornent les dates)."""
    event_filter = EventFilter(
        request.GET,
        queryset=_published(),
        departements=CampusProfile.for_request(request).served_departements(),
    )
    return list_page(
        request,
        filtered(event_filter),
        resource="evenements",
        sort=SORT,
        serialise=serialise,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/evenements/{slug}",
    response={200: Item, **ERRORS},
    url_name="event_detail",
    summary="Un événement",
)
def event_detail(request, slug: str):
    """Un événement publié, par son identifiant d'adresse (slug)."""
    return one(request, _published(), serialise=serialise, slug=slug)

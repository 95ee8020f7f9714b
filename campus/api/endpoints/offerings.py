"""Offerings of the catalogue: a certification taught at a place, by one route."""

from ninja import Query, Router

from campus.api.endpoints.base import (
    CURSOR_DESCRIPTION,
    ERRORS,
    LIMIT_DESCRIPTION,
    LIST_ERRORS,
    certification_ref,
    filter_parameters,
    filtered,
    list_page,
    one,
    organisation_ref,
    page_url,
    place,
)
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Sort
from campus.api.schemas import Offering as OfferingSchema
from campus.api.schemas import item_schema, page_schema
from campus.profiles.models import CampusProfile
from campus.trainings.filters import OfferingFilter
from campus.trainings.models import ROUTE_LABELS, Offering

router = Router(tags=["Formations"])
# The catalogue's own index (title, id): deep pages stay as fast as the first.
SORT = Sort("title")
Parameters = filter_parameters(OfferingFilter, "OfferingParameters")
Page = page_schema(OfferingSchema, "OfferingPage")
Item = item_schema(OfferingSchema, "OfferingItem")
LICENCE_SOURCES = ("certification",)


def serialise(offering: Offering) -> dict:
    return {
        "id": offering.pk,
        "certification": certification_ref(offering.certification),
        "intitule": offering.title,
        "niveau": offering.level,
        "type_diplome": offering.diploma_type,
        "voie": offering.route,
        "voie_libelle": ROUTE_LABELS.get(offering.route, ""),
        "organisation": organisation_ref(offering.organisation),
        **place(offering.commune),
        "departement": offering.departement_code or None,
        "latitude": offering.latitude,
        "longitude": offering.longitude,
        "duree": offering.duration,
        "dates_rentree": offering.start_dates,
        "inscriptions_du": offering.enrolment_opens,
        "inscriptions_au": offering.enrolment_closes,
        "comment_candidater": offering.how_to_apply,
        "places": offering.capacity,
        "page_etablissement": offering.url,
        "identifiant_onisep": offering.onisep_id,
        "demo": offering.is_demo,
        "source": offering.source,
        "licence_source": offering.source_licence,
        "url": page_url(offering),
        "modifie_le": offering.updated_at,
    }


def _published():
    return Offering.objects.published()


def _with_relations(queryset):
    # Prefetched: joined to three tables, SQLite leaves the (title, id) index.
    return queryset.prefetch_related("certification", "organisation", "commune")


@router.get(
    "/formations",
    response={200: Page, **LIST_ERRORS},
    url_name="offering_list",
    summary="Offres de formation",
)
def offering_list(
    request,
    filters: Query[Parameters],
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les offres de formation publiées par intitulé ; mêmes filtres que la page
    « Formations » du site (q, niveau, voie, diplome, metier, departement,
    commune et rayon, bloc)."""
    offering_filter = OfferingFilter(
        request.GET,
        queryset=_published(),
        departements=CampusProfile.for_request(request).served_departements(),
    )
    return list_page(
        request,
        _with_relations(filtered(offering_filter)),
        resource="formations",
        sort=SORT,
        serialise=serialise,
        cursor=curseur,
        limit=limite,
        licence_sources=LICENCE_SOURCES,
    )


@router.get(
    "/formations/{offering_id}",
    response={200: Item, **ERRORS},
    url_name="offering_detail",
    summary="Une offre de formation",
)
def offering_detail(request, offering_id: int):
    """Une offre de formation publiée, par son numéro."""
    return one(
        request,
        _with_relations(_published()),
        serialise=serialise,
        licence_sources=LICENCE_SOURCES,
        pk=offering_id,
    )

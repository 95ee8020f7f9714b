"""The directory's organisations: the fields its public page shows, less contacts."""

from ninja import Query, Router

from campus.api.endpoints.base import (
    CURSOR_DESCRIPTION,
    ERRORS,
    LIMIT_DESCRIPTION,
    LIST_ERRORS,
    filter_parameters,
    filtered,
    list_page,
    one,
    page_url,
    place,
)
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Sort
from campus.api.schemas import Organisation as OrganisationSchema
from campus.api.schemas import item_schema, page_schema
from campus.network.filters import DirectoryFilter
from campus.network.models import KIND_LABELS, Organisation
from campus.profiles.models import CampusProfile, SectorProfile

router = Router(tags=["Annuaire"])
SORT = Sort("name")
Parameters = filter_parameters(DirectoryFilter, "OrganisationParameters")
Page = page_schema(OrganisationSchema, "OrganisationPage")
Item = item_schema(OrganisationSchema, "OrganisationItem")


def serialise(organisation: Organisation) -> dict:
    commune = organisation.commune
    return {
        "id": organisation.pk,
        "slug": organisation.slug,
        "nom": organisation.name,
        "sigle": organisation.acronym,
        "type": organisation.kind,
        "type_libelle": KIND_LABELS.get(organisation.kind, organisation.kind),
        "description": organisation.description,
        "adresse": organisation.street_address,
        "code_postal": organisation.postal_code,
        **place(commune),
        "departement": commune.departement.code if commune else None,
        "latitude": organisation.latitude,
        "longitude": organisation.longitude,
        "site_web": organisation.website,
        "siret": organisation.siret,
        "uai": organisation.uai,
        "code_naf": organisation.naf_code,
        "tranche_effectif": organisation.size_band,
        "partenaire": organisation.is_partner,
        "partenaire_depuis": organisation.partner_since,
        "demo": organisation.is_demo,
        "source": organisation.source,
        "licence_source": organisation.source_licence,
        "url": page_url(organisation),
        "modifie_le": organisation.updated_at,
    }


def _published():
    # Prefetched: joined to the communes, SQLite sorts every row for each page.
    return Organisation.objects.published().prefetch_related("commune__departement")


@router.get(
    "/organisations",
    response={200: Page, **LIST_ERRORS},
    url_name="organisation_list",
    summary="Organisations de l'annuaire",
)
def organisation_list(
    request,
    filters: Query[Parameters],
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les organisations publiées de l'annuaire, par nom ; mêmes filtres que
    la page « Annuaire » du site."""
    directory_filter = DirectoryFilter(
        request.GET,
        queryset=_published(),
        departements=CampusProfile.for_request(request).served_departements(),
        naf_codes=SectorProfile.for_request(request).naf_code_list,
    )
    return list_page(
        request,
        filtered(directory_filter),
        resource="organisations",
        sort=SORT,
        serialise=serialise,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/organisations/{slug}",
    response={200: Item, **ERRORS},
    url_name="organisation_detail",
    summary="Une organisation",
)
def organisation_detail(request, slug: str):
    """Une organisation publiée, par son identifiant d'adresse (slug)."""
    return one(request, _published(), serialise=serialise, slug=slug)

"""Open apprenticeship, internship and job offers."""

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
from campus.api.schemas import Offer as OfferSchema
from campus.api.schemas import item_schema, page_schema
from campus.offers.filters import OfferFilter
from campus.offers.models import Contract, Offer

router = Router(tags=["Offres"])
SORT = Sort("created_at", descending=True)
Parameters = filter_parameters(OfferFilter, "OfferParameters")
Page = page_schema(OfferSchema, "OfferPage")
Item = item_schema(OfferSchema, "OfferItem")
CONTRACT_LABELS = dict(Contract.choices)


def serialise(offer: Offer) -> dict:
    return {
        "id": offer.pk,
        "titre": offer.title,
        "contrat": offer.contract,
        "contrat_libelle": CONTRACT_LABELS.get(offer.contract, ""),
        "metier_rome": {"code": offer.rome_job.code, "libelle": offer.rome_job.label},
        "certification": (
            certification_ref(offer.certification) if offer.certification else None
        ),
        "niveau": offer.level,
        "organisation": organisation_ref(offer.organisation),
        **place(offer.commune),
        "departement": offer.departement_code,
        "latitude": offer.latitude,
        "longitude": offer.longitude,
        "debut": offer.starts_on,
        "duree_mois": offer.duration_months,
        "postes": offer.positions,
        "description": offer.description,
        "candidater_en_ligne": offer.apply_url,
        "visible_jusqu_au": offer.expires_on,
        "publiee_le": offer.created_at,
        "demo": offer.is_demo,
        "url": page_url(offer),
    }


def _published():
    return Offer.objects.published().select_related(
        "organisation", "commune", "certification", "rome_job"
    )


@router.get(
    "/offres",
    response={200: Page, **LIST_ERRORS},
    url_name="offer_list",
    summary="Offres d'apprentissage, de stage et d'emploi",
)
def offer_list(
    request,
    filters: Query[Parameters],
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les offres ouvertes, de la plus récente à la plus ancienne ; mêmes filtres
    que la page « Offres » du site."""
    offer_filter = OfferFilter(request.GET, queryset=_published())
    return list_page(
        request,
        filtered(offer_filter),
        resource="offres",
        sort=SORT,
        serialise=serialise,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/offres/{offer_id}",
    response={200: Item, **ERRORS},
    url_name="offer_detail",
    summary="Une offre",
)
def offer_detail(request, offer_id: int):
    """Une offre ouverte, par son numéro."""
    return one(request, _published(), serialise=serialise, pk=offer_id)

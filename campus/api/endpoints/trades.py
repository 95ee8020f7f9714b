"""Trades and know-how (savoir-faire)."""

from django.db.models import Prefetch
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
)
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Sort
from campus.api.schemas import KnowHow as KnowHowSchema
from campus.api.schemas import Trade as TradeSchema
from campus.api.schemas import item_schema, page_schema
from campus.trades.endangerment import Level
from campus.trades.filters import TradeFilter
from campus.trades.models import KnowHow, Trade

router = Router(tags=["Métiers et savoir-faire"])
SORT = Sort("name")
Parameters = filter_parameters(TradeFilter, "TradeParameters")
TradePage = page_schema(TradeSchema, "TradePage")
TradeItem = item_schema(TradeSchema, "TradeItem")
KnowHowPage = page_schema(KnowHowSchema, "KnowHowPage")
KnowHowItem = item_schema(KnowHowSchema, "KnowHowItem")
LEVEL_LABELS = dict(Level.choices)


def serialise_trade(trade: Trade) -> dict:
    return {
        "id": trade.pk,
        "slug": trade.slug,
        "nom": trade.name,
        "resume": trade.summary,
        "description": trade.description,
        "codes_rome": trade.rome_code_list,
        "metier_d_art": trade.is_craft,
        "domaine_metiers_art": trade.craft_domain.name if trade.craft_domain else None,
        "demo": trade.is_demo,
        "url": page_url(trade),
    }


def serialise_know_how(know_how: KnowHow) -> dict:
    return {
        "id": know_how.pk,
        "slug": know_how.slug,
        "nom": know_how.name,
        "description": know_how.description,
        "niveau_menace": know_how.level,
        "niveau_menace_libelle": LEVEL_LABELS.get(know_how.level, ""),
        "evalue_le": know_how.assessed_on,
        "metiers": [trade.slug for trade in know_how.trades.all()],
        "demo": know_how.is_demo,
        "url": page_url(know_how),
    }


def _trades():
    return Trade.objects.published().select_related("craft_domain")


def _know_hows():
    return KnowHow.objects.published().prefetch_related(
        Prefetch("trades", queryset=Trade.objects.published().order_by("name", "pk"))
    )


@router.get(
    "/metiers",
    response={200: TradePage, **LIST_ERRORS},
    url_name="trade_list",
    summary="Métiers",
)
def trade_list(
    request,
    filters: Query[Parameters],
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les métiers publiés par nom ; mêmes filtres que la page « Métiers » du site."""
    trade_filter = TradeFilter(request.GET, queryset=_trades(), request=request)
    return list_page(
        request,
        filtered(trade_filter),
        resource="metiers",
        sort=SORT,
        serialise=serialise_trade,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/metiers/{slug}",
    response={200: TradeItem, **ERRORS},
    url_name="trade_detail",
    summary="Un métier",
)
def trade_detail(request, slug: str):
    """Un métier publié, par son identifiant d'adresse (slug)."""
    return one(request, _trades(), serialise=serialise_trade, slug=slug)


@router.get(
    "/savoir-faire",
    response={200: KnowHowPage, **LIST_ERRORS},
    url_name="know_how_list",
    summary="Savoir-faire",
)
def know_how_list(
    request,
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les savoir-faire publiés par nom, avec leur dernier niveau de menace."""
    return list_page(
        request,
        _know_hows(),
        resource="savoir-faire",
        sort=SORT,
        serialise=serialise_know_how,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/savoir-faire/{slug}",
    response={200: KnowHowItem, **ERRORS},
    url_name="know_how_detail",
    summary="Un savoir-faire",
)
def know_how_detail(request, slug: str):
    """Un savoir-faire publié, par son identifiant d'adresse (slug)."""
    return one(request, _know_hows(), serialise=serialise_know_how, slug=slug)

"""The observatory: yearly indicators by territory and the key figures."""

from ninja import Query, Router

from campus.api.endpoints.base import (
    CURSOR_DESCRIPTION,
    ERRORS,
    LIMIT_DESCRIPTION,
    LIST_ERRORS,
    list_page,
    one,
    text_parameter,
)
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Sort
from campus.api.schemas import Indicator as IndicatorSchema
from campus.api.schemas import KeyFigure as KeyFigureSchema
from campus.api.schemas import item_schema, page_schema
from campus.observatory.models import (
    Indicator,
    IndicatorKey,
    KeyFigure,
    TerritoryLevel,
)

router = Router(tags=["Observatoire"])
INDICATOR_SORT = Sort("pk")
KEY_FIGURE_SORT = Sort("order")
IndicatorPage = page_schema(IndicatorSchema, "IndicatorPage")
IndicatorItem = item_schema(IndicatorSchema, "IndicatorItem")
KeyFigurePage = page_schema(KeyFigureSchema, "KeyFigurePage")
KeyFigureItem = item_schema(KeyFigureSchema, "KeyFigureItem")
KEY_LABELS = dict(IndicatorKey.choices)


def serialise_indicator(indicator: Indicator) -> dict:
    return {
        "id": indicator.pk,
        "indicateur": indicator.key,
        "indicateur_libelle": KEY_LABELS.get(indicator.key, ""),
        "code_naf": indicator.naf_code,
        "ventilation": indicator.breakdown,
        "niveau_territoire": indicator.territory_level,
        "code_territoire": indicator.territory_code,
        "annee": indicator.year,
        "valeur": float(indicator.value),
        "source": indicator.source,
        "licence_source": indicator.source_licence,
    }


def serialise_key_figure(figure: KeyFigure) -> dict:
    return {
        "id": figure.pk,
        "intitule": figure.label,
        "valeur": float(figure.value) if figure.value is not None else None,
        "unite": figure.unit,
        "periode": figure.period,
        "territoire": figure.territory,
        "source": figure.source_label,
        "adresse_source": figure.source_url,
        "indicateur": figure.indicator_key,
        "ordre": figure.order,
        "demo": figure.is_demo,
    }


@router.get(
    "/indicateurs",
    response={200: IndicatorPage, **LIST_ERRORS},
    url_name="indicator_list",
    summary="Indicateurs de l'observatoire",
)
def indicator_list(
    request,
    indicateur: IndicatorKey | None = Query(None, description="Code de l'indicateur."),
    niveau_territoire: TerritoryLevel | None = Query(None),
    code_territoire: str | None = Query(
        None, max_length=10, description="Code INSEE, de département, de région, FR."
    ),
    annee: int | None = Query(None, ge=1900, le=2100),
    code_naf: str | None = Query(None, max_length=6),
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les chiffres annuels par territoire, tels que l'observatoire les publie."""
    indicators = Indicator.objects.all()
    wanted = {
        "key": indicateur,
        "territory_level": niveau_territoire,
        "territory_code": text_parameter("code_territoire", code_territoire),
        "year": annee,
        "naf_code": text_parameter("code_naf", code_naf),
    }
    indicators = indicators.filter(
        **{field: value for field, value in wanted.items() if value is not None}
    )
    return list_page(
        request,
        indicators,
        resource="indicateurs",
        sort=INDICATOR_SORT,
        serialise=serialise_indicator,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/indicateurs/{indicator_id}",
    response={200: IndicatorItem, **ERRORS},
    url_name="indicator_detail",
    summary="Un indicateur",
)
def indicator_detail(request, indicator_id: int):
    """Un chiffre annuel d'un territoire, par son numéro."""
    return one(
        request, Indicator.objects.all(), serialise=serialise_indicator, pk=indicator_id
    )


@router.get(
    "/chiffres-cles",
    response={200: KeyFigurePage, **LIST_ERRORS},
    url_name="key_figure_list",
    summary="Chiffres clés",
)
def key_figure_list(
    request,
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les chiffres clés publiés, avec leur source, dans l'ordre de la page."""
    return list_page(
        request,
        KeyFigure.objects.published(),
        resource="chiffres-cles",
        sort=KEY_FIGURE_SORT,
        serialise=serialise_key_figure,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/chiffres-cles/{figure_id}",
    response={200: KeyFigureItem, **ERRORS},
    url_name="key_figure_detail",
    summary="Un chiffre clé",
)
def key_figure_detail(request, figure_id: int):
    """Un chiffre clé publié, par son numéro."""
    return one(
        request,
        KeyFigure.objects.published(),
        serialise=serialise_key_figure,
        pk=figure_id,
    )

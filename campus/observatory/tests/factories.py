from collections import defaultdict
from decimal import Decimal

import factory

from campus.observatory.models import (
    Indicator,
    IndicatorKey,
    KeyFigure,
    TerritoryLevel,
)
from campus.opendata.importers import urssaf


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    label = factory.Sequence(lambda n: f"salariés de la maroquinerie ({n})")
    value = Decimal("4500")
    unit = "salariés"
    period = "2020/2021"
    territory = "Bourgogne-Franche-Comté"
    source_label = "CMQ, présentation du campus"

    class Params:
        unpublished = factory.Trait(is_published=False)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    key = IndicatorKey.ESTABLISHMENTS
    naf_code = "15.12Z"
    territory_level = TerritoryLevel.COMMUNE
    territory_code = "21425"
    year = 2020
    value = Decimal("12")
    source = "Urssaf"
    source_licence = "Licence Ouverte 2.0"


def store_urssaf_figures(rows, *, region_code, france=True):
    """Stores Urssaf commune figures as the importer does: each (key, NAF, commune,
    year, value) row, and the totals of its département, of the région and, with
    `france`, of France, per NAF code and year, which the employment pages read,
    then each commune's total over the sector's codes."""
    totals = defaultdict(Decimal)
    for key, naf, commune, year, value in rows:
        IndicatorFactory(
            key=key,
            naf_code=naf,
            territory_code=commune,
            year=year,
            value=Decimal(value),
            source=urssaf.SOURCE,
        )
        levels = [
            (TerritoryLevel.DEPARTEMENT, urssaf.departement_of(commune)),
            (TerritoryLevel.REGION, region_code),
        ]
        if france:
            levels.append((TerritoryLevel.FRANCE, "FR"))
        for level, code in levels:
            totals[(key, naf, level, code, year)] += Decimal(value)
    for (key, naf, level, code, year), value in totals.items():
        IndicatorFactory(
            key=key,
            naf_code=naf,
            territory_level=level,
            territory_code=code,
            year=year,
            value=value,
            source=urssaf.SOURCE,
        )
    urssaf.store_commune_totals()

"""Companies: the sector's establishments in the Sirene stock, counted at import.

The figures read the `Indicator` rows the Sirene import stores
(`campus/opendata/importers/sirene_census.py`): active establishments by NAF code
and size band, craft-registered ones, creations and closures per year, for the
région, its départements and communes, and France. Each row that names
companies links to the directory filtered the same way.
"""

from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse

from campus.network.models import SIZE_BANDS
from campus.observatory.definitions import Definition, define
from campus.observatory.figures import Column, Table, figure, french_number
from campus.observatory.models import Indicator, IndicatorKey, TerritoryLevel
from campus.opendata.importers import sirene
from campus.opendata.importers.base import normalise_naf
from campus.opendata.models import ImportSource
from campus.places.models import Commune
from campus.profiles.models import SectorProfile

SIRENE_URL = (
    "https://www.data.gouv.fr/fr/datasets/"
    "base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/"
)
SOURCE = "Insee, base Sirene des entreprises et de leurs établissements"
MISSING = (
    "Aucune donnée : importez le stock Sirene des établissements "
    "(« StockEtablissement », Insee) dans Gestion › Imports."
)
UNDER_TEN = {"NN", "00", "01", "02", "03"}
# Creations and closures shown: the stock holds every year since 1973, the
# chart stays readable over twenty.
EVENT_YEARS = 20
DIRECTORY_NOTE = (
    "Les liens mènent à l'annuaire filtré de la même façon : il liste les "
    "établissements importés de Sirene et publiés, pas ceux saisis à la main sans "
    "code NAF."
)
STOCK_MILLESIME = (
    "Stock mensuel (situation au dernier jour du mois précédent). L'année d'un "
    "chiffre est celle du stock importé ; chaque stock importé ajoute son année et "
    "garde les précédentes."
)
STOCK_LIMITS = [
    "Le stock ne donne que l'état le plus récent de chaque établissement : "
    "l'activité (code NAF) et la commune sont celles d'aujourd'hui, pas celles de "
    "l'année de création ou de fermeture.",
    "Seule l'activité principale compte : un établissement qui exerce une "
    "activité de la filière à côté d'une autre activité principale n'est pas "
    "compté.",
    "« France » compte tous les établissements situés en France, outre-mer "
    "compris ; ceux situés à l'étranger ne sont comptés nulle part.",
]

define(
    Definition(
        slug="etablissements-actifs",
        term="Établissements actifs",
        counted="Les établissements en activité (état administratif « A ») dont "
        "l'activité principale est un code NAF de la filière, avec ou sans salarié, "
        "là où ils sont situés.",
        source=SOURCE,
        source_url=SIRENE_URL,
        licence=sirene.LICENCE,
        millesime=STOCK_MILLESIME,
        limits=[
            "Un établissement n'est pas une entreprise : un atelier et une boutique "
            "de la même entreprise comptent pour deux.",
            "Un établissement déclaré actif peut ne plus avoir d'activité réelle "
            "tant que sa fermeture n'est pas enregistrée.",
            *STOCK_LIMITS,
        ],
        import_sources=(ImportSource.SIRENE,),
    )
)
define(
    Definition(
        slug="tranches-effectifs",
        term="Tranche d'effectif salarié",
        counted="La tranche de salariés de l'établissement selon l'Insee (« 0 "
        "salarié », « 1 ou 2 salariés », « 3 à 5 salariés »… « 10 000 salariés et "
        "plus ») ; « Non employeur ou effectif inconnu » regroupe les "
        "établissements sans salarié et ceux dont l'effectif n'est pas renseigné.",
        source=SOURCE,
        source_url=SIRENE_URL,
        licence=sirene.LICENCE,
        millesime=STOCK_MILLESIME + " La tranche elle-même date d'une année antérieure "
        "(anneeEffectifsEtablissement), souvent deux ans avant le stock.",
        limits=[
            "« 0 salarié » désigne un établissement qui a employé des salariés "
            "dans l'année mais n'en avait plus au 31 décembre.",
            "Les apprentis et les stagiaires ne sont pas des salariés pour cette "
            "tranche.",
            *STOCK_LIMITS,
        ],
        import_sources=(ImportSource.SIRENE,),
    )
)
define(
    Definition(
        slug="creations-fermetures",
        term="Créations et fermetures d'établissements",
        counted="Les créations : les établissements de la filière par année de "
        "leur date de création (dateCreationEtablissement). Les fermetures : les "
        "établissements fermés (état « F ») par année du début de la période qui "
        "les a fermés (dateDebut).",
        source=SOURCE,
        source_url=SIRENE_URL,
        licence=sirene.LICENCE,
        millesime="Recomptées à chaque stock importé, sur tout l'historique qu'il "
        "contient ; l'année du stock est partielle (jusqu'à la date du stock).",
        limits=[
            "Le stock ne montre que le dernier état : un établissement fermé puis "
            "rouvert compte comme actif, sans fermeture ; un établissement fermé "
            "dont une autre variable a changé ensuite est daté de ce changement.",
            "Les établissements anciens dont la date de création est inconnue "
            "portent la date conventionnelle du 1er janvier 1900 : ils ne sont "
            "comptés dans aucune année.",
            "Une création enregistrée à l'avance, datée après le stock, attend le "
            "stock suivant.",
            *STOCK_LIMITS,
        ],
        import_sources=(ImportSource.SIRENE,),
    )
)
define(
    Definition(
        slug="etablissements-artisanaux",
        term="Établissements inscrits au répertoire des métiers",
        counted="Les établissements actifs de la filière qui ont une activité "
        "principale au répertoire des métiers "
        "(activitePrincipaleRegistreMetiersEtablissement renseignée) : ceux des "
        "artisans, immatriculés à la chambre de métiers et de l'artisanat.",
        source=SOURCE,
        source_url=SIRENE_URL,
        licence=sirene.LICENCE,
        millesime=STOCK_MILLESIME,
        limits=[
            "Inscrit au répertoire des métiers ne veut pas dire métier d'art : la "
            "liste des métiers d'art est un autre texte (arrêté du 24 décembre "
            "2015).",
            *STOCK_LIMITS,
        ],
        import_sources=(ImportSource.SIRENE,),
    )
)


def _naf_codes() -> list[str]:
    return [normalise_naf(code) for code in SectorProfile.load().naf_code_list]


def _rows(key, territory):
    return Indicator.objects.filter(
        source=sirene.SOURCE,
        key=key,
        territory_level=territory.level,
        territory_code=territory.code,
        naf_code__in=_naf_codes(),
    )


def _totals(rows, field: str) -> dict[str, int]:
    """Establishments per value of `field`, as whole numbers: PostgreSQL's sum of
    decimals keeps their two places, which the downloads would show."""
    return {
        value: int(total)
        for value, total in rows.values(field)
        .annotate(total=Sum("value"))
        .values_list(field, "total")
        .order_by(field)
    }


def _stock_year() -> int | None:
    """The year of the newest stock imported, or None before any import."""
    return (
        Indicator.objects.filter(
            source=sirene.SOURCE, key=IndicatorKey.ACTIVE_ESTABLISHMENTS
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def _nothing_here(year: int | None) -> str:
    if year is None:
        return MISSING
    return (
        f"Le stock Sirene {year} ne compte aucun établissement actif de la filière "
        "dans ce territoire."
    )


def _directory_link(territory, **filters) -> str:
    """The directory filtered as the row is counted; none for France (the
    directory keeps the région's companies only)."""
    if territory.is_france:
        return ""
    if territory.level == TerritoryLevel.DEPARTEMENT:
        filters["departement"] = territory.code
    elif territory.level == TerritoryLevel.COMMUNE:
        filters["commune"] = territory.code
    return f"{reverse('network:directory')}?{urlencode(filters)}"


def _table(**kwargs) -> Table:
    return Table(source=SOURCE, licence=sirene.LICENCE, **kwargs)


def _empty(year) -> Table:
    return _table(columns=[], rows=[], period="", empty=_nothing_here(year))


@figure(
    "entreprises",
    "etablissements-actifs",
    "Établissements actifs par activité",
    definition="etablissements-actifs",
    covers_france=True,
)
def active_by_activity(territory, campus):
    year = _stock_year()
    totals = _totals(
        _rows(IndicatorKey.ACTIVE_ESTABLISHMENTS, territory).filter(year=year),
        "naf_code",
    )
    if not totals:
        return _empty(year)
    rows = [[code, totals.get(code, 0)] for code in _naf_codes()]
    total = sum(value for _, value in rows)
    largest = max(rows, key=lambda row: row[1])
    return _table(
        columns=[
            Column("Code NAF", numeric=False),
            Column("Établissements actifs", "établissements"),
        ],
        rows=rows,
        period=f"Stock Sirene {year}",
        summary=f"{territory.label} : {french_number(total)} établissements actifs "
        f"de la filière dans le stock Sirene {year}, dont {french_number(largest[1])} "
        f"en {largest[0]}.",
        row_links=[_directory_link(territory, activite=code) for code, _ in rows],
        notes=[] if territory.is_france else [DIRECTORY_NOTE],
    )


@figure(
    "entreprises",
    "taille",
    "Établissements actifs par tranche d'effectif salarié",
    definition="tranches-effectifs",
    covers_france=True,
)
def active_by_size(territory, campus):
    year = _stock_year()
    totals = _totals(
        _rows(IndicatorKey.ACTIVE_ESTABLISHMENTS, territory).filter(year=year),
        "breakdown",
    )
    if not totals:
        return _empty(year)
    bands = [band for band in SIZE_BANDS if band in totals]
    rows = [[SIZE_BANDS[band], totals[band]] for band in bands]
    total = sum(totals.values())
    ten_or_more = sum(value for band, value in totals.items() if band not in UNDER_TEN)
    return _table(
        columns=[
            Column("Tranche d'effectif salarié", numeric=False),
            Column("Établissements actifs", "établissements"),
        ],
        rows=rows,
        period=f"Stock Sirene {year}",
        summary=f"{territory.label} : sur {french_number(total)} établissements "
        f"actifs de la filière, {french_number(totals.get('NN', 0))} sont non "
        f"employeurs ou d'effectif inconnu et {french_number(ten_or_more)} "
        "comptent 10 salariés ou plus.",
        row_links=[_directory_link(territory, taille=band) for band in bands],
        notes=[] if territory.is_france else [DIRECTORY_NOTE],
    )


@figure(
    "entreprises",
    "creations-fermetures",
    "Créations et fermetures d'établissements par année",
    definition="creations-fermetures",
    covers_france=True,
)
def creations_and_closures(territory, campus):
    year = _stock_year()
    if year is None:
        return _empty(year)
    first = year - EVENT_YEARS + 1
    counts = {}
    for row in (
        Indicator.objects.filter(
            source=sirene.SOURCE,
            key__in=[IndicatorKey.CREATIONS, IndicatorKey.CLOSURES],
            territory_level=territory.level,
            territory_code=territory.code,
            naf_code__in=_naf_codes(),
            year__gte=first,
            year__lte=year,
        )
        .values("year", "key")
        .annotate(total=Sum("value"))
        .order_by("year", "key")
    ):
        counts[row["year"], row["key"]] = int(row["total"])
    if not counts:
        return _table(
            columns=[],
            rows=[],
            period="",
            empty=f"Aucune création ni fermeture d'établissement de la filière dans "
            f"ce territoire de {first} à {year} (stock Sirene {year}).",
        )
    # The stock lists every establishment: a year without any is a true zero.
    rows = [
        [
            y,
            counts.get((y, IndicatorKey.CREATIONS), 0),
            counts.get((y, IndicatorKey.CLOSURES), 0),
        ]
        for y in range(first, year + 1)
    ]
    created = sum(row[1] for row in rows)
    closed = sum(row[2] for row in rows)
    return _table(
        columns=[
            Column("Année", numeric=False),
            Column("Créations", "établissements"),
            Column("Fermetures", "établissements"),
        ],
        rows=rows,
        period=f"{first}–{year}, stock Sirene {year}",
        summary=f"{territory.label}, de {first} à {year}, établissements de la "
        f"filière : {french_number(created)} créations, {french_number(closed)} "
        "fermetures.",
        chart="lines",
        notes=[
            f"{year} est partielle : elle s'arrête à la date du stock importé.",
            "Les fermetures sont datées par le début de la dernière période de "
            "l'établissement, seule date que donne le stock.",
        ],
    )


@figure(
    "entreprises",
    "artisanat",
    "Établissements inscrits au répertoire des métiers",
    definition="etablissements-artisanaux",
    covers_france=True,
)
def craft(territory, campus):
    year = _stock_year()

    def by_code(key):
        return _totals(
            _rows(key, territory).filter(year=year),
            "naf_code",
        )

    active = by_code(IndicatorKey.ACTIVE_ESTABLISHMENTS)
    if not active:
        return _empty(year)
    registered = by_code(IndicatorKey.CRAFT_ESTABLISHMENTS)
    codes = [code for code in _naf_codes() if active.get(code)]
    rows = [
        [
            code,
            active[code],
            registered.get(code, 0),
            round(100 * registered.get(code, 0) / active[code], 1),
        ]
        for code in codes
    ]
    total_active, total_craft = sum(active.values()), sum(registered.values())
    share = round(100 * total_craft / total_active, 1)
    return _table(
        columns=[
            Column("Code NAF", numeric=False),
            Column("Établissements actifs", "établissements"),
            Column("Inscrits au répertoire des métiers", "établissements"),
            Column("Part inscrite", "%"),
        ],
        rows=rows,
        period=f"Stock Sirene {year}",
        summary=f"{territory.label} : {french_number(total_craft)} des "
        f"{french_number(total_active)} établissements actifs de la filière sont "
        f"inscrits au répertoire des métiers ({french_number(share, '%')}).",
        chart_column=2,
        row_links=[_directory_link(territory, activite=code) for code in codes],
        notes=[]
        if territory.is_france
        else [
            "Les liens mènent à l'annuaire filtré par activité : il ne sait pas "
            "quels établissements sont inscrits au répertoire des métiers."
        ],
    )


@figure(
    "entreprises",
    "par-territoire",
    "Établissements actifs par territoire",
    definition="etablissements-actifs",
)
def active_by_territory(territory, campus):
    """The région by département, a département or a commune by commune."""
    year = _stock_year()
    if territory.level == TerritoryLevel.REGION:
        level, label = TerritoryLevel.DEPARTEMENT, "Département"
        names = {d.code: f"{d.name} ({d.code})" for d in campus.served_departements()}
        codes = names
    else:
        level, label = TerritoryLevel.COMMUNE, "Commune"
        codes = None
    rows_of = Indicator.objects.filter(
        source=sirene.SOURCE,
        key=IndicatorKey.ACTIVE_ESTABLISHMENTS,
        territory_level=level,
        naf_code__in=_naf_codes(),
        year=year,
    )
    if codes is not None:
        rows_of = rows_of.filter(territory_code__in=list(codes))
    elif territory.level == TerritoryLevel.DEPARTEMENT:
        rows_of = rows_of.filter(territory_code__startswith=territory.code)
    else:
        rows_of = rows_of.filter(territory_code=territory.code)
    totals = _totals(rows_of, "territory_code")
    if not totals:
        return _empty(year)
    if codes is None:
        names = {
            c.insee_code: c.name
            for c in Commune.objects.filter(insee_code__in=list(totals)).only(
                "insee_code", "name"
            )
        }
    ordered = sorted(totals, key=lambda code: (-totals[code], names.get(code, code)))
    parameter = "departement" if level == TerritoryLevel.DEPARTEMENT else "commune"
    return _table(
        columns=[
            Column(label, numeric=False),
            Column("Établissements actifs", "établissements"),
        ],
        rows=[[names.get(code, code), totals[code]] for code in ordered],
        period=f"Stock Sirene {year}",
        summary=f"{territory.label} : le plus d'établissements actifs de la filière "
        f"à {names.get(ordered[0], ordered[0])} ({french_number(totals[ordered[0]])}"
        f" sur {french_number(sum(totals.values()))}).",
        row_links=[
            f"{reverse('network:directory')}?{urlencode({parameter: code})}"
            for code in ordered
        ],
        notes=[DIRECTORY_NOTE],
        # A commune alone would be one shaded area among its département's blanks.
        map_codes=[] if territory.level == TerritoryLevel.COMMUNE else ordered,
    )

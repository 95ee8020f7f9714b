"""Training: the sector's offerings by level, route and territory, and its certifications.

The counts are read from the `offerings` rows that `aggregates.refresh_offerings`
stores. The two lists of certifications (where each is offered, and those with
no offering in the territory) read the `OfferedCertification` rows that
`aggregates.refresh_certifications` stores, one per certification offered in the
territory, and the certifications themselves: never the offerings, which are
hundreds of thousands at national scale.
"""

from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from campus.observatory.aggregates import (
    OFFERINGS_LICENCE,
    OFFERINGS_SOURCE,
    parse_breakdown,
    school_year_label,
)
from campus.observatory.definitions import Definition, define
from campus.observatory.figures import Column, Table, figure, french_number
from campus.observatory.models import (
    Indicator,
    IndicatorKey,
    OfferedCertification,
    TerritoryLevel,
)
from campus.observatory.territories import (
    communes_scope,
    departement_codes,
    in_departements,
)
from campus.opendata.importers import onisep
from campus.opendata.models import ImportSource
from campus.places.models import Commune, Departement
from campus.trainings.models import Certification, Level, Route

ONISEP_URL = "https://opendata.onisep.fr/"
MISSING = (
    "Aucune donnée : importez les formations de l'ONISEP ou du Carif-Oref "
    "(Gestion › Imports) ; les chiffres sont recalculés après chaque import."
)
CATALOGUE_NOTE = (
    "Liste tirée du catalogue des formations du campus (offres publiées), "
    "recalculée après chaque import du catalogue et chaque nuit."
)
ROUTES = [Route.SCHOOL, Route.APPRENTICESHIP, Route.CONTINUING]
CATALOGUE_SOURCES = (
    ImportSource.ONISEP_ACTIONS,
    ImportSource.ONISEP_FORMATIONS,
    ImportSource.LHEO,
)

define(
    Definition(
        slug="offres-de-formation",
        term="Offres de formation",
        counted="Une offre est une certification (diplôme ou titre) enseignée dans "
        "un établissement par une voie : scolaire, apprentissage ou formation "
        "continue. Un CAP proposé en lycée et en apprentissage dans le même "
        "établissement compte pour deux offres. Seules les offres publiées au "
        "catalogue du campus sont comptées, là où elles ont lieu.",
        source=f"{onisep.SOURCE} et Carif-Oref (Lhéo), complétés par les "
        "partenaires du campus",
        source_url=ONISEP_URL,
        licence=OFFERINGS_LICENCE,
        millesime="Année scolaire du catalogue (2025-2026 de septembre 2025 à "
        "août 2026) ; le décompte de l'année en cours est refait après chaque "
        "import, ceux des années passées sont gardés.",
        limits=[
            "Le catalogue ne contient que les certifications de la filière "
            "(codes NSF et ROME du profil de la filière).",
            "Une offre n'est pas un nombre de places ni d'inscrits.",
            "La formation continue dépend de ce que les organismes déclarent au "
            "Carif-Oref : elle est souvent incomplète.",
        ],
        import_sources=CATALOGUE_SOURCES,
    )
)
define(
    Definition(
        slug="part-apprentissage",
        term="Part de l'apprentissage",
        counted="Le nombre d'offres de formation en apprentissage divisé par le "
        "nombre total d'offres de formation du territoire, toutes voies "
        "confondues, en pourcentage.",
        source=f"{onisep.SOURCE} et Carif-Oref (Lhéo)",
        source_url=ONISEP_URL,
        licence=OFFERINGS_LICENCE,
        millesime="Année scolaire du catalogue.",
        limits=[
            "C'est une part des offres, pas des apprentis : un CFA qui accueille "
            "cent apprentis compte comme un lycée qui en accueille douze.",
        ],
        import_sources=CATALOGUE_SOURCES,
    )
)
define(
    Definition(
        slug="certifications-de-la-filiere",
        term="Certifications de la filière",
        counted="Les diplômes et titres de la filière (répertoire national des "
        "certifications professionnelles, diplômes de l'Éducation nationale) "
        "et les communes où une offre publiée les prépare. Une certification "
        "« sans offre » n'est enseignée dans aucun établissement du territoire.",
        source="France compétences (RNCP) et ONISEP, Idéo",
        source_url="https://www.francecompetences.fr/recherche_certificationprofessionnelle/",
        licence="Licence Ouverte 2.0 pour le RNCP, ODbL pour l'ONISEP",
        millesime="Catalogue du jour : la liste est recalculée après chaque import "
        "du catalogue et chaque nuit, qui prend en compte les offres saisies par "
        "les partenaires dans la journée.",
        limits=[
            "Une certification sans offre dans la région peut l'être dans une "
            "région voisine : la dernière colonne dit combien d'offres existent "
            "ailleurs.",
        ],
        import_sources=(ImportSource.RNCP, *CATALOGUE_SOURCES),
    )
)


def _territory_filter(territory) -> dict:
    """The stored rows of the territory itself (France's code is "FR")."""
    return {"territory_level": territory.level, "territory_code": territory.code}


def _latest_year(**filters) -> int | None:
    return Indicator.objects.filter(key=IndicatorKey.OFFERINGS, **filters).aggregate(
        year=Max("year")
    )["year"]


def _counts(filters: dict, year: int) -> dict[tuple[int, str], int]:
    return {
        parse_breakdown(breakdown): int(value)
        for breakdown, value in Indicator.objects.filter(
            key=IndicatorKey.OFFERINGS, year=year, **filters
        )
        .values_list("breakdown", "value")
        .order_by()
    }


def _empty(message: str = MISSING) -> Table:
    return Table(columns=[], rows=[], source="", licence="", period="", empty=message)


def _share(part: int, total: int) -> float | None:
    return round(100 * part / total, 1) if total else None


@figure(
    "formation",
    "offres-par-niveau",
    "Offres de formation par niveau et par voie",
    definition="offres-de-formation",
    covers_france=True,
)
def offerings_by_level(territory, campus):
    filters = _territory_filter(territory)
    year = _latest_year(**filters)
    if year is None:
        return _empty()
    counts = _counts(filters, year)
    levels = sorted({level for level, _ in counts})
    rows = []
    for level in levels:
        by_route = [counts.get((level, route), 0) for route in ROUTES]
        rows.append([Level(level).label, *by_route, sum(by_route)])
    total = sum(row[-1] for row in rows)
    apprenticeship = sum(row[2] for row in rows)
    return Table(
        columns=[
            Column("Niveau", numeric=False),
            *(Column(route.label, "offres") for route in ROUTES),
            Column("Total", "offres"),
        ],
        rows=rows,
        source=OFFERINGS_SOURCE,
        licence=OFFERINGS_LICENCE,
        period=f"Année scolaire {school_year_label(year)}",
        summary=f"{territory.label} : {french_number(total)} offres de formation "
        f"en {school_year_label(year)}, dont {french_number(apprenticeship)} en "
        "apprentissage.",
        chart_column=len(ROUTES) + 1,
        empty=MISSING,
    )


def _by_route(indicators) -> dict[str, dict[str, int]]:
    """Territory code → route → offerings, from stored offering rows."""
    totals: dict[str, dict[str, int]] = {}
    for code, breakdown, value in indicators.values_list(
        "territory_code", "breakdown", "value"
    ).order_by():
        route = parse_breakdown(breakdown)[1]
        by_route = totals.setdefault(code, {})
        by_route[route] = by_route.get(route, 0) + int(value)
    return totals


def _route_columns(first: str) -> list[Column]:
    return [
        Column(first, numeric=False),
        *(Column(route.label, "offres") for route in ROUTES),
        Column("Total", "offres"),
    ]


def _route_row(label: str, by_route: dict[str, int]) -> list:
    counts = [by_route.get(route, 0) for route in ROUTES]
    return [label, *counts, sum(counts)]


def _departements_of(territory, campus) -> list[tuple[str, str]]:
    """(code, name) of the départements a figure lists for the territory."""
    if territory.level == TerritoryLevel.FRANCE:
        return list(Departement.objects.order_by("code").values_list("code", "name"))
    codes = departement_codes(territory, campus)
    return list(
        Departement.objects.filter(code__in=codes)
        .order_by("code")
        .values_list("code", "name")
    )


def _by_departement(territory, campus):
    """The year and, per département with offerings, its counts by route."""
    if territory.level == TerritoryLevel.COMMUNE:
        return None, []
    year = _latest_year(**_territory_filter(territory))
    if year is None:
        return None, []
    departements = dict(_departements_of(territory, campus))
    totals = _by_route(
        Indicator.objects.filter(
            key=IndicatorKey.OFFERINGS,
            year=year,
            territory_level=TerritoryLevel.DEPARTEMENT,
            territory_code__in=departements,
        )
    )
    return year, [
        (code, departements[code], totals[code])
        for code in sorted(totals)
        if code in departements
    ]


def _catalogue_links(codes, campus) -> list[str]:
    served = set(campus.served_departements().values_list("code", flat=True))
    catalogue = reverse("trainings:catalogue")
    return [
        f"{catalogue}?departement={code}" if code in served else "" for code in codes
    ]


COMMUNE_MESSAGE = (
    "Ce chiffre se lit par département : choisissez la région ou un département."
)


@figure(
    "formation",
    "offres-par-departement",
    "Offres de formation par département et par voie",
    definition="offres-de-formation",
    covers_france=True,
)
def offerings_by_departement(territory, campus):
    if territory.level == TerritoryLevel.COMMUNE:
        return _empty(COMMUNE_MESSAGE)
    year, departements = _by_departement(territory, campus)
    if year is None:
        return _empty()
    rows = [
        _route_row(f"{name} ({code})", by_route)
        for code, name, by_route in departements
    ]
    largest = max(rows, key=lambda row: row[-1]) if rows else None
    return Table(
        columns=_route_columns("Département"),
        rows=rows,
        source=OFFERINGS_SOURCE,
        licence=OFFERINGS_LICENCE,
        period=f"Année scolaire {school_year_label(year)}",
        summary=(
            f"{largest[0]} compte le plus d'offres : {french_number(largest[-1])} "
            f"en {school_year_label(year)}."
            if largest
            else ""
        ),
        chart_column=len(ROUTES) + 1,
        empty=MISSING,
        row_links=_catalogue_links([code for code, _, _ in departements], campus),
        map_codes=[code for code, _, _ in departements],
    )


# The communes a figure lists at most: all of a département's, the first of a région.
MAX_COMMUNES = 40


def _commune_offerings(codes: list[str], year: int) -> dict[str, dict[str, int]]:
    """Offerings by route of each commune of these départements."""
    return _by_route(
        Indicator.objects.filter(
            key=IndicatorKey.OFFERINGS,
            year=year,
            territory_level=TerritoryLevel.COMMUNE,
        ).filter(in_departements(codes))
    )


@figure(
    "formation",
    "offres-par-commune",
    "Offres de formation par commune et par voie",
    definition="offres-de-formation",
)
def offerings_by_commune(territory, campus):
    scope = communes_scope(territory)
    year = _latest_year(**_territory_filter(scope))
    if year is None:
        return _empty()
    totals = _commune_offerings(departement_codes(scope, campus), year)
    ranked = sorted(totals.items(), key=lambda item: (-sum(item[1].values()), item[0]))[
        :MAX_COMMUNES
    ]
    communes = {
        code: (name, departement)
        for code, name, departement in Commune.objects.filter(
            insee_code__in=[code for code, _ in ranked]
        )
        .values_list("insee_code", "name", "departement__code")
        .order_by()
    }
    rows = [
        _route_row(f"{communes.get(code, ('Commune', ''))[0]} ({code})", by_route)
        for code, by_route in ranked
    ]
    catalogue = reverse("trainings:catalogue")
    served = set(campus.served_departements().values_list("code", flat=True))
    notes = []
    if territory.level == TerritoryLevel.COMMUNE:
        notes.append(f"Communes du département de {territory.label}.")
    if len(totals) > len(rows):
        notes.append(
            f"Les {len(rows)} communes qui comptent le plus d'offres, sur "
            f"{len(totals)} qui en ont au moins une."
        )
    return Table(
        columns=_route_columns("Commune"),
        rows=rows,
        source=OFFERINGS_SOURCE,
        licence=OFFERINGS_LICENCE,
        period=f"Année scolaire {school_year_label(year)}",
        summary=(
            f"{scope.label} : {len(totals)} commune(s) proposent au moins une "
            f"formation de la filière en {school_year_label(year)} ; "
            f"{rows[0][0]} en compte le plus ({french_number(rows[0][-1])})."
            if rows
            else ""
        ),
        chart_column=len(ROUTES) + 1,
        empty=MISSING,
        row_links=[
            f"{catalogue}?commune={code}"
            if communes.get(code, ("", ""))[1] in served
            else ""
            for code, _ in ranked
        ],
        notes=notes,
        map_codes=[code for code, _ in ranked],
        unmapped="commune non listée" if len(totals) > len(rows) else "",
    )


@figure(
    "formation",
    "part-apprentissage",
    "Part de l'apprentissage dans les offres de formation",
    definition="part-apprentissage",
    covers_france=True,
)
def apprenticeship_share(territory, campus):
    filters = _territory_filter(territory)
    year = _latest_year(**filters)
    if year is None:
        return _empty()
    counts = _counts(filters, year)
    total = sum(counts.values())
    apprenticeship = sum(
        value for (_, route), value in counts.items() if route == Route.APPRENTICESHIP
    )
    rows = [[territory.label, total, apprenticeship, _share(apprenticeship, total)]]
    if territory.level != TerritoryLevel.COMMUNE:
        _, departements = _by_departement(territory, campus)
        if len(departements) > 1:
            for code, name, by_route in departements:
                part, whole = (
                    by_route.get(Route.APPRENTICESHIP, 0),
                    sum(by_route.values()),
                )
                rows.append([f"{name} ({code})", whole, part, _share(part, whole)])
    share = rows[0][3]
    return Table(
        columns=[
            Column("Territoire", numeric=False),
            Column("Offres", "offres"),
            Column("En apprentissage", "offres"),
            Column("Part de l'apprentissage", "%"),
        ],
        rows=rows,
        source=OFFERINGS_SOURCE,
        licence=OFFERINGS_LICENCE,
        period=f"Année scolaire {school_year_label(year)}",
        summary=(
            f"{territory.label} : {french_number(share)} % des offres de formation "
            f"se suivent en apprentissage en {school_year_label(year)}."
            if share is not None
            else ""
        ),
        chart_column=3,
        empty=MISSING,
    )


def _offered_in(territory):
    """The stored certifications offered in the territory."""
    return OfferedCertification.objects.filter(
        territory_level=territory.level, territory_code=territory.code
    )


def _certification_link():
    """A function giving a certification's address from its slug, reversed once:
    one `reverse()` per row costs a second for two thousand rows."""
    placeholder = "certification-slug"
    address = reverse("trainings:certification_detail", kwargs={"slug": placeholder})
    return lambda slug: address.replace(placeholder, slug)


# Past this many certifications, bars are too thin to read: the table alone says it.
MAX_CHARTED_CERTIFICATIONS = 40


def _list_chart(rows) -> str:
    return "bars" if len(rows) <= MAX_CHARTED_CERTIFICATIONS else ""


def _level_label(level: int) -> str:
    return Level(level).label


@figure(
    "formation",
    "certifications",
    "Certifications de la filière et lieux de formation",
    definition="certifications-de-la-filiere",
)
def certifications_offered(territory, campus):
    offered = (
        _offered_in(territory)
        .order_by("certification__level", "certification__title", "certification")
        .values_list(
            "certification__title",
            "certification__level",
            "certification__slug",
            "offerings",
            "communes",
        )
    )
    rows, links = [], []
    link = _certification_link()
    for title, level, slug, offerings, communes in offered:
        rows.append([title, _level_label(level), offerings, communes or "—"])
        links.append(link(slug))
    return Table(
        columns=[
            Column("Certification", numeric=False),
            Column("Niveau", numeric=False),
            Column("Offres", "offres"),
            Column("Communes", numeric=False),
        ],
        rows=rows,
        source=OFFERINGS_SOURCE,
        licence=OFFERINGS_LICENCE,
        period="Catalogue du jour",
        summary=f"{territory.label} : {french_number(len(rows))} certifications de "
        "la filière se préparent dans au moins un établissement.",
        chart=_list_chart(rows),
        chart_column=2,
        empty=MISSING,
        row_links=links,
        notes=[CATALOGUE_NOTE],
    )


@figure(
    "formation",
    "certifications-sans-offre",
    "Certifications de la filière sans offre de formation dans le territoire",
    definition="certifications-de-la-filiere",
)
def certifications_without_offering(territory, campus):
    if not Certification.objects.exists():
        return _empty(
            "Aucune certification : importez le RNCP (France compétences) ou les "
            "formations de l'ONISEP (Gestion › Imports)."
        )
    in_france = OfferedCertification.objects.filter(
        certification=OuterRef("pk"), territory_level=TerritoryLevel.FRANCE
    ).values("offerings")
    missing = list(
        Certification.objects.exclude(
            pk__in=_offered_in(territory).values("certification")
        )
        .annotate(elsewhere=Coalesce(Subquery(in_france), 0))
        .order_by("level", "title", "pk")
        .values("title", "slug", "level", "elsewhere")
    )
    rows = [
        [row["title"], _level_label(row["level"]), row["elsewhere"]] for row in missing
    ]
    link = _certification_link()
    total = Certification.objects.count()
    return Table(
        columns=[
            Column("Certification", numeric=False),
            Column("Niveau", numeric=False),
            Column("Offres ailleurs en France", "offres"),
        ],
        rows=rows,
        source="France compétences (RNCP) et catalogue des formations du campus",
        licence=OFFERINGS_LICENCE,
        period="Catalogue du jour",
        summary=f"{territory.label} : {french_number(len(rows))} des "
        f"{french_number(total)} certifications de la filière n'y sont préparées "
        "dans aucun établissement.",
        chart=_list_chart(rows),
        chart_column=2,
        empty=f"{territory.label} : chaque certification de la filière y est "
        "préparée dans au moins un établissement.",
        row_links=[link(row["slug"]) for row in missing],
        notes=[CATALOGUE_NOTE],
    )

"""Insertion: what becomes of the network's leavers (InserJeunes, DEPP), per school
and route, against the regional mean of the same population (see `insertion.py`)."""

from campus.observatory.definitions import Definition, define
from campus.observatory.figures import Column, Table, figure
from campus.observatory.insertion import (
    ROUTE_LABELS,
    ROUTE_ORDER,
    InsertionFigures,
    insertion_by_school,
    regional_means,
)
from campus.observatory.models import TerritoryLevel
from campus.observatory.territories import departement_codes
from campus.opendata.importers import depp_etablissements
from campus.opendata.models import ImportSource
from campus.places.models import Region
from campus.trainings.models import EstablishmentGroup

INSERJEUNES_URL = (
    "https://data.education.gouv.fr/explore/dataset/fr-en-inserjeunes-lycee_pro/"
)
WITHHELD = "non diffusé (moins de 20 sortants)"
NO_MEAN = "—"
MISSING = (
    "Aucune donnée d'insertion pour ce territoire : importez les fichiers "
    "« InserJeunes par établissement » de la DEPP (Gestion › Imports), et vérifiez "
    "que les établissements du réseau ont leur UAI et leur commune."
)
LIMITS = [
    "Rien n'est diffusé pour moins de 20 sortants : la valeur est « non diffusé », "
    "jamais 0, et elle n'entre pas dans la moyenne régionale.",
    "La moyenne régionale est celle des taux diffusés des établissements de la "
    "région, sans pondération : les fichiers donnent des taux, pas d'effectifs, "
    "et un lycée de 20 sortants y pèse autant qu'un lycée de 400.",
    "Un lycée est comparé aux lycées de la région (pour la même population : "
    "ensemble, voie scolaire ou apprentis), un CFA aux CFA.",
    "Un millésime réunit deux années de sortants (« cumul 2022-2023 »).",
]
MILLESIME = (
    "Publication annuelle par la DEPP ; chaque millésime réunit deux promotions de "
    "sortants, observées 6 mois après la sortie."
)

define(
    Definition(
        slug="taux-emploi-6-mois",
        term="Taux d'emploi à 6 mois",
        counted="La part des sortants d'un établissement (élèves de dernière année "
        "de CAP, bac pro, BTS… et apprentis) qui sont en emploi salarié en France "
        "6 mois après leur sortie, parmi ceux qui ne poursuivent pas d'études.",
        source="DEPP, InserJeunes par établissement (lycées professionnels et CFA)",
        source_url=INSERJEUNES_URL,
        licence=depp_etablissements.LICENCE,
        millesime=MILLESIME,
        limits=LIMITS,
        import_sources=(ImportSource.DEPP_ETABLISSEMENTS,),
    )
)
define(
    Definition(
        slug="taux-poursuite-etudes",
        term="Taux de poursuite d'études",
        counted="La part des sortants inscrits en formation l'année suivante "
        "(dans un diplôme plus élevé, ou un autre diplôme, y compris en "
        "apprentissage).",
        source="DEPP, InserJeunes par établissement (lycées professionnels et CFA)",
        source_url=INSERJEUNES_URL,
        licence=depp_etablissements.LICENCE,
        millesime=MILLESIME,
        limits=LIMITS,
        import_sources=(ImportSource.DEPP_ETABLISSEMENTS,),
    )
)
define(
    Definition(
        slug="valeur-ajoutee-insertion",
        term="Valeur ajoutée (emploi à 6 mois)",
        counted="L'écart, en points, entre le taux d'emploi à 6 mois de "
        "l'établissement et le taux « attendu » que la DEPP calcule d'après le "
        "profil de ses élèves (âge, sexe, origine sociale, diplômes préparés) et "
        "le taux de chômage de sa zone. Elle peut être négative.",
        source="DEPP, InserJeunes par établissement (lycées professionnels et CFA)",
        source_url=INSERJEUNES_URL,
        licence=depp_etablissements.LICENCE,
        millesime=MILLESIME,
        limits=[
            "Une valeur ajoutée proche de 0 dit que l'établissement insère comme "
            "on l'attend de ses élèves et de son territoire, pas qu'il insère mal.",
            *LIMITS,
        ],
        import_sources=(ImportSource.DEPP_ETABLISSEMENTS,),
    )
)


def _figures(territory, campus) -> InsertionFigures:
    return insertion_by_school(
        departement_codes=departement_codes(territory, campus),
        commune_code=territory.code
        if territory.level == TerritoryLevel.COMMUNE
        else "",
    )


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _compared_table(territory, campus, indicator: str, label: str, unit: str):
    """One rate per establishment and route, its regional mean and the gap."""
    figures = _figures(territory, campus)
    rows, links = [], []
    for row in figures.rows:
        compared = row.figures[indicator]
        # No stored mean (figures typed by hand, or from the open-data CFA file
        # alone): a dash, not « non diffusé », which would blame the source.
        has_mean = compared.regional_diffused or compared.regional_withheld
        rows.append(
            [
                f"{row.name} — {row.route_label.lower()}",
                compared.value,
                compared.regional_mean if has_mean else NO_MEAN,
                compared.difference if compared.value is None or has_mean else NO_MEAN,
            ]
        )
        links.append(row.url)
    withheld = figures.withheld[indicator]
    differences = [
        row.figures[indicator].difference
        for row in figures.rows
        if row.figures[indicator].difference is not None
    ]
    above = sum(1 for difference in differences if difference > 0)
    below = sum(1 for difference in differences if difference < 0)
    summary = ""
    if rows:
        summary = (
            f"{territory.label}, {figures.cohort} : {label.lower()} de "
            f"{_count(len(rows), 'établissement et voie', 'établissements et voies')}"
            " du réseau"
            + (
                f", dont {withheld} non diffusé{'s' if withheld > 1 else ''} "
                "(moins de 20 sortants)"
                if withheld
                else ""
            )
            + f" ; {above} au-dessus de la moyenne régionale de leur population, "
            f"{below} en dessous."
        )
    return Table(
        columns=[
            Column("Établissement et voie", numeric=False),
            Column(f"{label}, en {unit}", unit),
            Column(f"Moyenne régionale, en {unit}", unit),
            Column("Écart à la moyenne, en points", "points"),
        ],
        rows=rows,
        source=depp_etablissements.SOURCE,
        licence=depp_etablissements.LICENCE,
        period=f"millésime {figures.cohort}" if figures.cohort else "",
        summary=summary,
        chart="bars",
        chart_column=1,
        empty=MISSING,
        withheld_label=WITHHELD,
        row_links=links,
        notes=[
            "Moyenne régionale : moyenne sans pondération des taux diffusés des "
            "établissements de la région, pour la même population (lycées : "
            "ensemble, voie scolaire ou apprentis ; CFA : apprentis).",
        ],
    )


@figure(
    "insertion",
    "emploi-6-mois",
    "Taux d'emploi à 6 mois par établissement et par voie",
    definition="taux-emploi-6-mois",
)
def employment(territory, campus):
    return _compared_table(
        territory, campus, "employment_rate_6_months", "Taux d'emploi à 6 mois", "%"
    )


@figure(
    "insertion",
    "poursuite-etudes",
    "Taux de poursuite d'études par établissement et par voie",
    definition="taux-poursuite-etudes",
)
def further_study(territory, campus):
    return _compared_table(
        territory, campus, "further_study_rate", "Taux de poursuite d'études", "%"
    )


@figure(
    "insertion",
    "valeur-ajoutee",
    "Valeur ajoutée de l'emploi à 6 mois par établissement et par voie",
    definition="valeur-ajoutee-insertion",
)
def value_added(territory, campus):
    return _compared_table(
        territory,
        campus,
        "employment_value_added_6_months",
        "Valeur ajoutée",
        "points",
    )


GROUP_LABELS = {
    EstablishmentGroup.LYCEES: "Lycées",
    EstablishmentGroup.CFA: "CFA",
}
MEANS = [
    "employment_rate_6_months",
    "further_study_rate",
    "employment_value_added_6_months",
]


@figure(
    "insertion",
    "moyennes-regionales",
    "Moyennes régionales par population",
    definition="taux-emploi-6-mois",
)
def regional(territory, campus):
    # The campus's région (the first, for a campus across several).
    region = (
        Region.objects.filter(
            departements__code__in=departement_codes(territory, campus)
        )
        .order_by("code")
        .first()
    )
    cohort, averages = regional_means(region_id=region.pk) if region else ("", [])
    by_population = {}
    for average in averages:
        key = (average.establishment_group, average.route)
        by_population.setdefault(key, {})[average.indicator] = average
    rows = []
    for (group, route), means in sorted(
        by_population.items(),
        key=lambda item: (item[0][0] != "lycees", ROUTE_ORDER[item[0][1]]),
    ):
        employment = means.get("employment_rate_6_months")
        rows.append(
            [
                f"{GROUP_LABELS[group]} — {ROUTE_LABELS[route].lower()}",
                *[means[m].mean if m in means else None for m in MEANS],
                employment.diffused if employment else None,
                employment.withheld if employment else None,
            ]
        )
    summary = ""
    if rows:
        summary = (
            f"{region.name}, {cohort} : moyennes sans pondération des taux diffusés "
            "de tous les établissements de la région, réseau du campus ou non."
        )
    return Table(
        columns=[
            Column("Population", numeric=False),
            Column("Taux d'emploi à 6 mois, en %", "%"),
            Column("Taux de poursuite d'études, en %", "%"),
            Column("Valeur ajoutée, en points", "points"),
            Column("Établissements diffusés (emploi)", "établissements"),
            Column("Non diffusés, moins de 20 sortants", "établissements"),
        ],
        rows=rows,
        source=depp_etablissements.SOURCE,
        licence=depp_etablissements.LICENCE,
        period=f"millésime {cohort}" if cohort else "",
        summary=summary,
        chart="bars",
        chart_column=1,
        empty=MISSING,
        withheld_label="—",
    )

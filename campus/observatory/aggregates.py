"""The observatory's aggregates, stored as small tables for the pages.

The observatory's pages never count the catalogue or the outreach records: this
module does, after an import of the catalogue, an outcome recorded by the team or
a nightly `refresh_observatory`, and stores small tables the pages read.

- Offerings (`offerings`): the published offerings of the catalogue, one row per
  level and route (`breakdown` "3:school"), for each commune of the campus, each
  département of France, the région and France. The year is the school year the
  catalogue describes (2025 for 2025-2026): a refresh rewrites the current school
  year's rows and keeps the earlier years as they were, so history accumulates.
- Certifications (`OfferedCertification`): for each certification, its published
  offerings and their communes in each commune and département of the campus, the
  région, and France (its offerings anywhere). Rewritten whole: the lists show
  the catalogue as it is, not its history.
- Awareness (`interventions`, `pupils_reached`, `classes_reached`): the requests
  the team recorded as done, per school year of the intervention, for each
  département and the région. Every school year is rewritten, since the team may
  correct an outcome long after.
- Employment: each commune's total over the sector's codes, which the Urssaf
  importer computes too (`urssaf.store_commune_totals`); computed again here so
  that it follows a change of the sector profile's codes.

All are idempotent: running them twice stores the same rows.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from campus.observatory.models import (
    Indicator,
    IndicatorKey,
    OfferedCertification,
    TerritoryLevel,
)
from campus.observatory.territories import FRANCE_CODE
from campus.opendata.importers import urssaf
from campus.outreach.models import InterventionRequest, RequestStatus
from campus.places.models import Commune
from campus.profiles.models import CampusProfile
from campus.search import fold
from campus.trainings.models import Offering

OFFERINGS_SOURCE = (
    "Catalogue des formations du campus (ONISEP, Carif-Oref, partenaires)"
)
OFFERINGS_LICENCE = "ODbL pour l'ONISEP, Licence Ouverte 2.0 pour le Carif-Oref"
OUTREACH_SOURCE = "Interventions réalisées, enregistrées par l'équipe du campus"
OUTREACH_LICENCE = "Licence Ouverte 2.0"
OUTREACH_KEYS = [
    IndicatorKey.INTERVENTIONS,
    IndicatorKey.CLASSES_REACHED,
    IndicatorKey.PUPILS_REACHED,
]
# Corsica's schools have UAI codes 620… (Corse-du-Sud) and 720… (Haute-Corse).
UAI_CORSICA = {"620": "2A", "720": "2B"}


def school_year(day: date) -> int:
    """The year a school year starts: 2025 for any day from 1 September 2025 to
    31 August 2026."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def breakdown_of(level: int, route: str) -> str:
    return f"{level}:{route}"


def parse_breakdown(breakdown: str) -> tuple[int, str]:
    level, _, route = breakdown.partition(":")
    return int(level), route


@dataclass
class RefreshReport:
    offerings_rows: int = 0
    certification_rows: int = 0
    outreach_rows: int = 0
    commune_total_changes: int = 0
    school_year: int = 0
    key_figures_changed: int = 0

    def __str__(self) -> str:
        return (
            f"Formations {school_year_label(self.school_year)} : "
            f"{self.offerings_rows} lignes ; certifications : "
            f"{self.certification_rows} lignes ; sensibilisation : "
            f"{self.outreach_rows} lignes ; salariés par commune : "
            f"{self.commune_total_changes} lignes modifiées ; chiffres clés "
            f"recalculés : {self.key_figures_changed}."
        )


def _indicator(key, level, code, year, breakdown, value, source, licence):
    return Indicator(
        key=key,
        naf_code="",
        breakdown=breakdown,
        territory_level=level,
        territory_code=code,
        year=year,
        value=value,
        source=source,
        source_licence=licence,
    )


def refresh_offerings(campus: CampusProfile, *, year: int | None = None) -> int:
    """Stores the current school year's offering counts; returns the rows stored."""
    year = year if year is not None else school_year(timezone.localdate())
    served = set(campus.served_departements().values_list("code", flat=True))
    by_commune: Counter = Counter()
    by_departement: Counter = Counter()
    for row in (
        Offering.objects.published()
        .values("commune__insee_code", "departement_code", "level", "route")
        .annotate(total=Count("pk"))
        .order_by()
    ):
        breakdown = breakdown_of(row["level"], row["route"])
        if row["departement_code"]:
            by_departement[row["departement_code"], breakdown] += row["total"]
            if row["departement_code"] in served and row["commune__insee_code"]:
                by_commune[row["commune__insee_code"], breakdown] += row["total"]
    by_region: Counter = Counter()
    by_france: Counter = Counter()
    for (departement, breakdown), total in by_departement.items():
        by_france[breakdown] += total
        if departement in served:
            by_region[breakdown] += total
    region_code = campus.region.code if campus.region else ""
    rows = [
        *(
            (TerritoryLevel.COMMUNE, code, breakdown, total)
            for (code, breakdown), total in by_commune.items()
        ),
        *(
            (TerritoryLevel.DEPARTEMENT, code, breakdown, total)
            for (code, breakdown), total in by_departement.items()
        ),
        *(
            (TerritoryLevel.REGION, region_code, breakdown, total)
            for breakdown, total in by_region.items()
        ),
        *(
            (TerritoryLevel.FRANCE, FRANCE_CODE, breakdown, total)
            for breakdown, total in by_france.items()
        ),
    ]
    with transaction.atomic():
        Indicator.objects.filter(key=IndicatorKey.OFFERINGS, year=year).delete()
        Indicator.objects.bulk_create(
            [
                _indicator(
                    IndicatorKey.OFFERINGS,
                    level,
                    code,
                    year,
                    breakdown,
                    total,
                    OFFERINGS_SOURCE,
                    OFFERINGS_LICENCE,
                )
                for level, code, breakdown, total in rows
            ],
            batch_size=1000,
        )
    return len(rows)


def refresh_certifications(campus: CampusProfile) -> int:
    """Stores where each certification is offered today; returns the rows stored."""
    served = set(campus.served_departements().values_list("code", flat=True))
    region_code = campus.region.code if campus.region else ""
    offerings: Counter = Counter()
    communes: dict[tuple, set[str]] = {}
    for certification, departement, commune, name, total in (
        Offering.objects.published()
        .values_list(
            "certification_id",
            "departement_code",
            "commune__insee_code",
            "commune__name",
        )
        .annotate(total=Count("pk"))
        .order_by()
    ):
        # France counts every published offering, even one with no known place.
        places = [(TerritoryLevel.FRANCE, FRANCE_CODE)]
        if departement in served:
            places += [
                (TerritoryLevel.REGION, region_code),
                (TerritoryLevel.DEPARTEMENT, departement),
            ]
            if commune:
                places.append((TerritoryLevel.COMMUNE, commune))
        for level, code in places:
            offerings[certification, level, code] += total
            if name and level != TerritoryLevel.FRANCE:
                communes.setdefault((certification, level, code), set()).add(name)
    with transaction.atomic():
        OfferedCertification.objects.all().delete()
        OfferedCertification.objects.bulk_create(
            [
                OfferedCertification(
                    certification_id=certification,
                    territory_level=level,
                    territory_code=code,
                    offerings=total,
                    communes=", ".join(
                        sorted(communes.get((certification, level, code), ()))
                    ),
                )
                for (certification, level, code), total in offerings.items()
            ],
            batch_size=1000,
        )
    return len(offerings)


def departement_of_school(uai: str, town: str, towns: dict[str, str]) -> str:
    """The département of a school: from its UAI code (021… is Côte-d'Or), else
    from its town when one commune of the campus bears that name; else ""."""
    uai = uai.strip().upper()
    prefix = uai[:3]
    if len(uai) == 8:
        if prefix in UAI_CORSICA:
            return UAI_CORSICA[prefix]
        if prefix.startswith("0") and prefix[1:].isdigit():
            return prefix[1:]
        if prefix.startswith("97") and prefix.isdigit():
            return prefix
    return towns.get(fold(town), "")


def _campus_towns(campus: CampusProfile) -> dict[str, str]:
    """The campus's commune names, folded, and their département; a name borne by
    two communes is left out, since it can't say which one is meant."""
    towns: dict[str, str] = {}
    ambiguous = set()
    for name, departement in Commune.objects.filter(
        departement__in=campus.served_departements()
    ).values_list("name", "departement__code"):
        name = fold(name)
        if name in towns and towns[name] != departement:
            ambiguous.add(name)
        towns[name] = departement
    for name in ambiguous:
        del towns[name]
    return towns


def tally_outreach(campus: CampusProfile, requests, period_of=None) -> dict:
    """Classes, pupils and interventions of the done requests, per place and
    period: `{((level, code), period): (classes, pupils, visits)}`.

    `period_of(held_on)` groups the requests (the school year by default; the
    annual report passes one for its whole period). The région always counts; a
    département counts when the school's is known.
    """
    period_of = period_of or school_year
    towns = _campus_towns(campus)
    region_code = campus.region.code if campus.region else ""
    classes: Counter = Counter()
    pupils: Counter = Counter()
    visits: dict[tuple, set] = {}
    for uai, school, town, held_on, reached, count in (
        requests.filter(status=RequestStatus.DONE, held_on__isnull=False)
        .values_list(
            "school_uai",
            "school_name",
            "school_town",
            "held_on",
            "pupils_reached",
            "pupil_count",
        )
        .order_by()
    ):
        period = period_of(held_on)
        departement = departement_of_school(uai, town, towns)
        # One visit to a school on one day is one intervention, whatever the
        # number of classes (one request each) it met.
        visit = (uai.strip().upper() or fold(f"{school} {town}"), held_on)
        places = [(TerritoryLevel.REGION, region_code)]
        if departement:
            places.append((TerritoryLevel.DEPARTEMENT, departement))
        for place in places:
            classes[place, period] += 1
            pupils[place, period] += reached if reached is not None else count
            visits.setdefault((place, period), set()).add(visit)
    return {
        key: (total, pupils[key], len(visits[key])) for key, total in classes.items()
    }


def refresh_outreach(campus: CampusProfile) -> int:
    """Stores interventions, classes and pupils per school year and territory."""
    tallies = tally_outreach(campus, InterventionRequest.objects.all())
    rows = []
    for (place, year), (total, pupils, visits) in tallies.items():
        level, code = place
        for key, value in [
            (IndicatorKey.INTERVENTIONS, visits),
            (IndicatorKey.CLASSES_REACHED, total),
            (IndicatorKey.PUPILS_REACHED, pupils),
        ]:
            rows.append(
                _indicator(
                    key, level, code, year, "", value, OUTREACH_SOURCE, OUTREACH_LICENCE
                )
            )
    with transaction.atomic():
        Indicator.objects.filter(key__in=OUTREACH_KEYS).delete()
        Indicator.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def refresh_observatory(*, year: int | None = None) -> RefreshReport:
    """Recomputes the training, awareness and employment aggregates of the
    campus, then the key figures computed from them."""
    # Imported here: key_figures reads this module's source and school years.
    from campus.observatory.key_figures import refresh_key_figures

    campus = CampusProfile.load()
    year = year if year is not None else school_year(timezone.localdate())
    report = RefreshReport(
        offerings_rows=refresh_offerings(campus, year=year),
        certification_rows=refresh_certifications(campus),
        outreach_rows=refresh_outreach(campus),
        commune_total_changes=urssaf.store_commune_totals(),
        school_year=year,
    )
    report.key_figures_changed = refresh_key_figures(campus)
    return report

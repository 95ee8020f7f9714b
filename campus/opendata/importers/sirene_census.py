"""The observatory's company figures, counted while the Sirene stock is read.

The directory keeps only the active establishments of the campus's départements,
without their size band, creation date or craft registration, so these figures
can't be computed from it afterwards: every row of a sector NAF code that the
stock scan parses (active or closed, anywhere in France) is counted here, at no
extra read of the file, and the counts are stored as `observatory.Indicator` rows
(commune, département, région and France):

- active establishments per NAF code and size band (`trancheEffectifsEtablissement`,
  the breakdown; empty, as the stock writes non-employers, counts as `NN`);
- craft-registered active establishments per NAF code (a value in
  `activitePrincipaleRegistreMetiersEtablissement`, the répertoire des métiers);
- creations per year (`dateCreationEtablissement`) and closures per year (closed
  establishments, at the `dateDebut` of the period that closed them), per NAF code.

History: a stock is a snapshot. Its year is the year of its newest
`dateDernierTraitementEtablissement`; its active and craft counts are stored
under that year and replace that year's only, so each stock imported adds its
year and keeps the others. Creations and closures are re-counted from each stock
(it holds every establishment ever registered, closed ones included) and replace
the previous counts, unless the stock is older than the newest one imported.
Importing the same stock again changes nothing.
"""

import re
from collections import Counter
from datetime import date
from decimal import Decimal

from django.utils import timezone

from campus.network.models import SIZE_BANDS
from campus.observatory.models import Indicator, IndicatorKey, TerritoryLevel
from campus.opendata.importers.base import ImportFileError, Selection
from campus.profiles.models import CampusProfile

FRANCE_CODE = "FR"
UNKNOWN_BAND = "NN"
# Old establishments whose creation date is not known carry this date (234 of the
# 299 rows of a real 2024 extract): it is no year of creation.
CONVENTIONAL_DATE = date(1900, 1, 1)
COMMUNE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
STATES = {"A", "F"}
FIELDS = [
    "siret",
    "etatAdministratifEtablissement",
    "codeCommuneEtablissement",
    "trancheEffectifsEtablissement",
    "dateDernierTraitementEtablissement",
    "dateCreationEtablissement",
    "dateDebut",
    "activitePrincipaleRegistreMetiersEtablissement",
]
ACTIVE = IndicatorKey.ACTIVE_ESTABLISHMENTS.value
CRAFT = IndicatorKey.CRAFT_ESTABLISHMENTS.value
CREATIONS = IndicatorKey.CREATIONS.value
CLOSURES = IndicatorKey.CLOSURES.value
SNAPSHOT_KEYS = [IndicatorKey.ACTIVE_ESTABLISHMENTS, IndicatorKey.CRAFT_ESTABLISHMENTS]
EVENT_KEYS = [IndicatorKey.CREATIONS, IndicatorKey.CLOSURES]


def departement_of(commune_code: str) -> str:
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def _date(value: str, line: int, column: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ImportFileError(
            f"« {value[:40]} » n'est pas une date (aaaa-mm-jj).",
            line=line,
            column=column,
        ) from None


class Census:
    """Counts the sector's establishments of the stock, one parsed row at a time."""

    def __init__(self, selection: Selection):
        self.selection = selection
        # Positions of FIELDS, set by the scan once the header is read.
        self.indexes: list[int | None] = []
        self.seen: set[str] = set()
        # (key, NAF code, breakdown, commune code, year) -> establishments; the
        # snapshot's year is known only once the whole file is read (None until then).
        self.counts: Counter = Counter()
        # ISO dates compare as text: only a newer one is parsed.
        self.newest_treatment = ""

    def start(self, columns: dict[str, int]) -> None:
        self.indexes = [columns.get(name) for name in FIELDS]

    def count(self, row: list[str], naf: str, line: int) -> None:
        """Counts one row of a sector NAF code (its width already checked).

        The national stock has some 100,000 rows of a sector's codes: plain
        strings as keys (not the enum members, hashed in Python) keep this cheap.
        """
        siret, state, commune, band, treated, created, started, craft = (
            "" if index is None else row[index].strip() for index in self.indexes
        )
        if siret in self.seen:
            return
        self.seen.add(siret)
        if state not in STATES:
            raise ImportFileError(
                f"« {state[:40]} » n'est pas un état administratif (A ou F).",
                line=line,
                column="etatAdministratifEtablissement",
            )
        if commune and not COMMUNE_CODE.match(commune):
            raise ImportFileError(
                f"« {commune[:40]} » n'est pas un code de commune INSEE.",
                line=line,
                column="codeCommuneEtablissement",
            )
        band = band or UNKNOWN_BAND
        if band not in SIZE_BANDS:
            raise ImportFileError(
                f"« {band[:40]} » n'est pas une tranche d'effectif de l'Insee "
                "(NN, 00, 01, 02, 03, 11…).",
                line=line,
                column="trancheEffectifsEtablissement",
            )
        if treated > self.newest_treatment:
            _date(treated, line, "dateDernierTraitementEtablissement")
            self.newest_treatment = treated
        created = _date(created, line, "dateCreationEtablissement")
        started = _date(started, line, "dateDebut")
        if not commune:
            # Abroad: neither in France's figures nor in a territory's.
            return
        if created and created != CONVENTIONAL_DATE:
            self.counts[CREATIONS, naf, "", commune, created.year] += 1
        if state == "A":
            self.counts[ACTIVE, naf, band, commune, None] += 1
            if craft:
                self.counts[CRAFT, naf, "", commune, None] += 1
        elif started:
            self.counts[CLOSURES, naf, "", commune, started.year] += 1

    @property
    def year(self) -> int:
        """The stock's year: that of its newest treatment date, else this year."""
        if self.newest_treatment:
            return int(self.newest_treatment[:4])
        return timezone.localdate().year

    def figures(self, region_code: str) -> dict[tuple, Decimal]:
        """Counts rolled up to every territory, keyed like `Indicator` rows.

        Keys: (key, NAF code, breakdown, territory level, territory code, year).
        Events dated after the stock's year (a creation declared in advance) wait
        for a later stock.
        """
        stock_year = self.year
        figures: Counter = Counter()
        for (key, naf, breakdown, commune, year), number in self.counts.items():
            year = stock_year if year is None else year
            if year > stock_year:
                continue
            territories = [(TerritoryLevel.FRANCE, FRANCE_CODE)]
            if self.selection.in_region(commune):
                territories += [
                    (TerritoryLevel.COMMUNE, commune),
                    (TerritoryLevel.DEPARTEMENT, departement_of(commune)),
                ]
                if region_code:
                    territories.append((TerritoryLevel.REGION, region_code))
            for level, code in territories:
                figures[key, naf, breakdown, level, code, year] += number
        return {identity: Decimal(number) for identity, number in figures.items()}


def persist(census: Census, *, source: str, licence: str) -> dict[str, int]:
    """Stores the census's figures; returns how many rows were created, updated,
    deleted and left unchanged."""
    region = CampusProfile.load().region
    figures = census.figures(region.code if region else "")
    stock_year = census.year
    stored = Indicator.objects.filter(source=source)
    newest = (
        stored.filter(key=IndicatorKey.ACTIVE_ESTABLISHMENTS)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    replaced = stored.filter(key__in=SNAPSHOT_KEYS, year=stock_year)
    keys = list(SNAPSHOT_KEYS)
    if newest is None or stock_year >= newest:
        replaced = replaced | stored.filter(key__in=EVENT_KEYS)
        keys += EVENT_KEYS
    else:
        figures = {k: v for k, v in figures.items() if k[0] in SNAPSHOT_KEYS}
    existing = {
        (i.key, i.naf_code, i.breakdown, i.territory_level, i.territory_code, i.year): i
        for i in replaced.order_by("pk")
    }
    counts = Counter()
    new, changed = [], []
    for identity, value in figures.items():
        indicator = existing.pop(identity, None)
        if indicator is None:
            key, naf, breakdown, level, code, year = identity
            new.append(
                Indicator(
                    key=key,
                    naf_code=naf,
                    breakdown=breakdown,
                    territory_level=level,
                    territory_code=code,
                    year=year,
                    value=value,
                    source=source,
                    source_licence=licence,
                )
            )
        elif indicator.value != value or indicator.source_licence != licence:
            indicator.value, indicator.source_licence = value, licence
            changed.append(indicator)
        else:
            counts["unchanged"] += 1
    Indicator.objects.filter(pk__in=[i.pk for i in existing.values()]).delete()
    Indicator.objects.bulk_create(new, batch_size=1000)
    Indicator.objects.bulk_update(changed, ["value", "source_licence"], batch_size=1000)
    counts.update(created=len(new), updated=len(changed), deleted=len(existing))
    return dict(counts)

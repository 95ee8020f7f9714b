"""The team's gap view: declared needs against the catalogue's offerings.

Both sides are grouped by trade (ROME code) × level × département × route:
- needs that are open or in progress, counted with the people they ask for;
- published offerings of certifications that name the ROME code, with their
  places; an offering whose certification names two codes counts for both trades.

A row with needs and no offering is a need with no training nearby; a row with
offerings and no need is a training no partner has asked for. Offerings whose
place is unknown have no département and stay out of the table.

Each side is one GROUP BY (the offerings by their certification's list of ROME
codes, split afterwards), so the view costs two aggregate queries whatever the
number of rows. At national scale they read every offering (seconds), so the
table is cached for a quarter of an hour, keyed on the filters, on the number
and latest change of the needs and on the number and latest id of the offerings:
a need declared, reviewed or closed, an offering added or deleted, shows at once;
an offering changed (unpublished, moved) or a certification's ROME codes changed
show within the quarter of an hour.
"""

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Q, Sum

from campus.needs.models import Need
from campus.places.models import Commune
from campus.profiles.models import split_codes
from campus.trainings.filters import OLD_ROUTE_VALUES
from campus.trainings.models import Level, Offering, Route

NEED_WITHOUT_OFFERING = "besoins-sans-offre"
OFFERING_WITHOUT_NEED = "offres-sans-besoin"
COVERED = "besoins-et-offres"
GAP_LABELS = {
    NEED_WITHOUT_OFFERING: "Besoins sans offre dans le département",
    OFFERING_WITHOUT_NEED: "Offres sans besoin déclaré",
    COVERED: "Besoins et offres",
}
KEY_FIELDS = ("rome_code", "level", "departement_code", "route")


@dataclass(frozen=True)
class GapFilters:
    rome_code: str = ""
    level: int | None = None
    departement_code: str = ""
    route: str = ""
    gap: str = ""


def gap_of(needs: int, offerings: int) -> str:
    if not offerings:
        return NEED_WITHOUT_OFFERING
    if not needs:
        return OFFERING_WITHOUT_NEED
    return COVERED


@dataclass
class GapRow:
    rome_code: str
    level: int
    departement_code: str
    route: str
    needs: int = 0
    people: int = 0
    offerings: int = 0
    places: int = 0
    organisations: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.rome_code, self.level, self.departement_code, self.route)

    @property
    def gap(self) -> str:
        return gap_of(self.needs, self.offerings)

    @property
    def gap_label(self) -> str:
        return GAP_LABELS[self.gap]

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def route_label(self) -> str:
        return Route(self.route).label

    @property
    def route_value(self) -> str:
        """The route as the addresses spell it (« apprentissage »)."""
        return OLD_ROUTE_VALUES[self.route]


def _need_groups(filters: GapFilters) -> dict[tuple, tuple[int, int]]:
    needs = Need.objects.active()
    if filters.rome_code:
        needs = needs.filter(rome_code=filters.rome_code)
    if filters.level:
        needs = needs.filter(level=filters.level)
    if filters.departement_code:
        needs = needs.filter(departement_code=filters.departement_code)
    if filters.route:
        needs = needs.filter(route=filters.route)
    rows = (
        needs.order_by()
        .values(*KEY_FIELDS)
        .annotate(count=Count("pk"), people=Sum("headcount"))
        .values_list(*KEY_FIELDS, "count", "people")
    )
    return {tuple(row[:4]): (row[4], row[5]) for row in rows}


def _offering_groups(filters: GapFilters) -> dict[tuple, tuple[int, int]]:
    offerings = Offering.objects.published().exclude(departement_code="")
    if filters.rome_code:
        # Codes are five characters without separators: one cannot match inside another.
        offerings = offerings.filter(
            certification__rome_codes__contains=filters.rome_code
        )
    else:
        offerings = offerings.exclude(certification__rome_codes="")
    if filters.level:
        offerings = offerings.filter(level=filters.level)
    if filters.departement_code:
        offerings = offerings.filter(departement_code=filters.departement_code)
    if filters.route:
        offerings = offerings.filter(route=filters.route)
    # Grouped by the certifications' list of codes, not by certification: a trade
    # has many certifications, and the rows to read stay as few as the table's.
    rows = (
        offerings.order_by()
        .values("certification__rome_codes", "level", "departement_code", "route")
        .annotate(count=Count("pk"), places=Sum("capacity"))
        .values_list(
            "certification__rome_codes",
            "level",
            "departement_code",
            "route",
            "count",
            "places",
        )
    )
    groups: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for codes, level, departement, route, count, places in rows:
        for code in split_codes(codes):
            if filters.rome_code and code != filters.rome_code:
                continue
            group = groups[(code, level, departement, route)]
            group[0] += count
            group[1] += places or 0
    return {key: (count, places) for key, (count, places) in groups.items()}


def gap_rows(filters: GapFilters) -> list[GapRow]:
    """Every row of the gap table, by trade, level, département and route."""
    needs = _need_groups(filters)
    offerings = _offering_groups(filters)
    rows = []
    for key in sorted(needs.keys() | offerings.keys()):
        row = GapRow(*key)
        row.needs, row.people = needs.get(key, (0, 0))
        row.offerings, row.places = offerings.get(key, (0, 0))
        if not filters.gap or row.gap == filters.gap:
            rows.append(row)
    return rows


CACHE_SECONDS = 15 * 60


def _data_version() -> tuple:
    """Changes whenever a need is added, changed or deleted, or an offering added
    or deleted: both read from indexes, where the offerings' latest change would
    read all of them (a second on SQLite at national scale)."""
    needs = Need.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    # Two queries: SQLite answers each from an index, not both in one scan.
    last_offering = Offering.objects.aggregate(last=Max("pk"))["last"]
    return (needs["n"], needs["last"], Offering.objects.count(), last_offering)


class GapTable(Sequence):
    """The rows as plain tuples, cheap to cache, made `GapRow`s when read: a page
    shows 50 of some 20,000 rows at national scale."""

    def __init__(self, rows: list[tuple]):
        self.plain_rows = rows

    def __len__(self):
        return len(self.plain_rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [GapRow(*row) for row in self.plain_rows[index]]
        return GapRow(*self.plain_rows[index])


def cached_gap_table(filters: GapFilters) -> tuple[GapTable, "GapSummary"]:
    """`gap_rows` and their summary, kept a quarter of an hour while needs and
    offerings stay the same."""
    key = f"needs-gaps:{hash((filters, _data_version()))}"
    cached = cache.get(key)
    if cached is None:
        rows = gap_rows(filters)
        cached = (
            [
                (*row.key, row.needs, row.people, row.offerings, row.places)
                for row in rows
            ],
            summarise(rows),
        )
        cache.set(key, cached, CACHE_SECONDS)
    rows, summary = cached
    return GapTable(rows), summary


def add_organisation_names(rows: list[GapRow]) -> None:
    """Names the organisations behind each row's needs: for the team's eyes only."""
    wanted = {row.key for row in rows if row.needs}
    if not wanted:
        return
    # Two plain IN filters, then the exact rows: an OR of fifty row conditions
    # takes the databases seconds at national scale.
    names = defaultdict(set)
    for *key, name in (
        Need.objects.active()
        .filter(
            rome_code__in={key[0] for key in wanted},
            departement_code__in={key[2] for key in wanted},
        )
        .order_by()
        .values_list(*KEY_FIELDS, "organisation__name")
        .distinct()
    ):
        if tuple(key) in wanted:
            names[tuple(key)].add(name)
    for row in rows:
        row.organisations = sorted(names.get(row.key, ()))


@dataclass
class GapSummary:
    needs_without_offering: int = 0
    people_without_offering: int = 0
    offerings_without_need: int = 0
    rows: int = 0


def summarise(rows: list[GapRow]) -> GapSummary:
    summary = GapSummary(rows=len(rows))
    for row in rows:
        if row.gap == NEED_WITHOUT_OFFERING:
            summary.needs_without_offering += row.needs
            summary.people_without_offering += row.people
        elif row.gap == OFFERING_WITHOUT_NEED:
            summary.offerings_without_need += row.offerings
    return summary


def counts_around(needs) -> dict[tuple, tuple[int, int]]:
    """For each open need given, the open needs of every organisation and the
    published offerings of its row: counts only, which a partner may read."""
    keys = {need.gap_key for need in needs if need.is_active}
    if not keys:
        return {}
    matching_needs, matching_offerings = Q(), Q()
    for code, level, departement, route in keys:
        place = {"level": level, "departement_code": departement, "route": route}
        matching_needs |= Q(rome_code=code, **place)
        matching_offerings |= Q(certification__rome_codes__contains=code, **place)
    needs_count = {
        tuple(row[:4]): row[4]
        for row in Need.objects.active()
        .filter(matching_needs)
        .order_by()
        .values(*KEY_FIELDS)
        .annotate(count=Count("pk"))
        .values_list(*KEY_FIELDS, "count")
    }
    offerings_count: dict[tuple, int] = defaultdict(int)
    for codes, level, departement, route, count in (
        Offering.objects.published()
        .filter(matching_offerings)
        .order_by()
        .values("certification__rome_codes", "level", "departement_code", "route")
        .annotate(count=Count("pk"))
        .values_list(
            "certification__rome_codes", "level", "departement_code", "route", "count"
        )
    ):
        for code in split_codes(codes):
            offerings_count[(code, level, departement, route)] += count
    return {key: (needs_count.get(key, 0), offerings_count.get(key, 0)) for key in keys}


# The map draws the same rows: one circle per département and kind of gap.
MAP_GAPS = (NEED_WITHOUT_OFFERING, COVERED, OFFERING_WITHOUT_NEED)
MAP_ROWS_PER_CIRCLE = 10


def departement_centres(codes) -> dict[str, tuple[float, float, str]]:
    """The mean position of each département's located communes, and its name:
    one grouped query over the communes, whatever the number of rows."""
    if not codes:
        return {}
    return {
        code: (latitude, longitude, name)
        for code, name, latitude, longitude in Commune.objects.with_coordinates()
        .filter(departement__code__in=codes)
        .order_by()
        .values("departement__code", "departement__name")
        .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        .values_list("departement__code", "departement__name", "latitude", "longitude")
    }


def gap_map(table: "GapTable", trade_labels: dict[str, str]) -> dict:
    """The rows of the gap table as a GeoJSON FeatureCollection: a point per
    département and kind of gap, with its totals and its largest rows.

    It reads the rows the table shows (`cached_gap_table`), so the map costs no
    second computation of the gaps; it sums their plain tuples and makes
    `GapRow`s of the few rows its popups list only (some 20,000 rows at national
    scale). Départements none of whose communes has coordinates stay off the map
    and are counted in `unplaced`.
    """
    circles: dict[tuple[str, str], list] = {}
    for plain in table.plain_rows:
        needs, people, offerings, places = plain[4:]
        circle = circles.setdefault(
            (plain[2], gap_of(needs, offerings)), [0, 0, 0, 0, []]
        )
        circle[0] += needs
        circle[1] += people
        circle[2] += offerings
        circle[3] += places
        circle[4].append(plain)
    centres = departement_centres({code for code, _gap in circles})
    features, unplaced = [], 0
    for (code, gap), (needs, people, offerings, places, plains) in sorted(
        circles.items(), key=lambda item: (item[0][0], MAP_GAPS.index(item[0][1]))
    ):
        if code not in centres:
            unplaced += len(plains)
            continue
        latitude, longitude, name = centres[code]
        largest = heapq.nsmallest(
            MAP_ROWS_PER_CIRCLE,
            plains,
            key=lambda plain: (-plain[5], -plain[7], plain[:4]),
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {
                    "departement": code,
                    "name": name,
                    "gap": gap,
                    "label": GAP_LABELS[gap],
                    "needs": needs,
                    "people": people,
                    "offerings": offerings,
                    "places": places,
                    "lines": len(plains),
                    "rows": [
                        _map_row(GapRow(*plain), trade_labels) for plain in largest
                    ],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "unplaced": unplaced}


def _map_row(row: GapRow, trade_labels: dict[str, str]) -> dict:
    return {
        "trade": trade_labels.get(row.rome_code, row.rome_code),
        "rome_code": row.rome_code,
        "level": row.level_label,
        "route": row.route_label,
        "needs": row.needs,
        "people": row.people,
        "offerings": row.offerings,
        "places": row.places,
    }

"""The catalogue's map data: one GeoJSON point per place, listing what it teaches.

Offerings of one organisation at the same coordinates share a point, so a
school with ten trainings is one marker whose popup lists them. Past a cap the
collection holds *some* of the matches and says it is truncated, and the map
asks for narrower filters.
"""

from django.db.models import QuerySet
from django.urls import reverse

from campus.trainings.models import Offering, Route

COLUMNS = (
    "pk",
    "title",
    "route",
    "organisation_id",
    "organisation__name",
    "organisation__slug",
    "commune__name",
    "latitude",
    "longitude",
)


def url_maker(name: str, key: str):
    """Reverses a URL once; building thousands of them with reverse() would dominate."""
    placeholder = "0" if key == "pk" else "placeholder"
    prefix, suffix = reverse(name, kwargs={key: placeholder}).rsplit(placeholder, 1)
    return lambda value: f"{prefix}{value}{suffix}"


def located_rows(offerings: QuerySet, *, cap: int) -> list[tuple]:
    """Up to cap + 1 of the offerings that have coordinates, as COLUMNS tuples.

    The inner query takes any cap + 1 of them, so the database may use the trigram
    index or stop its scan early instead of walking the whole table in key order.
    One row past the cap tells that the map is truncated, without a count.
    """
    capped = offerings.filter(latitude__isnull=False).order_by().values("pk")
    return list(
        Offering.objects.filter(pk__in=capped[: cap + 1])
        .order_by("pk")
        .values_list(*COLUMNS)[: cap + 1]
    )


def place_features(rows: list[tuple]) -> list[dict]:
    """One Point feature per organisation and coordinates, listing its offerings."""
    organisation_url = url_maker("network:organisation_detail", "slug")
    offering_url = url_maker("trainings:offering_detail", "pk")
    routes = dict(Route.choices)
    places: dict[tuple, dict] = {}
    for pk, title, route, org_id, org_name, org_slug, commune, lat, lon in rows:
        place = places.setdefault(
            (org_id, lat, lon),
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "organisation": org_name,
                    "url": organisation_url(org_slug),
                    "commune": commune or "",
                    "offerings": [],
                },
            },
        )
        place["properties"]["offerings"].append(
            {"title": title, "route": routes[route], "url": offering_url(pk)}
        )
    return list(places.values())


def offerings_map(offerings: QuerySet, *, cap: int) -> dict:
    """The FeatureCollection of at most cap offerings, with their count and truncation."""
    rows = located_rows(offerings, cap=cap)
    return {
        "type": "FeatureCollection",
        "features": place_features(rows[:cap]),
        "offerings": min(len(rows), cap),
        "truncated": len(rows) > cap,
    }

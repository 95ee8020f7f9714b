"""Cursor pagination of the API's lists: stable under inserts, cheap at any depth.

A list is sorted on one key and the primary key (`Resource.sort`); the cursor
carries the last row's (key, pk), signed so that a client cannot forge one (a
changed cursor is refused with a 400 in French), and the next page reads the rows
after it through the sort index instead of counting an OFFSET.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.utils.dateparse import parse_datetime

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR_SALT = "campus.api.cursor"


class CursorError(ValueError):
    """A cursor that this API did not hand out (or for another list)."""

    message = (
        "Le paramètre « curseur » est invalide : reprenez l'adresse donnée dans "
        "« suivant » par la page précédente."
    )


@dataclass(frozen=True)
class Sort:
    """The key a list is sorted on, then its primary key; `descending` for newest first."""

    field: str
    descending: bool = False

    def order_by(self) -> list[str]:
        sign = "-" if self.descending else ""
        if self.field == "pk":
            return [f"{sign}pk"]
        return [f"{sign}{self.field}", f"{sign}pk"]

    def after(self, queryset, key, pk):
        """The rows that come after (key, pk) in this order. Written as a range on
        the key less the rows already seen, so that the planner starts the index
        scan at the key instead of walking it from the first row."""
        if self.field == "pk":
            op = "lt" if self.descending else "gt"
            return queryset.filter(**{f"pk__{op}": pk})
        op, seen = ("lte", "gte") if self.descending else ("gte", "lte")
        return queryset.filter(**{f"{self.field}__{op}": key}).exclude(
            **{self.field: key, f"pk__{seen}": pk}
        )

    def key_of(self, row):
        return row.pk if self.field == "pk" else getattr(row, self.field)


def encode_cursor(resource: str, key, pk: int) -> str:
    if isinstance(key, datetime):
        key = {"t": key.isoformat()}
    return signing.dumps([resource, key, pk], salt=CURSOR_SALT, compress=True)


def decode_cursor(resource: str, cursor: str) -> tuple:
    try:
        name, key, pk = signing.loads(cursor, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise CursorError from error
    if name != resource or not isinstance(pk, int):
        raise CursorError
    if isinstance(key, dict):
        key = parse_datetime(str(key.get("t", "")))
        if key is None:
            raise CursorError
    return key, pk


def page_of(queryset, sort: Sort, *, resource: str, cursor: str | None, limit: int):
    """The rows of one page and the cursor of the next (None on the last page)."""
    queryset = queryset.order_by(*sort.order_by())
    if cursor:
        key, pk = decode_cursor(resource, cursor)
        queryset = sort.after(queryset, key, pk)
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor(resource, sort.key_of(last), last.pk)

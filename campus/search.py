"""Accent- and case-insensitive search shared by the catalogue, the directory and places.

Searchable models keep a `search_text` column holding their folded text, so one
`icontains` on an ASCII column works the same on SQLite and PostgreSQL.
"""

import re
import unicodedata

from django.db.models import QuerySet

MAX_QUERY_LENGTH = 200
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of `text`: 'Sellier-Harnacheur à Dijon' -> 'sellier harnacheur a dijon'."""
    text = (text or "").lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return _SEPARATORS.sub(" ", ascii_text).strip()


def fold_parts(*parts: str | None) -> str:
    return " ".join(fold(part) for part in parts if part)


def search_terms(query: str) -> list[str]:
    return fold(query[:MAX_QUERY_LENGTH]).split()[:10]


def filter_by_terms(
    queryset: QuerySet, query: str, field: str = "search_text"
) -> QuerySet:
    """Keep rows whose folded text contains every term of the query, as a prefix or inside a word."""
    for term in search_terms(query):
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset

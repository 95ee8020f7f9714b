"""Accent- and case-insensitive search shared by the catalogue, the directory and places.

Searchable models keep a `search_text` column holding their folded text, so one
`icontains` on an ASCII column works the same on SQLite and PostgreSQL.

A query goes through two steps: `expand_terms()` turns it into groups of
alternatives (each word and its synonyms from the sector profile), then a matcher
keeps the rows that contain one alternative of every group. The first step knows
nothing of the database, so another matcher (a full-text index) can reuse it.
"""

import hashlib
import re
import unicodedata
from collections.abc import Mapping

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from campus import fragments
from campus.pagination import ListPaginator

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


# "a = b = c": any of them finds all of them; "a -> b" (or →): "a" also finds "b".
_ARROW = re.compile(r"\s*(?:→|->)\s*")
MAX_SYNONYM_LINES = 200


class SynonymError(ValueError):
    """A line of the synonyms that cannot be read; the message is in French."""


def parse_synonyms(text: str) -> dict[str, tuple[str, ...]]:
    """Each folded word and what else it finds, from one rule a line.

    « alternance = apprentissage » is a group: each word finds the others.
    « sac → maroquinerie » is one-way: « sac » finds « maroquinerie », not the
    reverse. The words that are searched for must be single words; what they
    find may be several (« bijou → bijou de sac »). Raises SynonymError.
    """
    expansions: dict[str, list[str]] = {}

    def add(word: str, other: str) -> None:
        found = expansions.setdefault(word, [])
        if other != word and other not in found:
            found.append(other)

    lines = [line.strip() for line in (text or "").splitlines()]
    if sum(1 for line in lines if line) > MAX_SYNONYM_LINES:
        raise SynonymError(f"Trop de synonymes : {MAX_SYNONYM_LINES} lignes au plus.")
    for number, line in enumerate(lines, start=1):
        if not line or line.startswith("#"):
            continue
        arrows = _ARROW.split(line)
        if len(arrows) == 2 and "=" not in line:
            source, targets = fold(arrows[0]), [fold(t) for t in arrows[1].split(",")]
            if not source or not all(targets):
                raise SynonymError(
                    f"Ligne {number} : un mot de chaque côté de la flèche, "
                    "par exemple « sac → maroquinerie »."
                )
            if " " in source:
                raise SynonymError(
                    f"Ligne {number} : « {arrows[0].strip()} » doit être un seul mot "
                    "(ce qui est à gauche de la flèche est cherché mot à mot)."
                )
            for target in targets:
                add(source, target)
            continue
        if len(arrows) > 1:
            raise SynonymError(
                f"Ligne {number} : « {line[:60]} » mélange « = » et « → » ou a "
                "plusieurs flèches ; écrivez une règle par ligne."
            )
        words = [fold(word) for word in line.split("=")]
        if len(words) < 2 or not all(words):
            raise SynonymError(
                f"Ligne {number} : « {line[:60]} » n'est ni un groupe "
                "(« alternance = apprentissage ») ni une règle à sens unique "
                "(« sac → maroquinerie »)."
            )
        several = [word for word in words if " " in word]
        if several:
            raise SynonymError(
                f"Ligne {number} : « {several[0]} » doit être un seul mot dans un "
                "groupe ; pour une expression, utilisez une flèche "
                "(« bijou → bijou de sac »)."
            )
        for word in words:
            for other in words:
                add(word, other)
    return {word: tuple(others) for word, others in expansions.items() if others}


POSTAL_CODE = re.compile(r"^\d{5}$")
MAX_PLACE_WORDS = 4
MIN_PLACE_LENGTH = 3


def commune_for_postal_code(code: str):
    """The most populous commune with this postal code: « 25000 » is Besançon,
    « 21500 » Montbard rather than the villages sharing its code."""
    from campus.places.models import Commune  # places imports this module

    return (
        Commune.objects.filter(postal_codes__contains=code)
        .order_by(F("population").desc(nulls_last=True), "insee_code")
        .select_related("departement")
        .first()
    )


def extract_place(query: str, ignore=frozenset()) -> tuple[str, object | None]:
    """The query without the commune it names, and that commune: « maroquinerie
    besançon » -> ("maroquinerie", Besançon); a postal code alone is a place too.

    A name shared by several communes means the most populous. Words in
    `ignore` (the sector's own words) are never read as places.
    """
    from campus.places.models import Commune  # places imports this module

    terms = search_terms(query)
    windows = []
    for size in range(min(MAX_PLACE_WORDS, len(terms)), 0, -1):
        for start in range(len(terms) - size, -1, -1):
            name = " ".join(terms[start : start + size])
            if (
                len(name) >= MIN_PLACE_LENGTH
                and not name.isdigit()
                and name not in ignore
            ):
                windows.append((start, size, name))
    commune = None
    if windows:
        candidates = {}
        for found in (
            Commune.objects.filter(folded_name__in=[name for _, _, name in windows])
            .order_by(F("population").desc(nulls_last=True), "insee_code")
            .select_related("departement")[:200]
        ):
            candidates.setdefault(found.folded_name, found)
        for start, size, name in windows:
            if name in candidates:
                commune = candidates[name]
                terms = terms[:start] + terms[start + size :]
                break
    postal_codes = [term for term in terms if POSTAL_CODE.match(term)]
    if commune is None and len(postal_codes) == 1:
        commune = commune_for_postal_code(postal_codes[0])
    if commune is not None:
        terms = [t for t in terms if t not in commune.postal_code_list]
    return " ".join(terms), commune


def recognised_place(request, query: str, synonyms) -> tuple[str, object | None]:
    """`extract_place(query)`, kept under the content stamps for each query: the
    communes change only with a write."""
    digest = hashlib.sha256(query.encode()).hexdigest()
    return fragments.kept(
        request,
        f"place.{digest}",
        lambda: extract_place(query, ignore=frozenset(synonyms)),
    )


def sector_synonyms(request=None) -> dict[str, tuple[str, ...]]:
    """The synonyms of the sector profile (the one read for `request`, if given);
    an unreadable text (saved before the form checked it) counts as none rather
    than breaking every search."""
    from campus.profiles.models import SectorProfile  # profiles imports places

    profile = (
        SectorProfile.load() if request is None else SectorProfile.for_request(request)
    )
    try:
        return parse_synonyms(profile.synonyms)
    except SynonymError:
        return {}


def expand_terms(
    query: str, synonyms: Mapping[str, tuple[str, ...]] | None = None
) -> list[tuple[str, ...]]:
    """The query's words, each with its synonyms: "sac cuir" ->
    [("sac", "maroquinerie"), ("cuir", "maroquinerie")]. A row matches when it
    holds one alternative of every group."""
    synonyms = sector_synonyms() if synonyms is None else synonyms
    return [(term, *synonyms.get(term, ())) for term in search_terms(query)]


def filter_by_groups(
    queryset: QuerySet, groups: list[tuple[str, ...]], field: str = "search_text"
) -> QuerySet:
    """Keep rows whose folded text contains one alternative of every group, as a
    prefix or inside a word."""
    lookup = f"{field}__contains"
    for alternatives in groups:
        condition = Q(**{lookup: alternatives[0]})
        for alternative in alternatives[1:]:
            condition |= Q(**{lookup: alternative})
        queryset = queryset.filter(condition)
    return queryset


def filter_by_terms(
    queryset: QuerySet,
    query: str,
    field: str = "search_text",
    synonyms: Mapping[str, tuple[str, ...]] | None = None,
) -> QuerySet:
    """Keep rows whose folded text contains every word of the query or one of its
    synonyms."""
    return filter_by_groups(queryset, expand_terms(query, synonyms), field)


def wants_results_only(request) -> bool:
    """An htmx swap of a list asks for its results alone; restoring a page missing
    from htmx's history cache (Back after typed searches) asks for the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def list_page(
    request, template_name, context, results_context, *, status=200, expires_at=None
):
    """A list page, or its results alone for an htmx swap.

    The results (the template's « results » partial, shown by `{{ results_html }}`)
    are rendered from `results_context()` once per address under the content stamp
    (`fragments.rendered_results`); the rest of the page (the filter panel) from
    `context`. Results that change with time alone give `expires_at`
    (`fragments.rendered_results`).
    """
    results_html = fragments.rendered_results(
        request, f"{template_name}#results", results_context, expires_at=expires_at
    )
    if wants_results_only(request):
        return HttpResponse(results_html, status=status)
    return render(
        request, template_name, {**context, "results_html": results_html}, status=status
    )


def page_of_results(request, list_filter, results, page_size) -> dict:
    """What a list's results partial shows: its filter, the page the address asks
    for and the filters in use, which the page links keep."""
    page = ListPaginator(results, page_size).get_page(request.GET.get("page"))
    return {
        "filter": list_filter,
        "page": page,
        "query_string": query_in_use(request, "page"),
    }


def filters_in_use(request, *without):
    """The address's parameters (a QueryDict) without the empty ones a form sent
    without JavaScript carries, nor those named: links keep only the filters in use."""
    query = request.GET.copy()
    for name in list(query):
        values = [value for value in query.getlist(name) if value.strip()]
        if values and name not in without:
            query.setlist(name, values)
        else:
            del query[name]
    return query


def query_in_use(request, *without) -> str:
    """`filters_in_use()` as a query string."""
    return filters_in_use(request, *without).urlencode()


class SearchFilter(django_filters.CharFilter):
    """The search box of a list, filtered by its filter set's `search` method."""

    def __init__(self, *, placeholder: str, label: str = "Rechercher"):
        super().__init__(
            label=label,
            method="search",
            max_length=MAX_QUERY_LENGTH,
            widget=forms.TextInput(
                attrs={"type": "search", "placeholder": placeholder}
            ),
            error_messages={
                "max_length": (
                    f"La recherche est trop longue ({MAX_QUERY_LENGTH} caractères "
                    "au plus)."
                )
            },
        )

"""What every endpoint shares: the envelope, filters, pages and errors.

An endpoint starts from the same QuerySet as the site's public page
(`published()`), reads the site's FilterSet with the request's parameters, and
answers one page of records with the licence and the source of the data.
"""

from django.conf import settings
from django.http import Http404
from ninja import Schema
from pydantic import Field, create_model

from campus.api.pagination import MAX_LIMIT, CursorError, Sort, page_of
from campus.api.schemas import LICENCE_OUVERTE, ODBL, Error
from campus.profiles.models import CampusProfile

# Every operation documents these answers besides its 200.
ERRORS = {400: Error, 404: Error, 429: Error}
LIST_ERRORS = {400: Error, 429: Error}
LIMIT_DESCRIPTION = f"Nombre de résultats par page (1 à {MAX_LIMIT})."
CURSOR_DESCRIPTION = "Curseur de la page suivante, tel que donné dans « suivant »."
# Site parameters that make no sense for a list sorted once for all.
SITE_ONLY_PARAMETERS = {"tri", "page", "mois"}


class ApiError(Exception):
    """An answer other than 200, with its French message."""

    def __init__(self, status: int, detail: str, erreurs: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.erreurs = erreurs


def filter_parameters(filterset_class, name: str):
    """The FilterSet's parameters as a query schema: the API takes the same ones as
    the site's page (its form validates them, with its French messages)."""
    fields = {
        field: (
            str | None,
            Field(None, description=str(getattr(spec, "label", "") or field)),
        )
        for field, spec in filterset_class.base_filters.items()
        if field not in SITE_ONLY_PARAMETERS
    }
    return create_model(name, __base__=Schema, **fields)


def filtered(filterset):
    """The FilterSet's rows, or a 400 with its form's French messages."""
    if not filterset.is_valid():
        erreurs = {
            field: [str(message) for message in messages]
            for field, messages in filterset.errors.items()
        }
        raise ApiError(400, "Paramètres de recherche invalides.", erreurs)
    return filterset.qs


def licence_of(rows, *sources) -> str:
    """ODbL as soon as one record comes from ONISEP, Licence Ouverte otherwise."""
    for row in rows:
        for item in (row, *(getattr(row, name, None) for name in sources)):
            text = (
                f"{getattr(item, 'source', '')} {getattr(item, 'source_licence', '')}"
            )
            text = text.lower()
            if "onisep" in text or "odbl" in text:
                return ODBL
    return LICENCE_OUVERTE


def source_of(request, licence: str) -> str:
    profile = CampusProfile.for_request(request)
    source = f"{profile.name} — {settings.CAMPUS_SITE_URL}"
    if licence == ODBL:
        source += " ; contient des données de l'ONISEP (ODbL)"
    return source


def absolute(path: str) -> str:
    return settings.CAMPUS_SITE_URL + path


def list_page(
    request,
    queryset,
    *,
    resource: str,
    sort: Sort,
    serialise,
    cursor: str | None,
    limit: int,
    licence_sources=(),
) -> dict:
    """One page of the list: its records, licence, source and next page's address."""
    try:
        rows, next_cursor = page_of(
            queryset, sort, resource=resource, cursor=cursor, limit=limit
        )
    except CursorError as error:
        raise ApiError(400, error.message, {"curseur": [error.message]}) from error
    licence = licence_of(rows, *licence_sources)
    following = None
    if next_cursor:
        query = request.GET.copy()
        query["curseur"] = next_cursor
        following = absolute(f"{request.path}?{query.urlencode()}")
    return {
        "licence": licence,
        "source": source_of(request, licence),
        "donnees": [serialise(row) for row in rows],
        "suivant": following,
    }


def text_parameter(name: str, value: str | None) -> str | None:
    """A free-text parameter, refused when it holds a NUL (PostgreSQL cannot
    compare with one)."""
    if value is not None and "\x00" in value:
        raise ApiError(
            400, "Paramètres invalides.", {name: ["Caractère nul interdit."]}
        )
    return value


def one(request, queryset, *, serialise, licence_sources=(), **lookup) -> dict:
    """One published record, or a 404 (whether it does not exist or is not public)."""
    if any(isinstance(value, str) and "\x00" in value for value in lookup.values()):
        raise Http404
    row = queryset.filter(**lookup).first()
    if row is None:
        raise Http404
    licence = licence_of([row], *licence_sources)
    return {
        "licence": licence,
        "source": source_of(request, licence),
        "donnee": serialise(row),
    }


def page_url(obj) -> str:
    return absolute(obj.get_absolute_url())


def place(commune) -> dict:
    return {
        "commune": commune.name if commune else None,
        "code_commune": commune.insee_code if commune else None,
    }


def organisation_ref(organisation) -> dict:
    return {"id": organisation.pk, "slug": organisation.slug, "nom": organisation.name}


def certification_ref(certification) -> dict:
    return {
        "id": certification.pk,
        "slug": certification.slug,
        "intitule": certification.title,
    }

"""The read-only open-data API, version 1 (`/api/v1/`), and its documentation page.

django-ninja builds the OpenAPI 3.1 schema from the endpoints' type hints and
serves it with its Swagger UI from the site's own static files (no CDN, so the
site's CSP holds). Errors are French JSON `{"detail": ..., "erreurs": ...}`:
ninja's 422 on an invalid parameter becomes a documented 400.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Min
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError

from campus import fragments
from campus.api.caching import public_api_view
from campus.api.endpoints import (
    articles,
    certifications,
    events,
    offerings,
    offers,
    organisations,
    trades,
)
from campus.api.endpoints import observatory as observatory_endpoints
from campus.api.endpoints.base import ApiError
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from campus.api.throttling import parse_rate
from campus.dates import start_of_day
from campus.news.models import Article

api = NinjaAPI(
    title="API des données ouvertes du campus",
    version="1",
    description=(
        "Données publiques du campus en lecture seule : annuaire, certifications, "
        "formations, métiers et savoir-faire, agenda, actualités, offres, "
        "observatoire. Documentation : /api/."
    ),
    # Its addresses are included as "v1" inside the "api" namespace (urls.py).
    urls_namespace="api:v1",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
)
for router in (
    organisations.router,
    certifications.router,
    offerings.router,
    trades.router,
    events.router,
    articles.router,
    offers.router,
    observatory_endpoints.router,
):
    api.add_router("", router)


@api.exception_handler(ApiError)
def api_error(request, error: ApiError):
    return api.create_response(
        request, {"detail": error.detail, "erreurs": error.erreurs}, status=error.status
    )


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(
        request,
        {"detail": "Aucune donnée publiée à cette adresse.", "erreurs": None},
        status=404,
    )


@api.exception_handler(ValidationError)
def invalid_parameters(request, error: ValidationError):
    erreurs: dict[str, list[str]] = {}
    for problem in error.errors:
        name = str(problem.get("loc", ["?"])[-1])
        erreurs.setdefault(name, []).append(french_validation_message(problem))
    return api.create_response(
        request,
        {"detail": "Paramètres invalides.", "erreurs": erreurs},
        status=400,
    )


def french_validation_message(problem: dict) -> str:
    kind = problem.get("type", "")
    context = problem.get("ctx") or {}
    if kind == "int_parsing" or kind == "int_from_float":
        return "Saisissez un nombre entier."
    if kind == "greater_than_equal":
        return f"Saisissez un nombre supérieur ou égal à {context.get('ge')}."
    if kind == "less_than_equal":
        return f"Saisissez un nombre inférieur ou égal à {context.get('le')}."
    if kind == "enum" or kind == "literal_error":
        return f"Valeur inconnue ; valeurs possibles : {context.get('expected', '')}."
    if kind == "string_too_long":
        return f"Au plus {context.get('max_length')} caractères."
    if kind == "missing":
        return "Ce paramètre est obligatoire."
    return "Valeur invalide."


def urlpatterns():
    """ninja's addresses, each public, rate-limited and answering conditional GETs.
    The version's root (`/api/v1/`, whose name ninja reverses to build the schema's
    paths) leads to the documentation page."""
    patterns, _, _ = api.urls
    return [
        URLPattern(
            pattern.pattern,
            public_api_view(
                version_root if pattern.name == "api-root" else pattern.callback
            ),
            pattern.default_args,
            pattern.name,
        )
        for pattern in patterns
    ]


def version_root(request, **kwargs):
    return redirect("api:documentation")


# The resources the documentation page lists, in its order.
RESOURCES = [
    ("organisations", "Organisations de l'annuaire", "v1:organisation_list"),
    (
        "certifications",
        "Certifications et blocs de compétences",
        "v1:certification_list",
    ),
    ("formations", "Offres de formation", "v1:offering_list"),
    ("metiers", "Métiers", "v1:trade_list"),
    ("savoir-faire", "Savoir-faire", "v1:know_how_list"),
    ("evenements", "Événements de l'agenda", "v1:event_list"),
    ("actualites", "Actualités", "v1:article_list"),
    ("offres", "Offres d'apprentissage, de stage et d'emploi", "v1:offer_list"),
    ("indicateurs", "Indicateurs de l'observatoire", "v1:indicator_list"),
    ("chiffres-cles", "Chiffres clés", "v1:key_figure_list"),
]


@login_not_required
@require_safe
def documentation(request):
    """Anyone reads what the API offers, its licence, limits and examples."""
    allowed, period = parse_rate(settings.CAMPUS_API_RATE)
    resources = [
        {"slug": slug, "label": label, "path": reverse(f"api:{name}")}
        for slug, label, name in RESOURCES
    ]
    return render(
        request,
        "api/documentation.html",
        {
            "resources": resources,
            "examples": fragments.kept_many(
                request, {"api-examples": _examples_until_they_change}
            )["api-examples"],
            "rate_count": allowed,
            "rate_period": {1: "seconde", 60: "minute", 3600: "heure"}.get(
                period, "jour"
            ),
            "default_limit": DEFAULT_LIMIT,
            "site_url": settings.CAMPUS_SITE_URL,
            "max_limit": MAX_LIMIT,
        },
    )


def example_details() -> list[dict]:
    """One published record of each resource, so that examples are real addresses."""
    found = []
    for label, name, queryset, lookup in detail_examples():
        row = queryset.order_by("pk").first()
        if row is not None:
            found.append(
                {
                    "label": label,
                    "path": reverse(f"api:{name}", args=[getattr(row, lookup)]),
                }
            )
    return found


def _examples_until_they_change():
    """`example_details()`, and when they change with time alone (kept under the
    content stamps until then)."""
    since = timezone.now()
    return example_details(), partial(_next_change_of_examples, since)


def _next_change_of_examples(since):
    """A scheduled article is published (it may come first), or the offer shown
    expires at the end of its last day; other rows change only with a write."""
    moments = [
        Article.objects.scheduled(after=since).aggregate(next=Min("published_at"))[
            "next"
        ]
    ]
    offer = offers._published().order_by("pk").first()
    if offer is not None:
        day_after = offer.expires_on + timedelta(days=1)
        moments.append(start_of_day(day_after))
    return min((moment for moment in moments if moment), default=None)


def detail_examples():
    return [
        (
            "Une organisation",
            "v1:organisation_detail",
            organisations._published(),
            "slug",
        ),
        (
            "Une certification",
            "v1:certification_detail",
            certifications._public(),
            "slug",
        ),
        ("Une offre de formation", "v1:offering_detail", offerings._published(), "pk"),
        ("Un métier", "v1:trade_detail", trades._trades(), "slug"),
        ("Un savoir-faire", "v1:know_how_detail", trades._know_hows(), "slug"),
        ("Un événement", "v1:event_detail", events._published(), "slug"),
        ("Un article", "v1:article_detail", articles._published(), "slug"),
        ("Une offre", "v1:offer_detail", offers._published(), "pk"),
        (
            "Un indicateur",
            "v1:indicator_detail",
            observatory_endpoints.Indicator.objects.all(),
            "pk",
        ),
        (
            "Un chiffre clé",
            "v1:key_figure_detail",
            observatory_endpoints.KeyFigure.objects.published(),
            "pk",
        ),
    ]

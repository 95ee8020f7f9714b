"""The observatory's public pages: anyone may read every figure; nothing here writes.
The team's page of sources and key figures is the one exception to « anyone ».

Figures are read from stored aggregates (see `figures.py`), so a page costs a few
small queries whatever the size of the imported files.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from campus import fragments
from campus.observatory import charts, exports, freshness, territories
from campus.observatory.definitions import DEFINITIONS
from campus.observatory.figures import FIGURES, THEMES, figures_of
from campus.observatory.key_figures import with_computed
from campus.observatory.models import KeyFigure
from campus.observatory.territories import TerritoryError
from campus.permissions import campus_team_required
from campus.profiles.models import CampusProfile
from campus.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from campus.trainings.base_layer import commune_layer, region_layer

DOWNLOADS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def _territory(request, campus):
    """The territory of the address and None, or the région and a French error."""
    try:
        return territories.from_parameter(request.GET.get("territoire"), campus), None
    except TerritoryError as error:
        return territories.region(campus), str(error)


def _context(request, campus, territory, error, **extra) -> dict:
    return {
        "territory": territory,
        "territory_error": error,
        # The campus's départements, kept under the content stamps.
        "territory_choices": fragments.kept(
            request, "observatory.territories", lambda: territories.choices(campus)
        ),
        "themes": THEMES.values(),
        **extra,
    }


def _render(request, template, context):
    status = 400 if context["territory_error"] else 200
    return render(request, template, context, status=status)


def _table(request, figure, territory, campus):
    """The figure's table for the territory, computed once under the content stamps:
    it is read from the stored aggregates alone (campus/fragments.py)."""
    return fragments.kept(
        request,
        f"observatory.{figure.theme}.{figure.slug}.{territory.level}.{territory.code}",
        lambda: figure.table(territory, campus),
    )


def _rendered(request, figure, territory, campus) -> dict:
    table = _table(request, figure, territory, campus)
    region_code = campus.region.code if campus.region else None
    return {
        "figure": figure,
        "table": table,
        "chart": charts.chart_of(table),
        "map": charts.choropleth(
            table,
            region_layer(region_code),
            # The communes' outlines (1 MB) are read only by a page that maps them.
            commune_layer(region_code) if charts.by_commune(table) else None,
        ),
        "definition": DEFINITIONS.get(figure.definition),
        "url": reverse(
            "observatory:figure", kwargs={"theme": figure.theme, "slug": figure.slug}
        )
        + territory.query,
    }


def _figure_section(request, figure, territory, campus) -> SafeString:
    """A figure as its theme's page shows it (its title a link to its own page),
    rendered once per territory under the content stamps: nothing in it depends on
    the visitor or on the time, only on the stored aggregates."""
    html = fragments.kept(
        request,
        f"observatory.section.{figure.theme}.{figure.slug}"
        f".{territory.level}.{territory.code}",
        lambda: render_to_string(
            "observatory/partials/figure.html",
            {
                "item": _rendered(request, figure, territory, campus),
                "territory": territory,
                "level": 2,
                "link": True,
                "heading": True,
            },
        ),
    )
    return mark_safe(html)


@login_not_required
@require_safe
def home(request):
    campus = CampusProfile.for_request(request)
    territory, error = _territory(request, campus)
    # Every theme and figure with its address for the territory, kept under the
    # content stamps like the figures themselves: some fifty links to reverse.
    themes = fragments.kept(
        request,
        f"observatory.themes.{territory.level}.{territory.code}",
        lambda: render_to_string(
            "observatory/partials/themes.html",
            {
                "territory": territory,
                "sections": [
                    {"theme": theme, "figures": figures_of(theme.slug)}
                    for theme in THEMES.values()
                ],
            },
        ),
    )
    return _render(
        request,
        "observatory/home.html",
        _context(request, campus, territory, error, theme_sections=mark_safe(themes)),
    )


def _theme_or_404(slug):
    theme = THEMES.get(slug)
    if theme is None:
        raise Http404("Ce thème de l'observatoire n'existe pas.")
    return theme


@login_not_required
@require_safe
def theme(request, theme):
    current = _theme_or_404(theme)
    campus = CampusProfile.for_request(request)
    territory, error = _territory(request, campus)
    sections = [
        _figure_section(request, f, territory, campus) for f in figures_of(current.slug)
    ]
    return _render(
        request,
        "observatory/theme.html",
        _context(request, campus, territory, error, theme=current, sections=sections),
    )


def _figure_or_404(theme, slug):
    figure = FIGURES.get((theme, slug))
    if figure is None:
        raise Http404("Ce chiffre de l'observatoire n'existe pas.")
    return figure


@login_not_required
@require_safe
def figure(request, theme, slug):
    current = _figure_or_404(theme, slug)
    campus = CampusProfile.for_request(request)
    territory, error = _territory(request, campus)
    return _render(
        request,
        "observatory/figure.html",
        _context(
            request,
            campus,
            territory,
            error,
            theme=THEMES[current.theme],
            item=_rendered(request, current, territory, campus),
        ),
    )


@login_not_required
@require_safe
def download(request, theme, slug, file_format):
    current = _figure_or_404(theme, slug)
    if file_format not in DOWNLOADS:
        raise Http404("Format de téléchargement inconnu : CSV ou XLSX.")
    campus = CampusProfile.for_request(request)
    try:
        territory = territories.from_parameter(request.GET.get("territoire"), campus)
    except TerritoryError as error:
        return HttpResponse(
            str(error), status=400, content_type="text/plain; charset=utf-8"
        )
    table = current.table(territory, campus)
    url = request.build_absolute_uri(
        reverse("observatory:figure", kwargs={"theme": theme, "slug": slug})
        + territory.query
    )
    write = exports.as_csv if file_format == "csv" else exports.as_xlsx
    response = HttpResponse(
        write(current, territory, table, url), content_type=DOWNLOADS[file_format]
    )
    name = f"observatoire-{theme}-{slug}-{territory.parameter}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_not_required
@require_safe
def glossary(request):
    definitions = sorted(DEFINITIONS.values(), key=lambda d: d.term.lower())
    return render(request, "observatory/glossary.html", {"definitions": definitions})


@login_not_required
@require_safe
def definition(request, slug):
    current = DEFINITIONS.get(slug)
    if current is None:
        raise Http404("Cette définition n'existe pas.")
    used_by = [f for f in FIGURES.values() if f.definition == slug]
    return render(
        request,
        "observatory/definition.html",
        {
            "definition": current,
            "last_import": current.last_import(),
            "used_by": used_by,
        },
    )


@campus_team_required
@require_safe
def team_sources(request):
    """The team's view of the observatory: how fresh each source is, and the
    typed key figures beside their computed values."""
    key_figures = KeyFigure.objects.order_by("order", "pk")
    return render(
        request,
        "observatory/team_sources.html",
        {
            "sources": freshness.source_freshness(),
            "stale_after": freshness.STALE_AFTER_MONTHS,
            "key_figures": with_computed(key_figures),
        },
    )

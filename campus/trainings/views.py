from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_safe

from campus import contributions, fragments
from campus.deletion import confirm_delete
from campus.embeds import EmbedLimitForm, embed_errors, embed_panel, embeddable
from campus.network.models import Organisation
from campus.pagination import ListPaginator
from campus.permissions import organisation_editor_required
from campus.places.models import Commune
from campus.profiles.models import CampusProfile, served_departements
from campus.search import filters_in_use, list_page, query_in_use, wants_results_only
from campus.trainings.base_layer import layer_path, layer_url, region_layer
from campus.trainings.filters import OfferingFilter, SkillBlockSearch, modernised_query
from campus.trainings.forms import OfferingForm, row_id
from campus.trainings.geojson import offerings_map
from campus.trainings.models import (
    Certification,
    InsertionOutcome,
    Offering,
    SkillBlock,
)
from campus.trainings.permissions import can_edit_offering
from campus.trainings.services import (
    MAX_COMPARED,
    ComparisonError,
    certifications_to_compare,
    comparison_rows,
    mark_matching_skills,
)

CATALOGUE_PAGE_SIZE = 20
MAP_LIST_PAGE_SIZE = 50
MAP_MAX_OFFERINGS = 500
SORTABLE_COLUMNS = ["formation", "niveau", "etablissement", "commune", "distance"]


class CappedPaginator(ListPaginator):
    """Counts matches up to a cap: an exact count of 100,000 rows costs more than the page.

    Past the cap the listing says "plus de 1 000" and asks for a narrower search.
    """

    cap = 1000

    def __init__(self, object_list, per_page, *, by_ids: bool = False):
        super().__init__(object_list, per_page)
        self.by_ids = by_ids

    def get_page(self, number):
        """With `by_ids`, the matches' ids are read first, up to the cap and in no
        order, and when they are no more than the cap the page is sorted from them.
        PostgreSQL estimates a trigram search at a thousand rows whatever it
        matches: for a search with few or no matches it walked the whole title
        index for the 20 it never found (90 ms at 300,000 offerings), where the
        trigram index gives their ids in a few ms. Past the cap, the matches are
        frequent and the walk in title order stops soon."""
        if self.by_ids:
            # In no order, on purpose: an order would send PostgreSQL down an
            # index again, and which ids come first does not matter (past the cap
            # they are not used). `iterator()` reads them without a result cache.
            unordered = self.object_list.order_by().values_list("pk", flat=True)
            ids = list(unordered[: self.cap + 1].iterator(chunk_size=self.cap + 1))
            self.__dict__["_count_to_cap"] = len(ids)
            if len(ids) <= self.cap:
                self.object_list = self.object_list.filter(pk__in=ids)
        return super().get_page(number)

    def set_count(self, count: int) -> None:
        super().set_count(min(count, self.cap))
        self.__dict__["_count_to_cap"] = count

    @cached_property
    def _count_to_cap(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._count_to_cap, self.cap)

    @property
    def truncated(self) -> bool:
        return self._count_to_cap > self.cap


def _public_offerings():
    # Prefetched rather than joined: the page query then reads the offering table alone.
    return Offering.objects.published().prefetch_related(
        "certification", "organisation", "commune"
    )


# Sorted by title or distance, the page joins its certification, organisation and
# commune: SQLite reads the title index and joins 20 rows (2 ms at 300,000
# offerings, against 8 to 13 ms for the four queries of a prefetch). Sorted by
# level, organisation or commune, a join makes SQLite's planner start elsewhere
# (1 to 2 s instead of 0.3 to 0.5), so those pages prefetch. PostgreSQL estimates
# a trigram search at a few dozen rows whatever it matches: joined, it looks up the
# organisation and commune of all 5,000 « maroquin » offerings before keeping 20
# (120 ms instead of 40), so with a search it prefetches too.
JOINED_SORTS = {"formation", "-formation", "distance", "-distance"}


def _listed_offerings(request):
    """The published offerings matching the filters, with what the list shows."""
    offering_filter, valid = _offering_filter(request, Offering.objects.published())
    return offering_filter, valid, _listed(offering_filter, valid)


def _listed(offering_filter, valid):
    results = _matches(offering_filter, valid)
    if _joins(offering_filter, valid, results):
        return results.select_related("certification", "organisation", "commune")
    return results.prefetch_related("certification", "organisation", "commune")


def _searched_on_postgresql(offering_filter, valid, results) -> bool:
    """A search of words on PostgreSQL: its page is sorted from the matches' ids
    (see CappedPaginator)."""
    return (
        valid
        and bool(offering_filter.form.cleaned_data.get("q"))
        and connections[results.db].vendor == "postgresql"
    )


def _joins(offering_filter, valid, results) -> bool:
    """Whether the page of results joins the tables it shows or prefetches them."""
    joined = valid and offering_filter.sort in JOINED_SORTS
    if joined and connections[results.db].vendor == "postgresql":
        joined = not offering_filter.form.cleaned_data.get("q")
    return joined


# What a catalogue card reads: the offering's own copies of its certification's
# title, level and diploma type (trainings/signals.py keeps them in step), and the
# names of its organisation and commune. These columns alone, without the
# certification's, build the rows of a page in a fifth of the time.
CARD_COLUMNS = [
    "route",
    "is_demo",
    "departement_code",
    "title",
    "level",
    "diploma_type",
]


def _catalogue_offerings(offering_filter, valid):
    """The published offerings matching the filters, with the columns of their cards."""
    results = _matches(offering_filter, valid)
    if _joins(offering_filter, valid, results):
        results = results.select_related("organisation", "commune").only(
            *CARD_COLUMNS, "organisation__name", "commune__name"
        )
    else:
        results = results.only(*CARD_COLUMNS, "organisation", "commune")
        results = results.prefetch_related(
            Prefetch("organisation", Organisation.objects.only("name")),
            Prefetch("commune", Commune.objects.only("name")),
        )
    return results


def _offering_filter(request, queryset):
    offering_filter = OfferingFilter(
        request.GET,
        queryset=queryset,
        request=request,
        departements=served_departements(request),
    )
    return offering_filter, offering_filter.is_valid()


def _matches(offering_filter, valid):
    return offering_filter.qs if valid else offering_filter.queryset.none()


def _search(request, queryset):
    offering_filter, valid = _offering_filter(request, queryset)
    return offering_filter, valid, _matches(offering_filter, valid)


def _modernised_redirect(request):
    if wants_results_only(request):
        return None
    query = modernised_query(request.GET)
    if query is None:
        return None
    return redirect(f"{request.path}?{query.urlencode()}")


def _sort_links(request, offering_filter, valid) -> list[dict]:
    """Column headers of the list: a link that sorts by it, and its current state."""
    current = (offering_filter.form.cleaned_data.get("tri") if valid else "") or ""
    if not current:
        current = "distance" if offering_filter.radius_km else "formation"
    links = []
    for column in SORTABLE_COLUMNS:
        if column == "distance" and not (valid and offering_filter.radius_km):
            continue
        query = filters_in_use(request, "page")
        query["tri"] = f"-{column}" if current == column else column
        state = {column: "ascending", f"-{column}": "descending"}.get(current, "none")
        links.append({"column": column, "url": f"?{query.urlencode()}", "state": state})
    return links


@login_not_required
@require_safe
def catalogue(request):
    if response := _modernised_redirect(request):
        return response
    offering_filter, valid = _offering_filter(request, Offering.objects.published())

    def results_context():
        # Built only when the results are rendered: a search queries its index
        # as soon as its QuerySet is made.
        results = _catalogue_offerings(offering_filter, valid)
        page = CappedPaginator(
            results,
            CATALOGUE_PAGE_SIZE,
            by_ids=_searched_on_postgresql(offering_filter, valid, results),
        ).get_page(request.GET.get("page"))
        campus = CampusProfile.for_request(request)
        return {
            "filter": offering_filter,
            "page": page,
            "query_string": query_in_use(request, "page"),
            "map_query": query_in_use(request, "page", "tri"),
            "radius_km": offering_filter.radius_km if valid else None,
            # The cards' links, « /formations/<pk>/ »: the path is reversed once
            # for the page rather than once a row.
            "offering_path": reverse(
                "trainings:offering_detail", kwargs={"pk": 0}
            ).removesuffix("0/"),
            "embed": embed_panel(
                request,
                "trainings:catalogue_embed",
                title=f"Formations — {campus.short_name or campus.name}",
                height=480,
            ),
        }

    return list_page(
        request,
        "trainings/catalogue.html",
        {"filter": offering_filter},
        results_context,
        status=200 if valid else 400,
    )


CATALOGUE_EMBED_TITLE = "Sélection de formations"


@embeddable
@require_safe
def catalogue_embed(request):
    """The catalogue's filtered list as a widget for partners' sites, in the
    catalogue's order; `?limite=` sets how many trainings show (1 to 20)."""
    offering_filter, valid = _offering_filter(request, Offering.objects.published())
    limit = EmbedLimitForm(request.GET)
    valid = limit.is_valid() and valid
    errors = embed_errors(offering_filter.form, limit)

    def list_context():
        return {
            "offerings": list(_listed(offering_filter, valid)[: limit.rows])
            if valid
            else [],
            "radius_km": offering_filter.radius_km if valid else None,
        }

    context = {
        "title": CATALOGUE_EMBED_TITLE,
        "errors": errors,
        # Rendered once per address under the content stamps, as the catalogue's
        # results are.
        "list_html": None
        if errors
        else fragments.rendered_results(
            request, "trainings/embed_list.html#offerings", list_context
        ),
        # The catalogue with the same filters: the widget's canonical page and link.
        "list_query": query_in_use(request, "page", "limite"),
    }
    return render(
        request, "trainings/embed_list.html", context, status=200 if valid else 400
    )


@login_not_required
@require_safe
def certification_detail(request, slug):
    certification = get_object_or_404(Certification, slug=slug)
    return render(
        request,
        "trainings/certification_detail.html",
        {
            "certification": certification,
            "parts": fragments.kept(
                request,
                f"certification-page.{certification.pk}",
                partial(_certification_page_parts, certification),
            ),
            # A section with nothing to show renders blank: the page leaves it out.
            "sections": [
                section
                for section in contributions.certification_page.render(
                    request, certification
                )
                if section.strip()
            ],
        },
    )


def _certification_page_parts(certification) -> dict[str, str]:
    """The certification page's partials besides its sections: its main column
    (blocks and where to train) and its references; neither changes with time
    alone."""
    context = {
        "certification": certification,
        # Joined: the ordering joins these tables already, and the list shows their
        # names; the certification is the page's.
        "offerings": Offering.objects.published()
        .select_related("organisation", "commune")
        .filter(certification=certification)
        .order_by("commune__name", "organisation__name", "pk"),
        "skill_blocks": certification.skill_blocks.annotate(
            offering_count=Count(
                "offerings",
                filter=Q(
                    offerings__is_published=True,
                    offerings__organisation_published=True,
                ),
            )
        ).order_by("order", "pk"),
    }
    return {
        name: render_to_string(f"trainings/certification_detail.html#{name}", context)
        for name in ("main", "references")
    }


BLOCK_SEARCH_PAGE_SIZE = 20


@login_not_required
@require_safe
def block_search(request):
    """Which certifications teach a skill: their blocks matching the search."""
    search = SkillBlockSearch(
        request.GET, queryset=Certification.objects.order_by("level", "title", "pk")
    )
    valid = search.is_valid()
    results = search.qs if valid else Certification.objects.none()
    page = Paginator(results, BLOCK_SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    if valid and search.form.cleaned_data.get("q"):
        mark_matching_skills(
            page.object_list, search.form.cleaned_data["q"], search.synonyms
        )
    template = (
        "trainings/block_search.html#results"
        if wants_results_only(request)
        else "trainings/block_search.html"
    )
    context = {
        "filter": search,
        "page": page,
        "searched": valid and bool(search.form.cleaned_data.get("q")),
        "query_string": query_in_use(request, "page"),
    }
    return render(request, template, context, status=200 if valid else 400)


@login_not_required
@require_safe
def compare(request):
    """Two or three certifications' skill blocks side by side, named in the address
    (« ?c=RNCP38712&c=RNCP37230 »)."""
    values = request.GET.getlist("c")
    error = ""
    try:
        certifications = certifications_to_compare(values)
    except ComparisonError as refused:
        certifications, error = [], refused.message
    context = {
        "certifications": certifications,
        "rows": comparison_rows(certifications) if len(certifications) > 1 else [],
        "error": error,
        # The certifications with skill blocks: kept under the content stamps.
        "choices": fragments.kept(request, "compare.choices", _comparison_choices),
        # The value each of the chooser's selects shows.
        "slots": [
            certification.rncp_code or certification.slug
            for certification in certifications
        ]
        + [""] * (MAX_COMPARED - len(certifications)),
    }
    return render(
        request, "trainings/compare.html", context, status=400 if error else 200
    )


# A campus keeps its sector's certifications, a few dozen to a few hundred: the
# chooser lists them. Past this many (a national catalogue), three lists of
# thousands of options took over a second to render and weighed megabytes, so
# the chooser asks for RNCP codes instead.
MAX_COMPARISON_CHOICES = 300


def _comparison_choices() -> list[tuple[str, str]] | None:
    """The certifications that have skill blocks, as the chooser offers them, or
    None when there are too many to list."""
    choices = [
        (rncp_code or slug, f"{title} ({rncp_code})" if rncp_code else title)
        for rncp_code, slug, title in Certification.objects.filter(
            pk__in=SkillBlock.objects.values("certification_id")
        )
        .order_by("level", "title", "pk")
        .values_list("rncp_code", "slug", "title")[: MAX_COMPARISON_CHOICES + 1]
    ]
    return None if len(choices) > MAX_COMPARISON_CHOICES else choices


MAX_OFFERING_EVENTS = 5

# What the offering page shows around its kept parts: its title and description,
# its breadcrumb and whether it is published. On PostgreSQL, reading the offering
# joined to its five tables with all their columns took half the page's time, most
# of it planning the join; the kept parts read it whole, only when they are built.
OFFERING_PAGE_COLUMNS = (
    "route",
    "is_published",
    "certification__title",
    "certification__slug",
    "organisation__name",
    "organisation__is_published",
    "commune__name",
)


@login_not_required
@require_safe
def offering_detail(request, pk):
    offering = fragments.shown_object(
        request,
        Offering.objects.select_related(
            "certification", "organisation", "commune"
        ).only(*OFFERING_PAGE_COLUMNS),
        pk=pk,
    )

    def build_parts():
        whole = Offering.objects.select_related(
            "certification", "organisation", "site", "commune__departement"
        ).get(pk=offering.pk)
        return _offering_page_parts(whole)

    key = f"offering-page.{offering.pk}"
    parts = fragments.kept_many(request, {key: build_parts})[key]
    return render(
        request,
        "trainings/offering_detail.html",
        {
            "offering": offering,
            "parts": parts,
            "can_edit": can_edit_offering(request.user, offering),
        },
    )


def _offering_page_parts(offering):
    """The offering page's partials besides the visitor's edit links, and when they
    change with time alone: when a listed event ends, as on an organisation's page.
    The page is shown only to who may see the offering."""
    # Joined: the ordering joins these tables already, and the list shows their names.
    others = (
        Offering.objects.published()
        .select_related("organisation", "commune")
        .filter(certification=offering.certification)
        .exclude(pk=offering.pk)
        .order_by("commune__name", "organisation__name", "pk")[:10]
    )
    context = {
        "offering": offering,
        "others": others,
        "guide": offering.application_guide,
        "outcome": InsertionOutcome.objects.for_offering(offering).first(),
        "skill_blocks": offering.skill_blocks.order_by("order", "pk"),
        # The agenda's events opening this training: open days first of all.
        "events": list(
            offering.events.published()
            .upcoming()
            .select_related("organisation", "commune")
            .order_by("starts_at", "pk")[:MAX_OFFERING_EVENTS]
        ),
    }
    parts = {
        name: render_to_string(f"trainings/offering_detail.html#{name}", context)
        for name in ("main", "rest")
    }
    ends = min((event.ends_at for event in context["events"]), default=None)
    return parts, lambda: ends


def _map_frame(request, data_query: str) -> dict:
    """What the map itself reads, outside its list of results."""
    campus = CampusProfile.for_request(request)
    return {
        "data_url": reverse("trainings:map_data")
        + (f"?{data_query}" if data_query else ""),
        "base_layer_url": layer_url(campus.region.code if campus.region else None),
        "map_tiles_url": settings.CAMPUS_MAP_TILES_URL,
        "map_tiles_attribution": settings.CAMPUS_MAP_TILES_ATTRIBUTION,
    }


def _map_context(request, offering_filter, valid, results) -> dict:
    page = CappedPaginator(results, MAP_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    data_query = query_in_use(request, "page", "tri")
    campus = CampusProfile.for_request(request)
    return {
        **_map_frame(request, data_query),
        "filter": offering_filter,
        "page": page,
        "query_string": query_in_use(request, "page"),
        "catalogue_query": data_query,
        "sort_links": _sort_links(request, offering_filter, valid),
        "radius_km": offering_filter.radius_km if valid else None,
        "embed": embed_panel(
            request,
            "trainings:map_embed",
            title=f"Carte des formations — {campus.short_name or campus.name}",
            height=480,
            without=("tri",),
        ),
        "search_centre": _search_centre(offering_filter, valid),
    }


def _search_centre(offering_filter, valid) -> Commune | None:
    """The commune the search counts distances from, when it has coordinates."""
    if not (valid and offering_filter.radius_km):
        return None
    commune = offering_filter.form.cleaned_data["commune"]
    return commune if commune.latitude is not None else None


@login_not_required
@require_safe
def offering_map(request):
    if response := _modernised_redirect(request):
        return response
    offering_filter, valid = _offering_filter(request, Offering.objects.published())

    def results_context():
        return _map_context(
            request, offering_filter, valid, _listed(offering_filter, valid)
        )

    return list_page(
        request,
        "trainings/map.html",
        {
            "filter": offering_filter,
            **_map_frame(request, query_in_use(request, "page", "tri")),
        },
        results_context,
        status=200 if valid else 400,
    )


# Partners show the map in an iframe on their own sites, whatever their address.
@embeddable
@require_safe
def map_embed(request):
    offering_filter, valid, results = _search(request, Offering.objects.published())
    data_query = query_in_use(request, "page", "tri")
    campus = CampusProfile.for_request(request)
    context = {
        **_map_frame(request, data_query),
        "filter": offering_filter,
        "title": f"Carte des formations — {campus.short_name or campus.name}",
        # The widget says how many trainings its map shows: a count, and no rows.
        "paginator": CappedPaginator(results, MAP_LIST_PAGE_SIZE),
        "catalogue_query": data_query,
    }
    return render(
        request, "trainings/map_embed.html", context, status=200 if valid else 400
    )


@login_not_required
@require_safe
def map_data(request):
    """GeoJSON of the places teaching the published offerings that match the filters."""
    offering_filter, valid, results = _search(request, Offering.objects.published())
    if not valid:
        errors = {
            name: [str(message) for message in field_errors]
            for name, field_errors in offering_filter.form.errors.items()
        }
        first = next(iter(errors.values()))[0]
        return JsonResponse(
            {"erreur": f"Filtres invalides : {first}", "champs": errors}, status=400
        )
    return JsonResponse(offerings_map(results, cap=MAP_MAX_OFFERINGS))


# A new outline comes only with a new release: browsers may keep this one a day.
@login_not_required
@require_safe
@cache_control(max_age=86400, public=True)
def map_base_layer(request, region_code):
    """The outline of a région and its départements, for every map of the site."""
    if not layer_path(region_code).exists():
        raise Http404("Aucun fond de carte pour cette région.")
    return JsonResponse(region_layer(region_code))


@require_safe
def partner_offerings(request):
    offerings = (
        Offering.objects.editable_by(request.user)
        .select_related("certification", "organisation")
        .order_by("organisation__name", "certification__title", "pk")
    )
    return render(
        request,
        "trainings/partner_offerings.html",
        {
            "page": Paginator(offerings, 50).get_page(request.GET.get("page")),
            "can_create": Organisation.objects.editable_by(request.user).exists(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("trainings:partner_offerings")
def offering_create(request):
    form = OfferingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        offering = form.save()
        messages.success(
            request, f"La formation « {offering.certification} » est créée."
        )
        return redirect("trainings:partner_offerings")
    return render(
        request,
        "trainings/offering_form.html",
        {"form": form, "offering": None},
        status=400 if form.errors else 200,
    )


@require_safe
def offering_blocks_field(request):
    """The offering form's blocks for the certification just chosen: a logged-in
    partner's form asks for them; blocks are public, so nothing else is checked."""
    form = OfferingForm(
        instance=Offering(certification_id=row_id(request.GET.get("certification"))),
        user=request.user,
    )
    return render(
        request,
        "trainings/offering_form.html#skill-blocks",
        {"field": form["skill_blocks"]},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def offering_edit(request, pk):
    offering = get_object_or_404(Offering.objects.editable_by(request.user), pk=pk)
    form = OfferingForm(request.POST or None, instance=offering, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La formation est enregistrée.")
        return redirect("trainings:partner_offerings")
    if request.method == "POST":
        offering.refresh_from_db()
    return render(
        request,
        "trainings/offering_form.html",
        {"form": form, "offering": offering},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def offering_delete(request, pk):
    offering = get_object_or_404(
        Offering.objects.editable_by(request.user).select_related(
            "certification", "organisation"
        ),
        pk=pk,
    )
    return confirm_delete(
        request,
        offering,
        what=(
            f"la formation « {offering.certification.title} » "
            f"({offering.organisation.name})"
        ),
        consequence="La formation disparaîtra du catalogue et de la carte.",
        list_url=reverse("trainings:partner_offerings"),
        list_label="Formations",
        edit_url=reverse("trainings:offering_edit", args=[offering.pk]),
    )

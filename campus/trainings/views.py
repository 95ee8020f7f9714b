import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from campus.network.models import Organisation
from campus.profiles.models import CampusProfile
from campus.trainings.filters import OfferingFilter
from campus.trainings.forms import OfferingForm
from campus.trainings.models import Certification, Offering

CATALOGUE_PAGE_SIZE = 20
MAP_LIST_PAGE_SIZE = 50
MAP_MAX_OFFERINGS = 2000
BASE_LAYER = Path(__file__).parent / "data" / "bourgogne-franche-comte.geojson"
SORTABLE_COLUMNS = ["formation", "niveau", "etablissement", "commune", "distance"]


def _public_offerings():
    return Offering.objects.published().select_related(
        "certification", "organisation", "commune"
    )


def _search(request, queryset):
    offering_filter = OfferingFilter(request.GET, queryset=queryset)
    valid = offering_filter.is_valid()
    return offering_filter, valid, (offering_filter.qs if valid else queryset.none())


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _sort_links(request, offering_filter, valid) -> list[dict]:
    """Column headers of the list: a link that sorts by it, and its current state."""
    current = (offering_filter.form.cleaned_data.get("tri") if valid else "") or ""
    if not current:
        current = "distance" if offering_filter.radius_km else "formation"
    links = []
    for column in SORTABLE_COLUMNS:
        if column == "distance" and not (valid and offering_filter.radius_km):
            continue
        query = request.GET.copy()
        query.pop("page", None)
        query["tri"] = f"-{column}" if current == column else column
        state = {column: "ascending", f"-{column}": "descending"}.get(current, "none")
        links.append({"column": column, "url": f"?{query.urlencode()}", "state": state})
    return links


@login_not_required
@require_GET
def catalogue(request):
    offering_filter, valid, results = _search(request, _public_offerings())
    page = Paginator(results, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "trainings/catalogue.html#results"
        if request.htmx
        else "trainings/catalogue.html"
    )
    context = {
        "filter": offering_filter,
        "page": page,
        "query_string": _query_without(request, "page"),
        "map_query": _query_without(request, "page", "tri"),
        "radius_km": offering_filter.radius_km if valid else None,
    }
    return render(request, template, context, status=200 if valid else 400)


@login_not_required
@require_GET
def certification_detail(request, slug):
    certification = get_object_or_404(Certification, slug=slug)
    offerings = (
        _public_offerings()
        .filter(certification=certification)
        .order_by("commune__name", "organisation__name", "pk")
    )
    return render(
        request,
        "trainings/certification_detail.html",
        {
            "certification": certification,
            "offerings": offerings,
            "skill_blocks": certification.skill_blocks.all(),
        },
    )


@login_not_required
@require_GET
def offering_detail(request, pk):
    offering = get_object_or_404(
        Offering.objects.visible_to(request.user).select_related(
            "certification", "organisation", "site", "commune__departement"
        ),
        pk=pk,
    )
    others = (
        _public_offerings()
        .filter(certification=offering.certification)
        .exclude(pk=offering.pk)
        .order_by("commune__name", "organisation__name", "pk")[:10]
    )
    return render(
        request,
        "trainings/offering_detail.html",
        {
            "offering": offering,
            "others": others,
            "can_edit": Offering.objects.editable_by(request.user)
            .filter(pk=offering.pk)
            .exists(),
        },
    )


def _base_layer() -> dict:
    with BASE_LAYER.open(encoding="utf-8") as stream:
        return json.load(stream)


def _map_context(request, offering_filter, valid, results) -> dict:
    page = Paginator(results, MAP_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    data_query = _query_without(request, "page", "tri")
    campus = CampusProfile.load()
    embed_url = request.build_absolute_uri(
        reverse("trainings:map_embed") + (f"?{data_query}" if data_query else "")
    )
    return {
        "filter": offering_filter,
        "page": page,
        "query_string": _query_without(request, "page"),
        "catalogue_query": data_query,
        "data_url": reverse("trainings:map_data")
        + (f"?{data_query}" if data_query else ""),
        "base_layer": _base_layer(),
        "sort_links": _sort_links(request, offering_filter, valid),
        "radius_km": offering_filter.radius_km if valid else None,
        "embed_url": embed_url,
        "embed_title": f"Carte des formations — {campus.short_name or campus.name}",
    }


@login_not_required
@require_GET
def offering_map(request):
    offering_filter, valid, results = _search(request, _public_offerings())
    context = _map_context(request, offering_filter, valid, results)
    template = "trainings/map.html#results" if request.htmx else "trainings/map.html"
    return render(request, template, context, status=200 if valid else 400)


@login_not_required
@xframe_options_exempt
@require_GET
def map_embed(request):
    offering_filter, valid, results = _search(request, _public_offerings())
    context = _map_context(request, offering_filter, valid, results)
    return render(
        request, "trainings/map_embed.html", context, status=200 if valid else 400
    )


@login_not_required
@require_GET
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
    located = results.filter(latitude__isnull=False).order_by("organisation_id", "pk")
    rows = located.values_list(
        "pk",
        "certification__title",
        "route",
        "organisation_id",
        "organisation__name",
        "organisation__slug",
        "commune__name",
        "latitude",
        "longitude",
    )[:MAP_MAX_OFFERINGS]
    routes = dict(Offering._meta.get_field("route").choices)
    places: dict[tuple, dict] = {}
    for pk, title, route, org_id, org_name, org_slug, commune, lat, lon in rows:
        place = places.setdefault(
            (org_id, lat, lon),
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "organisation": org_name,
                    "url": reverse(
                        "network:organisation_detail", kwargs={"slug": org_slug}
                    ),
                    "commune": commune or "",
                    "offerings": [],
                },
            },
        )
        place["properties"]["offerings"].append(
            {
                "title": title,
                "route": routes[route],
                "url": reverse("trainings:offering_detail", kwargs={"pk": pk}),
            }
        )
    total = located.count()
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": list(places.values()),
            "total": total,
            "truncated": total > MAP_MAX_OFFERINGS,
        }
    )


@require_GET
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


@require_http_methods(["GET", "POST"])
def create_offering(request):
    if not Organisation.objects.editable_by(request.user).exists():
        raise Http404("Aucune organisation que vous pouvez modifier.")
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


@require_http_methods(["GET", "POST"])
def edit_offering(request, pk):
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


@require_http_methods(["GET", "POST"])
def delete_offering(request, pk):
    offering = get_object_or_404(
        Offering.objects.editable_by(request.user).select_related(
            "certification", "organisation"
        ),
        pk=pk,
    )
    if request.method == "POST":
        offering.delete()
        messages.success(
            request, f"La formation « {offering.certification} » est supprimée."
        )
        return redirect("trainings:partner_offerings")
    return render(request, "trainings/offering_delete.html", {"offering": offering})

import io

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from openpyxl import Workbook

from campus.deletion import confirm_delete
from campus.needs import services
from campus.needs.forms import GapFilterForm, RecruitmentNeedForm, SkillsNeedForm
from campus.needs.gaps import (
    add_organisation_names,
    cached_gap_table,
    counts_around,
    gap_map,
    summarise,
)
from campus.needs.models import Need, NeedKind
from campus.needs.permissions import can_edit_need, need_policy
from campus.needs.trades import rome_labels
from campus.network.models import Organisation
from campus.permissions import campus_team_required, organisation_editor_required
from campus.profiles.models import CampusProfile
from campus.search import wants_results_only
from campus.spreadsheets import XLSX_CONTENT_TYPE, neutralise
from campus.trainings.base_layer import region_layer

GAP_PAGE_SIZE = 50
FORMS = {NeedKind.RECRUITMENT: RecruitmentNeedForm, NeedKind.SKILLS: SkillsNeedForm}


# Partner space


@require_safe
def partner_needs(request):
    """The needs of the user's organisations, whatever their status; an editor
    changes them, a viewer reads them. No other organisation's need is listed."""
    needs = (
        need_policy.of_members(Need.objects.all(), request.user)
        .select_related("organisation", "commune")
        .order_by("-created_at", "-pk")
    )
    needs = list(needs)
    labels = rome_labels()
    around = counts_around(needs)
    return render(
        request,
        "needs/partner_needs.html",
        {
            "needs": [
                (
                    need,
                    labels.get(need.rome_code, need.rome_code),
                    can_edit_need(request.user, need),
                    around.get(need.gap_key),
                )
                for need in needs
            ],
            "has_organisations": Organisation.objects.editable_by(
                request.user
            ).exists(),
        },
    )


def _need_form_view(request, need):
    form_class = FORMS[need.kind]
    form = form_class(request.POST or None, instance=need, user=request.user)
    if request.method == "POST" and form.is_valid():
        is_new = need.pk is None
        services.save_need(
            form.save(commit=False),
            acting_user=request.user,
            skill_blocks=form.cleaned_data.get("skill_blocks"),
        )
        messages.success(
            request,
            "Le besoin est déclaré à l'équipe du campus."
            if is_new
            else "Le besoin est mis à jour.",
        )
        return redirect("needs:partner_needs")
    return render(
        request,
        "needs/need_form.html",
        {"form": form, "need": need},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("needs:partner_needs")
def recruitment_need_create(request):
    """An editor declares people to recruit for one of their organisations."""
    return _need_form_view(request, Need(kind=NeedKind.RECRUITMENT))


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("needs:partner_needs")
def skills_need_create(request):
    """An editor declares skills their organisation's employees should gain."""
    return _need_form_view(request, Need(kind=NeedKind.SKILLS))


def _editable(request, pk):
    """A need of an organisation the user edits; any other is a 404."""
    return get_object_or_404(Need.objects.editable_by(request.user), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
def need_edit(request, pk):
    """An editor reviews their organisation's need: changes it, its status included."""
    return _need_form_view(request, _editable(request, pk))


@require_POST
def need_confirm(request, pk):
    """An editor says the need still stands: reviewed today, no reminder for six months."""
    need = services.confirm_need(_editable(request, pk), acting_user=request.user)
    messages.success(request, f"Le besoin « {need.appellation} » est confirmé.")
    return redirect("needs:partner_needs")


@require_http_methods(["GET", "HEAD", "POST"])
def need_delete(request, pk):
    """An editor deletes their organisation's need."""
    need = _editable(request, pk)
    return confirm_delete(
        request,
        need,
        what=f"le besoin « {need.appellation} »",
        consequence="Le besoin disparaîtra du tableau des écarts de l'équipe du campus.",
        list_url=reverse("needs:partner_needs"),
        list_label="Besoins",
        edit_url=reverse("needs:need_edit", args=[need.pk]),
    )


# Back-office


def _gap_form(request):
    form = GapFilterForm(
        request.GET,
        departements=CampusProfile.for_request(request).served_departements(),
    )
    filters = form.filters() if form.is_valid() else None
    return form, filters


def _render_gap(request, form, filters):
    rows, summary = cached_gap_table(filters) if filters else ([], summarise([]))
    page = Paginator(rows, GAP_PAGE_SIZE).get_page(request.GET.get("page"))
    add_organisation_names(page.object_list)
    labels = rome_labels()
    for row in page.object_list:
        row.rome_label = labels.get(row.rome_code, row.rome_code)
    query = request.GET.copy()
    query.pop("page", None)
    campus = CampusProfile.for_request(request)
    template = "needs/gap_view.html"
    if wants_results_only(request):
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "summary": summary,
            "count": len(rows),
            "query_string": query.urlencode(),
            "export_url": f"{reverse('needs:gap_export')}?{query.urlencode()}",
            "data_url": f"{reverse('needs:gap_map_data')}?{query.urlencode()}",
            "base_layer": region_layer(campus.region.code if campus.region else None),
            "map_tiles_url": settings.CAMPUS_MAP_TILES_URL,
            "map_tiles_attribution": settings.CAMPUS_MAP_TILES_ATTRIBUTION,
        },
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_safe
def gap_view(request):
    """The team sets the open needs against the catalogue's offerings, by trade,
    level, département and route, with the names of the organisations."""
    form, filters = _gap_form(request)
    return _render_gap(request, form, filters)


@campus_team_required
@require_safe
def gap_map_data(request):
    """The gap table, with the same filters, as GeoJSON for the map: the rows the
    table reads from the cache, grouped by département and kind of gap."""
    form, filters = _gap_form(request)
    if filters is None:
        errors = {
            name: [str(message) for message in field_errors]
            for name, field_errors in form.errors.items()
        }
        first = next(iter(errors.values()))[0]
        return JsonResponse(
            {"erreur": f"Filtres invalides : {first}", "champs": errors}, status=400
        )
    rows, _summary = cached_gap_table(filters)
    return JsonResponse(gap_map(rows, rome_labels()))


EXPORT_HEADERS = [
    "Code ROME",
    "Métier",
    "Niveau",
    "Département",
    "Voie",
    "Besoins",
    "Personnes",
    "Offres de formation",
    "Places",
    "Écart",
    "Organisations",
]


@campus_team_required
@require_safe
def gap_export(request):
    """The gap table, with the same filters, as an XLSX workbook."""
    form, filters = _gap_form(request)
    if filters is None:
        return _render_gap(request, form, filters)
    rows = list(cached_gap_table(filters)[0])
    add_organisation_names(rows)
    labels = rome_labels()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Écarts")
    sheet.append(EXPORT_HEADERS)
    for row in rows:
        sheet.append(
            [
                neutralise(value)
                for value in (
                    row.rome_code,
                    labels.get(row.rome_code, row.rome_code),
                    row.level_label,
                    row.departement_code,
                    row.route_label,
                    row.needs,
                    row.people,
                    row.offerings,
                    row.places,
                    row.gap_label,
                    ", ".join(row.organisations),
                )
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="ecarts-besoins-formations-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    return response

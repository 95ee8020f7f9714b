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
from campus.needs.filters import ProjectFilter
from campus.needs.forms import (
    GapFilterForm,
    LinkOfferingForm,
    ProjectForm,
    RecruitmentNeedForm,
    SkillsNeedForm,
    StepForm,
)
from campus.needs.gaps import (
    add_organisation_names,
    cached_gap_table,
    counts_around,
    gap_map,
    summarise,
)
from campus.needs.models import (
    ACTIVE_STATUSES,
    Need,
    NeedKind,
    ProjectStep,
    Step,
    TrainingProject,
)
from campus.needs.permissions import can_edit_need, need_policy
from campus.needs.trades import rome_labels
from campus.network.models import Organisation
from campus.permissions import campus_team_required, organisation_editor_required
from campus.profiles.models import CampusProfile
from campus.search import query_in_use, wants_results_only
from campus.spreadsheets import XLSX_CONTENT_TYPE, neutralise
from campus.trainings.base_layer import layer_url
from campus.trainings.views import CappedPaginator

GAP_PAGE_SIZE = 50
PROJECT_PAGE_SIZE = 30
# Opening a project lists the needs of one row of the gap table, at most this many.
PROJECT_NEEDS_LIMIT = 200
HISTORY_LIMIT = 30
# Fields every change touches, or that only the system sets: no news for a reader.
IGNORED_IN_HISTORY = {"updated_at", "reviewed_at", "departement_code", "route"}
FORMS = {NeedKind.RECRUITMENT: RecruitmentNeedForm, NeedKind.SKILLS: SkillsNeedForm}


# Partner space


@require_safe
def partner_needs(request):
    """The needs of the user's organisations, whatever their status; an editor
    changes them, a viewer reads them. No other organisation's need is listed."""
    needs = (
        need_policy.of_members(Need.objects.all(), request.user)
        .select_related("organisation", "commune")
        .prefetch_related("training_projects")
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
            "base_layer_url": layer_url(campus.region.code if campus.region else None),
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


# Training projects (team only)


def _project_needs(request):
    """The active needs a new project may cover: those of the gap table's row named
    in the address (métier, niveau, département, voie)."""
    form, filters = _gap_form(request)
    if not filters or not filters.rome_code:
        return form, Need.objects.none(), False
    needs = Need.objects.filter(status__in=ACTIVE_STATUSES, rome_code=filters.rome_code)
    if filters.level:
        needs = needs.filter(level=filters.level)
    if filters.departement_code:
        needs = needs.filter(departement_code=filters.departement_code)
    if filters.route:
        needs = needs.filter(route=filters.route)
    needs = needs.select_related("organisation", "commune").order_by(
        "organisation__name", "pk"
    )
    return form, needs, True


@campus_team_required
@require_safe
def project_list(request):
    """The team's training projects, filtered by step, kind, département and year."""
    project_filter = ProjectFilter(
        request.GET,
        queryset=TrainingProject.objects.select_related(
            "certification", "lead_organisation", "offering"
        ).order_by("-created_at", "-pk"),
        departements=CampusProfile.for_request(request).served_departements(),
    )
    valid = project_filter.is_valid()
    results = project_filter.qs if valid else TrainingProject.objects.none()
    page = CappedPaginator(results, PROJECT_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "needs/project_list.html"
    if wants_results_only(request):
        template += "#results"
    return render(
        request,
        template,
        {
            "filter": project_filter,
            "page": page,
            "action": reverse("needs:project_list"),
            "query_string": query_in_use(request, "page"),
        },
        status=200 if valid else 400,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_create(request):
    """The team opens a project for needs of one row of the gap table."""
    gap_form, needs, row_chosen = _project_needs(request)
    if gap_form.errors:
        return _render_gap(request, gap_form, None)
    candidates = needs[:PROJECT_NEEDS_LIMIT]
    form = ProjectForm(
        request.POST or None,
        needs=needs.filter(pk__in=[need.pk for need in candidates]),
        initial={"needs": [need.pk for need in candidates]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        project = services.open_project(
            data["needs"],
            title=data["title"],
            kind=data["kind"],
            notes=data["notes"],
            acting_user=request.user,
        )
        messages.success(request, f"Le projet « {project.title} » est ouvert.")
        return redirect(project)
    return render(
        request,
        "needs/project_form.html",
        {"form": form, "row_chosen": row_chosen},
        status=400 if form.errors else 200,
    )


def _with_changes(records, model):
    """Adds to each history record, newest first, the names of the fields it
    changed against the record after it in the list (the oldest shown has none)."""
    for record, previous in zip(records, [*records[1:], None], strict=True):
        record.changed_fields = (
            [
                str(model._meta.get_field(change.field).verbose_name)
                for change in record.diff_against(previous).changes
                if change.field not in IGNORED_IN_HISTORY
            ]
            if previous and record.history_type == "~"
            else []
        )
    return records


def _history(project):
    """Who changed the project or its steps, and what, newest first."""
    records = [
        *_with_changes(
            list(
                project.history.select_related("history_user").order_by(
                    "-history_date", "-history_id"
                )[:HISTORY_LIMIT]
            ),
            TrainingProject,
        ),
        *_with_changes(
            list(
                ProjectStep.history.filter(project_id=project.pk)
                .select_related("history_user")
                .order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
            ),
            ProjectStep,
        ),
    ]
    records.sort(key=lambda record: record.history_date, reverse=True)
    return records[:HISTORY_LIMIT]


def _need_history(needs):
    """Each need's history, newest first, in one query for all of them."""
    by_need = {need.pk: [] for need in needs}
    for record in (
        Need.history.filter(id__in=by_need)
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")
    ):
        by_need[record.id].append(record)
    for need in needs:
        need.records = _with_changes(by_need[need.pk][:HISTORY_LIMIT], Need)
    return needs


def _project_page(
    request, project, *, step_form=None, link_form=None, status=200, recorded=None
):
    project = (
        TrainingProject.objects.select_related(
            "certification", "lead_organisation", "offering__organisation", "created_by"
        )
        .prefetch_related("partners")
        .get(pk=project.pk)
    )
    steps = {step.step: step for step in project.steps.select_related("recorded_by")}
    timeline = [(value, label, steps.get(value)) for value, label in Step.choices]
    needs = _need_history(
        list(project.needs.select_related("organisation", "commune").order_by("pk"))
    )
    template = "needs/project_detail.html"
    if request.htmx and request.method == "POST":
        template += "#progress"
    return render(
        request,
        template,
        {
            "project": project,
            "timeline": timeline,
            "needs": needs,
            "history": _history(project),
            "step_form": step_form or StepForm(next_step=project.next_step),
            "link_form": link_form or LinkOfferingForm(project=project),
            "recorded": recorded,
        },
        status=status,
    )


def _team_project(pk):
    return get_object_or_404(TrainingProject, pk=pk)


@campus_team_required
@require_safe
def project_detail(request, pk):
    """A project's steps as a timeline, the needs it covers, and its history."""
    return _project_page(request, _team_project(pk))


@campus_team_required
@require_POST
def project_step(request, pk):
    """Records the project's next step; with htmx, only the timeline is replaced."""
    project = _team_project(pk)
    form = StepForm(request.POST, next_step=project.next_step)
    if form.is_valid():
        data = form.cleaned_data
        try:
            step = services.record_step(
                project,
                data["step"],
                data["reached_on"],
                data["note"],
                certification=data["certification"],
                acting_user=request.user,
            )
        except services.ProjectRuleError as error:
            form.add_error(None, error.message)
        else:
            if request.htmx:
                return _project_page(request, project, recorded=step)
            messages.success(request, f"Étape notée : {step.get_step_display()}.")
            return redirect(project)
    return _project_page(request, project, step_form=form, status=400)


@campus_team_required
@require_POST
def project_link(request, pk):
    """The training has opened: the project points to its offering, its needs are met."""
    project = _team_project(pk)
    form = LinkOfferingForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.link_offering(
                project, form.cleaned_data["offering"], acting_user=request.user
            )
        except services.ProjectRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "La formation est reliée au projet ; les besoins couverts sont satisfaits.",
            )
            return redirect(project)
    return _project_page(request, project, link_form=form, status=400)


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_delete(request, pk):
    """The team deletes a project; its needs keep their status."""
    project = _team_project(pk)
    return confirm_delete(
        request,
        project,
        what=f"le projet « {project.title} »",
        consequence="Ses étapes sont supprimées ; les besoins qu'il couvrait gardent "
        "leur statut.",
        list_url=reverse("needs:project_list"),
        list_label="Projets de formation",
        edit_url=project.get_absolute_url(),
    )

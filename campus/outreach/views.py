from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import fragments
from campus.deletion import confirm_delete
from campus.network.models import Organisation
from campus.outreach import services
from campus.outreach.forms import (
    AssignmentForm,
    DiscoveryPlacementForm,
    InterventionRequestForm,
    OutcomeForm,
)
from campus.outreach.models import (
    OPEN_STATUSES,
    DiscoveryPlacement,
    InterventionRequest,
    RequestStatus,
    TeacherResource,
)
from campus.permissions import campus_team_required, organisation_editor_required
from campus.public_forms import limit_public_form
from campus.trades.models import Trade

QUEUE_PAGE_SIZE = 30


@login_not_required
@require_safe
def home(request):
    return render(
        request,
        "outreach/home.html",
        {"sections_html": fragments.kept(request, "outreach-home", _home_sections)},
    )


def _home_sections() -> str:
    """The placements and resources, the same for every visitor."""
    return render_to_string(
        "outreach/home.html#sections",
        {
            "placements": DiscoveryPlacement.objects.published()
            .select_related("organisation__commune")
            .prefetch_related("trades")
            .order_by("title", "pk"),
            "resources": TeacherResource.objects.published()
            .prefetch_related("trades")
            .order_by("kind", "title", "pk"),
        },
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_public_form("outreach:request", recipient_field="teacher_email")
def request_intervention(request):
    # A trade page links here with ?metier=<slug> to tick that trade.
    initial = {
        "trades": Trade.objects.published().filter(slug=request.GET.get("metier", ""))
    }
    form = InterventionRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.filled_by_robot:
        return redirect("outreach:request_sent")
    if request.method == "POST" and form.is_valid():
        services.submit_request(
            form.save(commit=False), trades=form.cleaned_data["trades"]
        )
        return redirect("outreach:request_sent")
    fields_html = fragments.rendered_form(
        request, "outreach/request_form.html#fields", form
    )
    return render(
        request,
        "outreach/request_form.html",
        {"form": form, "fields_html": fields_html},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_safe
def request_sent(request):
    return render(request, "outreach/request_sent.html")


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_request(request, token):
    """GET shows a button and POST confirms, so mail scanners opening the link change nothing."""
    intervention_request = get_object_or_404(InterventionRequest, token=token)
    error = None
    if request.method == "POST":
        try:
            services.confirm_request(intervention_request)
        except services.OutreachError as exc:
            error = str(exc)
        else:
            return render(request, "outreach/request_confirmed.html")
    elif not intervention_request.confirmation_is_open:
        error = "Ce lien de confirmation a expiré ou a déjà été utilisé."
    return render(
        request,
        "outreach/request_confirm.html",
        {"intervention_request": intervention_request, "error": error},
        status=400 if error else 200,
    )


@campus_team_required
@require_safe
def team_queue(request):
    requests = InterventionRequest.objects.visible_to(request.user)
    show = request.GET.get("statut", "open")
    listed = (
        requests.filter(status__in=OPEN_STATUSES)
        if show == "open"
        else requests.filter(status=RequestStatus.DONE)
        if show == "done"
        else requests
    )
    page = Paginator(
        listed.select_related("assigned_organisation").order_by("-created_at", "-pk"),
        QUEUE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/team_queue.html",
        {
            "page": page,
            "show": show,
            "query_string": f"statut={show}",
            "summary": services.outreach_summary(requests),
            "filters": [
                ("open", "À traiter"),
                ("done", "Réalisées"),
                ("all", "Toutes"),
            ],
        },
    )


def _render_team_request(request, item, *, assignment_form=None, outcome_form=None):
    assignment_form = assignment_form or AssignmentForm(
        initial={
            "organisation": item.assigned_organisation_id,
            "scheduled_for": item.scheduled_for,
            "team_notes": item.team_notes,
        }
    )
    outcome_form = outcome_form or OutcomeForm(
        initial={
            "held_on": item.held_on,
            "pupils_reached": item.pupils_reached or item.pupil_count,
            "artisans_involved": item.artisans_involved,
            "outcome": item.outcome,
        }
    )
    invalid = assignment_form.errors or outcome_form.errors
    return render(
        request,
        "outreach/team_request_detail.html",
        {
            "item": item,
            "trades": item.trades.order_by("name", "pk"),
            "assignment_form": assignment_form,
            "outcome_form": outcome_form,
        },
        status=400 if invalid else 200,
    )


def _team_request(request, pk):
    return get_object_or_404(
        InterventionRequest.objects.visible_to(request.user).select_related(
            "assigned_organisation"
        ),
        pk=pk,
    )


@campus_team_required
@require_safe
def team_request_detail(request, pk):
    return _render_team_request(request, _team_request(request, pk))


@campus_team_required
@require_POST
def assign(request, pk):
    item = _team_request(request, pk)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return _render_team_request(request, item, assignment_form=form)
    services.assign_request(
        item,
        organisation=form.cleaned_data["organisation"],
        scheduled_for=form.cleaned_data["scheduled_for"],
        team_notes=form.cleaned_data["team_notes"],
        acting_user=request.user,
    )
    messages.success(request, "La demande est confiée au partenaire.")
    return redirect("outreach:team_request_detail", pk=item.pk)


@campus_team_required
@require_POST
def record_outcome(request, pk):
    item = _team_request(request, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _render_team_request(request, item, outcome_form=form)
    services.record_outcome(item, **form.cleaned_data, acting_user=request.user)
    messages.success(request, "Le bilan de l'intervention est enregistré.")
    return redirect("outreach:team_request_detail", pk=item.pk)


@require_safe
def partner_requests(request):
    requests = (
        InterventionRequest.objects.visible_to(request.user)
        .filter(assigned_organisation__isnull=False)
        .select_related("assigned_organisation")
        .order_by("-created_at", "-pk")
    )
    if request.user.is_campus_team:
        requests = requests.filter(
            assigned_organisation__memberships__user=request.user
        )
    return render(request, "outreach/partner_requests.html", {"requests": requests})


@require_safe
def partner_request_detail(request, pk):
    item = get_object_or_404(
        InterventionRequest.objects.visible_to(request.user)
        .filter(assigned_organisation__isnull=False)
        .select_related("assigned_organisation"),
        pk=pk,
    )
    return render(
        request,
        "outreach/partner_request_detail.html",
        {"item": item, "trades": item.trades.order_by("name", "pk")},
    )


@require_safe
def partner_placements(request):
    return render(
        request,
        "outreach/partner_placements.html",
        {
            "placements": DiscoveryPlacement.objects.editable_by(request.user)
            .select_related("organisation")
            .order_by("organisation__name", "title", "pk"),
            "has_organisations": Organisation.objects.editable_by(
                request.user
            ).exists(),
        },
    )


def _placement_form_view(request, placement):
    form = DiscoveryPlacementForm(
        request.POST or None, instance=placement, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le stage de découverte est enregistré.")
        return redirect("outreach:partner_placements")
    return render(
        request,
        "outreach/placement_form.html",
        {"form": form, "placement": placement},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("outreach:partner_placements")
def placement_create(request):
    return _placement_form_view(request, DiscoveryPlacement())


@require_http_methods(["GET", "HEAD", "POST"])
def placement_edit(request, pk):
    placement = get_object_or_404(
        DiscoveryPlacement.objects.editable_by(request.user), pk=pk
    )
    return _placement_form_view(request, placement)


@require_http_methods(["GET", "HEAD", "POST"])
def placement_delete(request, pk):
    placement = get_object_or_404(
        DiscoveryPlacement.objects.editable_by(request.user), pk=pk
    )
    return confirm_delete(
        request,
        placement,
        what=f"le stage de découverte « {placement.title} »",
        consequence="Le stage disparaîtra de la page Découvrir.",
        list_url=reverse("outreach:partner_placements"),
        list_label="Stages de découverte",
        edit_url=reverse("outreach:placement_edit", args=[placement.pk]),
    )

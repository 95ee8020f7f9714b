"""Pages following up the selected projects.

- The campus team: every supported project (`/gestion/talents/laureats/`), and
  one project's grant, payments, milestones, reports and showcase.
- The laureate (the applicant, or a member of the organisation they applied
  for): their project's page, where they upload reports. Anyone else gets a 404.
- Everyone: the published projects whose laureates agreed to be named.

Reports are private files under `suivi/`, served only by `report_download`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import OuterRef, Subquery, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import fragments
from campus.permissions import campus_team_required
from campus.talent import followup
from campus.talent.followup_forms import (
    MilestoneForm,
    OpenProjectForm,
    PaymentForm,
    ProjectForm,
    ReportForm,
)
from campus.talent.models import Milestone, Payment, ProjectReport, SupportedProject

# Team


def _team_projects_page(request, open_form, status=200):
    projects = (
        SupportedProject.objects.select_related(
            "application__call", "application__organisation", "application__applicant"
        )
        # Subqueries: two joins in one query would count each payment once per
        # milestone.
        .annotate(
            paid=Subquery(
                Payment.objects.filter(project=OuterRef("pk"))
                .order_by()
                .values("project")
                .annotate(total=Sum("amount"))
                .values("total")
            ),
            next_due_on=Subquery(
                Milestone.objects.filter(project=OuterRef("pk"), done_on=None)
                .order_by("due_on")
                .values("due_on")[:1]
            ),
        )
        .order_by("application__call__title", "application__title", "pk")
    )
    return render(
        request,
        "talent/followup/team_projects.html",
        {"projects": projects, "open_form": open_form},
        status=status,
    )


@campus_team_required
@require_safe
def team_projects(request):
    """The team lists the supported projects of every call, with the amounts
    granted and paid and the next milestone."""
    return _team_projects_page(
        request,
        OpenProjectForm(initial={"application": request.GET.get("candidature")}),
    )


@campus_team_required
@require_POST
def team_project_open(request):
    """The team opens the follow-up of a selected application."""
    form = OpenProjectForm(request.POST)
    if form.is_valid():
        try:
            project, created = followup.open_supported_project(
                form.cleaned_data["application"],
                acting_user=request.user,
                amount_granted=form.cleaned_data["amount_granted"],
            )
        except followup.NotSelected as error:
            form.add_error("application", error.message)
        else:
            messages.success(
                request,
                f"Le suivi du projet « {project.application.title} » est ouvert."
                if created
                else f"Le projet « {project.application.title} » était déjà suivi.",
            )
            return redirect(project)
    return _team_projects_page(request, form, status=400)


def _team_project(pk):
    return get_object_or_404(
        SupportedProject.objects.select_related(
            "application__call", "application__organisation", "application__applicant"
        ),
        pk=pk,
    )


def _team_project_page(request, project, *, status=200, **forms):
    forms.setdefault("form", ProjectForm(instance=project))
    forms.setdefault("milestone_form", MilestoneForm())
    forms.setdefault("payment_form", PaymentForm())
    paid = followup.paid_total(project)
    return render(
        request,
        "talent/followup/team_project.html",
        {
            "project": project,
            "application": project.application,
            "paid": paid,
            "left": project.amount_granted - paid,
            "milestones": project.milestones.order_by("due_on", "pk"),
            "payments": project.payments.select_related("recorded_by").order_by(
                "paid_on", "pk"
            ),
            "reports": project.reports.select_related("uploaded_by").order_by(
                "uploaded_at", "pk"
            ),
            **forms,
        },
        status=status,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_project(request, pk):
    """The team reads a project and changes its amount, dates, status,
    publication and showcase."""
    project = _team_project(pk)
    if request.method != "POST":
        return _team_project_page(request, project)
    form = ProjectForm(request.POST, instance=project)
    if form.is_valid():
        try:
            followup.update_supported_project(
                form.save(commit=False),
                acting_user=request.user,
                showcase_items=form.cleaned_data.get("showcase_items"),
            )
        except followup.FollowupError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Le projet est mis à jour.")
            return redirect(project)
    # The page shows what is saved, not the refused values.
    project.refresh_from_db()
    return _team_project_page(request, project, form=form, status=400)


@campus_team_required
@require_POST
def team_milestone_add(request, pk):
    """The team adds a milestone to a project."""
    project = _team_project(pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        return _team_project_page(request, project, milestone_form=form, status=400)
    milestone = followup.add_milestone(
        project, acting_user=request.user, **form.cleaned_data
    )
    messages.success(request, f"L'étape « {milestone.title} » est ajoutée.")
    return redirect(project)


@campus_team_required
@require_POST
def team_milestone_done(request, pk, milestone_pk):
    """The team marks a milestone of the project reached, today."""
    project = _team_project(pk)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    followup.mark_milestone_done(milestone, acting_user=request.user)
    messages.success(request, f"L'étape « {milestone.title} » est atteinte.")
    return redirect(project)


@campus_team_required
@require_POST
def team_payment_add(request, pk):
    """The team records a payment; the payments never pass the amount granted."""
    project = _team_project(pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = followup.record_payment(
                project, acting_user=request.user, **form.cleaned_data
            )
        except followup.OverGrant as error:
            form.add_error("amount", error.message)
        else:
            messages.success(
                request, f"Le versement de {followup.euros(payment.amount)} est noté."
            )
            return redirect(project)
    return _team_project_page(request, project, payment_form=form, status=400)


# Laureate


def _followed_project(request, application_pk):
    """The project of the user's application or of their organisation's; any
    other is a 404."""
    return get_object_or_404(
        SupportedProject.objects.followed_by(request.user).select_related(
            "application__call", "application__organisation"
        ),
        application_id=application_pk,
    )


def _laureate_page(request, project, *, form=None, status=200):
    paid = followup.paid_total(project)
    return render(
        request,
        "talent/followup/laureate_project.html",
        {
            "project": project,
            "application": project.application,
            "paid": paid,
            "left": project.amount_granted - paid,
            "milestones": project.milestones.order_by("due_on", "pk"),
            "payments": project.payments.order_by("paid_on", "pk"),
            "reports": project.reports.order_by("uploaded_at", "pk"),
            "showcase_items": project.showcase_items.order_by("title", "pk"),
            "form": form or ReportForm(),
        },
        status=status,
    )


@require_safe
def laureate_project(request, application_pk):
    """The laureate follows their project: milestones, amounts, reports, showcase."""
    return _laureate_page(request, _followed_project(request, application_pk))


@require_POST
def laureate_report_upload(request, application_pk):
    """The laureate uploads an interim or final report; the team is told by e-mail."""
    project = _followed_project(request, application_pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _laureate_page(request, project, form=form, status=400)
    report = followup.upload_report(
        project,
        kind=form.cleaned_data["kind"],
        title=form.cleaned_data["title"],
        file=form.cleaned_data["file"],
        acting_user=request.user,
    )
    messages.success(
        request,
        f"Votre rapport « {report.title} » est déposé : l'équipe du campus est prévenue.",
    )
    return redirect(project.laureate_url())


@require_safe
def report_download(request, pk):
    """A report, for the laureate, the members of their organisation and the team."""
    reports = ProjectReport.objects.select_related("project")
    if not request.user.is_campus_team:
        reports = reports.filter(
            project__in=SupportedProject.objects.followed_by(request.user)
        )
    report = get_object_or_404(reports, pk=pk)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("Fichier introuvable.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Public


@login_not_required
@require_safe
def laureates(request):
    """The published projects whose laureates agreed to be named."""
    template = "talent/followup/laureates.html"

    def render_projects():
        context = {"projects": followup.published_projects()}
        return render_to_string(f"{template}#projects", context)

    return render(
        request,
        template,
        {"projects_html": fragments.kept(request, "laureates", render_projects)},
    )

"""The annual report's back-office pages: for the campus team only."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus.permissions import campus_team_required
from campus.reports import services
from campus.reports.forms import NarrativeForm, PeriodForm
from campus.reports.models import Narrative, Report, ReportVersion, VersionStatus
from campus.reports.outputs import display_table
from campus.reports.sections import SECTIONS, SECTIONS_BY_SLUG, Period, compute_section


@campus_team_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    """The reports already opened, and the form to open one for a period."""
    form = PeriodForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            report, created = services.open_report(
                start=form.cleaned_data["starts_on"],
                end=form.cleaned_data["ends_on"],
                acting_user=request.user,
            )
            if created:
                messages.success(request, f"Vous avez ouvert le {report}.")
            return redirect(report)
    reports = Report.objects.order_by("-starts_on", "-ends_on")
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "reports": reports},
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_safe
def report_detail(request, pk):
    report = get_object_or_404(Report, pk=pk)
    narratives = {
        n.section: n
        for n in report.narratives.select_related("updated_by").order_by("section")
    }
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "sections": [(s, narratives.get(s.slug)) for s in SECTIONS],
            "versions": report.versions.select_related("requested_by").order_by(
                "-number"
            ),
        },
    )


@campus_team_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, slug):
    """The team's text of one section, beside the section's figures of today."""
    report = get_object_or_404(Report, pk=pk)
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None:
        raise Http404("Cette section n'existe pas.")
    narrative = Narrative.objects.filter(report=report, section=slug).first()
    form = NarrativeForm(
        request.POST if request.method == "POST" else None, instance=narrative
    )
    if request.method == "POST" and form.is_valid():
        services.save_narrative(
            report, slug, form.cleaned_data["text"], acting_user=request.user
        )
        messages.success(request, f"Brouillon de « {section.title} » enregistré.")
        return redirect(report)
    history = (
        narrative.history.select_related("history_user").order_by("-history_date")[:20]
        if narrative
        else []
    )
    tables = [
        display_table(table)
        for table in compute_section(section, Period(report.starts_on, report.ends_on))
    ]
    return render(
        request,
        "reports/section_edit.html",
        {
            "report": report,
            "section": section,
            "form": form,
            "tables": tables,
            "history": history,
        },
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_POST
def version_create(request, pk):
    report = get_object_or_404(Report, pk=pk)
    version = services.request_version(report, acting_user=request.user)
    messages.success(
        request, f"La version {version.number} est demandée : elle se prépare."
    )
    return redirect(version)


@campus_team_required
@require_safe
def version_detail(request, pk, number):
    version = get_object_or_404(
        ReportVersion.objects.select_related("report", "requested_by"),
        report_id=pk,
        number=number,
    )
    template = "reports/version_detail.html"
    return render(
        request,
        f"{template}#status" if request.htmx else template,
        {"version": version, "report": version.report},
    )


@campus_team_required
@require_safe
def version_file(request, pk, number, kind):
    version = get_object_or_404(
        ReportVersion, report_id=pk, number=number, status=VersionStatus.DONE
    )
    file = version.pdf if kind == "pdf" else version.xlsx
    if not file:
        raise Http404("Ce fichier n'existe pas.")
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"rapport-activite-{version.report.period_label.replace(' ', '-')}"
        f"-v{version.number}.{kind}",
    )

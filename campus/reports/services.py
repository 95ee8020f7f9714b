"""The report's workflows: open a period, write a section's text, produce a version."""

import logging
from datetime import date
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from campus.opendata.models import ImportRun, ImportSource
from campus.reports.models import Narrative, Report, ReportVersion, VersionStatus
from campus.reports.sections import SECTIONS, SECTIONS_BY_SLUG, Period, compute_section
from campus.rules import RuleError

logger = logging.getLogger(__name__)

FIRST_YEAR = 2000
# A report is about a past or current period: a few years ahead at most.
YEARS_AHEAD = 1


class PeriodRefused(RuleError):
    status_code = 400
    title = "Période refusée"


class UnknownSection(RuleError):
    status_code = 404
    title = "Section inconnue"


class VersionInProgress(RuleError):
    title = "Version en cours"


def check_period(start: date, end: date) -> None:
    if end < start:
        raise PeriodRefused("La fin de la période doit suivre son début.")
    last_year = timezone.localdate().year + YEARS_AHEAD
    if start.year < FIRST_YEAR or end.year > last_year:
        raise PeriodRefused(
            f"La période doit se situer entre {FIRST_YEAR} et {last_year}."
        )


def open_report(*, start: date, end: date, acting_user) -> tuple[Report, bool]:
    """The report of this period, created if needed; and whether it was."""
    check_period(start, end)
    try:
        with transaction.atomic():
            return Report.objects.get_or_create(
                starts_on=start, ends_on=end, defaults={"created_by": acting_user}
            )
    except IntegrityError:
        return Report.objects.get(starts_on=start, ends_on=end), False


def save_narrative(
    report: Report, section: str, text: str, *, acting_user
) -> Narrative:
    """Saves the team's draft of a section; the history keeps who wrote what."""
    if section not in SECTIONS_BY_SLUG:
        raise UnknownSection("Cette section n'existe pas dans le rapport.")
    with transaction.atomic():
        narrative = Narrative.objects.select_for_update().filter(
            report=report, section=section
        ).first() or Narrative(report=report, section=section)
        narrative.text = text
        narrative.updated_by = acting_user
        narrative._history_user = acting_user
        narrative.save()
    return narrative


def request_version(report: Report, *, acting_user) -> ReportVersion:
    """Queues version n+1 of the report; one at a time per report."""
    from campus.reports.tasks import generate_version_task

    with transaction.atomic():
        Report.objects.select_for_update().get(pk=report.pk)
        if report.versions.exclude(
            status__in=[VersionStatus.DONE, VersionStatus.FAILED]
        ).exists():
            raise VersionInProgress(
                "Une version est déjà en cours de production : attendez qu'elle "
                "se termine."
            )
        number = (report.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = ReportVersion.objects.create(
            report=report, number=number, requested_by=acting_user
        )
        transaction.on_commit(partial(generate_version_task.enqueue, version.pk))
    return version


def import_dates() -> dict[str, str]:
    """Each source's last successful import, as the day's version records it."""
    labels = dict(ImportSource.choices)
    dates = {}
    for source in labels:
        run = ImportRun.objects.last_success([source])
        if run is not None and run.finished_at:
            dates[labels[source]] = run.finished_at.isoformat()
    return dates


def _set_progress(version: ReportVersion, done: int, total: int, step: str) -> None:
    version.progress = round(100 * done / total)
    version.step = step
    version.save(update_fields=["progress", "step", "status"])


def compute_content(report: Report, progress=None) -> dict:
    """The figures and texts of every section, as JSON, computed now."""
    period = Period(report.starts_on, report.ends_on)
    narratives = {
        n.section: n
        for n in report.narratives.select_related("updated_by").order_by("section")
    }
    sections = []
    for index, section in enumerate(SECTIONS):
        if progress:
            progress(index, f"Section « {section.title} »")
        narrative = narratives.get(section.slug)
        sections.append(
            {
                "slug": section.slug,
                "title": section.title,
                "criterion": section.criterion,
                "tables": compute_section(section, period),
                "narrative": {
                    "text": narrative.text,
                    "by": narrative.updated_by.get_full_name()
                    if narrative.updated_by
                    else "",
                    "at": narrative.updated_at.isoformat(),
                }
                if narrative and narrative.text.strip()
                else None,
            }
        )
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "title": str(report),
        "sections": sections,
    }


def generate_version(version: ReportVersion) -> ReportVersion:
    """Computes, renders and freezes one version; marks it failed on an error."""
    from campus.reports.outputs import render_pdf, render_xlsx

    steps = len(SECTIONS) + 2
    version.status = VersionStatus.RUNNING
    _set_progress(version, 0, steps, "Calcul des chiffres")
    try:
        content = compute_content(
            version.report,
            progress=lambda index, step: _set_progress(version, index, steps, step),
        )
        content["version"] = version.number
        content["generated_at"] = timezone.now().isoformat()
        content["generated_by"] = (
            version.requested_by.get_full_name() if version.requested_by else ""
        )
        version.content = content
        version.import_dates = import_dates()
        _set_progress(version, len(SECTIONS), steps, "Mise en page du PDF")
        pdf = render_pdf(version)
        _set_progress(version, len(SECTIONS) + 1, steps, "Classeur XLSX")
        xlsx = render_xlsx(version)
        stem = f"rapport-{version.report_id}-v{version.number}"
        with transaction.atomic():
            version.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
            version.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
            version.status = VersionStatus.DONE
            version.progress = 100
            version.step = ""
            version.finished_at = timezone.now()
            version.save()
    except Exception as error:
        logger.exception("Report version %s failed", version.pk)
        version.status = VersionStatus.FAILED
        version.error = f"{type(error).__name__} : {error}"
        version.finished_at = timezone.now()
        version.save(update_fields=["status", "error", "finished_at"])
    return version

"""The follow-up of a selected demo application: grant, payment, milestones, report.

Loading is idempotent: the project is the application's, milestones are matched
by title, the payment and the report are added once. The project is published on
the laureates' page only when the demo applicant agreed to be named.
"""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from campus.talent import followup
from campus.talent.models import (
    Application,
    Milestone,
    ProjectReport,
    ReportKind,
)
from campus.trades.models import ShowcaseItem

GRANT = Decimal("8000.00")
FIRST_PAYMENT = Decimal("4000.00")

# (title, days from today, reached)
MILESTONES = [
    ("Lancement du projet (démo)", -60, True),
    ("Prototype présenté à l'équipe (démo)", 5, False),
    ("Présentation finale au jury (démo)", 120, False),
]


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def load_demo_followup(application: Application):
    """Opens and fills the follow-up of `application`, a selected demo application."""
    project, _created = followup.open_supported_project(
        application, acting_user=None, amount_granted=GRANT
    )
    today = timezone.localdate()
    project.is_demo = True
    project.starts_on = project.starts_on or today - timedelta(days=60)
    project.ends_on = project.ends_on or today + timedelta(days=300)
    project.public_summary = project.public_summary or (
        "Un projet soutenu par le campus, **présenté pour la démonstration**."
    )
    project.is_public = application.publication_consent
    items = []
    if application.organisation_id:
        items = list(
            ShowcaseItem.objects.published()
            .filter(organisation_id=application.organisation_id)
            .order_by("pk")[:2]
        )
    followup.update_supported_project(project, acting_user=None, showcase_items=items)
    for title, days, reached in MILESTONES:
        due_on = today + timedelta(days=days)
        Milestone.objects.get_or_create(
            project=project,
            title=title,
            defaults={"due_on": due_on, "done_on": due_on if reached else None},
        )
    if not project.payments.exists():
        followup.record_payment(
            project,
            amount=FIRST_PAYMENT,
            paid_on=today - timedelta(days=50),
            note="Premier versement (démo)",
            acting_user=None,
        )
    if not project.reports.exists():
        report = ProjectReport(
            project=project,
            kind=ReportKind.INTERIM,
            title="Rapport d'étape (démo)",
            uploaded_by=application.applicant,
        )
        report.file.save(
            "rapport-etape-demo.pdf", ContentFile(_blank_pdf()), save=False
        )
        report.save()
    return project

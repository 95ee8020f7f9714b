"""Producing a version: the task, the PDF and XLSX read back, and the freeze."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from campus.network.models import PartnershipStatus
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.reports.models import ReportVersion, VersionStatus
from campus.reports.sections import SECTIONS
from campus.reports.services import generate_version, request_version, save_narrative
from campus.reports.tests.factories import ReportFactory
from campus.rules import RuleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def produced(activity, team_member, django_capture_on_commit_callbacks, run_tasks):
    """Version 1 of this year's report, produced by the task worker."""
    report = ReportFactory()
    save_narrative(
        report,
        "gouvernance",
        "Le comité de pilotage s'est réuni **trois fois**.",
        acting_user=team_member,
    )
    from django.utils import timezone

    ImportRun.objects.create(
        source=ImportSource.RNCP,
        file_name="rncp.zip",
        licence="Licence Ouverte 2.0",
        attribution="France compétences",
        status=ImportStatus.SUCCEEDED,
        finished_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = request_version(report, acting_user=team_member)
    run_tasks()
    version.refresh_from_db()
    return version


def pdf_text(version) -> tuple[PdfReader, str]:
    with version.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_task_produces_a_finished_version_with_both_files(produced):
    assert produced.status == VersionStatus.DONE, produced.error
    assert produced.progress == 100
    assert produced.pdf.name.endswith(".pdf")
    assert produced.xlsx.name.endswith(".xlsx")
    assert produced.import_dates == {
        "RNCP et RS (France compétences)": produced.import_dates[
            "RNCP et RS (France compétences)"
        ]
    }


def test_the_pdf_has_every_section_a_figure_a_text_and_page_numbers(produced):
    reader, text = pdf_text(produced)
    flat = " ".join(text.split())
    for section in SECTIONS:
        assert section.title in flat
    assert "Sommaire" in flat
    # Outreach in the whole région: 78 pupils; the narrative, its author.
    assert "Ensemble de la région 2 3 78" in flat
    assert "trois fois" in flat
    assert "Dominique Chargée" in flat
    pages = len(reader.pages)
    assert f"Page 2 sur {pages}" in flat
    assert "Aucune donnée" in flat
    assert reader.trailer["/Root"].get("/MarkInfo") is not None


def test_the_workbook_has_a_sheet_per_section_numbers_sources_and_licences(produced):
    with produced.xlsx.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert len(workbook.sheetnames) == 1 + len(SECTIONS)
    sheet = workbook[workbook.sheetnames[9]]  # Parcours de formation innovants
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["Ensemble de la région", 2, 3, 78] in rows
    values = [v for row in rows for v in row if isinstance(v, str)]
    assert any(v.startswith("Source : ") for v in values)
    assert any(v.startswith("Licence : ") for v in values)
    for name in workbook.sheetnames[1:]:
        texts = [c.value for row in workbook[name].iter_rows() for c in row]
        assert any(isinstance(t, str) and t.startswith("Licence") for t in texts) or (
            "aucune donnée" in texts
        )


def test_a_finished_version_does_not_change_when_data_change(produced, team_member):
    """New partners and a rewritten text change version 2, never version 1."""
    frozen = produced.content
    pdf_bytes = produced.pdf.open("rb").read()
    OrganisationFactory.create_batch(
        3,
        partnership_status=PartnershipStatus.PARTNER,
        partner_since=produced.report.starts_on,
    )
    save_narrative(
        produced.report, "gouvernance", "Texte réécrit.", acting_user=team_member
    )
    produced.refresh_from_db()
    assert produced.content == frozen
    assert produced.pdf.open("rb").read() == pdf_bytes
    second = generate_version(
        ReportVersion.objects.create(report=produced.report, number=2)
    )
    assert second.content != frozen
    assert "Texte réécrit." in str(second.content)
    assert "Texte réécrit." not in str(
        ReportVersion.objects.get(pk=produced.pk).content
    )


def test_only_one_version_is_produced_at_a_time(activity, team_member):
    report = ReportFactory()
    request_version(report, acting_user=team_member)
    with pytest.raises(RuleError, match="déjà en cours"):
        request_version(report, acting_user=team_member)
    assert report.versions.count() == 1


def test_a_failure_is_recorded_not_raised(activity, monkeypatch):
    def broken(version):
        raise OSError("disque plein")

    monkeypatch.setattr("campus.reports.outputs.render_pdf", broken)
    version = generate_version(
        ReportVersion.objects.create(report=ReportFactory(), number=1)
    )
    assert version.status == VersionStatus.FAILED
    assert "disque plein" in version.error
    assert not version.pdf

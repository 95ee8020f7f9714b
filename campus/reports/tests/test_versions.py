"""Producing a version: the task, the PDF and XLSX read back, and the freeze."""

import io
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from campus.network.models import PartnershipStatus
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.profiles.models import CampusProfile
from campus.reports.models import ReportVersion, VersionStatus
from campus.reports.sections import SECTIONS
from campus.reports.services import generate_version, request_version, save_narrative
from campus.reports.tests.factories import ReportFactory
from campus.rules import RuleError
from campus.testing.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def produced(activity, team_member, django_capture_on_commit_callbacks, run_tasks):
    """Version 1 of this year's report, produced by the task worker."""
    campus = CampusProfile.load()
    campus.logo.save("logo.png", ContentFile(image_bytes()), save=False)
    campus.logo_alt = "Logo du campus"
    campus.save()
    report = ReportFactory()
    save_narrative(
        report,
        "gouvernance",
        "Le comité de pilotage s'est réuni **trois fois**.",
        acting_user=team_member,
    )
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


def test_the_task_produces_a_pdf_with_every_section_a_figure_and_page_numbers(
    produced,
):
    """The task's PDF has its sections, a figure, the team's text, page numbers."""
    assert produced.status == VersionStatus.DONE, produced.error
    assert produced.progress == 100
    assert produced.xlsx.name.endswith(".xlsx")
    assert list(produced.import_dates) == ["RNCP et RS (France compétences)"]
    reader, text = pdf_text(produced)
    assert len(reader.pages[0].images) == 1  # the campus's logo on the cover
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


@pytest.mark.skipif(
    not shutil.which("pdftoppm"), reason="Debian's poppler-utils (.ci/run installs it)"
)
def test_poppler_reads_the_pdf_as_text_and_draws_its_pages(produced, tmp_path):
    """A second reader, poppler (the one of most PDF viewers on Linux), finds the
    same text and draws the cover and the contents with ink on them."""
    with produced.pdf.open("rb") as handle:
        pdf = tmp_path / "rapport.pdf"
        pdf.write_bytes(handle.read())
    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert all(section.title in flat for section in SECTIONS)
    assert "Ensemble de la région 2 3 78" in flat
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", pdf, tmp_path / "page"],
        check=True,
    )
    for image in sorted(tmp_path.glob("page-*.png")):
        with Image.open(image) as page:
            darkest, _ = page.convert("L").getextrema()
            assert darkest < 100, image.name  # text, not a blank page


def row_width(row) -> int:
    values = [cell.value for cell in row]
    while values and values[-1] is None:
        values.pop()
    return len(values)


def test_the_workbook_has_a_sheet_per_section_numbers_sources_and_licences(produced):
    with produced.xlsx.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    assert len(workbook.sheetnames) == 1 + len(SECTIONS)
    sheet = workbook[workbook.sheetnames[9]]  # Parcours de formation innovants
    # The sheet is as wide as its widest table (the trainings opened, seven columns).
    rows = [[cell.value for cell in row][: row_width(row)] for row in sheet.iter_rows()]
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


def test_only_one_version_is_produced_at_a_time(team_member):
    report = ReportFactory()
    request_version(report, acting_user=team_member)
    with pytest.raises(RuleError, match="déjà en cours"):
        request_version(report, acting_user=team_member)
    assert report.versions.count() == 1


def test_a_failure_is_recorded_not_raised(db, monkeypatch):
    def broken(version):
        raise OSError("disque plein")

    monkeypatch.setattr("campus.reports.outputs.render_pdf", broken)
    version = generate_version(
        ReportVersion.objects.create(report=ReportFactory(), number=1)
    )
    assert version.status == VersionStatus.FAILED
    assert "disque plein" in version.error
    assert not version.pdf


def test_the_workbook_keeps_typed_formulas_as_text():
    """A text the team typed that starts like a formula stays text in the XLSX."""
    from campus.reports.outputs import render_xlsx

    version = ReportVersion(
        number=1,
        content={
            "title": '=HYPERLINK("http://exemple.invalid")',
            "generated_at": "2026-01-01T00:00:00+00:00",
            "sections": [
                {
                    "slug": "objectifs",
                    "title": "Objectifs stratégiques",
                    "criterion": "Les objectifs.",
                    "narrative": {"text": "=1+1", "by": "", "at": "2026-01-01"},
                    "tables": [],
                }
            ],
        },
        import_dates={},
    )
    workbook = load_workbook(io.BytesIO(render_xlsx(version)))
    assert workbook["Rapport"]["A1"].value.startswith("'=")
    sheet = workbook["1. Objectifs stratégiques"]
    assert sheet["A3"].value == "'=1+1"
    assert sheet["A4"].value == "aucune donnée"


def test_platform_usage_counts_the_approved_bookings_of_the_period():
    """Hours and bookings per equipment, for the approved bookings of the period's
    months only (a pending one and one of another year are left out)."""
    import datetime

    from campus.platforms.tests.factories import BookingFactory, EquipmentFactory
    from campus.reports.sections import Period, platform_usage

    paris = datetime.timezone(datetime.timedelta(hours=1))
    equipment = EquipmentFactory(name="Pareuse")

    def book(day, hours, **traits):
        start = datetime.datetime(2025, 3, day, 9, tzinfo=paris)
        return BookingFactory(
            equipment=equipment,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            **traits,
        )

    book(3, 3, approved=True)
    book(4, 2, approved=True)
    book(5, 4)
    table = platform_usage(
        Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    )
    assert table.rows == [["Pareuse", equipment.organisation.name, 5.0, 2]]
    other_year = platform_usage(
        Period(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    )
    assert other_year.rows == []

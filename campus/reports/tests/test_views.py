"""The report's pages: the team only, and refused input changes nothing."""

import datetime

import pytest
from django.core.files.base import ContentFile

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import OrganisationFactory
from campus.reports.models import Narrative, Report, ReportVersion, VersionStatus
from campus.reports.tests.factories import (
    NarrativeFactory,
    ReportFactory,
    ReportVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(db):
    version = ReportVersionFactory(status=VersionStatus.DONE, content={})
    version.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    version.xlsx.save("r.xlsx", ContentFile(b"PK test"), save=False)
    version.save()
    return version


def urls(version):
    pk, number = version.report_id, version.number
    return [
        ("get", "/gestion/rapport/"),
        ("get", f"/gestion/rapport/{pk}/"),
        ("get", f"/gestion/rapport/{pk}/sections/objectifs/"),
        ("post", f"/gestion/rapport/{pk}/sections/objectifs/"),
        ("post", f"/gestion/rapport/{pk}/versions/"),
        ("get", f"/gestion/rapport/{pk}/versions/{number}/"),
        ("get", f"/gestion/rapport/{pk}/versions/{number}/rapport.pdf"),
        ("get", f"/gestion/rapport/{pk}/versions/{number}/rapport.xlsx"),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, version):
    for method, url in urls(version):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/connexion/") or "login" in response.url, url
    assert ReportVersion.objects.count() == 1
    assert not Narrative.objects.exists()


def test_partners_get_a_404_everywhere(client, version):
    editor = UserFactory()
    OrganisationFactory(with_editor=True).memberships.update(user=editor)
    client.force_login(editor)
    for method, url in urls(version):
        response = getattr(client, method)(url, {"text": "Piraté"})
        assert response.status_code == 404, url
    assert ReportVersion.objects.count() == 1
    assert not Narrative.objects.exists()


def test_the_team_reads_every_page_and_downloads_the_files(
    client, version, team_member
):
    client.force_login(team_member)
    for method, url in urls(version):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 200, url
    pdf = client.get(version.get_absolute_url() + "rapport.pdf")
    assert pdf["Content-Disposition"].startswith("attachment")
    assert b"".join(pdf.streaming_content) == b"%PDF-1.7 test"


def test_unknown_ids_are_404(client, version, team_member):
    client.force_login(team_member)
    pk = version.report_id
    for url in [
        "/gestion/rapport/999999/",
        f"/gestion/rapport/{pk}/sections/inconnue/",
        f"/gestion/rapport/{pk}/versions/99/",
        f"/gestion/rapport/{pk}/versions/99/rapport.pdf",
    ]:
        assert client.get(url).status_code == 404, url
    running = ReportVersionFactory(report=version.report, status=VersionStatus.RUNNING)
    assert client.get(running.get_absolute_url() + "rapport.pdf").status_code == 404


def test_opening_a_year_creates_its_report_once(client, team_member):
    client.force_login(team_member)
    for _ in range(2):
        response = client.post("/gestion/rapport/", {"year": "2025"})
        assert response.status_code == 302
    report = Report.objects.get()
    assert (report.starts_on, report.ends_on) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    assert response.url == report.get_absolute_url()
    assert "Rapport d&#x27;activité 2025" in client.get(response.url).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_on": "2025-06-30", "ends_on": "2025-01-01"}, "doit suivre son début"),
        ({"year": "1850"}, "entre 2000 et"),
        ({"year": "99999999999"}, "Cette année n&#x27;existe pas"),
        ({"year": "deux mille"}, "nombre entier"),
        ({"starts_on": "2025-02-30", "ends_on": "2025-03-01"}, "date valide"),
        ({"starts_on": "2025-01-01"}, "le début et la fin"),
        ({}, "Indiquez une année"),
        (
            {"year": "2025", "starts_on": "2025-01-01", "ends_on": "2025-02-01"},
            "pas les deux",
        ),
        ({"year": "<script>alert(1)</script>"}, "nombre entier"),
    ],
)
def test_a_wrong_period_is_refused_in_french(client, team_member, data, message):
    client.force_login(team_member)
    response = client.post("/gestion/rapport/", data)
    assert response.status_code == 400
    assert message in response.text
    assert "<script>alert(1)" not in response.text
    assert not Report.objects.exists()


def test_a_narrative_is_saved_as_a_draft_with_its_author(client, team_member):
    report = ReportFactory()
    client.force_login(team_member)
    url = f"/gestion/rapport/{report.pk}/sections/gouvernance/"
    page = client.get(url)
    assert "Aucune donnée calculée" in page.text
    response = client.post(url, {"text": "Deux **comités** de pilotage."})
    assert response.status_code == 302
    narrative = Narrative.objects.get(report=report, section="gouvernance")
    assert narrative.updated_by == team_member
    client.post(url, {"text": "Trois comités."})
    records = list(narrative.history.order_by("history_date"))
    assert [r.text for r in records] == [
        "Deux **comités** de pilotage.",
        "Trois comités.",
    ]
    assert {r.history_user for r in records} == {team_member}
    page = client.get(url)
    assert "Historique du texte" in page.text
    assert team_member.full_name in page.text


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[clic](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "x" * 20_001,
    ],
)
def test_hostile_or_oversized_narratives_are_refused(client, team_member, text):
    narrative = NarrativeFactory(section="objectifs", text="Texte sûr.")
    client.force_login(team_member)
    response = client.post(
        f"/gestion/rapport/{narrative.report_id}/sections/objectifs/", {"text": text}
    )
    assert response.status_code == 400
    assert "erreur" in response.text
    assert "<script>alert" not in response.text
    narrative.refresh_from_db()
    assert narrative.text == "Texte sûr."
    assert narrative.history.count() == 1


def test_a_second_version_request_while_one_runs_is_refused(client, team_member):
    version = ReportVersionFactory(status=VersionStatus.RUNNING)
    client.force_login(team_member)
    response = client.post(f"/gestion/rapport/{version.report_id}/versions/")
    assert response.status_code == 409
    assert "déjà en cours" in response.text
    assert ReportVersion.objects.count() == 1


def test_the_version_page_polls_until_the_version_is_finished(
    client, team_member, version
):
    running = ReportVersionFactory(
        report=version.report,
        status=VersionStatus.RUNNING,
        progress=40,
        step="Identité",
    )
    client.force_login(team_member)
    fragment = client.get(running.get_absolute_url(), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.text
    assert "40 % : Identité" in fragment.text
    assert "<html" not in fragment.text
    done = client.get(version.get_absolute_url(), headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.text
    assert "Télécharger le rapport en PDF" in done.text

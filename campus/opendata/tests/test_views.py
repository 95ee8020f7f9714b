import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation
from campus.network.tests.factories import MembershipFactory
from campus.opendata.forms import ImportUploadForm
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.progress import ProgressTracker
from campus.opendata.services import create_run, run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile

STOCK = fixture_path("StockEtablissement_utf8.csv")
UPLOAD_URL = reverse("opendata:upload")
LIST_URL = reverse("opendata:run_list")


@pytest.fixture
def team_client(client, db):
    client.force_login(UserFactory(campus_team=True))
    return client


def csv_upload(content=None, name="StockEtablissement_utf8.csv"):
    return SimpleUploadedFile(
        name, STOCK.read_bytes() if content is None else content, "text/csv"
    )


def test_upload_queues_an_import_that_the_worker_runs(
    team_client, campus, run_tasks, django_capture_on_commit_callbacks
):
    """An uploaded file is stored, its run queued, and the worker imports it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            UPLOAD_URL, {"source": "sirene", "file": csv_upload()}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == run.get_absolute_url()
    assert run.status == ImportStatus.QUEUED
    assert run.uploaded_file.name.startswith("imports/")
    run_tasks()
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.licence) == (3, "Licence Ouverte 2.0")
    assert Organisation.objects.filter(source="INSEE, base Sirene").count() == 3
    page = team_client.get(run.get_absolute_url())
    assert "Bilan" in page.text and "hx-trigger" not in page.text


def test_uploaded_zip_archive_is_imported(
    team_client, campus, run_tasks, django_capture_on_commit_callbacks, tmp_path
):
    """The publisher's ZIP archive is accepted as it is, and its CSV imported."""
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.write(STOCK, "StockEtablissement_utf8.csv")
    upload = SimpleUploadedFile(archive.name, archive.read_bytes(), "application/zip")
    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(UPLOAD_URL, {"source": "sirene", "file": upload})
    run_tasks()
    run = ImportRun.objects.get()
    assert (run.status, run.created) == (ImportStatus.SUCCEEDED, 3), run.error


def test_uploaded_xml_download_is_imported(
    team_client, campus, run_tasks, django_capture_on_commit_callbacks
):
    """ONISEP's XML download goes through the back-office as the CSV does."""
    sector = SectorProfile.load()
    sector.keywords = "maroquinerie, cuir"
    sector.save()
    path = fixture_path("onisep-table-de-passage.xml")
    upload = SimpleUploadedFile(path.name, path.read_bytes(), "application/xml")
    with django_capture_on_commit_callbacks(execute=True):
        team_client.post(UPLOAD_URL, {"source": "onisep_passage", "file": upload})
    run_tasks()
    run = ImportRun.objects.get()
    assert (run.status, run.created, run.licence) == (
        ImportStatus.SUCCEEDED,
        5,
        "ODbL",
    ), run.error


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (csv_upload(b""), "fichier soumis est vide"),
        (
            csv_upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),
            "pas un fichier de données en texte UTF-8",
        ),
        (
            csv_upload(b"%PDF-1.7\n\xe2\xe3\xcf\xd3 obj"),
            "pas un fichier de données en texte UTF-8",
        ),
        (csv_upload(b"a,b\n", name="stock.zip"), "pas une archive ZIP"),
        (
            csv_upload(b"a,b\n", name="stock.xlsx"),
            "Déposez un fichier .csv, .xml ou .json",
        ),
        (
            csv_upload(b"PK\x03\x04\x14\x00\x00"),
            "pas un fichier de données en texte UTF-8",
        ),
    ],
)
def test_upload_rejects_empty_and_non_data_files(team_client, upload, message):
    """Empty files, images, PDFs and archives disguised as CSV, and fake ZIPs are refused."""
    response = team_client.post(UPLOAD_URL, {"source": "sirene", "file": upload})
    assert response.status_code == 400
    assert message in response.text
    assert ImportRun.objects.count() == 0


def test_upload_rejects_oversized_files(team_client, settings):
    """A file above the limit is stopped while uploading and refused with the limit stated."""
    settings.CAMPUS_MAX_IMPORT_BYTES = 100
    response = team_client.post(UPLOAD_URL, {"source": "sirene", "file": csv_upload()})
    assert response.status_code == 400
    assert "dépasse la taille maximale de 100\xa0octets" in response.text
    assert response.context["form"].too_large
    assert ImportRun.objects.count() == 0


def test_upload_rejects_an_unknown_source(team_client):
    """A source that Campus does not know is a form error, not a crash."""
    response = team_client.post(UPLOAD_URL, {"source": "onisep", "file": csv_upload()})
    assert response.status_code == 400
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("url", [LIST_URL, UPLOAD_URL])
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    """The imports pages ask anonymous visitors to log in."""
    response = client.get(url)
    assert response.status_code == 302 and "/connexion/" in response.url


def test_partners_do_not_see_the_imports(client, db):
    """A partner member gets a 404 on the imports, and cannot upload."""
    client.force_login(MembershipFactory().user)
    assert client.get(LIST_URL).status_code == 404
    response = client.post(UPLOAD_URL, {"source": "sirene", "file": csv_upload()})
    assert response.status_code == 404
    assert ImportRun.objects.count() == 0


def test_list_shows_runs_with_counts(team_client, campus, django_assert_num_queries):
    """The list shows each run's state and counts in a bounded number of queries."""
    for _ in range(3):
        run_import("sirene", STOCK)
    # Session, user, the campus profile and its links (kept in the process under the
    # content stamp, which a test's uncommitted writes leave unread), the runs.
    with django_assert_num_queries(5):
        response = team_client.get(LIST_URL)
    assert response.text.count("Terminé") == 3


def test_running_import_shows_live_progress(team_client, db):
    """While running, the page polls itself and shows the progress bar from the cache."""
    run = create_run("sirene", file_name="stock.csv")
    run.status = ImportStatus.RUNNING
    run.save()
    tracker = ProgressTracker(run.pk)
    tracker.set_total(4 * 1024 * 1024)
    tracker.done = 1024 * 1024
    tracker._publish(force=True)
    response = team_client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="run-status"')
    assert 'hx-trigger="every 1s"' in response.text
    assert '<progress id="run-progress" max="100" value="25">' in response.text
    assert "1,0\xa0Mio sur 4,0\xa0Mio" in response.text


def test_failed_import_page_names_line_and_column(team_client, campus, tmp_path):
    """A failed run's page says nothing changed, and where the file is wrong."""
    path = tmp_path / "bad.csv"
    path.write_text(
        STOCK.read_text().replace("800559.3", "huit-cent-mille", 1), encoding="utf-8"
    )
    run = run_import("sirene", path)
    response = team_client.get(run.get_absolute_url())
    assert "rien n'a été modifié" in response.text
    assert (
        "ligne 2, colonne « coordonneeLambertAbscisseEtablissement »" in response.text
    )


def test_organisation_page_shows_its_source(client, campus):
    """An imported company's page states its source and licence."""
    run_import("sirene", STOCK)
    organisation = Organisation.objects.get(siret="81234567800014")
    response = client.get(organisation.get_absolute_url())
    assert "Source : INSEE, base Sirene — Licence Ouverte 2.0" in response.text


def test_upload_still_checks_the_csrf_token(db):
    """The upload view checks the CSRF token itself, after setting the size limit."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(campus_team=True))
    response = client.post(UPLOAD_URL, {"source": "sirene", "file": csv_upload()})
    assert response.status_code == 403
    assert ImportRun.objects.count() == 0


def test_form_alone_rejects_oversized_files(settings):
    """Without the upload handler's early stop, the form still enforces the limit."""
    settings.CAMPUS_MAX_IMPORT_BYTES = 100
    form = ImportUploadForm({"source": "sirene"}, {"file": csv_upload()})
    assert form.errors == {
        "file": ["Le fichier dépasse la taille maximale de 100\xa0octets."]
    }


def test_running_import_without_news_points_to_the_worker(team_client, db):
    """A running import with no progress recorded says where to look."""
    run = create_run("urssaf", file_name="urssaf.csv")
    run.status = ImportStatus.RUNNING
    run.save()
    response = team_client.get(run.get_absolute_url())
    assert "Avancement inconnu" in response.text and "task_worker" in response.text


def test_htmx_fragment_is_the_status_section_of_the_full_page(team_client, campus):
    """The polled fragment is exactly the status section of a full reload."""
    run = run_import("sirene", STOCK)
    full = team_client.get(run.get_absolute_url()).text
    fragment = team_client.get(
        run.get_absolute_url(), headers={"HX-Request": "true"}
    ).text.strip()
    assert fragment.startswith('<section id="run-status"')
    assert fragment in full

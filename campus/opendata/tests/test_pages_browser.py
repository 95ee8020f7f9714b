"""The upload form and the run page, in real headless Chromium."""

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.opendata.models import ImportStatus
from campus.opendata.progress import ProgressTracker
from campus.opendata.services import create_run
from campus.opendata.tests.conftest import fixture_path
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_then_follow_the_import(local_page, live_server, campus, run_tasks):
    """The team uploads a Sirene file and the run page turns into the report by itself."""
    user = UserFactory(campus_team=True, email="equipe@campus.example")
    log_in(local_page, live_server, user.email, TEST_PASSWORD)
    local_page.goto(live_server.url + "/gestion/")
    local_page.get_by_role("link", name="Imports", exact=True).click()
    expect(local_page.get_by_role("heading", level=1)).to_have_text(
        "Imports de données ouvertes"
    )
    local_page.get_by_role("link", name="Importer un fichier").click()
    assert_accessible(local_page)
    local_page.get_by_role("button", name="Déposer et importer").click()
    expect(local_page.get_by_role("alert")).to_contain_text("erreur")
    assert_accessible(local_page)
    save_screenshot(local_page, "opendata-upload-errors")
    local_page.get_by_label("Jeu de données").select_option("sirene")
    local_page.get_by_label("Fichier (obligatoire)").set_input_files(
        fixture_path("StockEtablissement_utf8.csv")
    )
    local_page.get_by_role("button", name="Déposer et importer").click()
    expect(local_page.get_by_role("heading", level=1)).to_contain_text("Import n°")
    expect(local_page.locator("#run-status")).to_contain_text("En attente")
    assert_accessible(local_page)
    save_screenshot(local_page, "opendata-run-queued")
    run_tasks()
    expect(local_page.locator("#run-status")).to_contain_text("Terminé")
    expect(local_page.get_by_role("table").first).to_contain_text("Créés")
    local_page.get_by_text("Numéros des premières lignes ignorées").click()
    assert_accessible(local_page)
    save_screenshot(local_page, "opendata-run-report")
    local_page.get_by_role("link", name="Tous les imports").click()
    assert_accessible(local_page)
    save_screenshot(local_page, "opendata-run-list")


def test_running_import_shows_a_progress_bar(local_page, live_server, db):
    """A running import shows an accessible progress bar with its figures in text."""
    user = UserFactory(campus_team=True, email="equipe@campus.example")
    run = create_run("sirene", file_name="StockEtablissement_utf8.csv")
    run.status = ImportStatus.RUNNING
    run.save()
    tracker = ProgressTracker(run.pk)
    tracker.set_total(6_400_000_000)
    tracker.advance(2_600_000_000)
    tracker.set_total(6_400_000_000)
    log_in(local_page, live_server, user.email, TEST_PASSWORD)
    local_page.goto(live_server.url + run.get_absolute_url())
    expect(local_page.get_by_role("progressbar", name="Avancement")).to_have_attribute(
        "value", "41"
    )
    expect(local_page.locator("#run-status")).to_contain_text("41 % lu")
    assert_accessible(local_page)
    save_screenshot(local_page, "opendata-run-progress")

"""The report page in real headless Chromium: choose a year, produce, follow."""

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_team_opens_a_year_and_follows_its_first_version(
    local_page, live_server, activity, run_tasks
):
    """The version page turns from « En attente » to its downloads by itself."""
    page = local_page
    page.set_viewport_size({"width": 1366, "height": 900})
    user = UserFactory(campus_team=True, email="equipe@campus.example")
    log_in(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server.url + "/gestion/")
    page.get_by_role("link", name="Rapports d'activité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports d'activité")
    page.get_by_label("Année civile").fill("1999")
    page.get_by_role("button", name="Ouvrir le rapport").click()
    expect(page.get_by_role("alert")).to_contain_text("entre 2000 et")
    assert_accessible(page)
    page.get_by_label("Année civile").fill(str(activity))
    page.get_by_role("button", name="Ouvrir le rapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Rapport d'activité {activity}"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Produire la première version").click()
    expect(page.locator("#version-status")).to_contain_text("En attente")
    assert_accessible(page)
    run_tasks()
    expect(page.locator("#version-status")).to_contain_text("Terminée")
    expect(
        page.get_by_role("link", name="Télécharger le rapport en PDF")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "reports-version-done")
    page.get_by_role("link", name="Retour au rapport").click()
    page.get_by_role(
        "link", name="Périmètre des acteurs, des territoires et des certifications"
    ).click()
    page.get_by_label("Texte de la section").fill("<b>gras</b>")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("alert")).to_contain_text("HTML n'est pas accepté")
    expect(page.get_by_role("table").first).to_contain_text("Entreprise")
    assert_accessible(page)
    save_screenshot(page, "reports-section")

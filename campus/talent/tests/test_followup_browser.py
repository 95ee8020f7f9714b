"""The laureate's follow-up page in Chromium, on a phone: a refused then an
accepted report upload, with axe at each step."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfWriter

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.network.tests.factories import OrganisationFactory
from campus.talent import followup
from campus.talent.models import Decision, Milestone, ProjectReport
from campus.talent.tests.factories import ApplicationFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_laureate_uploads_a_report_on_a_phone(local_page, live_server, tmp_path):
    """A file that is not a PDF is refused in French; a real PDF is listed after."""
    laureate = UserFactory(email="laureate@atelier.fr")
    application = ApplicationFactory(
        submitted=True,
        applicant=laureate,
        organisation=OrganisationFactory(),
        decision=Decision.SELECTED,
        title="Atelier itinérant",
    )
    team = UserFactory(campus_team=True)
    project, _ = followup.open_supported_project(
        application, acting_user=team, amount_granted=Decimal("5000")
    )
    followup.record_payment(
        project,
        amount=Decimal("2000"),
        paid_on=timezone.localdate(),
        acting_user=team,
    )
    Milestone.objects.create(
        project=project,
        title="Prototype présenté",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    fake = tmp_path / "rapport.pdf"
    fake.write_bytes(b"%PDF-1.7 pas vraiment un PDF")
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    real = tmp_path / "rapport-final.pdf"
    real.write_bytes(buffer.getvalue())

    page = local_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, laureate.email, TEST_PASSWORD)
    page.goto(live_server.url + project.laureate_url())
    expect(page.get_by_role("heading", name="Prototype présenté")).to_be_visible()
    expect(page.get_by_text("3\xa0000,00 €")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rapport final").check()
    page.get_by_label("Titre").fill("Bilan du projet")
    page.get_by_label("Fichier (PDF ou image)").set_input_files(str(fake))
    page.get_by_role("button", name="Déposer le rapport").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce PDF est illisible")
    assert_accessible(page)
    save_screenshot(page, "talent-followup-report-error-mobile")
    assert not ProjectReport.objects.exists()
    page.get_by_label("Fichier (PDF ou image)").set_input_files(str(real))
    page.get_by_role("button", name="Déposer le rapport").click()
    expect(
        page.get_by_text("Votre rapport « Bilan du projet » est déposé")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Bilan du projet")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "talent-followup-laureate-mobile")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert ProjectReport.objects.get().kind == "final"

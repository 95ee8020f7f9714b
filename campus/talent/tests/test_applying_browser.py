from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.talent.models import Answer, Application
from campus.talent.tests.factories import CallFactory, QuestionFactory
from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_call_page_then_application_form_autosaves_a_draft_with_a_file(
    local_page, live_server
):
    """From the list to a call, « Candidater » opens the form; typed answers and an
    uploaded file are saved as a draft by themselves; the pages pass axe on a
    desktop and at 390 px."""
    call = CallFactory(
        title="Concours jeunes créateurs",
        slug="concours-jeunes-createurs",
        competition=True,
        description="Un concours **ouvert** aux apprentis.",
    )
    QuestionFactory(call=call, position=1, label="Présentez votre création")
    QuestionFactory(
        call=call, position=2, label="Planche de dessin", kind="file", max_length=None
    )
    UserFactory(email="apprentie@exemple.fr")
    page = local_page
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/talents/")
    expect(page.locator("#results-count")).to_contain_text("1 appel")
    assert_accessible(page)
    page.get_by_role("link", name="Concours jeunes créateurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Concours jeunes créateurs"
    )
    expect(page.get_by_text("Candidatures ouvertes jusqu'au")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "talent-call-desktop")
    page.get_by_role("link", name="Candidater").click()
    # Anonymous: the login page, then back to the call's « Candidater ».
    page.get_by_label("Adresse e-mail").fill("apprentie@exemple.fr")
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Commencer ma candidature").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma candidature")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Présentez votre création").fill("Un sac pliable en chutes.")
    page.get_by_label("Titre du projet").focus()
    expect(page.get_by_role("status")).to_contain_text("Brouillon enregistré à")
    application = Application.objects.get()
    assert application.answers.get().text == "Un sac pliable en chutes."
    page.locator("#draft-status").evaluate("status => { status.textContent = '' }")
    page.get_by_label("Planche de dessin").set_input_files(
        files=[
            {
                "name": "planche.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes(),
            }
        ]
    )
    expect(page.get_by_role("status")).to_contain_text("Brouillon enregistré à")
    file_answer = Answer.objects.get(question__label="Planche de dessin")
    assert file_answer.file.name.endswith("planche.pdf")
    page.get_by_role("button", name="Enregistrer et voir le récapitulatif").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("récapitulatif")
    expect(page.get_by_role("link", name="planche.pdf")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    save_screenshot(page, "talent-application-summary-mobile")

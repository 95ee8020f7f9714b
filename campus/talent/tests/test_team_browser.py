"""The questions editor in Chromium, with axe, on a wide and a narrow screen."""

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.talent.models import QuestionKind
from campus.talent.tests.factories import CallFactory, QuestionFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_adds_questions_in_the_editor(local_page, live_server):
    """The team fixes a one-choice list, then adds it; the page stays accessible at
    1366 and 390 pixels, without horizontal scroll at 320, and so do the call's
    dashboard, form and documents."""
    call = CallFactory(title="Prix de la jeune création")
    QuestionFactory(call=call, label="Votre projet", position=0)
    team = UserFactory(campus_team=True)
    page = local_page
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server, team.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/gestion/talents/")
    page.get_by_role("link", name="Prix de la jeune création").click()
    page.get_by_role("link", name="Questions").click()
    assert_accessible(page)
    save_screenshot(page, "talent-team-questions-desktop")

    new = page.get_by_role("group", name="Nouvelle question")
    expect(new.get_by_label("Choix possibles")).to_be_hidden()
    new.get_by_label("Question (obligatoire)").fill("Votre matière principale")
    new.get_by_label("Type de réponse (obligatoire)").select_option(QuestionKind.CHOICE)
    expect(new.get_by_label("Valeur minimale")).to_be_hidden()
    new.get_by_label("Choix possibles").fill("Bois")
    page.get_by_role("button", name="Enregistrer les questions").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Indiquez au moins deux choix, un par ligne."
    )
    assert_accessible(page)
    save_screenshot(page, "talent-team-questions-errors-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    new = page.get_by_role("group", name="Nouvelle question")
    new.get_by_label("Choix possibles").fill("Bois\nMétal\nTextile")
    page.get_by_role("button", name="Enregistrer les questions").click()
    expect(page.get_by_text("Les questions sont enregistrées.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Question 2 : Votre matière principale")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "talent-team-questions-mobile")
    assert call.questions.get(kind=QuestionKind.CHOICE).choice_list() == [
        "Bois",
        "Métal",
        "Textile",
    ]
    page.set_viewport_size({"width": 320, "height": 700})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, width

    # The other page types of the back-office, checked on the way.
    page.set_viewport_size({"width": 390, "height": 844})
    for link, heading in [
        ("Tableau de bord", "Prix de la jeune création"),
        ("Texte et dates", "Modifier « Prix de la jeune création »"),
        ("Documents", "Documents de l'appel"),
    ]:
        page.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)
        save_screenshot(page, f"talent-team-{link.split()[0].lower()}-mobile")

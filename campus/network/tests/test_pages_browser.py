"""The directory, an organisation page and the partner forms, in real headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from campus.demo import DEMO_PASSWORD
from campus.network.models import Organisation
from campus.testing.browser import (
    assert_accessible,
    assert_filter_error_after_swap,
    log_in,
    save_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page(local_page, demo):
    """The home page presents the campus, its missions and its key figure, accessibly."""
    local_page.goto(demo.url + "/")
    expect(local_page.get_by_role("heading", level=1)).to_contain_text("Maroquinerie")
    expect(local_page.get_by_text("4\u202f500")).to_be_visible()
    assert_accessible(local_page)
    save_screenshot(local_page, "home")


def test_directory_search_and_filters(local_page, demo):
    """Typing and filtering update the results without a reload, and the URL keeps them."""
    local_page.goto(demo.url + "/annuaire/")
    assert_accessible(local_page)
    count = local_page.locator("#results-count")
    # Every app's demo adds organisations (a platform, a workshop): count them.
    everyone = f"{Organisation.objects.published().count()} acteurs"
    expect(count).to_contain_text(everyone)
    local_page.get_by_label("Rechercher").fill("eugene")
    expect(count).to_contain_text("1 acteur trouvé")
    expect(local_page).to_have_url(demo.url + "/annuaire/?q=eugene")
    local_page.get_by_label("Rechercher").fill("")
    expect(count).to_contain_text(everyone)
    local_page.get_by_label("Type d'acteur").select_option(label="Entreprise")
    # Anchored: « 3 acteurs » is also the end of « 13 acteurs ».
    expect(count).to_have_text(re.compile(r"^\s*3 acteurs"))
    assert "type=company" in local_page.url
    local_page.get_by_role("link", name="Sellerie de l'Auxerrois (démo)").click()
    expect(local_page.get_by_role("heading", level=1)).to_have_text(
        "Sellerie de l'Auxerrois (démo)"
    )
    local_page.go_back()
    expect(count).to_have_text(re.compile(r"^\s*3 acteurs"))
    expect(local_page.get_by_label("Type d'acteur")).to_have_value("company")
    save_screenshot(local_page, "directory-filtered")
    local_page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(local_page)
    save_screenshot(local_page, "directory-mobile")


def test_directory_shows_a_filter_error_after_an_htmx_swap(local_page, demo):
    """An unknown type sent through the htmx form shows its French message, accessibly."""
    assert_filter_error_after_swap(
        local_page,
        demo.url + "/annuaire/",
        select="Type d'acteur",
        message="Type d'acteur inconnu : choisissez-en un dans la liste.",
    )


def test_directory_works_without_javascript(browser, demo):
    """With JavaScript off, the filter form is a plain GET form that works."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo.url + "/annuaire/")
    page.get_by_label("Type d'acteur").select_option("cfa")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#results-count")).to_contain_text("1 acteur trouvé")
    context.close()


def test_organisation_page(local_page, demo):
    """An organisation page shows its details and demo label, accessibly."""
    local_page.goto(demo.url + "/annuaire/lycee-eugene-guillaume-montbard/")
    expect(local_page.get_by_text("0210056X")).to_be_visible()
    expect(local_page.get_by_text("Fiche de démonstration")).to_be_visible()
    assert_accessible(local_page)
    save_screenshot(local_page, "organisation")


def test_partner_edits_own_listing(local_page, demo):
    """A partner editor logs in, corrects a wrong UAI after a French message, and saves."""
    log_in(local_page, demo, "editeur.lycee@campus.example", DEMO_PASSWORD)
    expect(local_page.get_by_role("heading", name="Espace partenaire")).to_be_visible()
    assert_accessible(local_page)
    local_page.get_by_role("link", name="Modifier la fiche").click()
    assert_accessible(local_page)
    local_page.get_by_label("UAI").fill("0210056Y")
    local_page.get_by_role("button", name="Enregistrer").click()
    expect(local_page.get_by_role("alert")).to_contain_text(
        "lettre de contrôle est fausse"
    )
    assert_accessible(local_page)
    save_screenshot(local_page, "partner-form-error")
    local_page.get_by_label("UAI").fill("0210056X")
    local_page.get_by_label("Commune").fill("21500 Montbard")
    local_page.get_by_role("button", name="Enregistrer").click()
    expect(local_page.get_by_role("status")).to_contain_text("La fiche est enregistrée")
    save_screenshot(local_page, "partner-form")


def test_visitor_proposes_an_actor_and_team_moderates(local_page, demo):
    """A visitor's proposal reaches the team's queue, which accepts it."""
    local_page.goto(demo.url + "/annuaire/proposer/")
    assert_accessible(local_page)
    local_page.get_by_label("Nom de l'acteur").fill("Ganterie de Saint-Claude")
    local_page.get_by_label("Type d'acteur").select_option("company")
    local_page.get_by_label("Commune").fill("Dijon")
    local_page.get_by_label("Votre nom").fill("Claude Martin")
    local_page.get_by_label("Votre e-mail").fill("claude@exemple.fr")
    local_page.get_by_role("button", name="Envoyer la proposition").click()
    expect(local_page.get_by_role("heading", level=1)).to_have_text(
        "Merci pour votre proposition"
    )
    log_in(local_page, demo, "equipe@campus.example", DEMO_PASSWORD)
    local_page.goto(demo.url + "/gestion/propositions/")
    assert_accessible(local_page)
    local_page.get_by_role("link", name="Ganterie de Saint-Claude").click()
    assert_accessible(local_page)
    save_screenshot(local_page, "moderation")
    local_page.get_by_role("button", name="Accepter la proposition").click()
    expect(local_page.get_by_role("status")).to_contain_text("Proposition acceptée")
    local_page.goto(demo.url + "/annuaire/?q=ganterie")
    expect(local_page.locator("#results-count")).to_contain_text("1 acteur trouvé")


@pytest.mark.parametrize(
    "path",
    [
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/connexion/",
        "/mot-de-passe/oubli/",
        "/annuaire/ctc/signaler/",
        "/page-inconnue/",
    ],
)
def test_public_pages_are_accessible(local_page, demo, path):
    """Every other public page, error page included, has no axe violation."""
    local_page.goto(demo.url + path)
    assert_accessible(local_page)


def test_partner_pages_are_accessible(local_page, demo):
    """The members, contacts and account pages of a partner have no axe violation."""
    log_in(local_page, demo, "editeur.lycee@campus.example", DEMO_PASSWORD)
    for link in ["Membres", "Contacts et sites"]:
        local_page.goto(demo.url + "/espace/")
        local_page.get_by_role("link", name=link).first.click()
        assert_accessible(local_page)
        save_screenshot(local_page, f"partner-{link.split()[0].lower()}")
    local_page.goto(demo.url + "/compte/")
    assert_accessible(local_page)


def test_team_back_office_is_accessible(local_page, demo):
    """The back-office pages the team uses have no axe violation."""
    log_in(local_page, demo, "equipe@campus.example", DEMO_PASSWORD)
    for path in ["/gestion/", "/gestion/profil/", "/gestion/filiere/"]:
        local_page.goto(demo.url + path)
        assert_accessible(local_page)
    save_screenshot(local_page, "sector-profile")


def test_editor_invites_then_cancels_the_invitation(local_page, demo):
    """An editor sees a pending invitation on the members page and cancels it."""
    log_in(local_page, demo, "editeur.lycee@campus.example", DEMO_PASSWORD)
    local_page.goto(demo.url + "/espace/")
    local_page.get_by_role("link", name="Membres").first.click()
    local_page.get_by_label("Adresse e-mail de la personne invitée").fill(
        "nina@exemple.fr"
    )
    local_page.get_by_role("button", name="Envoyer l'invitation").click()
    cancel = local_page.get_by_role(
        "button", name="Annuler l'invitation de nina@exemple.fr"
    )
    expect(cancel).to_be_visible()
    assert_accessible(local_page)
    cancel.click()
    expect(
        local_page.get_by_text("L'invitation de nina@exemple.fr est annulée.")
    ).to_be_visible()
    expect(cancel).to_have_count(0)


VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_look_alike_proposal_is_flagged_and_corrected_by_the_team(
    local_page, demo, viewport
):
    """A look-alike is shown to the proposer and the team, who corrects it, accessibly."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(demo.url + "/annuaire/proposer/")
    page.get_by_label("Nom de l'acteur").fill("Atelier cuir de l'Auxois")
    page.get_by_label("Type d'acteur").select_option("company")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_label("Commune").fill("21500 Montbard")
    page.get_by_label("Adresse").fill("3 rue Carnot, 21500 Montbard")
    page.get_by_label("Votre nom").fill("Claude Martin")
    page.get_by_label("Votre e-mail").fill("claude@exemple.fr")
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_role("status")).to_contain_text("déjà dans l'annuaire")
    assert_accessible(page)
    save_screenshot(page, f"proposal-look-alike-{viewport}")
    page.get_by_label("Il s'agit bien d'un autre acteur").check()
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merci pour votre proposition"
    )

    log_in(page, demo, "equipe@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/gestion/propositions/")
    expect(page.get_by_role("table")).to_contain_text("Doublon possible")
    page.get_by_role("link", name="Atelier cuir de l'Auxois").first.click()
    expect(page.get_by_role("heading", name="Doublon possible")).to_be_visible()
    page.get_by_label("Nom de l'acteur").fill("Atelier du cuir de l'Auxois (Montbard)")
    page.get_by_role("button", name="Enregistrer les corrections").click()
    expect(page.get_by_role("status").first).to_contain_text("Proposition corrigée")
    expect(page.get_by_text("Corrigée par l'équipe : nom de l'acteur")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"proposal-corrected-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_changed_public_pages_are_accessible(local_page, demo, viewport):
    """The organisation and training pages (address, dates, head) have no axe violation."""
    school = Organisation.objects.get(slug="lycee-eugene-guillaume-montbard")
    offering = school.offerings.order_by("pk").first()
    local_page.set_viewport_size(VIEWPORTS[viewport])
    for name, url in [
        ("organisation", school.get_absolute_url()),
        ("offering", offering.get_absolute_url()),
    ]:
        local_page.goto(demo.url + url)
        expect(local_page.get_by_text("Page introuvable")).to_have_count(0)
        assert_accessible(local_page)
        save_screenshot(local_page, f"{name}-{viewport}")

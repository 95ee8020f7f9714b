import re

import pytest
from playwright.sync_api import expect

from campus.accounts.models import User
from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_on_a_phone_then_confirm_from_the_email(
    local_page, live_server, run_tasks, smtp_server
):
    """On a 390 px screen a visitor goes from the login page to the sign-up, fixes a
    mistyped password, confirms from the e-mail and lands on their account, on pages
    that axe finds accessible and that never scroll sideways."""
    page = local_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/connexion/?next=/compte/")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("lea.martin@exemple.fr")
    page.get_by_label("Nom complet").fill("Léa Martin")
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(
        "Un-sac-de-selle-2026"
    )
    page.get_by_label("Confirmation du mot de passe").fill("Un-sac-de-selle-2025")
    page.get_by_label(re.compile("J'accepte que le campus")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#id_password2_error")).to_contain_text("pas identiques")
    assert_accessible(page)
    save_screenshot(page, "signup-errors-mobile")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert not User.objects.exists()

    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(
        "Un-sac-de-selle-2026"
    )
    page.get_by_label("Confirmation du mot de passe").fill("Un-sac-de-selle-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(
        page.get_by_role("heading", name="Vérifiez votre messagerie")
    ).to_be_visible()

    run_tasks()
    [message] = smtp_server.to("lea.martin@exemple.fr")
    link = re.search(r"http://127\.0\.0\.1:8000(/compte/confirmer/\S+/)", message.text)
    page.goto(live_server.url + link.group(1))
    assert_accessible(page)
    page.get_by_label("Mot de passe choisi en créant le compte").fill(
        "Un-sac-de-selle-2026"
    )
    page.get_by_role("button", name="J'active mon compte").click()
    expect(page.get_by_role("heading", name="Mon compte", exact=True)).to_be_visible()
    expect(page.get_by_text("Compte personnel")).to_be_visible()
    assert User.objects.get().is_active

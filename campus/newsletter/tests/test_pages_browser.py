import re

import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.newsletter import services
from campus.newsletter.models import Subscriber, SubscriberStatus
from campus.newsletter.tests.factories import (
    IssueFactory,
    PublishedArticleFactory,
    PublishedEventFactory,
    SubscriberFactory,
)
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]


def assert_fits(page, width: int) -> None:
    """Nothing overflows sideways: the page reads without horizontal scrolling."""
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px too wide at {width}px"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_subscribe_confirm_change_preferences_and_unsubscribe(
    local_page, live_server, run_tasks, smtp_server, viewport
):
    """A visitor fixes an error, subscribes, confirms from the e-mail, changes a
    topic and unsubscribes, on pages that axe finds accessible."""
    page = local_page
    page.set_viewport_size(viewport)
    name = "desktop" if viewport["width"] > 800 else "mobile"
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Recevoir la lettre").click()
    expect(
        page.get_by_role("heading", name="Recevoir la lettre d'information")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"newsletter-subscribe-{name}")
    page.get_by_label("Votre adresse e-mail").fill("lea.dupont@exemple.fr")
    page.get_by_label("Formations").check()
    page.get_by_role("button", name="M'abonner").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez la case")
    assert_accessible(page)
    save_screenshot(page, f"newsletter-subscribe-errors-{name}")
    assert not Subscriber.objects.exists()
    page.get_by_label(re.compile("J'accepte que le campus")).check()
    page.get_by_role("button", name="M'abonner").click()
    expect(
        page.get_by_role("heading", name="Vérifiez votre boîte e-mail")
    ).to_be_visible()
    assert_accessible(page)

    run_tasks()
    [message] = smtp_server.messages
    link = re.search(r"http://127\.0\.0\.1:8000(/lettre/confirmer/\S+/)", message.text)
    page.goto(live_server.url + link.group(1))
    assert_accessible(page)
    save_screenshot(page, f"newsletter-confirm-{name}")
    page.get_by_role("button", name="Je confirme mon abonnement").click()
    expect(
        page.get_by_role("heading", name="Votre abonnement est confirmé")
    ).to_be_visible()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.ACTIVE

    # Waits for the preferences page itself: in a loaded CI run, the label below was
    # looked for on the confirmation page while the next one was still loading.
    with page.expect_navigation():
        page.get_by_role("link", name="vos préférences").click()
    expect(page.get_by_label("Appels à projets et concours")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"newsletter-preferences-{name}")
    page.get_by_label("Appels à projets et concours").check()
    page.get_by_role("button", name="Enregistrer mes thèmes").click()
    expect(page.get_by_text("Vos thèmes sont enregistrés.")).to_be_visible()
    assert subscriber.topic_codes == ["trainings", "calls"]

    page.get_by_role("link", name="Me désabonner").click()
    assert_accessible(page)
    save_screenshot(page, f"newsletter-unsubscribe-{name}")
    page.get_by_role("button", name="Me désabonner").click()
    expect(page.get_by_role("heading", name="Vous êtes désabonné")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"newsletter-unsubscribed-{name}")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_public_pages_fit_a_320_px_screen(local_page, live_server):
    subscriber = SubscriberFactory(
        email="une.adresse.vraiment.tres.longue.pour.un.petit.ecran@exemple.fr",
        active=True,
    )
    page = local_page
    for path in (
        "/lettre/",
        subscriber.get_preferences_url(),
        subscriber.get_unsubscribe_url(),
        f"/lettre/preferences/{subscriber.token}/supprimer/",
    ):
        page.goto(live_server.url + path)
        assert_fits(page, 320)
        assert_accessible(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_team_previews_and_follows_the_sending(
    local_page, live_server, viewport, settings
):
    """The compose page, the preview and the progress of a sending pass axe."""
    settings.CAMPUS_NEWSLETTER_RATE_PER_SECOND = 0
    user = UserFactory(campus_team=True, email="equipe@campus.fr")
    PublishedArticleFactory(title="Un nouveau CAP maroquinerie")
    event = PublishedEventFactory(title="Portes ouvertes du lycée")
    for n in range(3):
        SubscriberFactory(email=f"lecteur{n}@exemple.fr", active=True)
    page = local_page
    page.set_viewport_size(viewport)
    name = "desktop" if viewport["width"] > 800 else "mobile"
    log_in(page, live_server, user.email, TEST_PASSWORD)
    page.goto(live_server.url + "/gestion/lettre/")
    assert_accessible(page)
    save_screenshot(page, f"newsletter-team-home-{name}")
    page.get_by_role("link", name="Composer une lettre").click()
    page.get_by_label("Objet (obligatoire)").fill("La lettre de mars")
    page.get_by_label("Introduction").fill("Bonjour, voici **nos nouvelles**.")
    page.get_by_label("Événements : portes ouvertes").check()
    page.get_by_label("Portes ouvertes du lycée").check()
    page.get_by_label("Un nouveau CAP maroquinerie").check()
    assert_accessible(page)
    save_screenshot(page, f"newsletter-compose-{name}")
    page.get_by_role("button", name="Enregistrer et voir l'aperçu").click()
    expect(
        page.get_by_role("heading", name="La lettre de mars", level=3)
    ).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer à 3 abonnés")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"newsletter-preview-{name}")

    issue = IssueFactory(subject="La lettre d'avril", topics=["events"])
    issue.events.add(event)
    services.start_sending(issue, acting_user=user)
    services._create_deliveries(issue)
    page.goto(live_server.url + issue.get_absolute_url())
    expect(page.get_by_text("0 % : 0 envoyé")).to_be_visible()
    services.deliver_issue(issue.pk)
    # The page polls: the progress reaches 100 % without a reload.
    expect(page.get_by_text("100 % : 3 envoyés")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"newsletter-sent-{name}")

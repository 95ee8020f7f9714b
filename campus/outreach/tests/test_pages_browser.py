import pytest
from django.core import mail
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.network.tests.factories import OrganisationFactory
from campus.outreach.models import InterventionRequest, RequestStatus
from campus.outreach.tests.factories import (
    DiscoveryPlacementFactory,
    InterventionRequestFactory,
    TeacherResourceFactory,
)
from campus.testing.browser import assert_accessible, log_in, save_screenshot
from campus.trades.tests.factories import TradeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_teacher_requests_an_intervention_then_confirms_it(
    local_page, live_server, run_tasks, viewport
):
    """A teacher fixes an error, sends the request, gets the e-mail and confirms in the browser."""
    maroquinier = TradeFactory(name="Maroquinier")
    TradeFactory(name="Sellier-harnacheur")
    DiscoveryPlacementFactory(
        description="Coupe, piqûre, montage et contrôle qualité.",
        period="Décembre à février",
    ).trades.add(maroquinier)
    TeacherResourceFactory().trades.add(maroquinier)
    page = local_page
    page.set_viewport_size(viewport)
    name = "desktop" if viewport["width"] > 800 else "mobile"
    page.goto(live_server.url + "/decouvrir/")
    assert_accessible(page)
    save_screenshot(page, f"outreach-home-{name}")
    page.get_by_role("link", name="Demander une intervention").first.click()
    page.get_by_label("Établissement (obligatoire)", exact=True).fill(
        "Collège Louis Pasteur"
    )
    page.get_by_label("Commune de l'établissement").fill("Montbard")
    page.get_by_label("Niveau de la classe").select_option("4e")
    page.get_by_label("Nombre d'élèves").fill("500")
    page.get_by_label("Maroquinier", exact=True).check()
    page.get_by_label("Dates ou périodes souhaitées").fill("Les jeudis de mars")
    page.get_by_label("Votre nom").fill("Claude Martin")
    page.get_by_label("Votre e-mail professionnel").fill("claude.martin@ac-dijon.fr")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(
        page.get_by_text("Une intervention accueille au plus 200 élèves.").first
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"outreach-request-errors-{name}")
    assert not InterventionRequest.objects.exists()
    page.get_by_label("Nombre d'élèves").fill("26")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(
        page.get_by_role("heading", name="Vérifiez votre boîte e-mail")
    ).to_be_visible()
    run_tasks()
    link = next(
        line
        for line in mail.outbox[0].body.splitlines()
        if "/decouvrir/confirmer/" in line
    )
    page.goto(live_server.url + link.split("127.0.0.1:8000", 1)[-1])
    assert_accessible(page)
    page.get_by_role("button", name="Je confirme ma demande").click()
    expect(
        page.get_by_role("heading", name="Merci, votre demande est confirmée")
    ).to_be_visible()
    assert InterventionRequest.objects.get().status == RequestStatus.NEW


def test_team_entrusts_a_request_and_sees_the_summary(local_page, live_server):
    """The team queue and request page work in the browser and pass axe."""
    done = InterventionRequestFactory(assigned=True, school_name="Collège Buffon")
    done.status, done.pupils_reached, done.artisans_involved = RequestStatus.DONE, 24, 2
    done.held_on = done.created_at.date()
    done.save()
    waiting = InterventionRequestFactory(confirmed=True, school_name="École Jean Macé")
    OrganisationFactory(name="Sellerie du Morvan")
    team = UserFactory(campus_team=True, email="equipe@campus.fr")
    page = local_page
    log_in(page, live_server, team.email, TEST_PASSWORD)
    page.goto(live_server.url + "/gestion/interventions/")
    save_screenshot(page, "outreach-team-queue")
    expect(page.get_by_role("link", name="École Jean Macé")).to_be_visible()
    expect(page.get_by_text("24 élèves touchés")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "outreach-team-queue")
    page.get_by_role("link", name="École Jean Macé").click()
    page.get_by_label("Partenaire chargé de l'intervention").select_option(
        label="Sellerie du Morvan"
    )
    page.get_by_role("button", name="Confier la demande").click()
    expect(page.get_by_text("La demande est confiée au partenaire.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "outreach-team-request")
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.ASSIGNED

import pytest
from django.core import mail
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD
from campus.agenda.models import Registration, RegistrationStatus
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.network.tests.factories import MembershipFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link(message, marker):
    line = next(line for line in message.body.splitlines() if marker in line)
    return "/" + line.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]
)
def test_a_visitor_registers_confirms_then_cancels(
    local_page, live_server, run_tasks, viewport
):
    """Register with an error fixed, confirm from the e-mail, then cancel: all pass axe."""
    event = EventFactory(
        with_registration=True,
        title="Atelier découverte de la sellerie",
        capacity=12,
        slug="atelier-sellerie",
    )
    RegistrationFactory(event=event, confirmed=True, places=9)
    page = local_page
    page.set_viewport_size(viewport)
    name = "desktop" if viewport["width"] > 800 else "mobile"
    page.goto(live_server.url + event.get_absolute_url())
    expect(page.get_by_text("3 places disponibles sur 12.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-registration-form-{name}")
    page.get_by_label("Nom et prénom").fill("Camille Martin")
    page.get_by_label("E-mail (obligatoire)", exact=True).fill(
        "camille.martin@example.org"
    )
    page.get_by_label("Nombre de places").fill("11")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("au plus 10 places").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-registration-errors-{name}")
    assert not Registration.objects.filter(name="Camille Martin").exists()
    page.get_by_label("Nombre de places").fill("2")
    page.get_by_role("button", name="M'inscrire").click()
    expect(
        page.get_by_role("heading", name="Vérifiez votre boîte e-mail")
    ).to_be_visible()
    assert_accessible(page)
    run_tasks()
    [message] = mail.outbox
    page.goto(live_server.url + _link(message, "/confirmer/"))
    assert_accessible(page)
    save_screenshot(page, f"agenda-registration-confirm-{name}")
    page.get_by_role("button", name="Je confirme mon inscription").click()
    expect(
        page.get_by_role("heading", name="Merci, votre inscription est confirmée")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"agenda-registration-confirmed-{name}")
    registration = Registration.objects.get(name="Camille Martin")
    assert registration.status == RegistrationStatus.CONFIRMED
    page.goto(live_server.url + registration.get_cancellation_url())
    assert_accessible(page)
    save_screenshot(page, f"agenda-registration-cancel-{name}")
    page.get_by_role("button", name="J'annule mon inscription").click()
    expect(
        page.get_by_role("heading", name="Votre inscription est annulée")
    ).to_be_visible()
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 1366, "height": 900},
        {"width": 390, "height": 844},
        {"width": 320, "height": 640},
    ],
)
def test_an_editor_marks_attendance_on_the_registrant_list(
    local_page, live_server, viewport
):
    """The list passes axe, fits a small screen, and htmx swaps the marked row."""
    event = EventFactory(
        with_registration=True, past=True, title="Atelier découverte de la sellerie"
    )
    editor = MembershipFactory(organisation=event.organisation).user
    RegistrationFactory(
        event=event,
        confirmed=True,
        name="Camille Martin",
        school_name="Collège Buffon",
        pupil_count=24,
        places=26,
    )
    RegistrationFactory(event=event, waitlisted=True, name="Dominique Petit")
    page = local_page
    page.set_viewport_size(viewport)
    log_in(page, live_server, editor.email, TEST_PASSWORD)
    page.goto(live_server.url + f"/espace/evenements/{event.slug}/inscriptions/")
    assert_accessible(page)
    name = f"{viewport['width']}"
    save_screenshot(page, f"agenda-registrant-list-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    page.get_by_role("button", name="Présent : Camille Martin").click()
    expect(page.get_by_role("button", name="Absent : Camille Martin")).to_be_visible()
    expect(page.get_by_role("button", name="Présent : Camille Martin")).to_have_count(0)
    assert Registration.objects.get(name="Camille Martin").attended is True
    assert_accessible(page)

"""The public pages of the calls, laureates, residencies and mobility, whose parts
are kept under the content stamp: the same pages as built from scratch, a write
and the moment that changes a part show on the next visit, nothing of a visitor
(an application, the team's preview) reaches another, and the parts are read back
without their queries."""

import time
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campus import fragments
from campus.accounts.tests.factories import UserFactory
from campus.talent.models import Call, Residency
from campus.talent.tests.factories import ApplicationFactory, CallFactory
from campus.talent.tests.mobility_factories import (
    HostPartnerFactory,
    MobilityOfferFactory,
    ResidencyFactory,
)
from campus.testing.fragments import (
    assert_published_object_kept,
    assert_same_as_built_from_scratch,
    body,
    committed,
    warm,
)

CALLS = "/talents/"
OPEN_CALLS = "/talents/?etat=ouverts"


@committed
def test_talent_pages_are_the_same_as_built_from_scratch(monkeypatch):
    """On the demo campus the calls (filtered or not), a call, the laureates, the
    residencies, a residency and the mobility page are byte for byte the same
    built from the database and read back."""
    call_command("load_demo", verbosity=0)
    call = Call.objects.published().order_by("pk").first()
    residency = Residency.objects.published().order_by("pk").first()
    urls = [
        CALLS,
        OPEN_CALLS,
        call.get_absolute_url(),
        "/talents/laureats/",
        "/talents/residences/",
        residency.get_absolute_url(),
        "/talents/mobilite/",
    ]
    pages = assert_same_as_built_from_scratch(monkeypatch, Client(), urls)
    assert "Conditions d'éligibilité" in pages[call.get_absolute_url()]


@committed
def test_a_write_shows_on_the_next_visit():
    """A new call, an edited call, a new residency and a new host partner show on
    the next visit."""
    call = CallFactory(title="Appel aux ateliers")
    client = Client()
    urls = [
        CALLS,
        call.get_absolute_url(),
        "/talents/residences/",
        "/talents/mobilite/",
    ]
    for url in urls:
        warm(client, url)
    CallFactory(title="Concours des apprentis")
    assert "Concours des apprentis" in body(client, CALLS)
    call.description = "Le campus soutient **cinq projets**."
    call.save()
    assert "<strong>cinq projets</strong>" in body(client, call.get_absolute_url())
    residency = ResidencyFactory(title="Résidence au moulin")
    assert "Résidence au moulin" in body(client, "/talents/residences/")
    assert "Résidence au moulin" in body(client, residency.get_absolute_url())
    HostPartnerFactory(name="Scuola del cuoio")
    assert "Scuola del cuoio" in body(client, "/talents/mobilite/")


@committed
def test_parts_change_when_a_call_opens():
    """A call that opens joins the open calls, and its mobility offer asks for
    applications, at that moment and without any write."""
    soon = timezone.now() + timedelta(seconds=2)
    call = CallFactory(title="Appel qui ouvre", opens_at=soon)
    MobilityOfferFactory(call=call, title="Stage à Florence")
    client = Client()
    assert "Appel qui ouvre" not in warm(client, OPEN_CALLS)
    assert "Voir l'appel : Appel qui ouvre" in warm(client, "/talents/mobilite/")
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    assert "Appel qui ouvre" in body(client, OPEN_CALLS)
    assert "Candidater : Appel qui ouvre" in body(client, "/talents/mobilite/")


@committed
def test_residencies_move_between_periods_at_midnight(monkeypatch):
    """The residencies' periods are built anew when the day changes."""
    soon = timezone.now() + timedelta(seconds=2)
    monkeypatch.setattr(fragments, "next_midnight", lambda *since: soon)
    today = timezone.localdate()
    ResidencyFactory(
        title="Résidence qui commence",
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=20),
    )
    client = Client()
    page = warm(client, "/talents/residences/")
    assert "Résidence qui commence" in page
    assert "À venir" in page and "En cours" not in page
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: tomorrow)
    page = body(client, "/talents/residences/")
    assert "En cours" in page and "À venir" not in page


@committed
def test_an_application_and_the_teams_preview_reach_no_other_visitor():
    """An applicant's draft shows to them alone, and a residency the team previews
    stays missing for others."""
    call = CallFactory()
    applicant = Client()
    applicant.force_login(ApplicationFactory(call=call).applicant)
    anonymous = Client()
    url = call.get_absolute_url()
    assert "Reprendre ma candidature" in warm(applicant, url)
    page = warm(anonymous, url)
    assert "Reprendre ma candidature" not in page
    assert f'href="/talents/{call.slug}/candidater/"' in page
    hidden = ResidencyFactory(is_published=False)
    team = Client()
    team.force_login(UserFactory(campus_team=True))
    assert "aperçu réservé à l'équipe" in warm(team, hidden.get_absolute_url())
    assert anonymous.get(hidden.get_absolute_url()).status_code == 404


@committed
def test_kept_parts_are_read_back_without_their_queries():
    """Read back, the pages query none of the rows their parts show."""
    call = CallFactory()
    residency = ResidencyFactory()
    MobilityOfferFactory(call=call)
    client = Client()
    for url, table in [
        (CALLS, "talent_call"),
        (call.get_absolute_url(), "talent_calldocument"),
        ("/talents/laureats/", "talent_supportedproject"),
        ("/talents/residences/", "talent_residency"),
        (residency.get_absolute_url(), "talent_residency"),
        ("/talents/mobilite/", "talent_mobilityoffer"),
    ]:
        warm(client, url)
        with CaptureQueriesContext(connection) as queries:
            body(client, url)
        assert not [q for q in queries if table in q["sql"]], url


@committed
def test_a_published_call_is_kept_and_unpublished_at_once():
    """Read back without querying the calls; unpublished, a 404 for visitors on
    the next visit, while the team still sees it."""
    call = CallFactory()
    team = Client()
    team.force_login(UserFactory(campus_team=True))
    assert_published_object_kept(
        call.get_absolute_url(),
        "talent_call",
        lambda: Call.objects.filter(pk=call.pk).update(is_published=False),
        team,
    )

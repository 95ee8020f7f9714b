"""Parts of pages kept under the content stamp (campus/fragments.py): the same HTML
as a page built from scratch, a write shows on the next visit, and nothing of one
visitor reaches another.

The tests commit their writes (`transaction=True`), as a site does: the stamp
changes when a transaction commits, and nothing is kept inside one that wrote.
"""

import time
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.management import call_command
from django.db import connection
from django.shortcuts import redirect
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.tests.factories import EventFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.news.tests.factories import ArticleFactory
from campus.newsletter.tests.factories import SubscriberFactory
from campus.observatory.models import IndicatorKey
from campus.observatory.tests.factories import KeyFigureFactory, store_urssaf_figures
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile
from campus.profiles.tests.test_home import showcase_item
from campus.talent.tests.factories import CallFactory
from campus.testing.fragments import (
    assert_same_as_built_from_scratch,
    body,
    committed,
    warm,
)
from campus.trades.endangerment import Level
from campus.trades.tests.factories import (
    CraftDomainFactory,
    KnowHowFactory,
    TradeFactory,
)
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory
from campus.urls import urlpatterns as site_urlpatterns


@committed
def test_pages_are_the_same_with_kept_parts_as_built_from_scratch(
    monkeypatch, django_assert_num_queries
):
    """On the demo campus, home, catalogue, directory and trades (with and without
    filters) are byte for byte the same built from the database, with their parts
    just kept, and with their parts read from the cache; the home page then costs
    the stamp's query alone."""
    call_command("load_demo", verbosity=0)
    trade = TradeFactory(name="Sellier", craft=True)
    departement = CampusProfile.load().served_departements().first()
    urls = [
        "/",
        "/formations/",
        f"/formations/?metier={trade.slug}&departement={departement.code}&niveau=3",
        "/annuaire/",
        f"/annuaire/?departement={departement.code}&partenaire=on",
        "/metiers/",
        "/metiers/?domaine=cuir&metiers_art=on",
        "/carte/",
        "/carte/embed/",
        "/formations/embed/?voie=scolaire&limite=5",
        f"/carte/?departement={departement.code}&tri=-commune",
        "/observatoire/",
        "/observatoire/emploi/",
        f"/observatoire/formation/?territoire={departement.code}",
    ]
    client = Client()
    again = assert_same_as_built_from_scratch(monkeypatch, client, urls)
    assert "selected>Cuir</option>" in again["/metiers/?domaine=cuir&metiers_art=on"]
    with django_assert_num_queries(1):
        client.get("/")


@committed
def test_a_write_the_home_page_does_not_read_keeps_its_parts(
    django_assert_num_queries,
):
    """A newsletter subscription or a registration leaves every part of the home
    page kept: built again, it costs the stamps' query alone. An organisation saved
    rebuilds the parts that read organisations."""
    organisation = OrganisationFactory(school=True)
    event = EventFactory(title="Nuit du cuir", with_registration=True)
    client = Client()
    warm(client, "/")
    SubscriberFactory()
    event.registrations.create(name="Camille Martin", email="camille@example.org")
    with django_assert_num_queries(1):
        assert "Nuit du cuir" in body(client, "/")
    organisation.name = "Lycée des gantiers"
    organisation.save()
    with CaptureQueriesContext(connection) as queries:
        body(client, "/")
    assert any("network_organisation" in query["sql"] for query in queries)


def _publish_showcase():
    showcase_item(OrganisationFactory(), TradeFactory(name="Doreur sur cuir"))


def _rename_campus():
    profile = CampusProfile.load()
    profile.name = "Campus des gantiers"
    profile.save()


def _describe_sector():
    profile = SectorProfile.load()
    profile.name = "Ganterie"
    profile.save()


def _offer_cap_gantier():
    OfferingFactory(certification=CertificationFactory(title="CAP Gantier"))


def _edit_mission():
    profile = CampusProfile.load()
    profile.mission_trades = "Faire connaître les gantiers"
    profile.save()


@committed
@pytest.mark.parametrize(
    ("url", "write", "shown"),
    [
        ("/", _publish_showcase, "Doreur sur cuir"),
        ("/", lambda: EventFactory(title="Nuit du cuir"), "Nuit du cuir"),
        ("/", lambda: ArticleFactory(title="Un atelier rouvre"), "Un atelier rouvre"),
        ("/", lambda: CallFactory(title="Appel aux gantiers"), "Appel aux gantiers"),
        (
            "/",
            lambda: KeyFigureFactory(label="Apprentis gantiers"),
            "Apprentis gantiers",
        ),
        ("/", lambda: OrganisationFactory(school=True), "1 acteur dans l"),
        ("/", _rename_campus, '<h1 id="home-title">Campus des gantiers</h1>'),
        ("/", _describe_sector, "Filière : Ganterie."),
        ("/", _edit_mission, "Faire connaître les gantiers"),
        ("/mentions-legales/", _rename_campus, "Campus des gantiers"),
        ("/formations/", _offer_cap_gantier, "CAP Gantier"),
        ("/formations/?q=gantier", _offer_cap_gantier, "CAP Gantier"),
        ("/carte/", _offer_cap_gantier, "CAP Gantier"),
        ("/formations/embed/", _offer_cap_gantier, "CAP Gantier"),
        (
            "/formations/?q=gantier+millau",
            lambda: CommuneFactory(insee_code="12145", name="Millau"),
            "Commune reconnue dans la recherche : <strong>Millau</strong>",
        ),
        (
            "/annuaire/",
            lambda: OrganisationFactory(name="Ganterie de Millau"),
            "Ganterie de Millau",
        ),
        ("/formations/", lambda: TradeFactory(name="Gantier"), ">Gantier</option>"),
        (
            "/metiers/",
            lambda: CraftDomainFactory(slug="gant", name="Ganterie"),
            ">Ganterie</option>",
        ),
        ("/metiers/", lambda: TradeFactory(name="Chamoiseur"), ">Chamoiseur</a>"),
        (
            "/metiers/",
            lambda: KnowHowFactory(level=Level.CRITICAL),
            "1 savoir-faire",
        ),
    ],
)
def test_a_write_shows_on_the_next_built_page(url, write, shown):
    """Each kept part (home sections and profiles, filter choices, counts) is
    built anew after a write."""
    client = Client()
    assert shown not in warm(client, url)
    write()
    assert shown in body(client, url)


@committed
def test_list_results_are_kept_by_address_and_shared_with_htmx_swaps():
    """The results of a list are rendered once per address: the same address reads
    them back without querying the offerings, an htmx swap receives the page's own
    results, and another scheme (the embed snippet's address) has its own."""
    _offer_cap_gantier()
    client = Client()
    page = warm(client, "/formations/?q=gantier")
    with CaptureQueriesContext(connection) as queries:
        swap = client.get("/formations/?q=gantier", headers={"HX-Request": "true"})
    assert swap.status_code == 200
    assert not [q for q in queries if "trainings_offering" in q["sql"]]
    results = swap.content.decode()
    assert "CAP Gantier" in results and results in page
    assert "http://testserver/formations/embed/?q=gantier" in results
    secure = client.get("/formations/?q=gantier", secure=True).content.decode()
    assert "https://testserver/formations/embed/?q=gantier" in secure
    assert "CAP Gantier" in body(client, "/formations/?q=gantier&page=1")
    assert "CAP Gantier" not in body(client, "/formations/?q=sellier")


@committed
def test_observatory_figures_are_kept_per_territory_until_the_next_import():
    """A theme's figures are computed and rendered once per territory: the same
    page reads them back without querying the stored figures, another territory
    has its own, and stored figures show on the next visit."""
    region = RegionFactory()
    doubs = DepartementFactory(code="25", name="Doubs", region=region)
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    SectorProfile(name="Maroquinerie", naf_codes="15.12Z").save()
    CampusProfile.objects.create(region=region)
    headcount = IndicatorKey.SALARIED_HEADCOUNT
    store_urssaf_figures(
        [(headcount, "15.12Z", "25056", 2022, 70)], region_code=region.code
    )
    client = Client()
    assert "70 salariés" in warm(client, "/observatoire/emploi/")
    with CaptureQueriesContext(connection) as queries:
        body(client, "/observatoire/emploi/")
    assert not [q for q in queries if "observatory_indicator" in q["sql"]]
    assert "Doubs (25)" in body(client, "/observatoire/emploi/?territoire=25")
    store_urssaf_figures(
        [(headcount, "15.12Z", "25056", 2023, 90)], region_code=region.code
    )
    assert "90 salariés" in body(client, "/observatoire/emploi/")


@committed
def test_a_departement_added_to_the_campus_shows_in_the_filters():
    """The départements the catalogue, the directory and the observatory offer
    follow the profile."""
    profile = CampusProfile.load()
    profile.save()
    profile.departements.add(DepartementFactory(code="25", name="Doubs"))
    client = Client()
    lists = ["/formations/", "/annuaire/", "/observatoire/", "/observatoire/emploi/"]
    for url in lists:
        assert "Jura" not in warm(client, url)
    profile.departements.add(DepartementFactory(code="39", name="Jura"))
    for url in lists:
        assert "Jura (39)" in body(client, url)


@committed
def test_home_sections_change_when_their_moment_comes():
    """An event that ends, a call that closes and an article whose publication comes
    change the home page without any write, at that moment."""
    soon = timezone.now() + timedelta(seconds=2)
    EventFactory(
        title="Atelier qui finit", starts_at=soon - timedelta(hours=1), ends_at=soon
    )
    CallFactory(title="Appel qui ferme", closes_at=soon)
    ArticleFactory(title="Article programmé", published_at=soon)
    client = Client()
    page = warm(client, "/")
    assert "Atelier qui finit" in page and "Appel qui ferme" in page
    assert "Article programmé" not in page
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    page = body(client, "/")
    assert "Atelier qui finit" not in page and "Appel qui ferme" not in page
    assert "Article programmé" in page


@login_not_required
def _say_hello(request):
    messages.success(request, "Bienvenue au réseau.")
    return redirect("/")


urlpatterns = [*site_urlpatterns, path("test-fragments/message/", _say_hello)]


@committed
@pytest.mark.urls(__name__)
def test_what_belongs_to_a_visitor_is_never_shared():
    """Two visitors on pages with kept parts: the logged-in header, a message, the
    CSRF token and the chosen filters stay each visitor's own."""
    CraftDomainFactory()
    partner = UserFactory()
    MembershipFactory(user=partner, organisation=OrganisationFactory())
    logged_in = Client()
    logged_in.force_login(partner)
    visitor = Client()
    warm(visitor, "/")

    logged_in.get("/test-fragments/message/")
    partner_home = body(logged_in, "/")
    visitor_home = body(visitor, "/")
    assert "Bienvenue au réseau." in partner_home
    assert "Se déconnecter" in partner_home and "X-CSRFToken" in partner_home
    for private in ["Bienvenue", "Se déconnecter", "X-CSRFToken", "csrfmiddleware"]:
        assert private not in visitor_home
    assert "Bienvenue" not in body(logged_in, "/")

    assert "selected>Cuir</option>" in body(logged_in, "/metiers/?domaine=cuir")
    assert "selected>Cuir</option>" not in body(visitor, "/metiers/")
    assert "selected>Cuir</option>" not in body(logged_in, "/metiers/")

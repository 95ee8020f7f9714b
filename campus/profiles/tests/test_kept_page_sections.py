"""Detail pages keep what they show of the database per object under the content
stamp: the sections other apps add to an organisation's, a trade's and a
certification's page (campus/contributions.py), and the pages' own partials
(organisation, trade, certification, training, know-how, know-how at risk). The
same HTML as built from scratch, a write shows on the next visit, a part that
changes with time alone changes at its moment, and nothing of a visitor is shared.
"""

import datetime
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.contributions import _first_listed_to_end
from campus.agenda.tests.factories import EventFactory
from campus.network.models import Organisation
from campus.network.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from campus.news.tests.factories import ArticleFactory
from campus.offers.contributions import _first_listed_to_expire
from campus.offers.models import Offer
from campus.offers.tests.factories import OfferFactory, RomeJobFactory
from campus.offers.views import _offer_page_parts
from campus.outreach.tests.factories import DiscoveryPlacementFactory
from campus.platforms.tests.factories import EquipmentFactory, PlatformFactory
from campus.profiles.tests.test_home import showcase_item
from campus.talent.contributions import _next_change_of_periods
from campus.talent.residencies import ResidencyPeriods
from campus.talent.tests.mobility_factories import ResidencyFactory
from campus.testing.fragments import (
    assert_same_as_built_from_scratch,
    body,
    committed,
    warm,
)
from campus.trades.endangerment import Level
from campus.trades.models import KnowHow, RomeJob, Trade
from campus.trades.tests.factories import (
    HolderFactory,
    KnowHowFactory,
    TradeFactory,
    TransmissionActionFactory,
)
from campus.trainings.models import Certification, Offering
from campus.trainings.tests.factories import (
    CertificationFactory,
    OfferingFactory,
    SkillBlockFactory,
)


def kept(client, url) -> str:
    """The page once its parts are kept: read back, it costs the content stamp's
    query and its object's alone."""
    warm(client, url)
    with CaptureQueriesContext(connection) as queries:
        page = body(client, url)
    assert len(queries) <= 2, (url, [query["sql"] for query in queries])
    return page


ORGANISATION_SECTION_TABLES = [
    "trades_showcaseitem",
    "trainings_offering",
    "trainings_insertionoutcome",
    "agenda_event",
    "news_article",
    "talent_residency",
    "platforms_equipment",
]
TRADE_SECTION_TABLES = [
    "agenda_event",
    "offers_offer",
    "outreach_discoveryplacement",
    "outreach_teacherresource",
]


@committed
def test_pages_with_sections_are_the_same_as_built_from_scratch(monkeypatch):
    """On the demo campus, organisation, trade and certification pages are byte for
    byte the same built from the database, with their sections just kept and read
    back."""
    call_command("load_demo", verbosity=0)
    urls = [
        *(o.get_absolute_url() for o in Organisation.objects.published()[:6]),
        *(t.get_absolute_url() for t in Trade.objects.published()[:6]),
        *(c.get_absolute_url() for c in Certification.objects.all()[:4]),
        *(o.get_absolute_url() for o in Offering.objects.published()[:6]),
        *(k.get_absolute_url() for k in KnowHow.objects.published()[:4]),
        "/metiers/savoir-faire-menaces/",
        *(o.get_absolute_url() for o in Offer.objects.published()[:4]),
    ]
    pages = assert_same_as_built_from_scratch(monkeypatch, Client(), urls)
    assert any("Prochains événements" in page for page in pages.values())


def _organisation():
    return Organisation.objects.get(name="Atelier des sections")


def _trade():
    return Trade.objects.get(name="Gainier")


def _certification():
    return Certification.objects.get(title="CAP Gainerie")


@committed
def test_a_write_shows_on_the_next_visit_of_each_section():
    """Each section is built anew after a write to what it shows."""
    organisation = OrganisationFactory(name="Atelier des sections")
    trade = TradeFactory(name="Gainier", rome_codes="B1802")
    certification = CertificationFactory(title="CAP Gainerie")
    client = Client()
    writes = [
        (
            organisation,
            lambda: EventFactory(organisation=_organisation(), title="Portes ouvertes"),
            "Portes ouvertes",
        ),
        (
            organisation,
            lambda: ArticleFactory(organisation=_organisation(), title="Un apprenti"),
            "Un apprenti",
        ),
        (
            organisation,
            lambda: showcase_item(_organisation(), TradeFactory(name="Doreur")),
            "Doreur",
        ),
        (
            organisation,
            lambda: OfferingFactory(
                organisation=_organisation(),
                certification=CertificationFactory(title="BMA Gainier"),
            ),
            "BMA Gainier",
        ),
        (
            organisation,
            lambda: ResidencyFactory(host=_organisation(), title="Résidence cuir"),
            "Résidence cuir",
        ),
        (
            trade,
            lambda: EventFactory(trades=[_trade()], title="Nuit du gainier"),
            "Nuit du gainier",
        ),
        (
            trade,
            lambda: OfferFactory(
                title="Apprenti gainier", rome_job=RomeJobFactory(code="B1802")
            ),
            "Apprenti gainier",
        ),
        (
            trade,
            lambda: DiscoveryPlacementFactory(title="Stage au gainage").trades.add(
                _trade()
            ),
            "Stage au gainage",
        ),
        (
            certification,
            lambda: OfferFactory(
                title="Apprenti en CAP", certification=_certification()
            ),
            "Apprenti en CAP",
        ),
    ]
    for obj, write, shown in writes:
        url = obj.get_absolute_url()
        assert shown not in kept(client, url), shown
        write()
        assert shown in body(client, url), shown


@committed
def test_a_platform_shows_new_equipment_on_the_next_visit():
    platform = PlatformFactory()
    client = Client()
    assert "Fraiseuse à bois" not in kept(client, platform.get_absolute_url())
    EquipmentFactory(organisation=platform, name="Fraiseuse à bois")
    assert "Fraiseuse à bois" in body(client, platform.get_absolute_url())


@committed
def test_organisation_sections_change_when_their_moment_comes():
    """An event that ends and an article whose publication comes change the
    organisation's page without any write, at that moment."""
    organisation = OrganisationFactory()
    soon = timezone.now() + timedelta(seconds=5)
    EventFactory(
        organisation=organisation,
        title="Atelier qui finit",
        starts_at=soon - timedelta(hours=1),
        ends_at=soon,
    )
    ArticleFactory(
        organisation=organisation, title="Article programmé", published_at=soon
    )
    client = Client()
    url = organisation.get_absolute_url()
    page = kept(client, url)
    assert "Atelier qui finit" in page and "Article programmé" not in page
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    page = body(client, url)
    assert "Atelier qui finit" not in page and "Article programmé" in page


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def test_sections_by_the_day_change_at_midnight():
    """Offers leave the day after their last day, residencies change period on
    their first day and the day after their last; events when a listed one ends."""
    today = timezone.localdate()
    now = timezone.now()

    class Offer:
        def __init__(self, days):
            self.expires_on = today + timedelta(days=days)

    offers = {"offers": [Offer(9), Offer(3), Offer(5)]}
    assert _first_listed_to_expire(offers, now) == _midnight(today + timedelta(4))
    assert _first_listed_to_expire({"offers": []}, now) is None

    class Residency:
        def __init__(self, starts, ends):
            self.starts_on = today + timedelta(days=starts)
            self.ends_on = today + timedelta(days=ends)

    periods = ResidencyPeriods(
        current=[Residency(-3, 6)], upcoming=[Residency(8, 20)], past=[]
    )
    assert _next_change_of_periods({"periods": periods}, now) == _midnight(
        today + timedelta(7)
    )
    periods = ResidencyPeriods(current=[], upcoming=[], past=[Residency(-9, -2)])
    assert _next_change_of_periods({"periods": periods}, now) is None

    class Event:
        def __init__(self, hours):
            self.ends_at = now + timedelta(hours=hours)

    ending = [Event(5), Event(2)]
    assert _first_listed_to_end({"events": ending}, now) == ending[1].ends_at
    assert _first_listed_to_end({"events": []}, now) is None


@committed
def test_a_member_edit_link_never_reaches_another_visitor():
    """A member sees the edit link of the organisation's page, with its sections
    kept; a visitor after them does not, and the other way round."""
    organisation = OrganisationFactory()
    EventFactory(organisation=organisation, title="Journée des métiers")
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation)
    signed_in = Client()
    signed_in.force_login(member)
    visitor = Client()
    url = organisation.get_absolute_url()
    assert "Modifier la fiche" not in kept(visitor, url)
    page = body(signed_in, url)
    assert "Modifier la fiche" in page and "Journée des métiers" in page
    page = body(visitor, url)
    assert "Modifier la fiche" not in page and "Journée des métiers" in page


def _know_how():
    return KnowHow.objects.get(name="Gainerie au petit fer")


def _name_rome_job():
    RomeJob.objects.create(code="B1802", label="Gainier d'art")


@committed
def test_a_write_shows_on_the_next_visit_of_each_page():
    """Each page's own kept partials are built anew after a write to what they
    show."""
    organisation = OrganisationFactory(name="Atelier des sections")
    trade = TradeFactory(name="Gainier", rome_codes="B1802")
    certification = CertificationFactory(title="CAP Gainerie")
    offering = OfferingFactory(certification=certification)
    know_how = KnowHowFactory(name="Gainerie au petit fer")
    client = Client()
    writes = [
        (
            organisation.get_absolute_url(),
            lambda: PersonFactory(
                organisation=_organisation(), full_name="Jeanne Gainier", is_public=True
            ),
            "Jeanne Gainier",
        ),
        (
            trade.get_absolute_url(),
            lambda: _know_how().trades.add(_trade()),
            "Gainerie au petit fer",
        ),
        (trade.get_absolute_url(), _name_rome_job, "Gainier d&#x27;art"),
        (
            trade.get_absolute_url(),
            lambda: _organisation().trades.add(_trade()),
            "Atelier des sections",
        ),
        (
            certification.get_absolute_url(),
            lambda: SkillBlockFactory(
                certification=_certification(), title="Parer le cuir"
            ),
            "Parer le cuir",
        ),
        (
            certification.get_absolute_url(),
            lambda: OfferingFactory(
                certification=_certification(), organisation=_organisation()
            ),
            "Atelier des sections",
        ),
        (
            offering.get_absolute_url(),
            lambda: EventFactory(title="Journée du CAP").offerings.add(
                Offering.objects.get(pk=offering.pk)
            ),
            "Journée du CAP",
        ),
        (
            offering.get_absolute_url(),
            lambda: OfferingFactory(
                certification=_certification(),
                organisation=OrganisationFactory(name="Sellerie du Morvan"),
            ),
            "Sellerie du Morvan",
        ),
        (
            know_how.get_absolute_url(),
            lambda: HolderFactory(know_how=_know_how(), name="Maison Lefort"),
            "Maison Lefort",
        ),
        (
            know_how.get_absolute_url(),
            lambda: TransmissionActionFactory(
                know_how=_know_how(), title="Stage de gainerie"
            ),
            "Stage de gainerie",
        ),
        (
            "/metiers/savoir-faire-menaces/",
            lambda: KnowHowFactory(name="Dorure à la feuille", level=Level.ENDANGERED),
            "Dorure à la feuille",
        ),
    ]
    for url, write, shown in writes:
        assert shown not in kept(client, url), shown
        write()
        assert shown in body(client, url), shown


@committed
def test_kept_pages_are_read_back_without_their_queries():
    """Once kept, each page reads its object alone, none of the tables of what it
    or its sections list."""
    organisation = OrganisationFactory()
    PersonFactory(organisation=organisation, is_public=True)
    EventFactory(organisation=organisation)
    ArticleFactory(organisation=organisation)
    trade = TradeFactory(rome_codes="B1802")
    certification = CertificationFactory()
    SkillBlockFactory(certification=certification)
    offering = OfferingFactory(certification=certification)
    know_how = KnowHowFactory(level=Level.ENDANGERED)
    know_how.trades.add(trade)
    client = Client()
    for url, tables in [
        (
            organisation.get_absolute_url(),
            ["network_person", "network_site", *ORGANISATION_SECTION_TABLES],
        ),
        (
            trade.get_absolute_url(),
            [
                "trades_romejob",
                "trades_onisepjob",
                "trades_knowhow",
                "network_organisation",
                "trades_showcaseitem",
                *TRADE_SECTION_TABLES,
            ],
        ),
        (
            certification.get_absolute_url(),
            ["trainings_offering", "trainings_skillblock"],
        ),
        (
            offering.get_absolute_url(),
            [
                "trainings_insertionoutcome",
                "trainings_skillblock",
                "agenda_event",
                "trainings_offering_skill_blocks",
            ],
        ),
        (
            know_how.get_absolute_url(),
            ["trades_trade", "trades_holder", "trades_transmissionaction"],
        ),
        ("/metiers/savoir-faire-menaces/", ["trades_knowhow", "trades_trade"]),
    ]:
        warm(client, url)
        with CaptureQueriesContext(connection) as queries:
            body(client, url)
        read = [
            table
            for table in tables
            for query in queries
            if f'FROM "{table}"' in query["sql"]
        ]
        assert not read, (url, read)


@committed
def test_an_offering_page_changes_when_a_listed_event_ends():
    offering = OfferingFactory()
    soon = timezone.now() + timedelta(seconds=5)
    EventFactory(
        title="Portes ouvertes qui finissent",
        starts_at=soon - timedelta(hours=1),
        ends_at=soon,
    ).offerings.add(offering)
    client = Client()
    url = offering.get_absolute_url()
    assert "Portes ouvertes qui finissent" in kept(client, url)
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    assert "Portes ouvertes qui finissent" not in body(client, url)


@committed
def test_an_offering_edit_link_never_reaches_another_visitor():
    offering = OfferingFactory()
    member = UserFactory()
    MembershipFactory(user=member, organisation=offering.organisation)
    signed_in = Client()
    signed_in.force_login(member)
    visitor = Client()
    url = offering.get_absolute_url()
    assert "Ajouter une journée portes ouvertes" not in kept(visitor, url)
    page = body(signed_in, url)
    assert "Ajouter une journée portes ouvertes" in page
    assert f"/espace/formations/{offering.pk}/" in page
    page = body(visitor, url)
    assert "Ajouter une journée portes ouvertes" not in page
    assert f"/espace/formations/{offering.pk}/" not in page


@committed
def test_an_offer_page_is_kept_until_a_write_or_its_last_day_ends():
    """An offer's page (its description and JSON-LD among it) is kept until the
    offer changes, and until the day after its last day, when it closes or its
    notice says it expired."""
    offer = OfferFactory(description="Piquer des **sacs**.")
    client = Client()
    url = offer.get_absolute_url()
    page = kept(client, url)
    assert "<strong>sacs</strong>" in page and "application/ld+json" in page
    offer.description = "Piquer des **ceintures**."
    offer.save()
    page = body(client, url)
    assert "<strong>ceintures</strong>" in page and "<strong>sacs</strong>" not in page
    _, closes_at = _offer_page_parts(offer)
    assert closes_at() == _midnight(offer.expires_on + timedelta(days=1))
    offer.organisation_published = False
    _, expires_at = _offer_page_parts(offer)
    assert expires_at() == _midnight(offer.expires_on + timedelta(days=1))
    offer.expires_on = timezone.localdate() - timedelta(days=1)
    assert _offer_page_parts(offer)[1]() is None


@committed
def test_an_offer_edit_link_never_reaches_another_visitor():
    offer = OfferFactory()
    member = UserFactory()
    MembershipFactory(user=member, organisation=offer.organisation)
    signed_in = Client()
    signed_in.force_login(member)
    visitor = Client()
    url = offer.get_absolute_url()
    edit_url = f"/espace/offres/{offer.pk}/"
    assert edit_url not in kept(visitor, url)
    assert edit_url in body(signed_in, url)
    assert edit_url not in body(visitor, url)


@pytest.mark.django_db
def test_pages_built_anew_cost_the_same_queries_whatever_they_list(client):
    """Built after a write, an organisation's page costs the same with one or three
    articles, and a certification's with one or three trainings."""
    organisation = OrganisationFactory()
    ArticleFactory(organisation=organisation)
    certification = CertificationFactory()
    OfferingFactory(certification=certification)
    urls = [organisation.get_absolute_url(), certification.get_absolute_url()]
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            body(client, url)
        few[url] = len(queries)
    ArticleFactory.create_batch(2, organisation=organisation)
    OfferingFactory.create_batch(2, certification=certification)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            page = body(client, url)
        assert len(queries) == few[url], (url, [q["sql"] for q in queries])
    assert page.count('<li class="result">') == 3

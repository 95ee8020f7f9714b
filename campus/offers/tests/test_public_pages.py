"""The public offers: list, filters, detail with JSON-LD, RSS, the La bonne
alternance export, and the offers on trade and certification pages."""

import json
import re
from html import unescape
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory
from campus.offers.models import Contract
from campus.offers.tests.factories import OfferFactory, RomeJobFactory
from campus.testing.htmx import assert_filter_swap
from campus.trades.tests.factories import TradeFactory
from campus.trainings.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("offers:offer_list")


def text(response) -> str:
    return unescape(response.content.decode())


def titles(response) -> list[str]:
    return [offer.title for offer in response.context["page"].object_list]


@pytest.fixture
def varied(besancon):
    """A CAP apprenticeship in Montbard, a job in Besançon, a setter's internship
    with no diploma in Besançon, and three offers nobody may see."""
    cap = CertificationFactory(title="CAP Maroquinerie", level=3)
    sertisseur = RomeJobFactory(code="B1610", label="Sertisseur / Sertisseuse")
    TradeFactory(name="Maroquinier", slug="maroquinier", rome_codes="B1802")
    TradeFactory(name="Sertisseur", slug="sertisseur", rome_codes="B1610")
    return {
        "cap": OfferFactory(title="Apprenti piqueur", certification=cap),
        "job": OfferFactory(title="Coupeur confirmé", job=True, commune=besancon),
        "internship": OfferFactory(
            title="Stage de sertissage",
            contract=Contract.INTERNSHIP,
            rome_job=sertisseur,
            commune=besancon,
        ),
        "expired": OfferFactory(title="Offre expirée", expired=True),
        "withdrawn": OfferFactory(title="Offre retirée", withdrawn=True),
        "hidden": OfferFactory(
            title="Offre d'un atelier masqué", organisation__unpublished=True
        ),
    }


def test_list_shows_the_open_offers_only_newest_first(client, varied):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [
        "Stage de sertissage",
        "Coupeur confirmé",
        "Apprenti piqueur",
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("contrat=apprentissage", ["Apprenti piqueur"]),
        ("contrat=emploi", ["Coupeur confirmé"]),
        ("metier=sertisseur", ["Stage de sertissage"]),
        ("metier=B1802", ["Coupeur confirmé", "Apprenti piqueur"]),
        ("niveau=3", ["Apprenti piqueur"]),
        ("q=sertissage", ["Stage de sertissage"]),
        ("q=montbard", ["Apprenti piqueur"]),
        ("commune=25056&rayon=10", ["Stage de sertissage", "Coupeur confirmé"]),
        ("commune=21425", ["Apprenti piqueur"]),
    ],
)
def test_filters(client, varied, query, expected):
    """Contract, trade (by name or ROME code), level, words and commune + radius."""
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(expected)


def test_around_a_commune_the_nearest_come_first_with_their_distance(client, varied):
    response = client.get(f"{LIST}?commune=21425&rayon=200")
    assert titles(response)[0] == "Apprenti piqueur"
    assert "à 0 km" in text(response)


@pytest.mark.parametrize(
    "query, message",
    [
        ("contrat=cdi", "Type d'offre inconnu : apprentissage, stage ou emploi."),
        ("niveau=12", "Niveau inconnu : choisissez un niveau de 3 à 8."),
        ("metier=astronaute", "Métier inconnu : choisissez-en un dans la liste."),
        ("commune=Atlantide", "Commune inconnue"),
        ("commune=21425&rayon=-5", "La distance doit être d'au moins 1 km."),
        ("commune=21425&rayon=9999", "La distance est limitée à 200 km."),
        ("rayon=20", "Indiquez la commune d'où compter la distance."),
        ("q=" + "x" * 500, "La recherche est trop longue"),
        ("contrat=<script>alert(1)</script>", "Type d'offre inconnu"),
    ],
)
def test_bad_filters_are_a_french_400(client, varied, query, message):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert message in text(response)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_filtering_with_htmx_leaves_the_page_a_reload_shows(client, varied):
    swapped, response = assert_filter_swap(client, LIST, {"contrat": "apprentissage"})
    assert response.status_code == 200
    assert "1 offre" in str(swapped.select_one("#results-count"))


def test_a_filter_error_swapped_with_htmx_shows_as_a_reload_does(client, varied):
    swapped, response = assert_filter_swap(
        client, LIST, {"commune": "Montbard", "rayon": "9999"}
    )
    assert response.status_code == 400
    assert "La distance est limitée à 200 km." in str(swapped.select_one("#results"))


def test_list_queries_do_not_grow_with_the_offers(
    client, varied, django_assert_max_num_queries
):
    OfferFactory.create_batch(15)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(titles(response)) == 18


def test_detail_of_an_open_offer_has_its_job_posting(client, varied):
    offer = varied["cap"]
    response = client.get(offer.get_absolute_url())
    assert response.status_code == 200
    page = text(response)
    assert "recrutement@atelier.example" in page
    assert "<strong>petite maroquinerie</strong>" in response.content.decode()
    data = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>',
            response.content.decode(),
            re.S,
        ).group(1)
    )
    assert data["@type"] == "JobPosting"
    assert data["validThrough"] == offer.expires_on.isoformat()
    assert data["hiringOrganization"]["name"] == offer.organisation.name
    assert data["jobLocation"]["address"]["addressLocality"] == "Montbard"
    assert data["occupationalCategory"].startswith("B1802")
    assert data["educationalCredentialAwarded"]["name"] == "CAP Maroquinerie"


@pytest.mark.parametrize("state", ["expired", "withdrawn", "hidden"])
def test_a_closed_offer_is_404_for_the_public_and_shown_to_its_members(
    client, varied, state
):
    offer = varied[state]
    assert client.get(offer.get_absolute_url()).status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(offer.get_absolute_url()).status_code == 404
    client.force_login(MembershipFactory(organisation=offer.organisation).user)
    response = client.get(offer.get_absolute_url())
    assert response.status_code == 200
    assert "application/ld+json" not in response.content.decode()
    assert "visible du public" in text(response) or "retiré" in text(response)


def test_rss_lists_the_open_offers_with_the_list_filters(client, varied):
    response = client.get(reverse("offers:rss"))
    assert response.status_code == 200
    items = ElementTree.fromstring(response.content).findall("./channel/item")
    assert len(items) == 3
    filtered = client.get(reverse("offers:rss") + "?contrat=stage")
    [item] = ElementTree.fromstring(filtered.content).findall("./channel/item")
    assert item.findtext("title").startswith("Stage de sertissage")
    bad = client.get(reverse("offers:rss") + "?contrat=cdi")
    assert bad.status_code == 400
    assert "Type d'offre inconnu" in bad.content.decode()


def test_the_lba_export_has_open_apprenticeships_of_companies_with_a_siret(
    client, varied
):
    organisation = varied["cap"].organisation
    organisation.siret = "73282932000074"
    organisation.save()
    without_siret = OfferFactory()
    response = client.get(reverse("offers:export_lba"))
    assert response.status_code == 200
    data = response.json()
    [exported] = data["offers"]
    offer = varied["cap"]
    assert exported["identifier"] == {"partner_job_id": str(offer.pk)}
    assert exported["workplace"]["siret"] == "73282932000074"
    assert exported["contract"]["type"] == ["Apprentissage"]
    assert exported["contract"]["duration"] == 24
    assert exported["contract"]["start"].startswith(offer.starts_on.isoformat())
    assert exported["offer"]["rome_codes"] == ["B1802"]
    assert exported["offer"]["target_diploma"] == {"european": "3"}
    assert exported["offer"]["expiration"].startswith(offer.expires_on.isoformat())
    assert exported["apply"]["email"] == "recrutement@atelier.example"
    assert data["skipped"] == [
        {
            "partner_job_id": str(without_siret.pk),
            "reason": "L'organisation n'a pas de SIRET.",
        }
    ]


def test_trade_and_certification_pages_show_their_open_offers(client, varied):
    trade_page = text(client.get(reverse("trades:trade_detail", args=["sertisseur"])))
    assert "Stage de sertissage" in trade_page
    assert "Apprenti piqueur" not in trade_page
    assert "/offres/?metier=sertisseur" in trade_page
    certification = varied["cap"].certification
    page = text(client.get(certification.get_absolute_url()))
    assert "Offres pour préparer ce diplôme" in page
    assert "Apprenti piqueur" in page
    other = text(client.get(CertificationFactory().get_absolute_url()))
    assert "Offres pour préparer ce diplôme" not in other


def test_the_team_sees_a_withdrawn_offer(client, varied):
    client.force_login(UserFactory(campus_team=True))
    assert client.get(varied["withdrawn"].get_absolute_url()).status_code == 200

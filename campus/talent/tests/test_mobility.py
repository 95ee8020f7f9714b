"""European mobility: the public page, the team's pages, the counts and their
export, and the erasure of learners' names after five years."""

import datetime
import html
import io
import os
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch
from django.utils import timezone
from openpyxl import load_workbook

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent.mobility import (
    ERASMUS_HOST_COUNTRIES,
    anonymise_old_mobilities,
    mobility_counts,
)
from campus.talent.models import (
    ANONYMOUS_LEARNER,
    CallKind,
    HostPartner,
    Mobility,
    MobilityOffer,
)
from campus.talent.tests.factories import CallFactory
from campus.talent.tests.mobility_factories import (
    HostPartnerFactory,
    MobilityFactory,
    MobilityOfferFactory,
    pdf_bytes,
    png_bytes,
)
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db

ID_URLS = [
    "/gestion/talents/mobilites/partenaires/{partner}/",
    "/gestion/talents/mobilites/offres/{offer}/",
    "/gestion/talents/mobilites/realisees/{mobility}/",
    "/gestion/talents/mobilites/realisees/{mobility}/attestation/",
    "/gestion/talents/mobilites/realisees/{mobility}/supprimer/",
]
LIST_URLS = [
    "/gestion/talents/mobilites/",
    "/gestion/talents/mobilites/comptes.xlsx",
    "/gestion/talents/mobilites/partenaires/",
    "/gestion/talents/mobilites/partenaires/nouveau/",
    "/gestion/talents/mobilites/offres/nouvelle/",
    "/gestion/talents/mobilites/realisees/",
    "/gestion/talents/mobilites/realisees/nouvelle/",
]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def team():
    return UserFactory(campus_team=True)


@pytest.fixture
def mobility():
    return MobilityFactory(
        certificate=SimpleUploadedFile("attestation.pdf", pdf_bytes())
    )


def ids(mobility):
    offer = MobilityOfferFactory(host_partner=mobility.host_partner)
    return {
        "partner": mobility.host_partner.pk,
        "offer": offer.pk,
        "mobility": mobility.pk,
    }


def mobility_data(**overrides):
    data = {
        "learner_first_name": "Camille",
        "learner_last_initial": "d",
        "sending_school": OrganisationFactory().pk,
        "trade": TradeFactory().pk,
        "host_partner": HostPartnerFactory().pk,
        "departure_on": "2026-03-02",
        "return_on": "2026-03-30",
        "europass_issued": "on",
    }
    return {**data, **overrides}


def partner_data(**overrides):
    data = {
        "name": "Scuola del cuoio",
        "country": "IT",
        "city": "Florence",
        "website": "www.scuola.example",
        "contact_email": "info@scuola.example",
        "is_active": "on",
    }
    return {**data, **overrides}


# Public page


def test_public_page_lists_active_partners_by_country_and_published_offers(client):
    """French country names, no private e-mail, no inactive partner, no draft offer."""
    italy = HostPartnerFactory(name="Scuola del cuoio", country="IT")
    spain = HostPartnerFactory(name="Taller de Ubrique", country="ES", city="Ubrique")
    HostPartnerFactory(name="Partenaire en sommeil", country="PT", inactive=True)
    call = CallFactory(kind=CallKind.MOBILITY, title="Erasmus+ 2027")
    MobilityOfferFactory(host_partner=italy, title="Stage à Florence", call=call)
    MobilityOfferFactory(
        host_partner=spain, title="Offre brouillon", is_published=False
    )
    response = client.get("/talents/mobilite/")
    page = text(response)
    assert response.status_code == 200
    assert "Italie" in page and "Espagne" in page and "Portugal" not in page
    partners = page[page.index("Nos partenaires d'accueil") :]
    assert partners.index("Espagne") < partners.index("Italie")
    assert "Scuola del cuoio" in page and "Partenaire en sommeil" not in page
    assert "Stage à Florence" in page and "Offre brouillon" not in page
    assert "@scuola.example" not in page
    try:
        call_url = call.get_absolute_url()
    except NoReverseMatch:  # the calls' public pages are not installed
        assert "L'appel à candidatures sera publié prochainement." in page
    else:
        assert f'href="{call_url}"' in page and "Candidater" in page


def test_public_page_hides_offers_of_inactive_partners(client):
    MobilityOfferFactory(
        title="Offre d'un partenaire en sommeil",
        host_partner=HostPartnerFactory(inactive=True),
    )
    page = text(client.get("/talents/mobilite/"))
    assert "Offre d'un partenaire en sommeil" not in page
    assert "Aucune offre de mobilité publiée" in page


# Who may do what


@pytest.mark.parametrize("url", ID_URLS + LIST_URLS)
def test_team_pages_are_hidden_from_everyone_but_the_team(client, mobility, url):
    """Anonymous visitors go to log in; a member of the sending school gets 404,
    on GET and on POST, and nothing changes."""
    url = url.format(**ids(mobility))
    assert client.get(url).status_code == 302
    client.force_login(MembershipFactory(organisation=mobility.sending_school).user)
    assert client.get(url).status_code == 404
    assert client.post(url, mobility_data(learner_first_name="Pirate")).status_code in (
        404,
        405,
    )
    assert not Mobility.objects.filter(learner_first_name="Pirate").exists()


@pytest.mark.parametrize("url", ID_URLS)
def test_unknown_ids_are_404_for_the_team(client, team, url):
    client.force_login(team)
    url = url.format(partner=999999, offer=999999, mobility=999999)
    assert client.get(url).status_code == 404


def test_certificate_is_served_to_the_team_only_never_under_media(
    client, team, mobility
):
    assert mobility.certificate.name.startswith("mobilites/")
    assert client.get(f"/media/{mobility.certificate.name}").status_code == 404
    client.force_login(team)
    response = client.get(
        f"/gestion/talents/mobilites/realisees/{mobility.pk}/attestation/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    without = MobilityFactory()
    assert (
        client.get(
            f"/gestion/talents/mobilites/realisees/{without.pk}/attestation/"
        ).status_code
        == 404
    )


# The team's forms


def test_team_adds_a_host_partner(client, team):
    client.force_login(team)
    response = client.post(
        "/gestion/talents/mobilites/partenaires/nouveau/", partner_data()
    )
    assert response.status_code == 302
    partner = HostPartner.objects.get()
    assert partner.country.code == "IT"
    assert partner.website == "https://www.scuola.example"


def test_partner_form_offers_only_erasmus_countries_other_than_france(client, team):
    client.force_login(team)
    page = text(client.get("/gestion/talents/mobilites/partenaires/nouveau/"))
    assert '<option value="IT">Italie</option>' in page
    assert '<option value="TR">Turquie</option>' in page
    assert 'value="FR"' not in page and 'value="CH"' not in page
    assert len(ERASMUS_HOST_COUNTRIES) == 32


@pytest.mark.parametrize("country", ["FR", "CH", "US", "XX", "<script>", ""])
def test_unknown_or_excluded_country_is_refused(client, team, country):
    client.force_login(team)
    response = client.post(
        "/gestion/talents/mobilites/partenaires/nouveau/",
        partner_data(country=country),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Pays inconnu ou hors du programme Erasmus+" in page or (
        "Choisissez le pays." in page
    )
    assert not HostPartner.objects.exists()


def test_team_publishes_an_offer_linked_to_a_mobility_call(client, team):
    partner = HostPartnerFactory()
    call = CallFactory(kind=CallKind.MOBILITY)
    client.force_login(team)
    data = {
        "host_partner": partner.pk,
        "title": "Stage à Florence",
        "duration_weeks": "4",
        "period": "mars–avril 2027",
        "places": "3",
        "call": call.pk,
        "is_published": "on",
    }
    response = client.post("/gestion/talents/mobilites/offres/nouvelle/", data)
    assert response.status_code == 302
    assert MobilityOffer.objects.get().call == call


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_weeks": "0"}, "Indiquez au moins une semaine."),
        ({"duration_weeks": "99"}, "Une mobilité dure au plus 52 semaines."),
        ({"places": "beaucoup"}, "Indiquez un nombre entier de places."),
        ({"host_partner": "999999"}, "Partenaire inconnu"),
        ({"call": "projects"}, "Appel inconnu"),
    ],
)
def test_bad_offer_input_is_refused(client, team, overrides, message):
    partner = HostPartnerFactory()
    projects_call = CallFactory()  # a call for projects is not a mobility call
    client.force_login(team)
    data = {
        "host_partner": partner.pk,
        "title": "Stage",
        "duration_weeks": "4",
        "period": "mars 2027",
        "places": "3",
        **overrides,
    }
    if data.get("call") == "projects":
        data["call"] = projects_call.pk
    response = client.post("/gestion/talents/mobilites/offres/nouvelle/", data)
    assert response.status_code == 400
    assert message in text(response)
    assert not MobilityOffer.objects.exists()


def test_team_records_a_mobility_with_its_certificate(client, team):
    client.force_login(team)
    certificate = SimpleUploadedFile(
        "Attestation Camille.PDF", pdf_bytes(), content_type="application/pdf"
    )
    response = client.post(
        "/gestion/talents/mobilites/realisees/nouvelle/",
        mobility_data(certificate=certificate),
    )
    assert response.status_code == 302
    mobility = Mobility.objects.get()
    assert mobility.learner_name == "Camille D."
    assert mobility.certificate.name.startswith("mobilites/attestation-camille")
    assert mobility.certificate.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"departure_on": "2026-03-30", "return_on": "2026-03-02"},
            "Le retour doit suivre le départ.",
        ),
        (
            {"departure_on": "2026-03-02", "return_on": "2026-03-02"},
            "Le retour doit suivre le départ.",
        ),
        ({"return_on": "2026-02-30"}, "Indiquez une date valide"),
        ({"learner_first_name": "  "}, "Indiquez le prénom de l'apprenant."),
        ({"learner_last_initial": "Dupont"}, "Indiquez une seule lettre"),
        ({"learner_last_initial": "7"}, "Indiquez une lettre"),
        ({"trade": "999999"}, "Métier inconnu"),
        ({"sending_school": "abc"}, "Établissement inconnu"),
        (
            {
                "certificate": SimpleUploadedFile(
                    "attestation.pdf", b"%PDF-1.7 pas vraiment un PDF"
                )
            },
            "Ce PDF est illisible ou incomplet.",
        ),
        (
            {"certificate": SimpleUploadedFile("attestation.pdf", b"MZ\x90\x00")},
            "ni un PDF ni une image lisible",
        ),
        (
            {"certificate": SimpleUploadedFile("photo.pdf", png_bytes())},
            "L'attestation doit être un PDF, pas une image.",
        ),
    ],
)
def test_bad_mobility_input_is_refused(client, team, overrides, message):
    client.force_login(team)
    response = client.post(
        "/gestion/talents/mobilites/realisees/nouvelle/", mobility_data(**overrides)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Mobility.objects.exists()


def test_oversized_certificate_is_refused(client, team, settings):
    settings.CAMPUS_MAX_DOCUMENT_BYTES = 1000
    client.force_login(team)
    response = client.post(
        "/gestion/talents/mobilites/realisees/nouvelle/",
        mobility_data(certificate=SimpleUploadedFile("a.pdf", pdf_bytes() * 3)),
    )
    assert response.status_code == 400
    assert "la limite est de" in text(response)
    assert not Mobility.objects.exists()


def test_hostile_names_are_escaped_on_the_team_list(client, team):
    MobilityFactory(learner_first_name="<script>alert(1)</script>")
    client.force_login(team)
    page = client.get("/gestion/talents/mobilites/realisees/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# Counts


def _spread():
    """Mobilities over two years, three countries, two trades, two schools."""
    italy = HostPartnerFactory(country="IT")
    spain = HostPartnerFactory(country="ES")
    norway = HostPartnerFactory(country="NO")
    school_a = OrganisationFactory(name="Lycée A")
    school_b = OrganisationFactory(name="=CFA B")
    leather, jewel = TradeFactory(name="Maroquinier"), TradeFactory(name="Bijoutier")
    rows = [
        (italy, school_a, leather, datetime.date(2025, 3, 1)),
        (italy, school_b, leather, datetime.date(2025, 11, 1)),
        (spain, school_a, jewel, datetime.date(2025, 5, 1)),
        (spain, school_a, leather, datetime.date(2026, 3, 1)),
        (norway, school_b, jewel, datetime.date(2026, 4, 1)),
        (italy, school_a, leather, datetime.date(2026, 12, 30)),
    ]
    for partner, school, trade, departure in rows:
        MobilityFactory(
            host_partner=partner,
            sending_school=school,
            trade=trade,
            departure_on=departure,
        )
    return rows


def test_counts_match_an_independent_computation():
    _spread()
    mobilities = list(
        Mobility.objects.select_related("host_partner", "trade", "sending_school")
    )
    counts = mobility_counts()
    assert counts.total == 6
    assert dict(counts.by_year) == Counter(m.departure_on.year for m in mobilities)
    assert dict(counts.by_country) == {"Italie": 3, "Espagne": 2, "Norvège": 1}
    assert dict(counts.by_trade) == Counter(m.trade.name for m in mobilities)
    assert dict(counts.by_school) == Counter(m.sending_school.name for m in mobilities)
    in_2026 = mobility_counts(2026)
    assert in_2026.total == 3 and in_2026.by_year == [(2026, 3)]
    assert dict(in_2026.by_country) == {"Espagne": 1, "Norvège": 1, "Italie": 1}
    assert mobility_counts(2024).total == 0


def test_counts_page_and_xlsx_export_read_back(client, team):
    _spread()
    client.force_login(team)
    page = text(client.get("/gestion/talents/mobilites/?annee=2025"))
    assert "<strong>3</strong> mobilités réalisées avec un départ en 2025" in page
    response = client.get("/gestion/talents/mobilites/comptes.xlsx?annee=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('mobilites-2025.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Par année",
        "Par pays",
        "Par métier",
        "Par établissement",
    ]
    rows = list(workbook["Par pays"].values)
    assert rows[0] == ("Pays d'accueil", "Mobilités")
    assert rows[1:] == [("Italie", 2), ("Espagne", 1), ("Total", 3)]
    schools = dict(list(workbook["Par établissement"].values)[1:])
    assert schools == {"Lycée A": 2, "'=CFA B": 1, "Total": 3}
    assert isinstance(schools["Lycée A"], int)


@pytest.mark.parametrize("year", ["1999", "abc", "<script>"])
def test_unknown_year_is_a_french_message(client, team, year):
    _spread()
    client.force_login(team)
    for url in (
        "/gestion/talents/mobilites/",
        "/gestion/talents/mobilites/comptes.xlsx",
    ):
        response = client.get(url, {"annee": year})
        assert response.status_code == 400
        assert "Année inconnue" in text(response)


# Retention


def test_old_mobilities_are_anonymised_five_years_after_return(
    django_capture_on_commit_callbacks,
):
    """The name and the certificate go; the mobility stays in the counts."""
    now = timezone.now()
    today = now.date()
    old = MobilityFactory(
        learner_first_name="Ancienne",
        departure_on=today - datetime.timedelta(days=5 * 365 + 60),
        return_on=today - datetime.timedelta(days=5 * 365 + 1),
        certificate=SimpleUploadedFile("a.pdf", pdf_bytes()),
    )
    path = old.certificate.path
    recent = MobilityFactory(
        learner_first_name="Récente",
        departure_on=today - datetime.timedelta(days=5 * 365 + 20),
        return_on=today - datetime.timedelta(days=5 * 365 - 1),
    )
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        count = anonymise_old_mobilities(now)
    assert count == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.learner_name == ANONYMOUS_LEARNER and not old.certificate
    assert not os.path.exists(path)
    assert old.anonymised_at == now
    assert recent.learner_name == "Récente D."
    assert anonymise_old_mobilities(now) == 0
    assert mobility_counts().total == 2


def test_team_forms_name_every_empty_choice(client, team, mobility):
    """No select of the team's pages shows Django's « --------- »."""
    client.force_login(team)
    for url in [*ID_URLS[:3], *LIST_URLS[2:], "/gestion/talents/mobilites/"]:
        url = url.format(**ids(mobility))
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"---------" not in response.content, url


def test_public_page_queries_do_not_grow_with_rows(
    client, django_assert_max_num_queries
):
    for country in ("IT", "ES", "NO", "PT"):
        partner = HostPartnerFactory(country=country)
        partner.trades.add(TradeFactory())
        MobilityOfferFactory(
            host_partner=partner, call=CallFactory(kind=CallKind.MOBILITY)
        )
    with django_assert_max_num_queries(4):
        assert client.get("/talents/mobilite/").status_code == 200


def test_back_office_home_has_the_residency_and_mobility_cards(client, team):
    client.force_login(team)
    page = text(client.get("/gestion/"))
    assert "Suivre les mobilités" in page and "Gérer les résidences" in page


def test_team_deletes_a_mobility_and_its_certificate(
    client, team, mobility, django_capture_on_commit_callbacks
):
    path = mobility.certificate.path
    client.force_login(team)
    url = f"/gestion/talents/mobilites/realisees/{mobility.pk}/supprimer/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not Mobility.objects.exists()
    assert not os.path.exists(path)

"""The partner space (/espace/offres/) and the team's moderation (/gestion/offres/):
who may do what, and bad input refused in French with nothing saved."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory
from campus.offers.models import VALIDITY_DAYS, Contract, Offer
from campus.offers.tests.factories import OfferFactory, RomeJobFactory
from campus.places.tests.factories import CommuneFactory
from campus.trainings.tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db

PARTNER_URLS = [
    "/espace/offres/{pk}/",
    "/espace/offres/{pk}/supprimer/",
]
TEAM_URLS = ["/gestion/offres/", "/gestion/offres/{pk}/"]


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def offer():
    return OfferFactory(title="Apprenti piqueur")


@pytest.fixture
def editor(offer):
    return MembershipFactory(organisation=offer.organisation).user


def valid_data(organisation, **changes) -> dict:
    CommuneFactory()
    RomeJobFactory()
    data = {
        "organisation": organisation.pk,
        "contract": Contract.APPRENTICESHIP,
        "title": "Apprentie coupeuse cuir",
        "rome_job": "B1802",
        "certification": "",
        "commune": "21500 Montbard",
        "starts_on": in_days(30).isoformat(),
        "duration_months": "24",
        "positions": "2",
        "description": "La **coupe** du cuir à la main.",
        "apply_url": "",
        "apply_email": "recrutement@atelier.example",
        "expires_on": in_days(VALIDITY_DAYS).isoformat(),
    }
    data.update(changes)
    return data


def test_querysets_follow_the_ownership_rule(offer):
    expired = OfferFactory(organisation=offer.organisation, expired=True)
    editor = MembershipFactory(organisation=offer.organisation).user
    viewer = MembershipFactory(
        organisation=offer.organisation, role=MemberRole.VIEWER
    ).user
    other = MembershipFactory().user
    team = UserFactory(campus_team=True)
    assert set(Offer.objects.visible_to(viewer)) == {offer, expired}
    assert set(Offer.objects.editable_by(editor)) == {offer, expired}
    assert not Offer.objects.editable_by(viewer).exists()
    assert list(Offer.objects.visible_to(other)) == [offer]
    assert set(Offer.objects.editable_by(team)) == {offer, expired}


@pytest.mark.parametrize(
    "url", PARTNER_URLS + TEAM_URLS + ["/espace/offres/", "/espace/offres/publier/"]
)
def test_anonymous_visitor_is_sent_to_login(client, offer, url):
    response = client.get(url.format(pk=offer.pk))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


@pytest.mark.parametrize("url", PARTNER_URLS + ["/espace/offres/{pk}/prolonger/"])
def test_another_partner_gets_404_and_changes_nothing(client, offer, url):
    client.force_login(MembershipFactory().user)
    url = url.format(pk=offer.pk)
    assert client.post(url, {"title": "Piraté"}).status_code == 404
    offer.refresh_from_db()
    assert offer.title == "Apprenti piqueur"
    assert offer.expires_on == in_days(VALIDITY_DAYS)


@pytest.mark.parametrize(
    "url",
    TEAM_URLS + ["/gestion/offres/{pk}/retirer/", "/gestion/offres/{pk}/republier/"],
)
def test_partners_cannot_moderate_even_their_own_offer(client, offer, editor, url):
    client.force_login(editor)
    url = url.format(pk=offer.pk)
    assert client.post(url, {"reason": "Non"}).status_code in (404, 405)
    assert client.get(url).status_code in (404, 405)
    offer.refresh_from_db()
    assert not offer.is_withdrawn


def test_viewer_reads_the_list_but_cannot_edit(client, offer):
    viewer = MembershipFactory(
        organisation=offer.organisation, role=MemberRole.VIEWER
    ).user
    client.force_login(viewer)
    page = unescape(client.get("/espace/offres/").content.decode())
    assert "Apprenti piqueur" in page
    assert f"/espace/offres/{offer.pk}/" not in page
    assert client.get(f"/espace/offres/{offer.pk}/").status_code == 404
    assert client.get("/espace/offres/publier/").status_code == 302


def test_an_editor_publishes_an_offer_open_at_once(client, offer, editor):
    client.force_login(editor)
    response = client.post("/espace/offres/publier/", valid_data(offer.organisation))
    assert response.status_code == 302
    created = Offer.objects.get(title="Apprentie coupeuse cuir")
    assert created.author == editor and created.is_open
    assert created.commune.name == "Montbard"
    assert created.departement_code == "21"
    assert created.latitude is not None


def test_an_editor_edits_renews_and_deletes(client, offer, editor):
    client.force_login(editor)
    data = valid_data(offer.organisation, title="Apprenti piqueur (2 postes)")
    assert client.post(f"/espace/offres/{offer.pk}/", data).status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Apprenti piqueur (2 postes)"
    assert client.post(f"/espace/offres/{offer.pk}/prolonger/").status_code == 302
    offer.refresh_from_db()
    assert offer.expires_on == in_days(2 * VALIDITY_DAYS)
    assert client.get(f"/espace/offres/{offer.pk}/prolonger/").status_code == 405
    assert client.post(f"/espace/offres/{offer.pk}/supprimer/").status_code == 302
    assert not Offer.objects.filter(pk=offer.pk).exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"title": ""}, "title", "Donnez un intitulé à l'offre."),
        ({"title": "x" * 151}, "title", "L'intitulé fait au plus 150 caractères."),
        ({"contract": "cdi"}, "contract", "Type d'offre inconnu"),
        ({"rome_job": "Z9999"}, "rome_job", "Code ROME inconnu"),
        ({"rome_job": "<b>"}, "rome_job", "Code ROME inconnu"),
        ({"certification": "999999"}, "certification", "Diplôme inconnu"),
        ({"commune": "Atlantide"}, "commune", "Commune inconnue"),
        ({"starts_on": "2001-01-01"}, "starts_on", "La date de début est passée."),
        ({"starts_on": "2099-01-01"}, "starts_on", "plus de deux ans"),
        ({"starts_on": "demain"}, "starts_on", "Date de début invalide"),
        ({"duration_months": "-3"}, "duration_months", "au moins un mois"),
        ({"duration_months": "600"}, "duration_months", "limitée à 60 mois"),
        ({"positions": "0"}, "positions", "au moins un poste"),
        ({"positions": "-1"}, "positions", "au moins un poste"),
        ({"positions": "1000"}, "positions", "50 postes au plus"),
        ({"description": ""}, "description", "Décrivez le poste."),
        ({"description": "x" * 8001}, "description", "au plus 8000 caractères"),
        (
            {"description": "<script>alert(1)</script>"},
            "description",
            "HTML",
        ),
        (
            {"description": "[lien](javascript:alert(1))"},
            "description",
            "",
        ),
        ({"apply_email": ""}, "apply_email", "une adresse web ou un e-mail"),
        ({"apply_email": "pas-un-email"}, "apply_email", "Adresse e-mail invalide."),
        ({"apply_url": "javascript:alert(1)"}, "apply_url", "Adresse web invalide"),
        ({"expires_on": "2001-01-01"}, "expires_on", "est passée"),
        ({"expires_on": in_days(400).isoformat()}, "expires_on", "4 mois au plus"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_saved(
    client, offer, editor, changes, field, message
):
    client.force_login(editor)
    before = Offer.objects.count()
    response = client.post(
        "/espace/offres/publier/", valid_data(offer.organisation, **changes)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert Offer.objects.count() == before


def test_a_tampered_organisation_is_refused(client, offer, editor):
    client.force_login(editor)
    stranger = OfferFactory().organisation
    response = client.post("/espace/offres/publier/", valid_data(stranger))
    assert response.status_code == 400
    assert "Organisation inconnue" in " ".join(
        response.context["form"].errors["organisation"]
    )


def test_editing_keeps_a_past_start_date_and_a_withdrawn_offer_withdrawn(
    client, editor, offer
):
    offer.starts_on = in_days(-10)
    offer.is_withdrawn = True
    offer.save()
    client.force_login(editor)
    data = valid_data(offer.organisation, starts_on=offer.starts_on.isoformat())
    assert client.post(f"/espace/offres/{offer.pk}/", data).status_code == 302
    offer.refresh_from_db()
    assert offer.is_withdrawn
    response = client.post(f"/espace/offres/{offer.pk}/prolonger/")
    assert response.status_code == 409
    assert "retiré" in unescape(response.content.decode())


def test_the_team_withdraws_with_a_reason_and_republishes(client, offer):
    client.force_login(UserFactory(campus_team=True))
    assert client.get("/gestion/offres/").status_code == 200
    response = client.post(f"/gestion/offres/{offer.pk}/retirer/", {"reason": ""})
    assert response.status_code == 400
    assert "Indiquez le motif" in unescape(response.content.decode())
    offer.refresh_from_db()
    assert not offer.is_withdrawn
    response = client.post(
        f"/gestion/offres/{offer.pk}/retirer/", {"reason": "Hors filière."}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.is_withdrawn
    assert client.get(offer.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(campus_team=True))
    for show in ("open", "expired", "withdrawn", "all", "nimporte"):
        assert client.get(f"/gestion/offres/?statut={show}").status_code == 200
    assert client.post(f"/gestion/offres/{offer.pk}/republier/").status_code == 302
    offer.refresh_from_db()
    assert offer.is_open


def test_an_unknown_renewal_link_is_404_in_french(client):
    response = client.get("/offres/prolonger/pas-un-jeton/")
    assert response.status_code == 404
    assert "Ce lien de prolongation est inconnu" in unescape(response.content.decode())


def test_certification_choices_are_listed_with_their_type(client, editor):
    CertificationFactory(title="CAP Sellier harnacheur")
    RomeJobFactory()
    client.force_login(editor)
    page = unescape(client.get("/espace/offres/publier/").content.decode())
    assert "CAP Sellier harnacheur (CAP)" in page
    assert "Maroquinier / Maroquinière (B1802)" in page
    assert "---------" not in page

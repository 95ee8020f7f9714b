"""Who may see campaigns, and what a link's visitor gets: the answer page, a clear
French page for a bad link, a French message and nothing saved for bad input."""

import html
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import load_workbook

from campus.accounts.tests.factories import UserFactory
from campus.needs.models import Need, NeedKind
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.places.tests.factories import CommuneFactory
from campus.surveys import services
from campus.surveys.models import SurveyCampaign, SurveyInvitation
from campus.surveys.tests.factories import (
    SurveyCampaignFactory,
    SurveyInvitationFactory,
)

pytestmark = pytest.mark.django_db

TEAM_URLS = [
    "/gestion/enquetes/",
    "/gestion/enquetes/nouvelle/",
    "/gestion/enquetes/{pk}/",
    "/gestion/enquetes/{pk}/modifier/",
    "/gestion/enquetes/{pk}/reponses.xlsx",
]


def text(response) -> str:
    return html.unescape(strip_tags(response.content.decode()))


@pytest.fixture
def invitation():
    CommuneFactory()
    return SurveyInvitationFactory(
        organisation__name="Atelier du Cuir", campaign__title="Besoins 2027"
    )


@pytest.fixture
def url(invitation):
    return services.invitation_url(invitation)


@pytest.fixture
def team_client(client):
    client.force_login(UserFactory(campus_team=True))
    return client


def recruitment(**overrides):
    data = {
        "rome_code": "B1802",
        "appellation": "Coupeur / Coupeuse en maroquinerie",
        "level": "3",
        "headcount": "4",
        "contract": "permanent",
        "horizon": (timezone.localdate() + timedelta(days=120)).isoformat(),
        "commune": "Montbard",
    }
    return {**data, **overrides}


# Back-office


@pytest.mark.parametrize("path", TEAM_URLS)
def test_anonymous_visitor_is_sent_to_login(client, invitation, path):
    response = client.get(path.format(pk=invitation.campaign_id))
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("path", TEAM_URLS)
def test_partners_get_404_even_for_their_own_organisation(client, invitation, path):
    """A partner never sees a campaign, so never another organisation's answer."""
    client.force_login(MembershipFactory(organisation=invitation.organisation).user)
    response = client.get(path.format(pk=invitation.campaign_id))
    assert response.status_code == 404


def test_partner_cannot_send_a_campaign(client):
    campaign = SurveyCampaignFactory()
    OrganisationFactory(email="a@cuir.fr")
    client.force_login(MembershipFactory().user)
    response = client.post(f"/gestion/enquetes/{campaign.pk}/envoyer/")
    assert response.status_code == 404
    assert not SurveyInvitation.objects.exists()


def test_team_creates_then_sends_a_campaign(
    team_client, django_capture_on_commit_callbacks
):
    OrganisationFactory(name="Atelier A", email="a@cuir.fr")
    closes_on = timezone.localdate() + timedelta(days=20)
    response = team_client.post(
        "/gestion/enquetes/nouvelle/",
        {
            "title": "Besoins de la rentrée",
            "introduction": "Qui cherchez-vous ?",
            "organisation_kind": "company",
            "departement_code": "",
            "reminder_days": "10",
            "closes_on": closes_on.isoformat(),
        },
    )
    campaign = SurveyCampaign.objects.get()
    assert response["Location"] == f"/gestion/enquetes/{campaign.pk}/"
    page = text(team_client.get(response["Location"]))
    assert "1 organisation recevra l'enquête." in page
    with django_capture_on_commit_callbacks() as callbacks:
        response = team_client.post(f"/gestion/enquetes/{campaign.pk}/envoyer/")
    assert len(callbacks) == 1
    page = text(team_client.get(response["Location"]))
    assert "Enquête envoyée à 1 organisation(s), en 1 e-mail(s)." in page
    assert "Atelier A" in page and "Envoyée" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"reminder_days": "-3"}, "au moins un jour après l'envoi"),
        ({"reminder_days": "365"}, "au plus 60 jours"),
        ({"reminder_days": "dix"}, "nombre entier de jours"),
        ({"closes_on": "2020-01-01"}, "Cette date est passée"),
        ({"closes_on": "2099-01-01"}, "Clôture trop lointaine"),
        ({"departement_code": "99"}, "Département inconnu"),
        ({"organisation_kind": "<script>"}, "Type d'organisation inconnu"),
        ({"title": "   "}, "Indiquez le titre"),
        ({"introduction": "x" * 5001}, "au plus 5000 caractères"),
    ],
)
def test_bad_campaign_is_a_french_message_and_saves_nothing(
    team_client, overrides, message
):
    data = {
        "title": "Besoins",
        "introduction": "Qui cherchez-vous ?",
        "organisation_kind": "company",
        "departement_code": "",
        "reminder_days": "10",
        "closes_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        **overrides,
    }
    response = team_client.post("/gestion/enquetes/nouvelle/", data)
    assert response.status_code == 400
    assert message in text(response)
    assert not SurveyCampaign.objects.exists()


def test_campaign_page_shows_counts_rate_and_statuses(team_client, invitation):
    SurveyInvitationFactory(campaign=invitation.campaign, organisation__name="Z")
    services.mark_opened(invitation)
    services.declare_no_need(invitation)
    page = text(team_client.get(f"/gestion/enquetes/{invitation.campaign_id}/"))
    assert "2 organisations invitées" in page
    assert "1 lien ouvert" in page
    assert "taux de réponse de 50 %" in page
    assert "Aucun besoin" in page


def test_export_lists_each_organisation_with_formulas_neutralised(team_client):
    invitation = SurveyInvitationFactory(organisation__name="=HYPERLINK(1)")
    services.declare_no_need(invitation)
    response = team_client.get(
        f"/gestion/enquetes/{invitation.campaign_id}/reponses.xlsx"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Organisation", "Statut")
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][1] == "Aucun besoin"


# The link's page


def test_link_shows_the_organisation_and_campaign_and_counts_the_visit(
    client, url, invitation
):
    response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Atelier du Cuir" in page and "Besoins 2027" in page
    assert "Aucun besoin pour le moment" in page
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_a_declared_need_becomes_the_organisations_and_the_link_shows_it(
    client, url, invitation
):
    response = client.post(url, recruitment())
    assert response.status_code == 302 and response["Location"] == url
    need = Need.objects.get()
    assert need.organisation == invitation.organisation
    assert need.kind == NeedKind.RECRUITMENT
    page = text(client.get(url))
    assert "Besoins déjà transmis" in page and "Coupeur / Coupeuse" in page
    assert "Aucun besoin pour le moment" not in page
    assert client.post(url, recruitment(appellation="Piqueur")).status_code == 302
    assert invitation.organisation.needs.count() == 2


def test_skills_need_through_the_link(client, url):
    data = recruitment(training_mode="continuing", skills="Piqûre sellier.")
    del data["contract"]
    response = client.post(url + "?besoin=competences", data)
    assert response.status_code == 302
    assert Need.objects.get().kind == NeedKind.SKILLS


def test_no_organisation_field_can_be_forged(client, url, invitation):
    other = OrganisationFactory()
    client.post(url, recruitment(organisation=other.pk))
    assert Need.objects.get().organisation == invitation.organisation


def test_no_need_answer(client, url, invitation):
    response = client.post(url + "aucun-besoin/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.no_need and invitation.answered_at
    assert "Vous avez répondu « Aucun besoin pour le moment »" in text(client.get(url))


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"headcount": "-3"}, "Indiquez au moins une personne."),
        ({"headcount": "100000"}, "Au plus 500 personnes par besoin"),
        (
            {"horizon": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "Cette date est passée",
        ),
        ({"rome_code": "Z9999"}, "Métier inconnu"),
        ({"rome_code": "<script>"}, "Métier inconnu"),
        ({"contract": "stage"}, "Contrat inconnu"),
        ({"appellation": "x" * 251}, "au plus 250 caractères"),
        ({"commune": "Atlantide"}, "Commune inconnue"),
    ],
)
def test_bad_answer_is_a_french_message_and_saves_nothing(
    client, url, invitation, overrides, message
):
    response = client.post(url, recruitment(**overrides))
    assert response.status_code == 400
    assert message in text(response)
    assert not Need.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_hostile_text_is_shown_as_text(client, url):
    hostile = '<script>alert("x")</script>'
    assert client.post(url, recruitment(appellation=hostile)).status_code == 302
    page = client.get(url).content.decode()
    assert hostile not in page and "&lt;script&gt;" in page


def test_honeypot_saves_nothing(client, url):
    response = client.post(url, recruitment(website_confirmation="https://spam"))
    assert response.status_code == 302
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token, other: token[:-2],
        lambda token, other: token.split(":")[0],
        lambda token, other: token.replace("-", "-1", 1),
        # Another campaign's invitation, with this link's signature.
        lambda token, other: f"{other.campaign_id}-{other.pk}:{token.split(':')[1]}",
        lambda token, other: "n'importe-quoi",
    ],
)
def test_forged_link_is_a_french_404_and_saves_nothing(client, invitation, mangle):
    other = SurveyInvitationFactory()
    url = f"/enquetes/{mangle(services.invitation_token(invitation), other)}/"
    assert "Ce lien ne correspond à aucune enquête" in text(client.get(url))
    response = client.post(url, recruitment())
    assert response.status_code == 404
    assert client.post(url + "aucun-besoin/").status_code == 404
    assert not Need.objects.exists()
    assert not SurveyInvitation.objects.filter(answered_at__isnull=False).exists()


def test_another_campaigns_link_answers_for_that_campaign_only(client, invitation):
    """The same organisation invited twice answers each campaign by its own link."""
    other = SurveyInvitationFactory(organisation=invitation.organisation)
    client.post(services.invitation_url(other), recruitment())
    assert list(other.answers.values_list("need__appellation", flat=True)) == [
        "Coupeur / Coupeuse en maroquinerie"
    ]
    assert not invitation.answers.exists()


def test_an_unsent_campaigns_link_opens_nothing(client):
    invitation = SurveyInvitationFactory(campaign__sent_at=None, sent_at=timezone.now())
    assert client.get(services.invitation_url(invitation)).status_code == 404


def test_closed_campaign_link_is_a_french_410_and_saves_nothing(client):
    CommuneFactory()
    invitation = SurveyInvitationFactory(campaign__closed=True)
    url = services.invitation_url(invitation)
    response = client.get(url)
    assert response.status_code == 410
    assert "est close" in text(response)
    assert client.post(url, recruitment()).status_code == 410
    assert client.post(url + "aucun-besoin/").status_code == 410
    assert not Need.objects.exists()
    invitation.refresh_from_db()
    assert invitation.opened_at is None and invitation.answered_at is None


def test_26th_answer_from_one_address_is_refused(client, url):
    for number in range(25):
        response = client.post(url, recruitment(appellation=f"Poste {number}"))
        assert response.status_code == 302
    response = client.post(url, recruitment(appellation="Poste de trop"))
    assert response.status_code == 429
    assert "Trop de demandes" in text(response)
    assert Need.objects.count() == 25


def test_answer_form_needs_csrf(url):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, recruitment())
    assert response.status_code == 403
    assert not Need.objects.exists()


def test_campaign_page_query_count_does_not_grow_with_organisations(
    team_client, django_assert_max_num_queries
):
    campaign = SurveyCampaignFactory(sent=True)
    SurveyInvitationFactory(campaign=campaign)
    url = f"/gestion/enquetes/{campaign.pk}/"
    with django_assert_max_num_queries(20) as one:
        team_client.get(url)
    SurveyInvitationFactory.create_batch(5, campaign=campaign)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "6 organisations invitées" in text(team_client.get(url))

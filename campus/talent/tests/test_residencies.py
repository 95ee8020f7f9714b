"""Artist residencies: what the public sees, what the team changes, and what bad
input gives (a French message, a 400, nothing saved)."""

import datetime
import html

import pytest

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent.models import Residency
from campus.talent.residencies import residencies_by_period
from campus.talent.tests.mobility_factories import (
    ResidencyFactory,
    ShowcaseItemFactory,
)
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
TEAM_URLS = [
    "/gestion/talents/residences/{pk}/",
    "/gestion/talents/residences/{pk}/supprimer/",
]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def team():
    return UserFactory(campus_team=True)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def form_data(organisation, /, **overrides):
    data = {
        "title": "Cuir et lumière",
        "host": organisation.pk,
        "resident_name": "Alma Verdier",
        "starts_on": days(10).isoformat(),
        "ends_on": days(40).isoformat(),
        "description": "Une résidence **de création**.",
        "is_published": "on",
    }
    return {**data, **overrides}


def test_periods_split_current_upcoming_and_past():
    """A residency is current from its first to its last day, then past."""
    current = ResidencyFactory(starts_on=TODAY, ends_on=TODAY)
    upcoming = ResidencyFactory(starts_on=days(1), ends_on=days(5))
    past = ResidencyFactory(starts_on=days(-9), ends_on=days(-1))
    periods = residencies_by_period(Residency.objects.all(), today=TODAY)
    assert (periods.current, periods.upcoming, periods.past) == (
        [current],
        [upcoming],
        [past],
    )


def test_public_list_shows_only_published_residencies_with_their_works(client):
    """Unpublished residencies, those of unpublished hosts and unpublished works
    stay hidden; the works' images are shown with their text alternative."""
    shown = ResidencyFactory(title="Résidence visible")
    work = ShowcaseItemFactory(organisation=shown.host, title="Sac sculpture")
    hidden_work = ShowcaseItemFactory(title="Œuvre cachée", is_published=False)
    shown.works.add(work, hidden_work)
    ResidencyFactory(title="Résidence brouillon", unpublished=True)
    ResidencyFactory(title="Hôte fermé", host=OrganisationFactory(unpublished=True))
    ResidencyFactory(title="Résidence passée", starts_on=days(-90), ends_on=days(-60))
    response = client.get("/talents/residences/")
    page = text(response)
    assert response.status_code == 200
    assert "Résidence visible" in page and "Résidence passée" in page
    assert "Résidence brouillon" not in page and "Hôte fermé" not in page
    assert 'alt="Une pièce de cuir posée sur un établi"' in page
    assert "Sac sculpture" in page and "Œuvre cachée" not in page
    assert page.index("En cours") < page.index("Passées")


def test_detail_is_public_when_published_and_a_preview_for_the_team(client, team):
    residency = ResidencyFactory(description="Texte <b>gras</b> et **vrai gras**")
    draft = ResidencyFactory(unpublished=True)
    residency.works.add(ShowcaseItemFactory(organisation=residency.host))
    page = text(client.get(residency.get_absolute_url()))
    assert '<meta property="og:image"' in page and "Œuvres produites" in page
    assert residency.resident_name in page and "<strong>vrai gras</strong>" in page
    assert (
        "<b>gras</b>" not in client.get(residency.get_absolute_url()).content.decode()
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(team)
    assert "aperçu réservé" in text(client.get(draft.get_absolute_url()))


def test_host_page_shows_its_residencies_section(client):
    residency = ResidencyFactory(title="Résidence chez l'hôte")
    other = ResidencyFactory(title="Résidence ailleurs")
    page = text(client.get(residency.host.get_absolute_url()))
    assert "Résidences d'artistes" in page and "Résidence chez l'hôte" in page
    assert "Résidence ailleurs" not in page
    assert "Résidences d'artistes" not in text(
        client.get(OrganisationFactory().get_absolute_url())
    )
    assert other.host.pk != residency.host.pk


@pytest.mark.parametrize("url", ["/gestion/talents/residences/", *TEAM_URLS])
def test_team_pages_are_hidden_from_everyone_else(client, url):
    """Anonymous visitors go to log in; a partner, even the host's editor, gets 404."""
    residency = ResidencyFactory()
    url = url.format(pk=residency.pk)
    assert client.get(url).status_code == 302
    client.force_login(MembershipFactory(organisation=residency.host).user)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(residency.host)).status_code == 404
    residency.refresh_from_db()
    assert residency.title != "Cuir et lumière"


def test_team_creates_and_publishes_a_residency(client, team):
    host = OrganisationFactory()
    trade = TradeFactory()
    work = ShowcaseItemFactory(organisation=host)
    client.force_login(team)
    response = client.post(
        "/gestion/talents/residences/nouvelle/",
        form_data(host, trades=[trade.pk], works=[work.pk]),
    )
    assert response.status_code == 302
    residency = Residency.objects.get()
    assert residency.slug == "cuir-et-lumiere" and residency.is_published
    assert list(residency.trades.all()) == [trade]
    assert list(residency.works.all()) == [work]
    assert client.get("/talents/residences/cuir-et-lumiere/").status_code == 200


def test_team_unpublishes_a_residency(client, team):
    residency = ResidencyFactory()
    client.force_login(team)
    data = form_data(residency.host, title=residency.title)
    del data["is_published"]
    response = client.post(f"/gestion/talents/residences/{residency.pk}/", data)
    assert response.status_code == 302
    residency.refresh_from_db()
    assert not residency.is_published
    client.logout()
    assert client.get(residency.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"starts_on": days(10).isoformat(), "ends_on": days(5).isoformat()},
            "La fin de la résidence doit suivre son début.",
        ),
        ({"ends_on": "31/02/2027"}, "Indiquez une date valide"),
        ({"title": "   "}, "Indiquez le titre de la résidence."),
        ({"host": "999999"}, "Lieu inconnu"),
        ({"trades": ["abc"]}, "Métier inconnu"),
        ({"works": ["999999"]}, "Réalisation inconnue"),
        (
            {"description": '<script>alert("x")</script>'},
            "Le HTML n'est pas accepté",
        ),
        (
            {"description": "[clic](javascript:alert(1))"},
            "Les liens doivent commencer par https://",
        ),
        ({"description": "x" * 20_001}, "caractères"),
        ({"resident_name": "A" * 151}, "Le nom fait au plus 150 caractères."),
    ],
)
def test_bad_input_gives_a_french_message_and_saves_nothing(
    client, team, overrides, message
):
    host = OrganisationFactory()
    client.force_login(team)
    response = client.post(
        "/gestion/talents/residences/nouvelle/", form_data(host, **overrides)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Residency.objects.exists()


def test_team_deletes_a_residency(client, team):
    residency = ResidencyFactory()
    client.force_login(team)
    url = f"/gestion/talents/residences/{residency.pk}/supprimer/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Residency.objects.exists()


def test_unknown_ids_are_404_for_the_team(client, team):
    client.force_login(team)
    for url in TEAM_URLS:
        assert client.get(url.format(pk=999999)).status_code == 404
    assert client.get("/talents/residences/inconnue/").status_code == 404


def test_team_pages_name_every_empty_choice(client, team):
    """No select of the residency form shows Django's « --------- »."""
    residency = ResidencyFactory()
    client.force_login(team)
    for url in [
        "/gestion/talents/residences/",
        "/gestion/talents/residences/nouvelle/",
        f"/gestion/talents/residences/{residency.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert b"---------" not in response.content, url


def test_public_list_queries_do_not_grow_with_rows(
    client, django_assert_max_num_queries
):
    for offset in (-40, -5, 30):
        residency = ResidencyFactory(starts_on=days(offset), ends_on=days(offset + 10))
        residency.trades.add(TradeFactory())
        residency.works.add(ShowcaseItemFactory(organisation=residency.host))
    with django_assert_max_num_queries(10):
        assert client.get("/talents/residences/").status_code == 200

"""The public calls: the list, its filters and order, a call's page, the closing
time across daylight-saving changes."""

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import OrganisationFactory
from campus.talent import services
from campus.talent.models import CallDocument, Decision
from campus.talent.tests.factories import ApplicationFactory, CallFactory
from campus.testing.htmx import assert_filter_swap

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def clock(monkeypatch):
    """Sets the server's clock: `clock(datetime)`."""

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now


def text(response) -> str:
    return html.unescape(response.content.decode())


def titles(response):
    return [call.title for call in response.context["page"].object_list]


def test_list_shows_open_then_upcoming_then_recently_closed_calls(client):
    """Open calls come first (closing soonest first), then upcoming ones, then
    closed ones, most recent first; unpublished calls are left out."""
    now = timezone.now()
    CallFactory(
        title="Clos ancien",
        opens_at=now - timedelta(days=120),
        closes_at=now - timedelta(days=90),
    )
    CallFactory(title="Clos récent", closed=True)
    CallFactory(title="À venir", upcoming=True)
    CallFactory(title="Ouvert longtemps", closes_at=now + timedelta(days=60))
    CallFactory(title="Ouvert bientôt clos", closes_at=now + timedelta(days=2))
    CallFactory(title="Brouillon", unpublished=True)
    response = client.get(reverse("talent:call_list"))
    assert response.status_code == 200
    assert titles(response) == [
        "Ouvert bientôt clos",
        "Ouvert longtemps",
        "À venir",
        "Clos récent",
        "Clos ancien",
    ]
    page = text(response)
    assert "Clôture le" in page and "Ouvre le" in page and "Clos le" in page
    assert "Organisations partenaires" in page


def test_list_filters_by_kind_and_state(client):
    """The kind and state filters narrow the list, and an htmx swap gives the same
    results as a full load."""
    CallFactory(title="Concours ouvert", competition=True)
    CallFactory(title="Concours clos", competition=True, closed=True)
    CallFactory(title="Projets ouverts")
    url = reverse("talent:call_list")
    response = client.get(url, {"type": "competition", "etat": "ouverts"})
    assert titles(response) == ["Concours ouvert"]
    assert titles(client.get(url, {"etat": "clos"})) == ["Concours clos"]
    assert_filter_swap(client, url, {"type": "competition"})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "pirate"}, "Type d'appel inconnu"),
        ({"etat": "<script>"}, "État inconnu"),
    ],
)
def test_list_refuses_unknown_filters_in_french(client, params, message):
    """An unknown filter value is a French message and a 400."""
    response = client.get(reverse("talent:call_list"), params)
    assert response.status_code == 400
    assert message in text(response)


def test_call_page_states_and_apply_button(client):
    """An open call says until when it takes applications and offers « Candidater »;
    an upcoming one says when it opens; a closed one says « Clos »."""
    open_call = CallFactory(
        closes_at=datetime(2099, 3, 12, 12, 0, tzinfo=PARIS),
        description="Un **concours** ouvert.",
        eligibility="<script>alert(1)</script> Être apprenti.",
    )
    page = text(client.get(open_call.get_absolute_url()))
    assert "Candidatures ouvertes jusqu'au 12 mars 2099 à 12 h" in page
    assert "<strong>concours</strong>" in page
    assert b"<script>alert" not in client.get(open_call.get_absolute_url()).content
    assert "Candidater" in page
    upcoming = CallFactory(upcoming=True)
    page = text(client.get(upcoming.get_absolute_url()))
    assert "Ouvre le" in page and "Candidater</" not in page
    closed = CallFactory(closed=True)
    page = text(client.get(closed.get_absolute_url()))
    assert "Clos</strong> depuis le" in page and "Candidater</" not in page


def test_unpublished_call_is_404_except_for_the_team(client):
    """Only the team sees an unpublished call."""
    call = CallFactory(unpublished=True)
    assert client.get(call.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(call.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(campus_team=True))
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    assert "n'est pas publié" in text(response)


def test_call_page_lists_documents_and_consenting_laureates(client):
    """The call's documents are public downloads; its laureates appear once chosen,
    only those who agreed to be named, without their e-mail."""
    call = CallFactory(closed=True)
    document = CallDocument(call=call, title="Règlement du concours")
    document.file.save("reglement.pdf", ContentFile(b"%PDF-1.4"), save=True)
    assert document.file.name.startswith(f"appels/{call.pk}/")
    organisation = OrganisationFactory(name="Atelier Lauréat")
    ApplicationFactory(
        call=call,
        submitted=True,
        title="Projet retenu",
        organisation=organisation,
        decision=Decision.SELECTED,
        publication_consent=True,
    )
    ApplicationFactory(
        call=call,
        submitted=True,
        title="Projet discret",
        decision=Decision.SELECTED,
        publication_consent=False,
    )
    ApplicationFactory(
        call=call,
        submitted=True,
        title="Projet personnel",
        applicant=UserFactory(full_name="Camille Martin", email="camille@exemple.fr"),
        decision=Decision.SELECTED,
        publication_consent=True,
    )
    page = text(client.get(call.get_absolute_url()))
    assert "Règlement du concours" in page and document.file.url in page
    assert "Lauréats" in page
    assert "Projet retenu" in page and "Atelier Lauréat" in page
    assert "Camille Martin" in page and "camille@exemple.fr" not in page
    assert "Projet discret" not in page


def test_anonymous_apply_goes_to_login_and_back(client):
    """« Candidater » sends an anonymous visitor to the login page, then back."""
    call = CallFactory()
    url = reverse("talent:apply", args=[call.slug])
    page = text(client.get(call.get_absolute_url()))
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_sitemap_and_navigation_list_the_calls(client):
    """The calls' list is in the main navigation; published calls are in the sitemap."""
    call = CallFactory(slug="concours-public")
    hidden = CallFactory(slug="appel-cache", unpublished=True)
    page = text(client.get("/"))
    assert f'href="{reverse("talent:call_list")}"' in page
    sitemap = text(client.get(reverse("sitemap_section", kwargs={"section": "appels"})))
    assert call.get_absolute_url() in sitemap
    assert hidden.get_absolute_url() not in sitemap


@pytest.mark.parametrize(
    ("local_close", "displayed", "utc_close"),
    [
        # Spring forward: 2 h to 3 h on 28 March 2027; 3 h 30 is 1 h 30 UTC.
        (
            datetime(2027, 3, 28, 3, 30, tzinfo=PARIS),
            "28 mars 2027 à 3 h 30",
            datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
        ),
        # Fall back: 2 h 30 happens twice on 31 October 2027; the first one
        # (summer time) is 0 h 30 UTC.
        (
            datetime(2027, 10, 31, 2, 30, tzinfo=PARIS),
            "31 octobre 2027 à 2 h 30",
            datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        ),
    ],
)
def test_closing_across_daylight_saving_changes(
    client, clock, local_close, displayed, utc_close
):
    """A call closing on a daylight-saving night closes at its instant, to the
    second, and shows its Paris time."""
    assert local_close.astimezone(UTC) == utc_close
    applicant = UserFactory()
    call = CallFactory(opens_at=utc_close - timedelta(days=30), closes_at=local_close)
    application = ApplicationFactory(call=call, applicant=applicant, title="Projet")
    clock(utc_close - timedelta(seconds=1))
    assert call.is_open()
    page = text(client.get(call.get_absolute_url()))
    assert f"Candidatures ouvertes jusqu'au {displayed}" in page
    clock(utc_close)
    assert not call.is_open()
    page = text(client.get(call.get_absolute_url()))
    assert f"depuis le {displayed}" in page
    with pytest.raises(services.ApplicationError):
        services.submit_application(
            application, acting_user=applicant, publication_consent=False
        )
    # An hour later the Paris clock may read the closing time again (October):
    # still closed.
    clock(utc_close + timedelta(hours=1))
    assert not call.is_open()


def test_home_page_shows_open_calls_only(client):
    """The home page lists the open calls, closing soonest first, and no section
    when none is open."""
    assert "Appels ouverts" not in text(client.get("/"))
    CallFactory(title="Concours ouvert")
    CallFactory(title="Appel clos", closed=True)
    page = text(client.get("/"))
    assert "Appels ouverts" in page and "Concours ouvert" in page
    assert "Appel clos" not in page


def test_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """The list's queries do not grow with its calls."""
    CallFactory()
    # The page (shorter than a page, it needs no count), the campus's profile.
    with django_assert_num_queries(2):
        client.get(reverse("talent:call_list"))
    CallFactory.create_batch(4, closed=True)
    with django_assert_num_queries(2):
        client.get(reverse("talent:call_list"))

"""The article forms with wrong, missing, oversized and hostile values: a French
message, a 400, and the database as it was."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Event
from campus.moderation import ModerationStatus
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.news.models import Article
from campus.news.tests.factories import ArticleFactory, CategoryFactory
from campus.testing.images import image_bytes, truncated_jpeg
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db

CREATE = "/espace/actualites/proposer/"


@pytest.fixture
def editor(client):
    # A list with nothing to choose is left out of the form: give each one a row.
    CategoryFactory(), TradeFactory()
    membership = MembershipFactory()
    client.force_login(membership.user)
    return membership


def valid(editor, **overrides):
    return {
        "organisation": editor.organisation.pk,
        "title": "Notre atelier accueille deux apprentis",
        "summary": "Deux apprentis en CAP Maroquinerie rejoignent l'atelier.",
        "body": "Ils apprendront la **coupe** et la [piqûre](https://exemple.fr).",
        **overrides,
    }


def test_valid_proposal_is_saved_as_submitted_with_its_links(client, editor):
    """A valid proposal is stored, submitted, with its categories and trades."""
    category, trade = CategoryFactory(name="Formations"), TradeFactory()
    response = client.post(
        CREATE,
        valid(
            editor,
            categories=[category.pk],
            trades=[trade.pk],
            image=SimpleUploadedFile("sac.png", image_bytes(), "image/png"),
            image_alt="Deux apprentis à l'établi",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == ModerationStatus.SUBMITTED
    assert list(article.categories.all()) == [category]
    assert list(article.trades.all()) == [trade]
    assert article.image.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Donnez un titre à l&#x27;article."),
        ({"summary": ""}, "Écrivez le chapeau"),
        ({"body": ""}, "Écrivez le texte de l&#x27;article."),
        ({"title": "x" * 201}, "Le titre fait au plus 200 caractères."),
        ({"summary": "x" * 401}, "Le chapeau fait au plus 400 caractères."),
        ({"body": "x" * 20001}, "Le texte fait au plus 20000 caractères."),
        (
            {"body": "<script>alert(1)</script>"},
            "Le HTML n&#x27;est pas accepté",
        ),
        (
            {"body": '<img src=x onerror="alert(1)">'},
            "Le HTML n&#x27;est pas accepté",
        ),
        (
            {"body": "[clic](javascript:alert(1))"},
            "Les liens doivent commencer par https://",
        ),
        (
            {"body": "[clic](data:text/html;base64,PHNjcmlwdD4=)"},
            "Les liens doivent commencer par https://",
        ),
        ({"organisation": ""}, "Choisissez l&#x27;organisation pour laquelle"),
        ({"organisation": "abc"}, "choisissez une de vos organisations"),
        ({"categories": ["999999"]}, "Choix inconnu"),
        ({"trades": ["nan"]}, "Choix inconnu"),
        (
            {"image": SimpleUploadedFile("sac.png", image_bytes(), "image/png")},
            "le texte alternatif est obligatoire avec une image",
        ),
        (
            {
                "image": SimpleUploadedFile("sac.jpg", truncated_jpeg(), "image/jpeg"),
                "image_alt": "Un sac",
            },
            "n&#x27;est pas une image lisible",
        ),
        (
            {
                "image": SimpleUploadedFile("page.html", b"<html>", "image/png"),
                "image_alt": "Un sac",
            },
            "n&#x27;est pas une image lisible",
        ),
        ({"image_alt": "x" * 251}, "Le texte alternatif fait au plus 250 caractères."),
    ],
)
def test_bad_values_are_refused_in_french_and_nothing_is_saved(
    client, editor, overrides, message
):
    """Each wrong value gives a 400 with its French message, and no article."""
    response = client.post(CREATE, valid(editor, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_image_over_the_size_limit_is_refused(client, editor, settings):
    """An image heavier than the limit is refused with the limit in the message."""
    settings.CAMPUS_MAX_IMAGE_BYTES = 100
    response = client.post(
        CREATE,
        valid(
            editor,
            image=SimpleUploadedFile("sac.png", image_bytes((200, 200)), "image/png"),
            image_alt="Un sac",
        ),
    )
    assert response.status_code == 400
    assert "la limite est de" in response.content.decode()
    assert not Article.objects.exists()


def test_partner_cannot_post_for_another_organisation(client, editor):
    """A tampered organisation id is refused and nothing is saved."""
    other = OrganisationFactory()
    response = client.post(CREATE, valid(editor, organisation=other.pk))
    assert response.status_code == 400
    assert "choisissez une de vos organisations" in response.content.decode()
    assert not Article.objects.exists()


def test_private_rows_cannot_be_linked(client, editor):
    """An unpublished trade or actor cannot be attached to an article."""
    hidden_trade = TradeFactory(unpublished=True)
    hidden_actor = OrganisationFactory(unpublished=True)
    for field, pk in [("trades", hidden_trade.pk), ("organisations", hidden_actor.pk)]:
        response = client.post(CREATE, valid(editor, **{field: [pk]}))
        assert response.status_code == 400
    assert not Article.objects.exists()


def test_only_published_events_can_be_linked(client, editor):
    """A draft event is not offered, and its id is refused."""
    start = timezone.now() + timedelta(days=5)
    common = {
        "kind": "fair",
        "organisation": editor.organisation,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
    }
    public = Event.objects.create(
        title="Salon", slug="salon", status=ModerationStatus.PUBLISHED, **common
    )
    draft = Event.objects.create(title="Brouillon", slug="brouillon", **common)
    page = client.get(CREATE).content.decode()
    assert "Salon" in page and "Brouillon" not in page
    response = client.post(CREATE, valid(editor, events=[draft.pk]))
    assert response.status_code == 400
    assert "Choix inconnu" in response.content.decode()
    assert client.post(CREATE, valid(editor, events=[public.pk])).status_code == 302
    assert list(Article.objects.get().events.all()) == [public]


def test_failed_edit_leaves_the_article_unchanged(client, editor):
    """An invalid edit of a published article changes neither text nor status."""
    article = ArticleFactory(organisation=editor.organisation, title="Avant")
    response = client.post(
        f"/espace/actualites/{article.pk}/",
        valid(editor, title="Après", body="<iframe src=x></iframe>"),
    )
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.title == "Avant" and article.status == ModerationStatus.PUBLISHED


def test_hostile_text_in_plain_fields_is_escaped_everywhere(client, editor):
    """A title or summary with markup is shown as text on every page and feed."""
    article = ArticleFactory(
        organisation=editor.organisation,
        title='<script>alert("t")</script>',
        summary="<img src=x onerror=alert(1)>",
    )
    for url in ["/actualites/", article.get_absolute_url(), "/espace/actualites/", "/"]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
    feed = ElementTree.fromstring(client.get("/actualites/rss/").content)
    description = feed.find("channel/item/description").text
    assert "<img src=x" not in description
    assert "&lt;img src=x onerror=alert(1)&gt;" in description


@pytest.fixture
def team(client):
    user = UserFactory(campus_team=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"published_at": "hier"}, "Indiquez une date et une heure valides"),
        ({"published_at": "2001-01-01T09:00"}, "Cette date est passée"),
    ],
)
def test_publish_form_refuses_bad_dates(client, team, data, message):
    """A wrong or past date is a 400 in French and the article stays submitted."""
    article = ArticleFactory(submitted=True)
    response = client.post(f"/gestion/actualites/{article.pk}/publier/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.status == ModerationStatus.SUBMITTED


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Indiquez le motif du refus"),
        ("   ", "Indiquez le motif du refus"),
        ("x" * 2001, "Le motif fait au plus 2000 caractères."),
    ],
)
def test_refusal_form_needs_a_reason(client, team, reason, message):
    """A refusal without a reason, or too long, is a 400 and changes nothing."""
    article = ArticleFactory(submitted=True)
    response = client.post(
        f"/gestion/actualites/{article.pk}/refuser/", {"reason": reason}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    article.refresh_from_db()
    assert article.status == ModerationStatus.SUBMITTED


def test_publishing_twice_is_a_409_in_french(client, team):
    """Publishing an article already published without a new date is a broken rule."""
    article = ArticleFactory()
    response = client.post(f"/gestion/actualites/{article.pk}/publier/", {})
    assert response.status_code == 409
    assert "Cet article est déjà publié." in response.content.decode()


def test_team_writes_its_own_article_without_organisation(client, team):
    """The team's form offers « L'équipe du campus » and publishes at once."""
    page = client.get("/gestion/actualites/ecrire/").content.decode()
    assert "L&#x27;équipe du campus" in page and "---------" not in page
    response = client.post(
        "/gestion/actualites/ecrire/",
        {
            "organisation": "",
            "title": "Le campus recrute un chargé de mission",
            "summary": "Un poste à pourvoir.",
            "body": "Candidatures avant le 1er mars.",
            "published_at": "",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.organisation is None and article.is_published
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("published_at", "message"),
    [
        ("31/02/2027 09:00", "Indiquez une date et une heure valides"),
        ("<script>", "Indiquez une date et une heure valides"),
    ],
)
def test_team_form_refuses_a_wrong_publication_date(
    client, team, published_at, message
):
    """A wrong date in the team's form is a 400 in French and no article."""
    response = client.post(
        "/gestion/actualites/ecrire/",
        {
            "title": "Programmé",
            "summary": "Résumé.",
            "body": "Texte.",
            "published_at": published_at,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_team_schedules_its_own_article(client, team):
    """A future date in the team's form schedules the article: not public until then."""
    response = client.post(
        "/gestion/actualites/ecrire/",
        {
            "title": "Annonce des JEMA",
            "summary": "Bientôt.",
            "body": "Texte.",
            "published_at": "2099-04-01T09:00",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_scheduled
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Annonce des JEMA" not in client.get("/actualites/rss/").content.decode()

"""Who may do what with an article: an editor for their organisations, the team for all."""

import pytest

from campus.accounts.tests.factories import UserFactory
from campus.moderation import ModerationStatus
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.news.models import Article
from campus.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PARTNER_URLS = ["/espace/actualites/{pk}/", "/espace/actualites/{pk}/supprimer/"]
TEAM_URLS = [
    "/gestion/actualites/",
    "/gestion/actualites/ecrire/",
    "/gestion/actualites/{pk}/",
    "/gestion/actualites/{pk}/modifier/",
]


@pytest.fixture
def article():
    return ArticleFactory(submitted=True, title="Proposition de l'atelier")


def test_querysets_follow_the_ownership_rule(article):
    """visible_to and editable_by: members see, editors edit, others neither, team all."""
    editor = MembershipFactory(organisation=article.organisation).user
    viewer = MembershipFactory(
        organisation=article.organisation, role=MemberRole.VIEWER
    ).user
    other = MembershipFactory().user
    team = UserFactory(campus_team=True)
    assert list(Article.objects.visible_to(viewer)) == [article]
    assert list(Article.objects.editable_by(editor)) == [article]
    assert not Article.objects.editable_by(viewer).exists()
    assert not Article.objects.visible_to(other).exists()
    assert list(Article.objects.editable_by(team)) == [article]


@pytest.mark.parametrize("url", PARTNER_URLS + TEAM_URLS + ["/espace/actualites/"])
def test_anonymous_visitor_is_sent_to_login(client, article, url):
    """Nobody reaches the partner space or the back-office without logging in."""
    response = client.get(url.format(pk=article.pk))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


@pytest.mark.parametrize("url", PARTNER_URLS + TEAM_URLS)
def test_another_partner_gets_404_and_changes_nothing(client, article, url):
    """Another organisation's editor can neither read, change nor delete the article."""
    client.force_login(MembershipFactory().user)
    url = url.format(pk=article.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Piraté"}).status_code == 404
    article.refresh_from_db()
    assert article.title == "Proposition de l'atelier"


@pytest.mark.parametrize("action", ["publier", "refuser"])
def test_partners_cannot_moderate_even_their_own_article(client, article, action):
    """Only the team publishes or refuses."""
    client.force_login(MembershipFactory(organisation=article.organisation).user)
    response = client.post(
        f"/gestion/actualites/{article.pk}/{action}/", {"reason": "Non"}
    )
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.status == ModerationStatus.SUBMITTED


def test_viewer_reads_the_list_but_cannot_edit(client, article):
    """A viewer of the organisation sees its articles, with no edit link and a 404 on edit."""
    viewer = MembershipFactory(
        organisation=article.organisation, role=MemberRole.VIEWER
    ).user
    client.force_login(viewer)
    page = client.get("/espace/actualites/").content.decode()
    assert "Proposition de l&#x27;atelier" in page
    assert f"/espace/actualites/{article.pk}/" not in page
    assert client.get(f"/espace/actualites/{article.pk}/").status_code == 404
    assert client.get("/espace/actualites/proposer/").status_code == 302


def test_partner_list_keeps_to_my_organisations(client, article):
    """The partner space lists my organisations' articles only, with their status."""
    mine = ArticleFactory(refused=True, title="Refusé chez moi")
    client.force_login(MembershipFactory(organisation=mine.organisation).user)
    page = client.get("/espace/actualites/").content.decode()
    assert "Refusé chez moi" in page and "Hors sujet." in page
    assert "Proposition de l" not in page


def test_editor_deletes_their_article_after_confirming(client, article):
    """GET asks, POST deletes."""
    client.force_login(MembershipFactory(organisation=article.organisation).user)
    url = f"/espace/actualites/{article.pk}/supprimer/"
    assert "Supprimer l&#x27;article" in client.get(url).content.decode()
    assert Article.objects.exists()
    assert client.post(url).status_code == 302
    assert not Article.objects.exists()


def test_team_articles_are_changed_only_in_the_back_office(client):
    """A team article has no organisation: no partner edits it, even a team member's partner page."""
    article = ArticleFactory(team=True)
    client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
    assert client.get(f"/espace/actualites/{article.pk}/").status_code == 404


def test_team_queue_shows_articles_awaiting_moderation_first(client):
    """The back-office lists the submitted articles before the others."""
    ArticleFactory(title="Déjà publié")
    ArticleFactory(submitted=True, title="À relire")
    client.force_login(UserFactory(campus_team=True))
    page = client.get("/gestion/actualites/").content.decode()
    assert page.index("À relire") < page.index("Déjà publié")
    assert "1 article attend votre relecture." in page
    filtered = client.get("/gestion/actualites/?statut=published").content.decode()
    assert "À relire" not in filtered
    assert "Actualités" in client.get("/gestion/").content.decode()


def test_team_publishes_schedules_and_refuses_from_the_review_page(client, article):
    """The review page publishes now, schedules, and refuses with a reason."""
    client.force_login(UserFactory(campus_team=True))
    assert client.get(f"/gestion/actualites/{article.pk}/").status_code == 200
    response = client.post(
        f"/gestion/actualites/{article.pk}/publier/",
        {"published_at": "2099-03-15T09:00"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled
    response = client.post(
        f"/gestion/actualites/{article.pk}/refuser/", {"reason": "Doublon."}
    )
    article.refresh_from_db()
    assert article.status == ModerationStatus.REFUSED
    assert article.refusal_reason == "Doublon."

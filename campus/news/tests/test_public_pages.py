"""What visitors see: published articles only, newest first, with their page head."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import Event
from campus.moderation import ModerationStatus
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.news.tests.factories import ArticleFactory, CategoryFactory
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hidden():
    """One article in each state that visitors must never see."""
    return [
        ArticleFactory(draft=True, title="Brouillon secret"),
        ArticleFactory(submitted=True, title="Proposition en attente"),
        ArticleFactory(refused=True, title="Article refusé"),
        ArticleFactory(scheduled=True, title="Annonce programmée"),
        ArticleFactory(
            organisation=OrganisationFactory(unpublished=True),
            title="Article d'un acteur masqué",
        ),
    ]


def test_list_shows_published_articles_newest_first(client, hidden):
    """The list shows only published articles whose date has come, the newest first."""
    now = timezone.now()
    old = ArticleFactory(title="Vieille nouvelle", published_at=now - timedelta(days=9))
    new = ArticleFactory(title="Nouvelle fraîche", published_at=now - timedelta(days=1))
    team = ArticleFactory(team=True, title="Le mot du campus")
    page = client.get("/actualites/").content.decode()
    assert page.index(team.title) < page.index(new.title) < page.index(old.title)
    for article in hidden:
        assert article.title not in page
    assert "3 articles" in page


@pytest.mark.parametrize("index", range(5))
def test_unpublished_articles_are_404_for_visitors_and_other_partners(
    client, hidden, index
):
    """A draft, submitted, refused, scheduled article or one of a hidden actor is a 404."""
    article = hidden[index]
    assert client.get(f"/actualites/{article.slug}/").status_code == 404
    client.force_login(MembershipFactory().user)
    assert client.get(f"/actualites/{article.slug}/").status_code == 404


def test_members_and_team_preview_their_unpublished_article(client, hidden):
    """The organisation's members and the team read an unpublished article, with a notice."""
    submitted = hidden[1]
    viewer = MembershipFactory(organisation=submitted.organisation, role="viewer").user
    for user in [viewer, UserFactory(campus_team=True)]:
        client.force_login(user)
        page = client.get(f"/actualites/{submitted.slug}/").content.decode()
        assert "Cet article n'est pas publié (en attente de validation)" in page
    scheduled = hidden[3]
    page = client.get(f"/actualites/{scheduled.slug}/").content.decode()
    assert "Publication programmée le" in page


def test_scheduled_article_appears_once_its_date_has_come(client):
    """A scheduled article becomes public when its publication date passes."""
    article = ArticleFactory(scheduled=True)
    assert client.get(f"/actualites/{article.slug}/").status_code == 404
    article.published_at = timezone.now() - timedelta(minutes=1)
    article.save()
    assert client.get(f"/actualites/{article.slug}/").status_code == 200


def test_list_is_paginated_with_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    """Twelve articles a page, and the queries do not grow with the articles."""
    category = CategoryFactory()
    for _ in range(14):
        ArticleFactory().categories.add(category)
    # Profile, count, page of articles, their categories, the chips.
    with django_assert_num_queries(5):
        first = client.get("/actualites/").content.decode()
    assert first.count('class="article-card"') == 12
    assert "Page 1 sur 2" in first
    second = client.get("/actualites/?page=2")
    assert second.content.decode().count('class="article-card"') == 2
    assert "— page 2" in second.content.decode()


def test_category_page_lists_only_its_articles(client):
    """A category page shows its published articles, and its chip is the current one."""
    formations = CategoryFactory(name="Formations", slug="formations")
    events = CategoryFactory(name="Événements", slug="evenements")
    in_formations = ArticleFactory(title="Ouverture d'un CAP")
    in_formations.categories.add(formations)
    ArticleFactory(title="Un salon à Dijon").categories.add(events)
    ArticleFactory(submitted=True, title="Pas encore").categories.add(formations)
    page = client.get("/actualites/rubriques/formations/").content.decode()
    assert "Ouverture d&#x27;un CAP" in page
    assert "Un salon à Dijon" not in page and "Pas encore" not in page
    assert '<a href="/actualites/rubriques/formations/" aria-current="page">' in page
    assert client.get("/actualites/rubriques/inconnue/").status_code == 404


def test_article_page_shows_its_facts_and_links_only_to_public_pages(client):
    """Title, French date, organisation, image alt, Markdown body, categories and links."""
    article = ArticleFactory(
        title="Portes ouvertes",
        body="## Programme\n\n- visite des **ateliers**\n\n<script>alert(1)</script>",
        published_at=timezone.make_aware(timezone.datetime(2026, 4, 1, 10)),
    )
    article.categories.add(CategoryFactory(name="Événements"))
    public_trade = TradeFactory(name="Sellier")
    hidden_trade = TradeFactory(name="Métier masqué", unpublished=True)
    article.trades.add(public_trade, hidden_trade)
    hidden_actor = OrganisationFactory(unpublished=True, name="Acteur masqué")
    article.organisations.add(article.organisation, hidden_actor)
    page = client.get(f"/actualites/{article.slug}/").content.decode()
    assert "1er avril 2026" in page
    assert f'<a href="{article.organisation.get_absolute_url()}">' in page
    assert "<h2>Programme</h2>" in page and "<strong>ateliers</strong>" in page
    assert "<script>alert" not in page
    assert f'href="{public_trade.get_absolute_url()}"' in page
    assert "Métier masqué" not in page and "Acteur masqué" not in page
    assert "Événements" in page


def test_article_page_links_its_published_events(client):
    """A linked published event is listed with a link to its page; a draft one is not."""
    organisation = OrganisationFactory()
    start = timezone.now() + timedelta(days=10)
    public = Event.objects.create(
        title="Salon de la maroquinerie",
        slug="salon",
        kind="fair",
        organisation=organisation,
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        status=ModerationStatus.PUBLISHED,
    )
    draft = Event.objects.create(
        title="Atelier en préparation",
        slug="atelier",
        kind="workshop",
        organisation=organisation,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    article = ArticleFactory()
    article.events.add(public, draft)
    page = client.get(f"/actualites/{article.slug}/").content.decode()
    assert f'href="{public.get_absolute_url()}">Salon de la maroquinerie</a>' in page
    assert "Atelier en préparation" not in page


def test_article_page_has_open_graph_and_news_article_json_ld(client, settings):
    """The head carries og:type article, og:image with its alt and a NewsArticle JSON-LD."""
    from django.core.files.base import ContentFile

    from campus.testing.images import image_bytes

    article = ArticleFactory(
        title="</script><script>alert(1)</script>", image_alt="Un sac en cuir"
    )
    article.image.save("sac.png", ContentFile(image_bytes()), save=True)
    article.categories.add(CategoryFactory(name="Entreprises"))
    page = client.get(f"/actualites/{article.slug}/").content.decode()
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:image" content="{settings.CAMPUS_SITE_URL}' in page
    assert '<meta property="og:image:alt" content="Un sac en cuir">' in page
    assert '<meta property="article:section" content="Entreprises">' in page
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL
    )
    data = json.loads(found.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["author"]["name"] == article.organisation.name
    assert data["image"].startswith(settings.CAMPUS_SITE_URL)
    assert data["articleSection"] == ["Entreprises"]
    assert data["datePublished"] == article.published_at.isoformat()
    assert "<script>alert" not in page


@pytest.mark.parametrize(
    "path", ["/actualites/", "/actualites/rubriques/formations/", "/actualites/x/"]
)
def test_news_pages_advertise_their_feeds(client, path):
    """Each news page names its RSS and Atom feeds in its head."""
    category = CategoryFactory(slug="formations")
    ArticleFactory(slug="x").categories.add(category)
    page = client.get(path).content.decode()
    head = page[: page.index("</head>")]
    assert 'rel="alternate" type="application/rss+xml"' in head
    assert 'rel="alternate" type="application/atom+xml"' in head
    if "rubriques" in path:
        assert 'href="/actualites/rubriques/formations/rss/"' in head


def test_rss_feed_lists_published_articles_with_public_addresses(
    client, settings, hidden
):
    """The RSS feed parses, lists the published articles only, newest first, on the public address."""
    older = ArticleFactory(
        title="Plus ancienne", published_at=timezone.now() - timedelta(days=3)
    )
    newer = ArticleFactory(title="Plus récente", body="**Gras** <b>brut</b>")
    newer.categories.add(CategoryFactory(name="Formations"))
    response = client.get("/actualites/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [newer.title, older.title]
    first = items[0]
    assert first.findtext("link") == settings.CAMPUS_SITE_URL + newer.get_absolute_url()
    assert first.findtext("category") == "Formations"
    assert "<strong>Gras</strong>" in first.findtext("description")
    assert "<b>" not in first.findtext("description")


def test_atom_and_category_feeds_parse(client):
    """The Atom feed and a category's feeds parse and keep to their articles."""
    formations = CategoryFactory(slug="formations", name="Formations")
    inside = ArticleFactory(title="Dans la rubrique")
    inside.categories.add(formations)
    ArticleFactory(title="Hors rubrique")
    ArticleFactory(submitted=True, title="Pas publiée").categories.add(formations)
    atom = ElementTree.fromstring(client.get("/actualites/atom/").content)
    assert len(atom.findall(f"{ATOM}entry")) == 2
    category_atom = ElementTree.fromstring(
        client.get("/actualites/rubriques/formations/atom/").content
    )
    titles = [e.findtext(f"{ATOM}title") for e in category_atom.findall(f"{ATOM}entry")]
    assert titles == ["Dans la rubrique"]
    assert "Formations" in category_atom.findtext(f"{ATOM}title")
    rss = ElementTree.fromstring(
        client.get("/actualites/rubriques/formations/rss/").content
    )
    assert [i.findtext("title") for i in rss.iter("item")] == ["Dans la rubrique"]
    assert client.get("/actualites/rubriques/inconnue/rss/").status_code == 404


def test_feeds_refuse_writes(client):
    """Feeds answer GET and HEAD only."""
    assert client.post("/actualites/rss/").status_code == 405
    assert client.head("/actualites/atom/").status_code == 200


def test_home_shows_the_three_latest_articles(client, hidden):
    """« Dernières actualités » on the home page: the three latest published articles."""
    now = timezone.now()
    articles = [
        ArticleFactory(title=f"Nouvelle {n}", published_at=now - timedelta(days=n))
        for n in range(1, 5)
    ]
    page = client.get("/").content.decode()
    assert "Dernières actualités" in page
    assert (
        page.index("Nouvelle 1") < page.index("Nouvelle 2") < page.index("Nouvelle 3")
    )
    assert articles[3].title not in page
    for article in hidden:
        assert article.title not in page


def test_home_leaves_the_news_out_without_articles(client, hidden):
    """With no published article the home page shows no empty news section."""
    assert "Dernières actualités" not in client.get("/").content.decode()


def test_organisation_page_shows_its_recent_articles(client):
    """An organisation's page lists its published articles, not the others."""
    article = ArticleFactory(title="Notre atelier recrute")
    ArticleFactory(
        organisation=article.organisation, submitted=True, title="En relecture"
    )
    page = client.get(article.organisation.get_absolute_url()).content.decode()
    assert "Notre atelier recrute" in page and "En relecture" not in page


def test_sitemap_lists_published_articles(client, hidden):
    """The news section of the sitemap lists published articles only."""
    article = ArticleFactory()
    body = client.get("/sitemap-actualites.xml").content.decode()
    assert article.get_absolute_url() in body
    for other in hidden:
        assert other.get_absolute_url() not in body
    assert "/actualites/" in client.get("/sitemap-pages.xml").content.decode()


def test_team_article_names_the_campus_as_author(client):
    """A team article is « par l'équipe du campus » and its JSON-LD author is the campus."""
    from campus.profiles.models import CampusProfile

    CampusProfile.objects.create(name="Campus de test")
    article = ArticleFactory(team=True)
    page = client.get(f"/actualites/{article.slug}/").content.decode()
    assert "par l'équipe du campus" in page
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page)
    data = json.loads(found.group(1))
    assert (
        data["author"]
        == data["publisher"]
        == {
            "@type": "Organization",
            "name": "Campus de test",
        }
    )

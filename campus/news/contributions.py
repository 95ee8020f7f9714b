"""What the news adds to other pages: the back-office card, the latest articles
on the home page and an organisation's recent articles on its page."""

from django.db.models import Min

from campus import contributions
from campus.contributions import BackOfficeCard, HomeSection, PageSection
from campus.moderation import ModerationStatus
from campus.news.models import Article

HOME_ARTICLES = 3
ORGANISATION_ARTICLES = 3
# What an article's card shows (_article_card.html): its body is left unread.
CARD_FIELDS = [
    "title",
    "slug",
    "summary",
    "image",
    "image_alt",
    "published_at",
    "is_demo",
    "organisation__name",
]


def _waiting() -> str:
    count = Article.objects.filter(status=ModerationStatus.SUBMITTED).count()
    if not count:
        return "Écrire les articles du campus ; aucun article n'attend de relecture."
    return (
        f"Écrire les articles du campus ; {count} article{'s' if count > 1 else ''} "
        f"de partenaire{'s' if count > 1 else ''} à relire."
    )


def _latest() -> dict | None:
    articles = list(
        Article.objects.published()
        .select_related("organisation")
        .only(*CARD_FIELDS)
        .order_by("-published_at", "-pk")[:HOME_ARTICLES]
    )
    return {"articles": articles} if articles else None


def _organisation_articles(organisation) -> dict:
    return {
        "organisation": organisation,
        "articles": Article.objects.published()
        .filter(organisation=organisation)
        .select_related("organisation")
        .only(*CARD_FIELDS)
        .order_by("-published_at", "-pk")[:ORGANISATION_ARTICLES],
    }


contributions.back_office.register(
    BackOfficeCard(
        title="Actualités",
        description=_waiting,
        link_label="Articles",
        url_name="news:team_articles",
    )
)


def _next_publication(context: dict | None, since):
    """The section changes when a scheduled article is published."""
    scheduled = Article.objects.scheduled(after=since)
    return scheduled.aggregate(next=Min("published_at"))["next"]


contributions.home_page.register(
    HomeSection("news/_home_news.html", _latest, order=50, expires_at=_next_publication)
)


def _next_publication_of_organisation(context: dict, since):
    """The section changes when one of the organisation's scheduled articles is
    published."""
    scheduled = Article.objects.scheduled(after=since).filter(
        organisation=context["organisation"]
    )
    return scheduled.aggregate(next=Min("published_at"))["next"]


contributions.organisation_page.register(
    PageSection(
        "news/_organisation_news.html",
        _organisation_articles,
        head_template="news/_style.html",
        expires_at=_next_publication_of_organisation,
    )
)

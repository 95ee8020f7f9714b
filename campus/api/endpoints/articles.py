"""News articles, newest first."""

from django.db.models import Prefetch
from ninja import Query, Router

from campus.api.endpoints.base import (
    CURSOR_DESCRIPTION,
    ERRORS,
    LIMIT_DESCRIPTION,
    LIST_ERRORS,
    list_page,
    one,
    organisation_ref,
    page_url,
    text_parameter,
)
from campus.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Sort
from campus.api.schemas import Article as ArticleSchema
from campus.api.schemas import item_schema, page_schema
from campus.news.models import Article, Category

router = Router(tags=["Actualités"])
SORT = Sort("published_at", descending=True)
Page = page_schema(ArticleSchema, "ArticlePage")
Item = item_schema(ArticleSchema, "ArticleItem")


def serialise(article: Article) -> dict:
    return {
        "id": article.pk,
        "slug": article.slug,
        "titre": article.title,
        "chapeau": article.summary,
        "texte": article.body,
        "publie_le": article.published_at,
        "rubriques": [category.slug for category in article.categories.all()],
        "organisation": (
            organisation_ref(article.organisation) if article.organisation else None
        ),
        "demo": article.is_demo,
        "url": page_url(article),
        "modifie_le": article.updated_at,
    }


def _published():
    return (
        Article.objects.published()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("name", "pk"))
        )
    )


@router.get(
    "/actualites",
    response={200: Page, **LIST_ERRORS},
    url_name="article_list",
    summary="Actualités",
)
def article_list(
    request,
    rubrique: str | None = Query(None, description="Identifiant d'une rubrique."),
    curseur: str | None = Query(None, description=CURSOR_DESCRIPTION),
    limite: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION
    ),
):
    """Les articles publiés, du plus récent au plus ancien."""
    articles = _published()
    if text_parameter("rubrique", rubrique):
        articles = articles.filter(categories__slug=rubrique)
    return list_page(
        request,
        articles,
        resource="actualites",
        sort=SORT,
        serialise=serialise,
        cursor=curseur,
        limit=limite,
    )


@router.get(
    "/actualites/{slug}",
    response={200: Item, **ERRORS},
    url_name="article_detail",
    summary="Un article",
)
def article_detail(request, slug: str):
    """Un article publié, par son identifiant d'adresse (slug)."""
    return one(request, _published(), serialise=serialise, slug=slug)

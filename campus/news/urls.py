from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_safe

from campus.news import feeds, views


def _feed(feed):
    return login_not_required(require_safe(feed))


app_name = "news"
urlpatterns = [
    path("actualites/", views.article_list, name="article_list"),
    path("actualites/rss/", _feed(feeds.LatestArticlesFeed()), name="rss"),
    path("actualites/atom/", _feed(feeds.LatestArticlesAtomFeed()), name="atom"),
    path("actualites/rubriques/<slug:slug>/", views.category, name="category"),
    path(
        "actualites/rubriques/<slug:slug>/rss/",
        _feed(feeds.CategoryFeed()),
        name="category_rss",
    ),
    path(
        "actualites/rubriques/<slug:slug>/atom/",
        _feed(feeds.CategoryAtomFeed()),
        name="category_atom",
    ),
    # After the fixed addresses: services.RESERVED_SLUGS keeps articles off them.
    path("actualites/<slug:slug>/", views.article_detail, name="article_detail"),
    path("espace/actualites/", views.partner_articles, name="partner_articles"),
    path("espace/actualites/proposer/", views.article_create, name="article_create"),
    path("espace/actualites/<int:pk>/", views.article_edit, name="article_edit"),
    path(
        "espace/actualites/<int:pk>/supprimer/",
        views.article_delete,
        name="article_delete",
    ),
    path("gestion/actualites/", views.team_articles, name="team_articles"),
    path(
        "gestion/actualites/ecrire/",
        views.team_article_create,
        name="team_article_create",
    ),
    path(
        "gestion/actualites/<int:pk>/",
        views.team_article_review,
        name="team_article_review",
    ),
    path(
        "gestion/actualites/<int:pk>/modifier/",
        views.team_article_edit,
        name="team_article_edit",
    ),
    path("gestion/actualites/<int:pk>/publier/", views.publish, name="publish"),
    path("gestion/actualites/<int:pk>/refuser/", views.refuse, name="refuse"),
]

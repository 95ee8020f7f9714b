"""RSS 2.0 and Atom feeds of the published news, all of it or one category's.

Built with Django's syndication framework. Addresses are on CAMPUS_SITE_URL,
like the sitemap, so a feed fetched through an internal name still links to the
public site. Items carry the summary and the rendered body (already sanitised by
campus/richtext.py); an article's link is its permanent identifier.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from campus.news.models import Article, Category
from campus.profiles.models import CampusProfile
from campus.richtext import render_markdown

FEED_SIZE = 30


class _CampusFeed(Feed):
    # Public: LoginRequiredMiddleware reads this attribute on the view.
    login_required = False

    def __call__(self, request, *args, **kwargs):
        # The feed object is shared by every request: each one reads its campus
        # profile on a copy, so concurrent requests never see each other's.
        feed = copy.copy(self)
        feed.campus = CampusProfile.for_request(request)
        return Feed.__call__(feed, request, *args, **kwargs)

    def _absolute(self, path: str) -> str:
        return settings.CAMPUS_SITE_URL + path

    def title(self, obj=None):
        name = self.campus.short_name or self.campus.name
        if obj is None:
            return f"Actualités — {name}"
        return f"{obj.name} — Actualités — {name}"

    def description(self, obj=None):
        if obj is None:
            return f"Les dernières actualités du {self.campus.name}."
        return f"Les actualités de la rubrique « {obj.name} » du {self.campus.name}."

    def subtitle(self, obj=None):
        return self.description(obj)

    def link(self, obj=None):
        if obj is None:
            return self._absolute(reverse("news:article_list"))
        return self._absolute(obj.get_absolute_url())

    def items(self, obj=None):
        articles = (
            Article.objects.published()
            .select_related("organisation")
            .prefetch_related(
                Prefetch("categories", queryset=Category.objects.order_by("name", "pk"))
            )
            .order_by("-published_at", "-pk")
        )
        if obj is not None:
            articles = articles.filter(categories=obj)
        return articles[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"<p><strong>{escape(item.summary)}</strong></p>" + render_markdown(
            item.body
        )

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())

    def item_guid(self, item):
        return self._absolute(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name if item.organisation else self.campus.name

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]


class LatestArticlesFeed(_CampusFeed):
    def feed_url(self, obj=None):
        return self._absolute(reverse("news:rss"))


class LatestArticlesAtomFeed(_CampusFeed):
    feed_type = Atom1Feed

    def feed_url(self, obj=None):
        return self._absolute(reverse("news:atom"))


class CategoryFeed(_CampusFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def feed_url(self, obj=None):
        return self._absolute(reverse("news:category_rss", args=[obj.slug]))


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed

    def feed_url(self, obj=None):
        return self._absolute(reverse("news:category_atom", args=[obj.slug]))

"""RSS 2.0 feed of the open offers, with the list's filters (« ?contrat=apprentissage »).

Built with Django's syndication framework, on CAMPUS_SITE_URL like the news
feeds. An unknown filter is a 400 with its French message, as on the list.
"""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.html import escape

from campus.dates import french_date
from campus.offers.filters import OfferFilter
from campus.offers.models import Offer
from campus.profiles.models import CampusProfile
from campus.richtext import render_markdown

FEED_SIZE = 50


class OfferFeed(Feed):
    # Public: LoginRequiredMiddleware reads this attribute on the view.
    login_required = False

    def __call__(self, request, *args, **kwargs):
        # The feed object is shared by every request: each reads on a copy.
        feed = copy.copy(self)
        feed.campus = CampusProfile.for_request(request)
        feed.filter = OfferFilter(request.GET, queryset=Offer.objects.published())
        if not feed.filter.is_valid():
            errors = [e for field in feed.filter.form.errors.values() for e in field]
            return HttpResponseBadRequest(
                " ".join(errors), content_type="text/plain; charset=utf-8"
            )
        return Feed.__call__(feed, request, *args, **kwargs)

    def _absolute(self, path: str) -> str:
        return settings.CAMPUS_SITE_URL + path

    def title(self):
        return f"Offres — {self.campus.short_name or self.campus.name}"

    def description(self):
        return (
            "Les offres d'apprentissage, de stage et d'emploi des partenaires du "
            f"{self.campus.name}."
        )

    def link(self):
        return self._absolute(reverse("offers:offer_list"))

    def feed_url(self):
        return self._absolute(reverse("offers:rss"))

    def items(self):
        # Prefetched, not joined: joined to the organisations, SQLite sorted every
        # open offer instead of reading the newest-first index (0.2 s at 100,000).
        return self.filter.qs.prefetch_related("organisation", "commune")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} — {item.organisation.name}, {item.commune.name}"

    def item_description(self, item):
        return (
            f"<p><strong>{escape(item.get_contract_display())}</strong>, "
            f"à partir du {french_date(item.starts_on)}.</p>"
            + render_markdown(item.description)
        )

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())

    def item_guid(self, item):
        return self._absolute(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name

    def item_categories(self, item):
        return [item.get_contract_display()]

"""The sitemap of the public site: published rows and the public pages without rows.

Addresses are built on CAMPUS_SITE_URL, the public address, rather than on the host
of the request: a sitemap fetched through an internal name must still list the
public addresses.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from campus.agenda.models import Event
from campus.network.models import Organisation
from campus.news.models import Article
from campus.platforms.models import Equipment
from campus.talent.models import Call
from campus.trades.models import KnowHow, Trade
from campus.trainings.models import Certification, Offering


class CampusSitemap(Sitemap):
    def get_domain(self, site=None):
        return urlsplit(settings.CAMPUS_SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.CAMPUS_SITE_URL).scheme


class PublicPagesSitemap(CampusSitemap):
    names = [
        "profiles:home",
        "trainings:catalogue",
        "trainings:map",
        "network:directory",
        "trades:trade_list",
        "trades:at_risk",
        "outreach:home",
        "agenda:event_list",
        "agenda:event_month",
        "agenda:event_map",
        "agenda:event_archive",
        "profiles:legal_notice",
        "profiles:privacy",
        "profiles:accessibility",
        "news:article_list",
        "talent:followup_laureates",
        "talent:call_list",
        "platforms:platform_list",
    ]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class OrganisationSitemap(CampusSitemap):
    def items(self):
        return Organisation.objects.published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(CampusSitemap):
    def items(self):
        return (
            Article.objects.published()
            .only("slug", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


class OfferingSitemap(CampusSitemap):
    def items(self):
        return Offering.objects.published().only("pk", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class CertificationSitemap(CampusSitemap):
    """Certifications have no publication flag: those taught in a published offering."""

    def items(self):
        return (
            Certification.objects.filter(
                pk__in=Offering.objects.published().values("certification")
            )
            .only("slug")
            .order_by("slug")
        )


class TradeSitemap(CampusSitemap):
    def items(self):
        return Trade.objects.published().only("slug").order_by("slug")


class KnowHowSitemap(CampusSitemap):
    def items(self):
        return KnowHow.objects.published().only("slug").order_by("slug")


class EventSitemap(CampusSitemap):
    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class CallSitemap(CampusSitemap):
    def items(self):
        return Call.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class EquipmentSitemap(CampusSitemap):
    def items(self):
        return Equipment.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "organisations": OrganisationSitemap,
    "actualites": ArticleSitemap,
    "formations": OfferingSitemap,
    "certifications": CertificationSitemap,
    "metiers": TradeSitemap,
    "savoir-faire": KnowHowSitemap,
    "agenda": EventSitemap,
    "appels": CallSitemap,
    "equipements": EquipmentSitemap,
}


@login_not_required
@require_safe
def index(request):
    """The sitemap index, on the public address; Django's would name the request's
    host, and would read every row's date to date each section."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        url = settings.CAMPUS_SITE_URL + reverse(
            "sitemap_section", kwargs={"section": section}
        )
        items.append(SitemapIndexItem(url, None))
        pages = sitemap_class().paginator.num_pages
        items += [
            SitemapIndexItem(f"{url}?p={page}", None) for page in range(2, pages + 1)
        ]
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )

"""Site-wide checks on every public page of the demo: methods, titles, indexing."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

from campus.demo import load_demo_campus
from campus.testing.querysets import fail_on_unordered_slices

# Pages that answer only POST, or that exist for files rather than pages.
# The sign-up confirmation answers 400 to any token but a real e-mail's
# (campus/accounts/tests/test_signup.py covers it). The health check and the metrics
# are read by machines (campus/operations/tests covers them).
NOT_PAGES = {
    "accounts:logout",
    "agenda:register",
    "accounts:signup_confirm",
    "operations:health",
    "operations:metrics",
    "surveys:answer_no_need",
}
# Public addresses that no page links to (reached after a form, from an e-mail, or by
# scripts): the crawl starts from them too.
UNLINKED = [
    ("accounts:password_reset_done", {}),
    ("accounts:password_reset_complete", {}),
    ("accounts:signup_sent", {}),
    ("accounts:password_reset_confirm", {"uidb64": "MQ", "token": "abc-def"}),
    ("network:proposal_thanks", {}),
    ("network:accept_invitation", {"token": "inconnu"}),
    ("talent:review_activate", {"uidb64": "MQ", "token": "abc-def"}),
    ("outreach:request_sent", {}),
    ("outreach:confirm_request", {"token": "inconnu"}),
    ("agenda:registration_sent", {}),
    ("agenda:registration_confirm", {"token": "inconnu"}),
    ("agenda:registration_cancel", {"token": "inconnu"}),
    ("newsletter:subscription_sent", {}),
    ("newsletter:confirm", {"token": "inconnu"}),
    ("newsletter:preferences", {"token": "inconnu"}),
    ("newsletter:export_data", {"token": "inconnu"}),
    ("newsletter:delete_data", {"token": "inconnu"}),
    ("newsletter:unsubscribe", {"token": "inconnu"}),
    ("offers:renew_link", {"token": "inconnu"}),
    ("surveys:answer", {"token": "inconnu"}),
    ("platforms:booking_feed", {"slug": "inconnu"}),
    ("trainings:map_embed", {}),
    ("trainings:map_data", {}),
    ("trainings:map_base_layer", {"region_code": "27"}),
    ("agenda:event_map_data", {}),
    ("places:commune_suggestions", {}),
    ("robots_txt", {}),
    ("profiles:favicon_svg", {}),
    ("profiles:favicon_png", {}),
    ("profiles:apple_touch_icon", {}),
    ("sitemap", {}),
    ("sitemap_section", {"section": "formations"}),
]


# The widgets partners frame, and the page each stands for (its canonical link).
EMBEDDED = {
    "/carte/embed/": "/carte/",
    "/agenda/embed/": "/agenda/",
    "/formations/embed/": "/formations/",
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _pattern_names(resolver=None, namespace=""):
    """Every named URL pattern of the project, with its namespace."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _pattern_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def public_pattern_names():
    """The names of the views that an anonymous visitor may open."""
    return {
        name
        for name, callback in _pattern_names()
        if getattr(callback, "login_required", True) is False
        and name not in NOT_PAGES
        and not name.startswith("admin:")
    }


def crawl(client, limit=600):
    """Follows every same-site link from the home page; returns {path: (response, title)}."""
    seen = {}
    queue = ["/"] + [reverse(name, kwargs=kwargs) for name, kwargs in UNLINKED]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        parser = _Links()
        if response.get("Content-Type", "").startswith("text/html"):
            parser.feed(response.content.decode())
        seen[path] = (response, " ".join(parser.title.split()))
        if response.status_code != 200:
            continue
        for href in parser.links:
            url = urlsplit(urljoin(path, href))
            if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
                continue
            if url.path.startswith(("/media/", "/static/", "/gestion/admin/")):
                continue
            # One page per list: its filters and pages are the same view.
            target = url.path
            if target not in seen and target not in queue:
                queue.append(target)
    return seen


# The accounts whose own pages the last test crawls too.
SIGNED_IN = ["equipe@campus.example", "editeur.entreprise@campus.example"]


@dataclass
class CrawledSite:
    """What the crawls of the demo answered: {path: (response, title)} as an anonymous
    visitor, {view: (path, HEAD answer)} for one path of each view, and the pages each
    signed-in account reaches, keyed « e-mail path »."""

    pages: dict
    heads: dict
    signed_in_pages: dict
    campus_suffix: str


@pytest.fixture(scope="module")
def crawled_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo crawled once for the module, the tests below only read the answers.

    Loading the demo and crawling some 300 pages three times takes tens of seconds;
    done for each test it made this module one of the suite's slowest. Everything
    runs in a transaction rolled back at the end, as a test's does, with the
    suite's settings of a test (media in a temporary folder, fast passwords, strict
    QuerySets).
    """
    from campus.accounts.models import User
    from campus.profiles.models import CampusProfile

    media = tmp_path_factory.mktemp("web-standards") / "media"
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        pytest.MonkeyPatch.context() as monkeypatch,
        transaction.atomic(),
    ):
        fail_on_unordered_slices(monkeypatch)
        load_demo_campus()
        pages = crawl(Client())
        # HEAD is answered by each view as a whole: one address per view says it,
        # and a HEAD of all 300 pages cost a quarter of this fixture.
        heads = {}
        for path in pages:
            view = _view_name(path) or path
            if view not in heads:
                heads[view] = (path, Client().head(path))
        signed_in_pages = {}
        for email in SIGNED_IN:
            client = Client()
            client.force_login(User.objects.get(email=email))
            signed_in_pages |= {
                f"{email} {path}": page for path, page in crawl(client).items()
            }
        campus = CampusProfile.load()
        transaction.set_rollback(True)
    return CrawledSite(pages, heads, signed_in_pages, campus.short_name or campus.name)


@pytest.fixture
def demo_pages(crawled_site):
    """The demo's public pages, crawled as an anonymous visitor."""
    return crawled_site.pages


@pytest.fixture
def public_pages(demo_pages):
    return {
        path: (response, title)
        for path, (response, title) in demo_pages.items()
        if response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and b"<html" in response.content
    }


def _view_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def test_crawl_reaches_every_public_view(demo_pages):
    """Every public view of the URLconf is reached by following links from the home page."""
    reached = {_view_name(path) for path in demo_pages}
    missing = sorted(public_pattern_names() - reached)
    assert missing == [], missing


def test_crawled_pages_answer_without_error(demo_pages):
    """No link of the public site leads to an error."""
    errors = {
        path: response.status_code
        for path, (response, _title) in demo_pages.items()
        if response.status_code >= 400 and response.status_code != 404
    }
    assert errors == {}


def test_head_answers_like_get_on_every_public_page(crawled_site):
    """HEAD gives the status and headers of GET, and no body, on every public view
    (one page of each)."""
    assert len(crawled_site.heads) == len(
        {_view_name(path) or path for path in crawled_site.pages}
    )
    for path, with_head in crawled_site.heads.values():
        get_response, _title = crawled_site.pages[path]
        assert with_head.status_code == get_response.status_code, path
        assert with_head.content == b"", path
        assert with_head.get("Content-Type") == get_response.get("Content-Type"), path


def test_every_public_page_has_a_unique_title_ending_with_the_campus_name(
    crawled_site, public_pages
):
    """Two public pages never share a <title>, and every title ends with the campus's name."""
    suffix = crawled_site.campus_suffix
    titles = {}
    for path, (_response, title) in public_pages.items():
        assert title.endswith(f" — {suffix}"), (path, title)
        # The embedded map names the map page as its canonical page: same title.
        if path != "/carte/embed/":
            titles.setdefault(title, []).append(path)
    duplicates = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert duplicates == {}


def test_every_public_page_has_a_canonical_link_without_query_noise(public_pages):
    """Each page names its canonical address, absolute and with no empty parameter."""
    for path, (response, _title) in public_pages.items():
        found = re.search(
            r'<link rel="canonical" href="([^"]+)">', response.content.decode()
        )
        assert found, path
        canonical = urlsplit(found.group(1))
        assert canonical.scheme in ("http", "https"), path
        # An embed (map, agenda, trainings) stands for the page it comes from.
        assert canonical.path == EMBEDDED.get(path, path), path
        assert not re.search(r"(^|&)[^=]+=(&|$)", canonical.query), path
        assert "utm_" not in canonical.query, path


def test_no_select_offers_a_raw_empty_choice(crawled_site):
    """No form of the site, public or private, shows Django's « --------- » empty choice."""
    pages = crawled_site.pages | crawled_site.signed_in_pages
    with_dashes = [
        path
        for path, (response, _title) in pages.items()
        # Files (a PDF copy, an attachment) are streamed and hold no form.
        if not response.streaming and b"---------" in response.content
    ]
    assert len(pages) > 250
    assert with_dashes == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/annuaire/proposer/",
            [
                'name="name" maxlength="200" autocomplete="organization"',
                'autocomplete="street-address"',
                'autocomplete="name"',
                'type="email" name="submitter_email"',
                'autocomplete="email"',
            ],
        ),
        (
            "/decouvrir/demander-une-intervention/",
            [
                'type="tel" name="teacher_phone"',
                'autocomplete="tel"',
                'autocomplete="name"',
                'autocomplete="email"',
                'autocomplete="address-level2"',
            ],
        ),
        ("/connexion/", ['autocomplete="email"', 'autocomplete="current-password"']),
        (
            "/compte/creer/",
            [
                'autocomplete="email"',
                'autocomplete="name"',
                'autocomplete="new-password"',
            ],
        ),
    ],
)
def test_public_forms_say_what_each_field_asks_for(client, db, path, expected):
    """Name, e-mail, phone and address fields carry their autocomplete purpose."""
    content = client.get(path).content.decode()
    for fragment in expected:
        assert fragment in content, fragment


def test_organisation_and_contact_forms_say_what_each_field_asks_for(db):
    """The organisation's and its contacts' phone fields are tel inputs with a purpose."""
    from campus.network.forms import OrganisationForm, PersonFormSet
    from campus.profiles.forms import CampusProfileForm

    organisation = str(OrganisationForm())
    assert 'type="tel" name="phone"' in organisation
    assert 'autocomplete="work tel"' in organisation
    assert 'autocomplete="organization"' in organisation
    assert "Choisissez un type d&#x27;acteur" in organisation
    contacts = str(PersonFormSet(prefix="contacts").forms[0])
    assert 'type="tel" name="contacts-0-phone"' in contacts
    assert 'autocomplete="name"' in contacts
    assert 'type="tel" name="contact_phone"' in str(CampusProfileForm())

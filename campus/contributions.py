"""What apps add to pages that belong to another app.

The back-office home lists every app's cards, and an organisation's or a trade's
page shows sections that other apps fill (a showcase, outcomes, discovery
placements), and the home page shows sections that apps fill (the trades with
their pictures, the key figures, the network in numbers; the agenda and the news
once they exist). Each app registers them in its own `contributions.py`, imported by
its `AppConfig.ready()`, so the page's app imports none of their models and a new
app plugs in without editing it. Contributions keep their registration order,
which is the order of `INSTALLED_APPS`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from campus import fragments


@dataclass(frozen=True)
class BackOfficeCard:
    """A card of the team's home: a title, a text and a button to the app's page.

    `description` is computed on each visit when it is a function, for cards
    that give counts.
    """

    title: str
    description: str | Callable[[], str]
    link_label: str
    url_name: str


@dataclass(frozen=True)
class PageSection:
    """A part of another app's page, rendered from the object it shows.

    `context` receives the page's object and returns the template's context;
    `head_template` adds what the section needs in <head>. The rendered section is
    kept until a table it read is written and shown to every visitor of the
    page (campus/fragments.py), so it depends on the object alone: the page has
    checked who may see the object. A section whose content changes with time alone
    gives `expires_at`, as a home section does (the context and the moment just
    before it was read give the next moment it changes, or None).
    """

    template_name: str
    context: Callable[[Any], dict]
    head_template: str = ""
    expires_at: Callable[[dict, datetime], datetime | None] | None = None


@dataclass(frozen=True)
class HomeSection:
    """A section of the home page, placed by its `order` (trades 30, agenda 40,
    news 50, key figures 60, network 70: an app picks a free number between).

    `context` returns the template's context, or None when the app has nothing to
    show yet: the section is then left out, never shown empty. The rendered section
    is kept until a table it read is written and shown to every visitor
    (campus/fragments.py), so it depends on nothing else; a section whose content
    changes with time alone (the next events) gives `expires_at`, which receives the
    context (None too: a section left out may appear) and the moment just before it
    was read, and returns the next moment the section changes, or None: a moment
    after `since` that the context does not show yet (an opening, a publication)
    counts, so a change while the context was read is not missed.
    """

    template_name: str
    context: Callable[[], dict | None]
    order: int
    expires_at: Callable[[dict | None, datetime], datetime | None] | None = None


class BackOfficeCards:
    def __init__(self):
        self._cards: list[BackOfficeCard] = []

    def register(self, card: BackOfficeCard) -> None:
        self._cards.append(card)

    def for_page(self) -> list[dict]:
        """The cards to show, with their URL; a card whose URL is not installed
        (yet) is left out, as the main navigation does."""
        cards = []
        for card in self._cards:
            try:
                url = reverse(card.url_name)
            except NoReverseMatch:
                continue
            description = card.description
            cards.append(
                {
                    "title": card.title,
                    "description": description()
                    if callable(description)
                    else description,
                    "link_label": card.link_label,
                    "url": url,
                }
            )
        return cards


class PageSections:
    def __init__(self, name: str):
        self.name = name
        self._sections: list[PageSection] = []

    def register(self, section: PageSection) -> None:
        self._sections.append(section)

    def head_templates(self) -> list[str]:
        return list(
            dict.fromkeys(s.head_template for s in self._sections if s.head_template)
        )

    def render(self, request, obj) -> list[str]:
        """Each section rendered for this object, or as kept while the tables it
        read are unchanged.

        Rendered without the request, as an inclusion tag would be: the context
        processors would cost their queries once per section.
        """
        kept = fragments.kept_many(
            request,
            {
                f"{self.name}.{obj.pk}.{index}.{section.template_name}": partial(
                    _render_section, section, obj
                )
                for index, section in enumerate(self._sections)
            },
        )
        return list(kept.values())


class HomeSections:
    def __init__(self):
        self._sections: list[HomeSection] = []

    def register(self, section: HomeSection) -> None:
        self._sections.append(section)

    def render(self, request) -> list[str]:
        """The sections that have something to show, in their order, rendered
        without the request like a page section, or as kept while the tables they
        read are unchanged."""
        sections = sorted(self._sections, key=lambda s: s.order)
        kept = fragments.kept_many(
            request,
            {
                f"home.{section.order}.{section.template_name}": partial(
                    _render_section, section
                )
                for section in sections
            },
            # A home section's context reads everything it shows: none is handed
            # what the page read before.
            alone=True,
        )
        return [html for html in kept.values() if html is not None]


def _render_section(section: HomeSection | PageSection, *obj):
    """The section's HTML (for the page's object, if any), or None when a home
    section has nothing to show, and when it changes with time alone."""
    since = timezone.now()
    context = section.context(*obj)
    html = None if context is None else render_to_string(section.template_name, context)
    if section.expires_at is None:
        return html, lambda: None
    return html, partial(section.expires_at, context, since)


back_office = BackOfficeCards()
home_page = HomeSections()
organisation_page = PageSections("organisation-page")
trade_page = PageSections("trade-page")
certification_page = PageSections("certification-page")

import copy
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from campus import contributions
from campus.contributions import HomeSection, HomeSections
from campus.network.models import OrganisationKind
from campus.network.tests.factories import OrganisationFactory
from campus.observatory.models import IndicatorKey
from campus.observatory.tests.factories import KeyFigureFactory
from campus.profiles.tests.test_identity import image_bytes
from campus.trades.models import ShowcaseItem
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db


def showcase_item(organisation, *trades, published=True, title="Sac besace"):
    item = ShowcaseItem(
        organisation=organisation,
        title=title,
        image_alt=f"{title} en cuir naturel",
        is_published=published,
    )
    item.image.save("sac.png", ContentFile(image_bytes()), save=False)
    item.save()
    item.trades.set(trades)
    return item


def test_home_leads_with_a_training_search_into_the_catalogue(client):
    """The first form of the home page sends what and where to the catalogue."""
    page = client.get("/").content.decode()
    search = page.index('action="/formations/"')
    assert search < page.index("Vous êtes")
    assert 'name="q"' in page[search:] and 'name="commune"' in page[search:]
    assert page.index("Vous êtes") < page.index("Les quatre missions du campus")


def test_home_opens_a_door_for_each_audience(client):
    """Pupils and parents, teachers, companies and adults each get their filtered pages."""
    page = client.get("/").content.decode()
    for audience in [
        "Collégien·ne, lycéen·ne ou parent",
        "Enseignant·e",
        "Entreprise ou partenaire",
        "Adulte en reconversion",
    ]:
        assert audience in page
    for link in [
        "/formations/?voie=scolaire",
        "/formations/?voie=apprentissage",
        "/formations/?voie=continue",
        "/decouvrir/",
        "/espace/",
        "/annuaire/proposer/",
    ]:
        assert f'href="{link}"' in page
    for link in ["/formations/?voie=scolaire", "/formations/?voie=continue"]:
        assert client.get(link).status_code == 200


def test_home_shows_trades_with_published_showcase_pictures_only():
    """A trade appears with its latest published picture; hidden work and trades don't."""
    shown, without_picture, hidden_work, unpublished = (
        TradeFactory(name="Maroquinier"),
        TradeFactory(name="Gainier"),
        TradeFactory(name="Sellier"),
        TradeFactory(name="Malletier", unpublished=True),
    )
    workshop = OrganisationFactory()
    showcase_item(workshop, shown, title="Ancien sac")
    showcase_item(workshop, shown, title="Sac besace")
    showcase_item(workshop, hidden_work, published=False, title="Brouillon")
    showcase_item(OrganisationFactory(unpublished=True), hidden_work, title="Selle")
    showcase_item(workshop, unpublished, title="Malle")
    page = _home()
    assert 'href="/metiers/maroquinier/"' in page
    assert 'alt="Sac besace en cuir naturel"' in page
    assert "Ancien sac" not in page
    for name in [without_picture.name, hidden_work.name, unpublished.name]:
        assert name not in page


def test_home_shows_every_key_figure_with_its_source_in_one_row():
    """Published key figures are shown together, each with its source; others are not."""
    KeyFigureFactory(label="salariés", source_label="Urssaf 2021", value=4500)
    KeyFigureFactory(label="entreprises", source_label="Sirene", value=320)
    KeyFigureFactory(label="brouillon", unpublished=True)
    page = _home()
    assert page.count('class="key-figure"') == 2
    assert "Source : Urssaf 2021" in page and "Source : Sirene" in page
    assert "brouillon" not in page


def test_home_counts_published_actors_by_kind_with_links_to_the_directory():
    """The network in numbers counts published organisations per kind, linked to the filtered directory."""
    OrganisationFactory.create_batch(2)
    OrganisationFactory(school=True)
    OrganisationFactory(unpublished=True)
    page = _home()
    assert "3 acteurs dans l'annuaire" in page
    assert (
        '<a href="/annuaire/?type=company"><strong>2</strong> <span>Entreprise' in page
    )
    assert f"<span>{OrganisationKind.SECONDARY_SCHOOL.label}</span>" in page


def test_home_leaves_out_sections_with_nothing_to_show(client):
    """With no trade picture, figure or published actor the home page shows no empty section."""
    OrganisationFactory(unpublished=True)
    page = client.get("/").content.decode()
    for heading in [
        "Des métiers qui se voient",
        "La filière en chiffres",
        "Le réseau en chiffres",
    ]:
        assert heading not in page


def test_home_sections_come_in_their_order_and_skip_empty_ones():
    """Registered home sections render by order, and one without context is left out."""
    sections = HomeSections()
    sections.register(
        HomeSection(
            "components/demo_badge.html",
            lambda: {"item": SimpleNamespace(is_demo=True)},
            order=50,
        )
    )
    sections.register(HomeSection("components/demo_badge.html", lambda: None, order=10))
    sections.register(
        HomeSection("components/result_count.html", lambda: None, order=20)
    )
    assert len(sections.render(None)) == 1
    assert "Démo" in sections.render(None)[0]


@pytest.fixture
def agenda_template(settings, tmp_path):
    """A template of an app that does not exist yet."""
    (tmp_path / "agenda").mkdir()
    (tmp_path / "agenda" / "_home_events.html").write_text(
        "<section><h2>Prochains événements ({{ n }})</h2></section>"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    return "agenda/_home_events.html"


def test_a_new_app_adds_a_home_section_without_editing_profiles(
    client, monkeypatch, agenda_template
):
    """An app registering a home section (the future agenda) appears between trades and key figures."""
    registry = HomeSections()
    for section in contributions.home_page._sections:
        registry.register(section)
    registry.register(HomeSection(agenda_template, lambda: {"n": 2}, order=40))
    monkeypatch.setattr(contributions, "home_page", registry)
    KeyFigureFactory()
    showcase_item(OrganisationFactory(), TradeFactory(name="Maroquinier"))
    page = client.get("/").content.decode()
    assert (
        page.index("Des métiers qui se voient")
        < page.index("Prochains événements (2)")
        < page.index("La filière en chiffres")
    )


def test_home_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """The home page's queries do not grow with trades, figures or actors."""

    def populate(n):
        for _ in range(n):
            workshop = OrganisationFactory()
            showcase_item(workshop, TradeFactory(), TradeFactory())
            KeyFigureFactory()
            # A computed figure reads its stored value, not the indicators.
            KeyFigureFactory(indicator_key=IndicatorKey.SALARIED_HEADCOUNT)
            OrganisationFactory(school=True)

    populate(1)
    # Profile and its links, sector, trades with their pictures, next events,
    # open calls, news, figures, network.
    with django_assert_num_queries(9):
        client.get("/")
    populate(4)
    with django_assert_num_queries(9):
        client.get("/")


def _home():
    from django.test import Client

    return Client().get("/").content.decode()

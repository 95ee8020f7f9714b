import pytest
from django.urls import reverse

from campus import contributions
from campus.accounts.tests.factories import UserFactory
from campus.contributions import BackOfficeCard, PageSection, PageSections
from campus.network.tests.factories import OrganisationFactory, ProposalFactory


def card(title, url_name="profiles:back_office", description="Texte."):
    return BackOfficeCard(title, description, "Ouvrir", url_name)


@pytest.mark.django_db
def test_a_registry_without_contributions_adds_nothing(rf):
    """An app that registers nothing adds no card and no section."""
    assert contributions.BackOfficeCards().for_page() == []
    sections = PageSections("test-page")
    assert sections.render(rf.get("/"), object()) == []
    assert sections.head_templates() == []


def test_a_card_whose_url_does_not_resolve_is_left_out():
    """A card pointing to an app whose URLs are not installed is not shown."""
    cards = contributions.BackOfficeCards()
    cards.register(card("Agenda", url_name="agenda:team_event_list"))
    cards.register(card("Profil"))
    assert [c["title"] for c in cards.for_page()] == ["Profil"]


def test_cards_keep_their_registration_order_and_count_on_each_visit():
    """Cards come in the order they were registered, their counts computed per visit."""
    counter = iter(range(1, 10))
    cards = contributions.BackOfficeCards()
    cards.register(card("Zèbre", description=lambda: f"{next(counter)} en attente."))
    cards.register(card("Abeille"))
    first, second = cards.for_page(), cards.for_page()
    assert [c["title"] for c in first] == ["Zèbre", "Abeille"]
    assert (first[0]["description"], second[0]["description"]) == (
        "1 en attente.",
        "2 en attente.",
    )
    assert first[1] == {
        "title": "Abeille",
        "description": "Texte.",
        "link_label": "Ouvrir",
        "url": reverse("profiles:back_office"),
    }


@pytest.mark.django_db
def test_sections_render_in_order_from_the_object(rf):
    """Each section's template gets the context its function makes of the object."""
    sections = PageSections("test-page")
    sections.register(
        PageSection("components/demo_badge.html", lambda obj: {"item": obj})
    )
    sections.register(
        PageSection(
            "trainings/_insertion_outcomes.html",
            lambda obj: {"outcomes": []},
            head_template="trades/_head.html",
        )
    )
    sections.register(
        PageSection(
            "trainings/_insertion_outcomes.html",
            lambda obj: {"outcomes": []},
            head_template="trades/_head.html",
        )
    )

    class Demo:
        pk = 1
        is_demo = True

    rendered = sections.render(rf.get("/"), Demo())
    assert len(rendered) == 3 and "démonstration" in rendered[0].lower()
    assert sections.head_templates() == ["trades/_head.html"]


@pytest.mark.django_db
def test_back_office_lists_every_app_card_in_app_order(client):
    """The team's home shows the cards apps registered, in INSTALLED_APPS order, with counts."""
    ProposalFactory.create_batch(2)
    OrganisationFactory(unpublished=True)
    client.force_login(UserFactory(campus_team=True))
    page = client.get(reverse("profiles:back_office")).content.decode()
    titles = [
        "Propositions",
        "Annuaire",
        "Données ouvertes",
        "Savoir-faire rares",
        "Interventions en classe",
        "Profil",
        "Toutes les données",
    ]
    positions = [page.index(f"<h2>{title}</h2>") for title in titles]
    assert positions == sorted(positions)
    assert "2 propositions en attente de modération." in page
    assert "1 organisation, dont 1 non publiée." in page
    assert f'href="{reverse("outreach:team_queue")}"' in page

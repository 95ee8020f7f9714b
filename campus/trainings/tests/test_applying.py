"""How to apply, on a training's page; its school's trainings on the school's page;
a trade's page without empty sections."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campus.network.tests.factories import OrganisationFactory
from campus.trades.tests.factories import TradeFactory
from campus.trainings.models import (
    AFFELNET_URL,
    PARCOURSUP_URL,
    DiplomaType,
    InsertionOutcome,
    Route,
)
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("certification", "route", "title", "url"),
    [
        ({}, Route.SCHOOL, "Après la 3e : Affelnet", AFFELNET_URL),
        ({"bac_pro": True}, Route.SCHOOL, "Après la 3e : Affelnet", AFFELNET_URL),
        ({"dn_made": True}, Route.SCHOOL, "Après le bac : Parcoursup", PARCOURSUP_URL),
        (
            {"diploma_type": DiplomaType.BTS, "level": 5},
            Route.SCHOOL,
            "Après le bac : Parcoursup",
            PARCOURSUP_URL,
        ),
        (
            {"diploma_type": DiplomaType.LICENCE_PRO, "level": 6},
            Route.SCHOOL,
            "Après le bac : Parcoursup",
            PARCOURSUP_URL,
        ),
        ({}, Route.APPRENTICESHIP, "En apprentissage : un CFA et un employeur", ""),
        (
            {"dn_made": True},
            Route.APPRENTICESHIP,
            "En apprentissage : un CFA et un employeur",
            "",
        ),
        (
            {},
            Route.CONTINUING,
            "En formation continue : l'organisme de formation",
            "",
        ),
        (
            {"diploma_type": DiplomaType.BMA, "level": 4},
            Route.SCHOOL,
            "Candidater auprès de l'établissement",
            "",
        ),
    ],
)
def test_the_procedure_follows_the_level_and_the_route(
    certification, route, title, url
):
    """CAP and bac pro in school go through Affelnet, higher diplomas through
    Parcoursup, apprenticeship through a CFA and an employer, adults through the
    training body."""
    offering = OfferingFactory.build(
        **{f"certification__{key}": value for key, value in certification.items()},
        route=route,
        organisation=OrganisationFactory.build(name="Lycée Jules Haag"),
    )
    offering.diploma_type = offering.certification.diploma_type
    guide = offering.application_guide
    assert (guide.title, guide.platform_url) == (title, url)


def test_the_page_says_how_to_apply_with_a_button(client):
    """A CAP in school names Affelnet, keeps the school's own words and offers its page."""
    offering = OfferingFactory(
        url="https://lycee.example/cap", how_to_apply="Entretien."
    )
    body = client.get(offering.get_absolute_url()).content.decode()
    assert "Après la 3e : Affelnet" in body
    assert f'<a class="button" href="{AFFELNET_URL}">' in body
    assert "Entretien." in body
    assert (
        'href="https://lycee.example/cap">Se renseigner et candidater sur le site '
        "de l'établissement</a>"
    ) in body


def test_without_a_page_the_button_writes_to_the_school(client):
    """With no training page, the contact button is the school's e-mail and phone."""
    organisation = OrganisationFactory(
        name="CFA des métiers d'art", email="cfa@example.fr", phone="03 80 00 00 00"
    )
    offering = OfferingFactory(organisation=organisation, apprenticeship=True, url="")
    body = client.get(offering.get_absolute_url()).content.decode()
    assert "un CFA et un employeur" in body
    assert (
        'href="mailto:cfa@example.fr">Écrire à CFA des métiers d&#x27;art</a>' in body
    )
    assert 'href="tel:0380000000">Appeler le 03 80 00 00 00</a>' in body


def test_the_page_shows_the_trainings_insertion_figures(client):
    """The InserJeunes figures of this training by this route come first, withheld ones as « n. d. »."""
    offering = OfferingFactory(apprenticeship=True)
    InsertionOutcome.objects.create(
        organisation=offering.organisation,
        route=Route.APPRENTICESHIP,
        cohort="cumul 2022-2023",
        employment_rate_6_months=Decimal("40.0"),
        source="InserJeunes",
    )
    InsertionOutcome.objects.create(
        organisation=offering.organisation,
        certification=offering.certification,
        route=Route.APPRENTICESHIP,
        cohort="cumul 2022-2023",
        employment_rate_6_months=Decimal("71.5"),
        source="InserJeunes",
        source_licence="Licence Ouverte",
    )
    InsertionOutcome.objects.create(
        organisation=offering.organisation,
        certification=offering.certification,
        route=Route.SCHOOL,
        cohort="cumul 2023-2024",
        employment_rate_6_months=Decimal("12.0"),
    )
    response = client.get(offering.get_absolute_url())
    body = response.content.decode()
    assert response.context["outcome"].employment_rate_6_months == Decimal("71.5")
    assert "Que deviennent les apprentis ?" in body
    assert "Sortants de cette formation, apprentissage" in body
    assert "71,5 %" in body and "n. d." in body
    assert "Source : InserJeunes — Licence Ouverte." in body


def test_without_figures_the_page_has_no_insertion_section(client):
    """No imported figures, no empty table."""
    offering = OfferingFactory()
    body = client.get(offering.get_absolute_url()).content.decode()
    assert "Que deviennent" not in body


def test_an_organisation_page_lists_its_published_trainings(client):
    """The school's page links its published trainings, not its hidden ones."""
    school = OrganisationFactory(name="Lycée Jules Haag", school=True)
    shown = OfferingFactory(
        organisation=school, certification__title="CAP Maroquinerie"
    )
    OfferingFactory(
        organisation=school, certification__title="CAP caché", unpublished=True
    )
    OfferingFactory(certification__title="CAP d'un autre lycée")
    body = client.get(school.get_absolute_url()).content.decode()
    assert '<h2 id="offerings-title">Formations</h2>' in body
    assert f'<a href="{shown.get_absolute_url()}">CAP Maroquinerie</a>' in body
    assert "CAP caché" not in body and "CAP d&#x27;un autre lycée" not in body


def test_an_organisation_without_trainings_has_no_trainings_section(client):
    """A company with no training shows no empty « Formations » heading."""
    company = OrganisationFactory()
    assert (
        'id="offerings-title"'
        not in client.get(company.get_absolute_url()).content.decode()
    )


def test_a_trade_page_hides_the_sections_it_has_nothing_for(client):
    """No know-how, no workshop and no ROME code: no heading announcing nothing."""
    trade = TradeFactory(name="Plumassier", rome_codes="")
    body = client.get(trade.get_absolute_url()).content.decode()
    assert "<h2>Savoir-faire</h2>" not in body
    assert "Qui exerce ce métier ?" not in body
    assert "Fiches ROME et formations" not in body
    assert "Découvrir ce métier" in body


def test_a_trade_page_shows_the_sections_it_has(client):
    """A trade with workshops and a ROME code shows both sections."""
    trade = TradeFactory(name="Maroquinier", rome_codes="B1802")
    trade.organisations.add(OrganisationFactory(name="Atelier du Doubs"))
    body = client.get(
        reverse("trades:trade_detail", args=[trade.slug])
    ).content.decode()
    assert "Qui exerce ce métier ?" in body and "Atelier du Doubs" in body
    assert '<h2 id="rome-title">Fiches ROME et formations</h2>' in body

"""Another campus runs Campus by changing its profiles: no page keeps our sector or région.

The campus here is an aeronautics CMQ of Hauts-de-France (NAF 30.30Z). Its data is
made with the factories but every sector word is overridden, so whatever the pages
still say about leather or Bourgogne-Franche-Comté comes from the code.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campus.agenda.tests.factories import EventFactory
from campus.network.tests.factories import OrganisationFactory
from campus.news.tests.factories import ArticleFactory, CategoryFactory
from campus.offers.tests.factories import OfferFactory, RomeJobFactory
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.platforms.tests.factories import EquipmentFactory, PlatformFactory
from campus.profiles.models import CampusProfile, SectorProfile
from campus.search import fold
from campus.talent.tests.factories import CallFactory
from campus.talent.tests.mobility_factories import ResidencyFactory
from campus.trades.tests.factories import KnowHowFactory, TradeFactory
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = pytest.mark.django_db

# Our sector and région, folded: what another campus's pages must never show.
OURS = re.compile(
    r"\bcuirs?\b|maroquin|\bsacs?\b|sellier|sellerie|bourgogne|franche.comte"
    r"|montbard|dijon|besancon|cote d.or|\bdoubs\b"
)


@pytest.fixture
def aeronautics_campus():
    """A Hauts-de-France aeronautics campus with one school, trade and training."""
    region = RegionFactory(code="32", name="Hauts-de-France")
    somme = DepartementFactory(code="80", name="Somme", region=region)
    meaulte = CommuneFactory(
        insee_code="80521",
        name="Méaulte",
        postal_codes="80300",
        latitude=49.9814,
        longitude=2.6606,
        departement=somme,
    )
    campus = CampusProfile.objects.create(
        name="Campus des métiers et des qualifications Aéronautique",
        short_name="CMQ Aéronautique",
        tagline="Les métiers de l'aéronautique en Hauts-de-France",
        region=region,
        mission_trades="Faire connaître les métiers de l'aéronautique.",
        mission_training="Rendre visibles les formations de la construction aéronautique.",
    )
    campus.departements.add(somme)
    SectorProfile.objects.create(
        name="Construction aéronautique",
        description="Aérostructures, assemblage et maintenance.",
        naf_codes="30.30Z",
        rome_codes="H2913",
        keywords="aéronautique, aérostructure",
    )
    school = OrganisationFactory(
        school=True,
        name="Lycée Henry Potez",
        description="Formations à l'assemblage aéronautique.",
        commune=meaulte,
    )
    trade = TradeFactory(
        name="Ajusteur-monteur en aéronautique",
        summary="Il assemble les éléments d'un avion.",
        description="Lecture de plans, perçage, rivetage.",
        rome_codes="H2913",
    )
    know_how = KnowHowFactory(
        name="Rivetage", description="Assembler des tôles par rivets."
    )
    news = CategoryFactory(name="Formations", slug="formations")
    article = ArticleFactory(
        organisation=school,
        title="Une nouvelle classe de bac pro Aéronautique",
        summary="Le lycée Henry Potez ouvre une classe à la rentrée.",
        body="Quinze places en **voie scolaire**.",
    )
    article.categories.add(news)
    offering = OfferingFactory(
        organisation=school,
        certification=CertificationFactory(
            title="Bac pro Aéronautique", nsf_code="253", rome_codes="H2913"
        ),
    )
    open_day = EventFactory(
        open_day=True, organisation=school, title="Portes ouvertes du lycée Henry Potez"
    )
    open_day.offerings.add(offering)
    offer = OfferFactory(
        organisation=school,
        title="Apprenti ajusteur-monteur",
        rome_job=RomeJobFactory(code="H2913", label="Soudage manuel"),
        certification=offering.certification,
        commune=meaulte,
        description="Assemblage d'aérostructures, en **bac pro**.",
    )
    residency = ResidencyFactory(
        host=school,
        title="Résidence d'un designer au lycée",
        resident_name="Studio Envol",
        description="Un designer conçoit une **maquette** avec les élèves.",
    )
    call = CallFactory(
        title="Concours des jeunes ajusteurs",
        summary="Un concours pour les apprentis de l'aéronautique.",
        description="Assembler une **aérostructure**.",
    )
    equipment = EquipmentFactory(
        organisation=PlatformFactory(
            name="Plateforme composites de Méaulte", commune=meaulte
        ),
        name="Autoclave",
        description="Cuisson de pièces **composites**.",
    )
    return {
        "residency_detail": residency.slug,
        "equipment_detail": equipment.slug,
        "booking_feed": equipment.slug,
        "offer_detail": offer.pk,
        "call_detail": call.slug,
        "event_detail": open_day.slug,
        "event_ics": open_day.slug,
        "register": open_day.slug,
        "organisation_detail": school.slug,
        "propose_correction": school.slug,
        "trade_detail": trade.slug,
        "know_how_detail": know_how.slug,
        "offering_detail": offering.pk,
        "certification_detail": offering.certification.slug,
        "article_detail": article.slug,
        "category": news.slug,
        "category_rss": news.slug,
        "category_atom": news.slug,
        # The observatory's own test (observatory/tests/test_any_sector.py) walks
        # every theme, figure and download with this campus's figures.
        "definition": "effectifs-salaries",
        "figure": "evolution",
        "download": "evolution",
    }


def public_urls(objects) -> list[str]:
    """Every page a visitor can reach without logging in, with our objects' keys."""
    urls = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                full = (
                    f"{namespace}:{inner}"
                    if namespace and inner
                    else namespace or inner
                )
                walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if getattr(pattern.callback, "login_required", True) is not False:
                    continue
                if namespace == "admin":
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                keys = pattern.pattern.regex.groupindex
                kwargs = {}
                for key in keys:
                    if key in {"slug", "pk"}:
                        kwargs[key] = objects[pattern.name]
                    else:
                        kwargs[key] = "jeton-inconnu"
                urls.append(reverse(name, kwargs=kwargs))

    walk(get_resolver().url_patterns)
    return urls


def test_another_campus_shows_nothing_of_our_sector_or_region(
    client, aeronautics_campus
):
    """No public page of an aeronautics campus in Hauts-de-France names leather or Bourgogne-Franche-Comté."""
    urls = public_urls(aeronautics_campus)
    assert len(urls) >= 25
    mentions = {}
    for url in urls:
        response = client.get(url, {"q": "a"} if url.endswith("suggestions/") else {})
        assert response.status_code < 500, url
        if not response["Content-Type"].startswith(("text/", "application/")):
            continue
        found = OURS.findall(fold(response.content.decode()))
        if found:
            mentions[url] = sorted(set(found))
    assert mentions == {}


def test_trade_search_gives_examples_from_the_sector_profile(
    client, aeronautics_campus
):
    """The trades search box suggests the sector's own keywords and ROME code."""
    body = client.get(reverse("trades:trade_list")).content.decode()
    assert 'placeholder="Aéronautique, aérostructure, H2913…"' in body
    assert "« Construction aéronautique »" in body

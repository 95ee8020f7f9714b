"""Another campus gets its own observatory from its profiles alone.

An aeronautics CMQ of Hauts-de-France (NAF 30.30Z): its rows are counted, leather
rows (15.12Z) stored beside them never are, and no observatory page, figure,
download or definition names our sector or région.
"""

import re

import pytest
from django.urls import reverse

from campus.observatory.definitions import DEFINITIONS
from campus.observatory.figures import FIGURES, THEMES
from campus.observatory.models import IndicatorKey
from campus.observatory.tests.factories import store_urssaf_figures
from campus.places.tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
)
from campus.profiles.models import CampusProfile, SectorProfile
from campus.search import fold

pytestmark = pytest.mark.django_db

OURS = re.compile(
    r"\bcuirs?\b|maroquin|\bsacs?\b|sellier|sellerie|bourgogne|franche.comte"
    r"|montbard|dijon|besancon|cote d.or|\bdoubs\b|15\.?12z"
)


@pytest.fixture
def aeronautics():
    region = RegionFactory(code="32", name="Hauts-de-France")
    somme = DepartementFactory(code="80", name="Somme", region=region)
    CommuneFactory(
        insee_code="80521", name="Méaulte", postal_codes="80300", departement=somme
    )
    campus = CampusProfile.objects.create(
        name="Campus des métiers et des qualifications Aéronautique",
        short_name="CMQ Aéronautique",
        region=region,
    )
    campus.departements.add(somme)
    SectorProfile.objects.create(name="Construction aéronautique", naf_codes="30.30Z")
    store_urssaf_figures(
        [
            (IndicatorKey.SALARIED_HEADCOUNT, naf, "80521", 2022, headcount)
            for naf, headcount in [("30.30Z", 1450), ("15.12Z", 77)]
        ],
        region_code="32",
    )
    return campus


def observatory_urls() -> list[str]:
    urls = [reverse("observatory:home"), reverse("observatory:glossary")]
    urls += [reverse("observatory:theme", args=[slug]) for slug in THEMES]
    for theme, slug in FIGURES:
        urls.append(reverse("observatory:figure", args=[theme, slug]))
        urls.append(reverse("observatory:download", args=[theme, slug, "csv"]))
    urls += [reverse("observatory:definition", args=[slug]) for slug in DEFINITIONS]
    return urls


@pytest.mark.parametrize("territoire", ["", "80", "80521", "france"])
def test_no_observatory_page_names_our_sector_or_region(
    client, aeronautics, territoire
):
    mentions = {}
    for url in observatory_urls():
        response = client.get(url, {"territoire": territoire} if territoire else {})
        assert response.status_code == 200, url
        found = OURS.findall(fold(response.content.decode("utf-8-sig")))
        if found:
            mentions[url] = sorted(set(found))
    assert mentions == {}


def test_the_sector_profile_alone_chooses_what_is_counted(client, aeronautics):
    body = client.get("/observatoire/emploi/evolution.csv").content.decode("utf-8-sig")
    assert "2022;1450;" in body
    assert "77" not in body.split("Année", 1)[1]


def test_a_region_without_a_commune_layer_gets_its_tables_without_a_map(
    client, aeronautics
):
    """Hauts-de-France has no shipped commune file: a département's ranking of
    communes is a table alone, with no error."""
    response = client.get("/observatoire/emploi/communes/", {"territoire": "80"})
    assert response.status_code == 200
    page = response.text
    assert "choropleth" not in page
    assert '<a href="?territoire=80521">Méaulte (80521)</a>' in page

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campus.network.tests.factories import OrganisationFactory
from campus.profiles.models import CampusProfile
from campus.profiles.templatetags.page_meta import canonical_url
from campus.testing.images import image_bytes
from campus.trades.tests.factories import KnowHowFactory, TradeFactory
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_keeps_private_areas_out_and_names_the_sitemap(client, settings):
    """robots.txt disallows the private areas and gives the sitemap's public address."""
    settings.CAMPUS_SITE_URL = "https://campus.exemple.fr"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/espace/", "/gestion/", "/compte/", "/connexion/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: https://campus.exemple.fr/sitemap.xml" in lines


def test_sitemap_lists_published_rows_only(client, settings):
    """The sitemap lists published rows on the public address and leaves out the others."""
    settings.CAMPUS_SITE_URL = "https://campus.exemple.fr"
    organisation = OrganisationFactory()
    hidden_organisation = OrganisationFactory(unpublished=True)
    offering = OfferingFactory(organisation=organisation)
    hidden_offering = OfferingFactory(organisation=organisation, unpublished=True)
    offering_of_hidden = OfferingFactory(organisation=hidden_organisation)
    untaught = CertificationFactory()
    trade, hidden_trade = TradeFactory(), TradeFactory(unpublished=True)
    know_how = KnowHowFactory()
    hidden_know_how = KnowHowFactory(unpublished=True)

    index = client.get("/sitemap.xml")

    assert index.status_code == 200
    sections = re.findall(
        r"<loc>https://campus\.exemple\.fr(/[^<]+)</loc>", index.content.decode()
    )
    assert "/sitemap-formations.xml" in sections
    content = ""
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200
        content += response.content.decode()
    site = "https://campus.exemple.fr"
    for listed in [
        "/",
        "/formations/",
        "/accessibilite/",
        organisation.get_absolute_url(),
        offering.get_absolute_url(),
        offering.certification.get_absolute_url(),
        trade.get_absolute_url(),
        know_how.get_absolute_url(),
    ]:
        assert f"<loc>{site}{listed}</loc>" in content
    for hidden in [
        hidden_organisation.get_absolute_url(),
        hidden_offering.get_absolute_url(),
        offering_of_hidden.get_absolute_url(),
        untaught.get_absolute_url(),
        hidden_trade.get_absolute_url(),
        hidden_know_how.get_absolute_url(),
        "/espace/",
    ]:
        assert f"<loc>{site}{hidden}</loc>" not in content
    assert "<lastmod>" in content


def test_canonical_url_keeps_the_filters_in_use_only(rf, settings):
    """The canonical address drops empty filters, the first page and tracking tags."""
    settings.CAMPUS_SITE_URL = "https://campus.exemple.fr"
    request = rf.get(
        "/formations/?q=sac&route=&voie=apprentissage&utm_source=lettre"
        "&fbclid=abc&page=1&niveau=3&niveau=4"
    )
    assert canonical_url(request) == (
        "https://campus.exemple.fr/formations/?q=sac&voie=apprentissage"
        "&niveau=3&niveau=4"
    )
    assert canonical_url(rf.get("/formations/?page=2")) == (
        "https://campus.exemple.fr/formations/?page=2"
    )
    assert canonical_url(rf.get("/?utm_medium=x")) == "https://campus.exemple.fr/"


def test_pages_carry_open_graph_tags(client, settings):
    """A page gives Open Graph its title, description, address, type and site name."""
    settings.CAMPUS_SITE_URL = "https://campus.exemple.fr"
    CampusProfile.objects.create(name="CMQ Exemple", short_name="CMQ Ex")
    content = client.get("/mentions-legales/?utm_source=x").content.decode()
    assert '<meta property="og:title" content="Mentions légales">' in content
    assert '<meta property="og:site_name" content="CMQ Exemple">' in content
    assert '<meta property="og:type" content="website">' in content
    assert (
        '<meta property="og:url" content="https://campus.exemple.fr/mentions-legales/">'
        in content
    )
    assert (
        '<link rel="canonical" href="https://campus.exemple.fr/mentions-legales/">'
        in (content)
    )
    assert "<title>Mentions légales — CMQ Ex</title>" in content
    assert '<meta property="og:description" content="' in content


def test_organisation_page_offers_its_logo_to_open_graph(client, settings):
    """An organisation with a logo gives it, with its text alternative, as og:image."""
    settings.CAMPUS_SITE_URL = "https://campus.exemple.fr"
    organisation = OrganisationFactory(
        logo=SimpleUploadedFile("logo.png", image_bytes()), logo_alt="Logo de l'atelier"
    )
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert (
        f'<meta property="og:image" content="https://campus.exemple.fr'
        f'{organisation.logo.url}">'
    ) in content
    assert '<meta property="og:image:alt" content="Logo de l&#x27;atelier">' in content
    assert 'property="og:image"' not in client.get("/").content.decode()


def test_error_pages_name_no_canonical_address(client):
    """A 404 page does not present itself as the canonical page of its address."""
    response = client.get("/annuaire/inconnue/")
    assert response.status_code == 404
    assert 'rel="canonical"' not in response.content.decode()

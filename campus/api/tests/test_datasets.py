"""/donnees/: the open datasets, their licence, update date and files, and their
DCAT-AP catalogue in JSON-LD."""

import datetime as dt
import json
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from campus.api.datasets import LICENCE_OUVERTE, ODBL
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.trainings.models import Offering
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

DATASETS = ["annuaire", "formations", "agenda", "offres", "observatoire"]


def catalogue(client) -> dict:
    response = client.get("/donnees/catalogue.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


def by_identifier(body) -> dict:
    return {entry["dct:identifier"]: entry for entry in body["dcat:dataset"]}


def test_page_lists_every_dataset_with_licence_and_files(client):
    """Anyone reads the datasets, each with its licence and its CSV and XLSX files."""
    response = client.get("/donnees/")
    assert response.status_code == 200
    content = unescape(response.content.decode())
    for title in [
        "Annuaire des acteurs du réseau",
        "Offre de formation",
        "Agenda des événements",
        "Offres de stage, d'apprentissage et d'emploi",
        "Indicateurs de l'observatoire",
    ]:
        assert title in content
    for slug in ["annuaire", "formations", "agenda", "offres"]:
        assert f'href="/telecharger/{slug}.csv"' in content
        assert f'href="/telecharger/{slug}.xlsx"' in content
    assert LICENCE_OUVERTE.title in content
    assert 'href="/donnees/catalogue.jsonld"' in content


def test_footer_links_to_the_datasets_page(client):
    assert 'href="/donnees/"' in client.get("/").content.decode()


def test_onisep_data_makes_the_trainings_odbl(client):
    """The trainings are under the ODbL once a published offering comes from ONISEP;
    an unpublished one changes nothing."""
    OfferingFactory()
    OfferingFactory(unpublished=True, source="ONISEP", source_licence="ODbL")
    assert by_identifier(catalogue(client))["formations"]["dct:license"] == {
        "@id": LICENCE_OUVERTE.url
    }
    OfferingFactory(source="ONISEP", source_licence="ODbL")
    entry = by_identifier(catalogue(client))["formations"]
    assert entry["dct:license"] == {"@id": ODBL.url}
    assert all(
        d["dct:license"] == {"@id": ODBL.url} for d in entry["dcat:distribution"]
    )
    assert ODBL.title in unescape(client.get("/donnees/").content.decode())


def test_update_date_comes_from_the_published_data(client):
    """A dataset's dct:modified is its newest published row's update date; the
    observatory's is its last successful import."""
    OfferingFactory()
    newest = OfferingFactory()
    last = timezone.now() - dt.timedelta(days=3)
    Offering.objects.filter(pk=newest.pk).update(updated_at=last)
    Offering.objects.exclude(pk=newest.pk).update(updated_at=last - dt.timedelta(1))
    OfferingFactory(unpublished=True)  # newer, but not public
    finished = timezone.now() - dt.timedelta(days=10)
    ImportRun.objects.create(
        source=ImportSource.URSSAF,
        file_name="urssaf.csv",
        licence="Licence Ouverte",
        attribution="Urssaf",
        status=ImportStatus.SUCCEEDED,
        finished_at=finished,
    )
    entries = by_identifier(catalogue(client))
    assert entries["formations"]["dct:modified"] == {
        "@value": last.isoformat(),
        "@type": "xsd:dateTime",
    }
    assert entries["observatoire"]["dct:modified"]["@value"] == finished.isoformat()
    assert "dct:modified" not in entries["agenda"]


def test_catalogue_is_dcat_ap_json_ld(client):
    """The catalogue is a dcat:Catalog of dcat:Datasets whose distributions carry a
    download address that answers, a media type, a licence and an update date."""
    OrganisationFactory()
    body = catalogue(client)
    assert body["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert body["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert body["@type"] == "dcat:Catalog"
    assert body["dct:title"].startswith("Données ouvertes")
    assert body["dct:publisher"]["foaf:name"]
    entries = by_identifier(body)
    assert sorted(entries) == sorted(DATASETS)
    for slug, entry in entries.items():
        assert entry["@type"] == "dcat:Dataset"
        assert entry["dct:title"] and entry["dct:description"]
        assert entry["dct:license"]["@id"] in {LICENCE_OUVERTE.url, ODBL.url}
        assert urlsplit(entry["dcat:landingPage"]["@id"]).scheme in ("http", "https")
        assert entry["dcat:distribution"], slug
        for distribution in entry["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:mediaType"]
            assert distribution["dct:license"] == entry["dct:license"]
    files = entries["annuaire"]["dcat:distribution"]
    assert "dct:modified" in entries["annuaire"]
    assert [d["dcat:mediaType"] for d in files][:2] == [
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
    for distribution in files:
        assert distribution["dct:modified"] == entries["annuaire"]["dct:modified"]
        url = urlsplit(distribution["dcat:downloadURL"]["@id"])
        assert client.get(url.path).status_code == 200


def test_pages_refuse_post(client):
    assert client.post("/donnees/").status_code == 405
    assert client.post("/donnees/catalogue.jsonld").status_code == 405

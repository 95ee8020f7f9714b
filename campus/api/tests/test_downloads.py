"""« Télécharger » on the public lists: the rows of the page, typed, and nothing private."""

import csv
import datetime as dt
import io
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from campus.agenda.tests.factories import EventFactory
from campus.api.downloads import get_export
from campus.network.models import OrganisationKind
from campus.network.tests.factories import OrganisationFactory
from campus.offers.tests.factories import OfferFactory
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

# What each download may show: a column added to an export must be added here,
# after checking that the public page shows it.
PUBLIC_HEADERS = {
    "annuaire": [
        "Nom", "Sigle", "Type d'acteur", "SIRET", "UAI", "Adresse", "Code postal",
        "Commune", "Code INSEE", "Département", "Latitude", "Longitude", "Site web",
        "E-mail de contact", "Téléphone", "Source", "Licence de la source",
        "Fiche sur le site", "Modifiée le",
    ],
    "formations": [
        "Formation", "Niveau", "Type de diplôme", "Code RNCP", "Voie",
        "Établissement", "Commune", "Code INSEE", "Département", "Latitude",
        "Longitude", "Durée", "Dates de rentrée", "Inscriptions à partir du",
        "Inscriptions jusqu'au", "Places", "Page de l'établissement",
        "Identifiant ONISEP", "Source", "Licence de la source", "Fiche sur le site",
        "Modifiée le",
    ],
    "agenda": [
        "Titre", "Type", "Organisateur", "Début", "Fin", "Toute la journée", "Lieu",
        "Nom du lieu", "Adresse", "Commune", "Code INSEE", "En bref", "Gratuit",
        "Tarif", "Déroulement", "Fiche sur le site", "Modifié le",
    ],
    "offres": [
        "Intitulé du poste", "Type d'offre", "Organisation", "Code ROME",
        "Diplôme préparé", "Commune", "Code INSEE", "Département", "Date de début",
        "Durée (mois)", "Nombre de postes", "Candidater en ligne", "Visible jusqu'au",
        "Publiée le", "Fiche sur le site",
    ],
}  # fmt: skip
PUBLIC_HEADERS["agenda-archives"] = PUBLIC_HEADERS["agenda"]


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def page_paths(rows) -> list[str]:
    return [urlsplit(row["Fiche sur le site"]).path for row in rows]


def listed_paths(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [item.get_absolute_url() for item in response.context["page"].object_list]


@pytest.mark.parametrize("slug", sorted(PUBLIC_HEADERS))
def test_headers_are_the_declared_public_columns(client, slug):
    """Each download's header row names exactly the public columns, in French."""
    rows = client.get(f"/telecharger/{slug}.csv")
    body = b"".join(rows.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].split(";") == PUBLIC_HEADERS[slug]
    assert get_export(slug).headers == PUBLIC_HEADERS[slug]
    sheet = read_xlsx(client.get(f"/telecharger/{slug}.xlsx"))
    header = next(sheet.iter_rows(max_row=1))
    assert [cell.value for cell in header] == PUBLIC_HEADERS[slug]
    assert all(cell.font.bold for cell in header)


def test_directory_download_has_the_rows_of_the_filtered_list(client):
    """The directory's download holds the published actors the filtered page lists."""
    OrganisationFactory(name="Sellerie Martin", kind=OrganisationKind.COMPANY)
    OrganisationFactory(name="Atelier Dupont", kind=OrganisationKind.COMPANY)
    OrganisationFactory(
        name="Atelier caché",
        kind=OrganisationKind.COMPANY,
        unpublished=True,
        internal_notes="Ne pas rappeler avant mars",
        agreement_reference="CONV-SECRETE-42",
    )
    OrganisationFactory(school=True, name="Lycée Condé")
    query = "type=company"
    rows = read_csv(client.get(f"/telecharger/annuaire.csv?{query}"))
    assert page_paths(rows) == listed_paths(client, f"/annuaire/?{query}")
    assert [row["Nom"] for row in rows] == ["Atelier Dupont", "Sellerie Martin"]
    assert {row["Type d'acteur"] for row in rows} == {"Entreprise"}
    searched = read_csv(client.get("/telecharger/annuaire.csv?q=sellerie"))
    assert page_paths(searched) == listed_paths(client, "/annuaire/?q=sellerie")
    assert [row["Nom"] for row in searched] == ["Sellerie Martin"]
    everything = b"".join(client.get("/telecharger/annuaire.csv").streaming_content)
    assert "Lycée Condé".encode() in everything
    for secret in ["Atelier caché", "Ne pas rappeler", "CONV-SECRETE-42"]:
        assert secret.encode() not in everything


def test_catalogue_and_map_list_download_has_their_rows(client):
    """The offerings download follows the catalogue's and the map list's filters."""
    first = OfferingFactory(apprenticeship=True, capacity=12)
    OfferingFactory(apprenticeship=True)
    OfferingFactory()
    OfferingFactory(apprenticeship=True, unpublished=True)
    OfferingFactory(
        apprenticeship=True, organisation=OrganisationFactory(unpublished=True)
    )
    query = "voie=apprentissage"
    rows = read_csv(client.get(f"/telecharger/formations.csv?{query}"))
    assert len(rows) == 2
    assert page_paths(rows) == listed_paths(client, f"/formations/?{query}")
    assert page_paths(rows) == listed_paths(client, f"/carte/?{query}")
    assert {row["Voie"] for row in rows} == {"Apprentissage"}
    searched = read_csv(client.get("/telecharger/formations.csv?q=cap&tri=-formation"))
    assert len(searched) == 3
    assert page_paths(searched) == listed_paths(
        client, "/formations/?q=cap&tri=-formation"
    )
    sheet = read_xlsx(client.get(f"/telecharger/formations.xlsx?{query}"))
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(values) == 2
    by_path = {urlsplit(row[20]).path: row for row in values}
    row = by_path[first.get_absolute_url()]
    assert row[1] == first.level and isinstance(row[1], int)
    assert row[15] == 12
    assert isinstance(row[21], dt.datetime)


def test_agenda_downloads_have_the_upcoming_or_past_published_events(client):
    """The agenda's download lists the published events to come, the archive's the
    past ones; events waiting for moderation are in neither."""
    soon = EventFactory(title="Portes ouvertes", all_day=True)
    EventFactory(title="Proposé", submitted=True)
    past_start = timezone.now() - dt.timedelta(days=30)
    past = EventFactory(title="Salon passé", starts_at=past_start, ends_at=past_start)
    rows = read_csv(client.get("/telecharger/agenda.csv"))
    assert page_paths(rows) == listed_paths(client, "/agenda/")
    assert page_paths(rows) == [soon.get_absolute_url()]
    assert rows[0]["Toute la journée"] == "oui"
    archived = read_csv(client.get("/telecharger/agenda-archives.csv"))
    assert page_paths(archived) == [past.get_absolute_url()]
    assert page_paths(archived) == listed_paths(client, "/agenda/archives/")
    sheet = read_xlsx(client.get("/telecharger/agenda.xlsx"))
    start = sheet.cell(row=2, column=4).value
    assert start == timezone.localtime(soon.starts_at).replace(tzinfo=None)


def test_offers_download_has_the_open_offers_without_the_recruiters_address(client):
    """Open offers only; the application e-mail is left out of bulk downloads."""
    open_offer = OfferFactory(positions=3)
    OfferFactory(expired=True)
    rows = read_csv(client.get("/telecharger/offres.csv"))
    assert page_paths(rows) == listed_paths(client, "/offres/")
    assert page_paths(rows) == [open_offer.get_absolute_url()]
    assert rows[0]["Nombre de postes"] == "3"
    assert "recrutement@atelier.example" not in str(rows)
    sheet = read_xlsx(client.get("/telecharger/offres.xlsx"))
    assert sheet.cell(row=2, column=9).value == dt.datetime.combine(
        open_offer.starts_on, dt.time()
    )
    assert sheet.cell(row=2, column=11).value == 3


def test_formula_like_text_is_kept_as_text(client):
    """A name that a spreadsheet would run as a formula comes out behind an apostrophe,
    and control characters that would break the workbook are dropped."""
    OrganisationFactory(name='=HYPERLINK("http://evil.example","clic")', acronym="-2+3")
    OrganisationFactory(name="Atelier\x07 sonore")
    rows = read_csv(client.get("/telecharger/annuaire.csv"))
    names = {row["Nom"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","clic")' in names
    assert {row["Sigle"] for row in rows} >= {"'-2+3"}
    sheet = read_xlsx(client.get("/telecharger/annuaire.xlsx"))
    values = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {'\'=HYPERLINK("http://evil.example","clic")', "Atelier sonore"}
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_coordinates_use_a_decimal_comma_in_csv(client):
    """French spreadsheets read « 47,2 » as a number: the CSV writes decimals so."""
    OrganisationFactory(latitude=47.25, longitude=6.5)
    row = read_csv(client.get("/telecharger/annuaire.csv"))[0]
    assert (row["Latitude"], row["Longitude"]) == ("47,25", "6,5")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/telecharger/annuaire.csv?type=inconnu", "Type d'acteur inconnu"),
        ("/telecharger/formations.xlsx?niveau=99", "Niveau inconnu"),
        ("/telecharger/formations.csv?tri=distance", "demande une commune"),
        ("/telecharger/agenda.csv?type=%3Cscript%3E", "Filtres invalides"),
        ("/telecharger/offres.xlsx?rayon=9999&commune=25056", "Filtres invalides"),
        ("/telecharger/annuaire.csv?q=" + "x" * 5000, "Filtres invalides"),
    ],
)
def test_bad_filters_are_a_french_400(client, path, message):
    """A filter the list refuses gives the list's French message and a 400."""
    OrganisationFactory()
    response = client.get(path)
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert message in text
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path", ["/telecharger/inconnu.csv", "/telecharger/annuaire.pdf"]
)
def test_unknown_download_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_head_answers_the_headers_without_building_the_file(client):
    """HEAD gives GET's status and headers, with no body; bad filters still a 400."""
    OrganisationFactory()
    for extension in ["csv", "xlsx"]:
        get = client.get(f"/telecharger/annuaire.{extension}")
        head = client.head(f"/telecharger/annuaire.{extension}")
        assert head.status_code == 200
        assert head.content == b""
        for header in ["Content-Type", "Content-Disposition"]:
            assert head[header] == get[header]
    assert client.head("/telecharger/annuaire.csv?type=x").status_code == 400


def test_post_is_refused(client):
    assert client.post("/telecharger/annuaire.csv").status_code == 405


def test_downloads_are_rate_limited_per_client(client, settings):
    """Past the hourly allowance of a client address, a download is a French 429."""
    settings.CAMPUS_DOWNLOAD_RATE_PER_ADDRESS = "2/h"
    assert client.get("/telecharger/annuaire.csv").status_code == 200
    assert client.get("/telecharger/agenda.xlsx").status_code == 200
    response = client.get("/telecharger/offres.csv")
    assert response.status_code == 429
    assert "Trop de téléchargements" in response.content.decode()
    other = client.get("/telecharger/offres.csv", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("page", "download"),
    [
        ("/annuaire/?type=company", "/telecharger/annuaire.csv?type=company"),
        ("/formations/?niveau=3", "/telecharger/formations.xlsx?niveau=3"),
        ("/carte/?niveau=3", "/telecharger/formations.csv?niveau=3"),
        ("/agenda/?type=workshop", "/telecharger/agenda.csv?type=workshop"),
        ("/agenda/archives/", "/telecharger/agenda-archives.xlsx"),
        ("/offres/?contrat=emploi", "/telecharger/offres.csv?contrat=emploi"),
    ],
)
def test_lists_link_to_their_download_with_their_filters(client, page, download):
    """Every public list offers « Télécharger » with the filters in use."""
    content = client.get(page).content.decode()
    assert f'href="{download}"' in content.replace("&amp;", "&")


def test_list_with_bad_filters_offers_no_download(client):
    content = client.get("/annuaire/?type=inconnu").content.decode()
    assert "/telecharger/" not in content


def test_csv_is_sent_in_chunks_with_queries_independent_of_rows(
    client, monkeypatch, django_assert_max_num_queries
):
    """Rows go out a few at a time, read by a fixed number of queries (no N+1)."""
    monkeypatch.setattr("campus.api.downloads.CSV_ROWS_PER_CHUNK", 2)
    for _ in range(5):
        OfferingFactory()
    with django_assert_max_num_queries(12):
        response = client.get("/telecharger/formations.csv")
        chunks = list(response.streaming_content)
    # The BOM and header, then 2 + 2 + 1 rows.
    assert len(chunks) == 4
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == 6

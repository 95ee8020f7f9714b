from io import StringIO

import pytest
from django.core.management import call_command

from campus.network.models import Organisation, Site
from campus.opendata.importers.base import ImportFileError
from campus.opendata.importers.lheo import start_label
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile
from campus.trainings.models import Certification, Offering, Route
from campus.trainings.tests.factories import CertificationFactory

OFFER = fixture_path("lheo-offre.xml")


@pytest.fixture
def sector(campus):
    profile = SectorProfile.load()
    profile.nsf_codes = "243"
    profile.rome_codes = "B1802"
    profile.save()
    return profile


def offerings():
    return {
        o.lheo_id: (
            o.certification.rncp_code,
            o.organisation.siret,
            o.site.commune.insee_code if o.site else None,
            o.route,
            o.duration,
            o.start_dates,
        )
        for o in Offering.objects.select_related(
            "certification", "organisation", "site__commune"
        )
    }


def test_actions_of_the_sector_in_the_region_become_offerings(sector):
    """Kept actions become offerings at their training body, with their start dates."""
    run = run_import("lheo", OFFER)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (5, 2, 3)
    assert run.skipped_reasons == {
        "lieu de formation hors des départements du campus": 1,
        "formation sans code RNCP": 1,
        "formation hors de la filière": 1,
    }
    assert offerings() == {
        "27_600001": (
            "RNCP38712",
            "78010000000014",
            None,
            Route.APPRENTICESHIP,
            "2 ans",
            "septembre 2026, 12/01/2027",
        ),
        "27_600002": (
            "RNCP38712",
            "19210000000012",
            "25056",
            Route.CONTINUING,
            "600 h",
            "octobre 2026",
        ),
    }
    assert run.summary["rows"] == [[1, 2, 1]]
    cap = Certification.objects.get()
    assert (cap.title, cap.level, cap.diploma_type, cap.nsf_code) == (
        "CAP maroquinerie",
        3,
        "cap",
        "243",
    )
    cfa = Organisation.objects.get(siret="78010000000014")
    assert (cfa.name, cfa.kind, cfa.commune.insee_code) == (
        "CFA des métiers du cuir",
        "cfa",
        "21425",
    )
    greta = Organisation.objects.get(siret="19210000000012")
    assert (greta.name, greta.kind) == ("GRETA 21", "training_body")
    assert Site.objects.get().organisation == greta
    offering = Offering.objects.get(lheo_id="27_600001")
    assert offering.url == "https://cfa-cuir.example.fr/cap-maroquinerie"
    for record in (offering, cap, cfa):
        assert (record.source, record.source_licence) == (
            "Carif-Oref, offre de formation (Lhéo)",
            "Licence Ouverte 2.0",
        )


def test_known_certification_is_found_by_its_rncp_code(sector):
    """A certification already known by its RNCP code receives the offerings."""
    known = CertificationFactory(title="CAP Maroquinerie", rncp_code="RNCP38712")
    run = run_import("lheo", OFFER)
    assert run.summary["rows"] == [[0, 2, 1]]
    assert set(Offering.objects.values_list("certification", flat=True)) == {known.pk}


def test_second_import_changes_nothing(sector):
    """A second import of the same file creates and updates nothing."""
    run_import("lheo", OFFER)
    run = run_import("lheo", OFFER)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)
    assert run.summary["rows"] == [[0, 0, 0]]


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("20170912", "12/09/2017"),
        ("20170900", "septembre 2017"),
        ("20170000", "2017"),
        ("00000000", ""),
    ],
)
def test_dates_with_unknown_day_or_month(value, label):
    """`00` stands for an unknown day or month."""
    assert start_label(value, "formation 1") == label


def test_bad_date_is_refused():
    with pytest.raises(ImportFileError, match="date « 2017-09-12 » invalide"):
        start_label("2017-09-12", "formation 1")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("<SIRET>78010000000014", "<SIRET>78010000000015", "formation 27_500001 : "),
        ("<debut>20270112", "<debut>20271312", "date « 20271312 » invalide"),
        ("<code-NSF>243", "<code-NSF>2A3", "code-NSF « 2A3 » invalide"),
    ],
)
def test_one_bad_value_rejects_the_file(sector, tmp_path, old, new, message):
    """A malformed value fails the run, names the formation, and writes nothing."""
    text = OFFER.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "offre.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = run_import("lheo", path)
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert not Offering.objects.exists() and not Organisation.objects.exists()


def test_truncated_file_writes_nothing(sector, tmp_path):
    """A file cut in the middle fails naming its line, and writes nothing."""
    path = tmp_path / "offre.xml"
    path.write_bytes(OFFER.read_bytes()[:-2000])
    run = run_import("lheo", path)
    assert run.status == ImportStatus.FAILED
    assert run.error.startswith("ligne ")
    assert "XML mal formé ou tronqué" in run.error
    assert not Offering.objects.exists()


def test_another_xml_file_is_refused(sector):
    """An ONISEP XML file is not a Lhéo offer."""
    run = run_import("lheo", fixture_path("onisep-formations.xml"))
    assert run.status == ImportStatus.FAILED
    assert "n'est pas une offre de formation Lhéo 2.2" in run.error


def test_command_imports_the_offer(sector):
    """import_data lheo imports the file and prints its report."""
    out = StringIO()
    call_command("import_data", "lheo", str(OFFER), stdout=out, stderr=StringIO())
    assert "5 lignes lues, 2 créés, 0 mis à jour, 0 inchangés, 3 ignorés." in (
        out.getvalue()
    )

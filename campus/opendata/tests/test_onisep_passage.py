import pytest

from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile
from campus.trainings.models import Certification
from campus.trainings.tests.factories import CertificationFactory

PASSAGE = fixture_path("onisep-table-de-passage.xml")


@pytest.fixture
def sector(campus):
    profile = SectorProfile.load()
    profile.keywords = "maroquinerie, cuir, sellerie"
    profile.save()
    return profile


def codes():
    return {
        c.title: (c.diploma_type, c.level, c.rncp_code, c.cfd_code, c.onisep_id)
        for c in Certification.objects.all()
    }


def rewrite(tmp_path, old, new, *, source=PASSAGE):
    path = tmp_path / source.name
    path.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), "utf-8")
    return path


def test_sector_certifications_come_with_all_their_codes(sector):
    """Each certification of the sector gets its RNCP, CFD and ONISEP codes and its level."""
    run = run_import("onisep_passage", PASSAGE)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (8, 5, 3)
    assert run.skipped_reasons == {
        "certification hors de la filière": 1,
        "formation non certifiante": 1,
        "certification en double dans le fichier": 1,
    }
    assert codes() == {
        "CAP maroquinerie": ("cap", 3, "RNCP38712", "50024323", "FOR.9902"),
        "Bac pro métiers du cuir option maroquinerie": (
            "bac_pro",
            4,
            "RNCP37230",
            "40024302",
            "FOR.6046",
        ),
        "Bac pro métiers du cuir option sellerie garnissage": (
            "bac_pro",
            4,
            "RNCP37230",
            "40024303",
            "FOR.6088",
        ),
        "CQP prototypiste en maroquinerie": ("cqp", 4, "RNCP39962", "", ""),
        "Titre professionnel piqueur préparateur en maroquinerie": (
            "titre_pro",
            3,
            "RNCP37718",
            "56T24305",
            "FOR.9194",
        ),
    }
    cap = Certification.objects.get(onisep_id="FOR.9902")
    assert (cap.source, cap.source_licence) == ("ONISEP, Idéo", "ODbL")


def test_json_keys_csv_in_another_column_order(sector):
    """The CSV rendering, columns shuffled, gives the same certifications."""
    run = run_import(
        "onisep_passage", fixture_path("onisep-table-de-passage_json-keys.csv")
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == 4
    assert codes()["CAP maroquinerie"] == (
        "cap",
        3,
        "RNCP38712",
        "50024323",
        "FOR.9902",
    )


def test_second_import_changes_nothing(sector):
    run_import("onisep_passage", PASSAGE)
    run = run_import("onisep_passage", PASSAGE)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 5)
    assert Certification.objects.count() == 5


def test_demo_certification_is_adopted_by_its_rncp_code(sector):
    """A certification typed by hand becomes the official one instead of a duplicate."""
    typed = CertificationFactory(
        title="CAP Maroquinerie (saisie)", rncp_code="RNCP38712", is_demo=True
    )
    run = run_import("onisep_passage", PASSAGE)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    typed.refresh_from_db()
    assert (typed.title, typed.cfd_code, typed.onisep_id) == (
        "CAP maroquinerie",
        "50024323",
        "FOR.9902",
    )
    assert (typed.source, typed.is_demo) == ("ONISEP, Idéo", False)
    assert Certification.objects.filter(rncp_code="RNCP38712").count() == 1


def test_shared_rncp_code_adopts_nothing(sector):
    """Two options share RNCP37230: a certification with that code is not guessed at."""
    typed = CertificationFactory(title="Bac pro cuir", rncp_code="RNCP37230")
    run_import("onisep_passage", PASSAGE)
    typed.refresh_from_db()
    assert (typed.title, typed.onisep_id) == ("Bac pro cuir", "")
    assert Certification.objects.filter(rncp_code="RNCP37230").count() == 3


def test_other_publishers_record_only_receives_missing_codes(sector):
    """A certification from the RNCP keeps its title and source; it gains the CFD."""
    rncp = CertificationFactory(
        title="CAP - Maroquinerie",
        rncp_code="RNCP38712",
        source="France compétences, RNCP",
        source_licence="Licence Ouverte 2.0",
    )
    run_import("onisep_passage", PASSAGE)
    rncp.refresh_from_db()
    assert (rncp.title, rncp.source) == (
        "CAP - Maroquinerie",
        "France compétences, RNCP",
    )
    assert (rncp.cfd_code, rncp.onisep_id) == ("50024323", "FOR.9902")


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            "<ci_niveau_europeen>4</ci_niveau_europeen>",
            "<ci_niveau_europeen>IV</ci_niveau_europeen>",
            "ci_niveau_europeen",
            "niveau « IV » inconnu",
        ),
        (
            "<ci_code_rncp>37230</ci_code_rncp>",
            "<ci_code_rncp>37230; 1</ci_code_rncp>",
            "ci_code_rncp",
            "code RNCP « 37230; 1 » invalide",
        ),
        (
            "<ci_code_scolarite>40024302</ci_code_scolarite>",
            "<ci_code_scolarite>400-24302</ci_code_scolarite>",
            "ci_code_scolarite",
            "« 400-24302 » invalide",
        ),
        (
            "<ideo_identifiant_formation>FOR.6046</ideo_identifiant_formation>",
            "<ideo_identifiant_formation>https://onisep.fr</ideo_identifiant_formation>",
            "ideo_identifiant_formation",
            "invalide (FOR. et un nombre attendu)",
        ),
    ],
)
def test_one_bad_value_rejects_the_file(sector, tmp_path, old, new, column, message):
    """The item and field are named and nothing is written, even the good items before."""
    run = run_import("onisep_passage", rewrite(tmp_path, old, new))
    assert run.status == ImportStatus.FAILED
    assert message in run.error and column in run.error
    assert "élément 2" in run.error or "ligne 2" in run.error
    assert Certification.objects.count() == 0


def test_truncated_file_is_rejected(sector, tmp_path):
    path = tmp_path / "coupe.xml"
    path.write_bytes(PASSAGE.read_bytes()[:1500])
    run = run_import("onisep_passage", path)
    assert run.status == ImportStatus.FAILED
    assert "XML mal formé ou tronqué" in run.error
    assert Certification.objects.count() == 0


def test_formations_file_is_not_a_table_de_passage(sector):
    run = run_import("onisep_passage", fixture_path("onisep-formations.xml"))
    assert run.status == ImportStatus.FAILED
    assert "n'est pas un fichier ONISEP « table de passage" in run.error
    assert "champs manquants" in run.error


def test_certification_typed_without_codes_is_adopted_by_its_title(sector):
    """« CAP Maroquinerie » typed by the team is the ONISEP « CAP maroquinerie »."""
    typed = CertificationFactory(title="CAP Maroquinerie", rncp_code="", is_demo=True)
    coded = CertificationFactory(title="CAP maroquinerie", rncp_code="RNCP1")
    run_import("onisep_passage", PASSAGE)
    typed.refresh_from_db()
    coded.refresh_from_db()
    assert (typed.rncp_code, typed.cfd_code, typed.is_demo) == (
        "RNCP38712",
        "50024323",
        False,
    )
    assert (coded.rncp_code, coded.cfd_code) == ("RNCP1", "")
    assert Certification.objects.filter(title__iexact="CAP maroquinerie").count() == 2

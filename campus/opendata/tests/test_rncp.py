import io
import zipfile

import pytest

from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile
from campus.trainings.models import Certification, SkillBlock
from campus.trainings.tests.factories import CertificationFactory

CSV_ZIP = fixture_path("rncp/export-fiches-csv-2024-02-22.zip")
XML = fixture_path("rncp/export_fiches_RNCP_V4_1_2026_01_28.xml")
XML_ZIP = fixture_path("rncp/export-fiches-rncp-v4-1-2026-01-28.zip")


@pytest.fixture
def sector(campus):
    profile = SectorProfile.load()
    profile.nsf_codes = "243"
    profile.rome_codes = "B1802, H2411"
    profile.keywords = "maroquinerie, sellier"
    profile.save()
    return profile


def test_csv_export_keeps_the_active_fiches_of_the_sector(sector):
    """Active sector fiches become certifications with level, codes, certifiers and blocks."""
    run = run_import("rncp", CSV_ZIP)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (5, 2, 3)
    assert run.skipped_reasons == {
        "fiche inactive": 2,
        "certification hors de la filière": 1,
    }
    cap = Certification.objects.get(rncp_code="RNCP38431")
    assert (cap.title, cap.diploma_type, cap.level, cap.nsf_code) == (
        "Maroquinerie",
        "cap",
        3,
        "243",
    )
    assert cap.rome_codes == "B1802"
    assert cap.certifiers == "MINISTERE DE L'EDUCATION NATIONALE ET DE LA JEUNESSE"
    assert list(cap.skill_blocks.values_list("code", flat=True)) == [
        "RNCP38431BC01",
        "RNCP38431BC02",
        "RNCP38431BC03",
    ]
    bac = Certification.objects.get(rncp_code="RNCP38476")
    assert (bac.level, bac.rome_codes) == (4, "B1802, H2411")
    assert (bac.source, bac.source_licence) == (
        "France compétences, RNCP et RS",
        "Licence Ouverte 2.0",
    )


@pytest.mark.parametrize("path", [XML, XML_ZIP])
def test_xml_export_is_read_per_the_official_schema(sector, path):
    """The XML export, alone or zipped, gives the same certification and its blocks."""
    run = run_import("rncp", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (2, 1, 1)
    cap = Certification.objects.get(rncp_code="RNCP38431")
    assert cap.skill_blocks.count() == 2
    assert cap.certifiers.startswith("MINISTERE")


def test_fiches_without_a_level_are_left_out(sector, tmp_path):
    """A fiche with no level of the national framework ("REPRISE") is skipped, not an error."""
    path = rewrite_zip(
        tmp_path, change=("Standard", '"NIV4";"Niveau 4"', '"REPRISE";"Sans niveau"')
    )
    run = run_import("rncp", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.skipped_reasons["certification sans niveau de 3 à 8"] == 1
    assert not Certification.objects.filter(rncp_code="RNCP38476").exists()


def test_second_import_changes_nothing(sector):
    """Importing the same export twice creates and updates nothing."""
    run_import("rncp", CSV_ZIP)
    run = run_import("rncp", CSV_ZIP)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)
    assert SkillBlock.objects.count() == 3


def test_demo_certification_is_replaced_by_the_official_one(sector):
    """A demo certification with the same RNCP number takes the register's data."""
    demo = CertificationFactory(
        title="CAP maroquinerie (démo)", rncp_code="RNCP38431", is_demo=True
    )
    run = run_import("rncp", CSV_ZIP)
    assert (run.created, run.updated) == (1, 1)
    demo.refresh_from_db()
    assert (demo.title, demo.is_demo, demo.skill_blocks.count()) == (
        "Maroquinerie",
        False,
        3,
    )


def rewrite_zip(tmp_path, change=None, drop=None, cut=None):
    source = zipfile.ZipFile(CSV_ZIP)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if drop and drop in name:
                continue
            if change and change[0] in name:
                data = data.replace(change[1].encode(), change[2].encode(), 1)
            target.writestr(name, data)
    data = buffer.getvalue()
    path = tmp_path / "export.zip"
    path.write_bytes(data[: int(len(data) * cut)] if cut else data)
    return path


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"change": ("Standard", '"RNCP38476"', '"XX38476"')},
            "ligne 4, colonne « Numero_Fiche »",
        ),
        (
            {"change": ("Nsf", '"RNCP509";"251"', '"RNCP509";"251')},
            "ligne 3 : guillemet jamais fermé ou mal placé (table export_fiches_CSV_Nsf",
        ),
        ({"drop": "Standard"}, "« Standard » absent"),
        ({"cut": 0.5}, "zip illisible ou tronquée"),
    ],
)
def test_malformed_exports_write_nothing(sector, tmp_path, kwargs, message):
    """A malformed export fails with the line and field named, and writes nothing."""
    run = run_import("rncp", rewrite_zip(tmp_path, **kwargs))
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert not Certification.objects.exists()


def test_truncated_xml_writes_nothing(sector, tmp_path):
    """An XML export cut in the middle fails with nothing written."""
    path = tmp_path / "export.xml"
    path.write_bytes(XML.read_bytes()[:1500])
    run = run_import("rncp", path)
    assert run.status == ImportStatus.FAILED
    assert "tronqué" in run.error
    assert not Certification.objects.exists()


def test_other_files_are_refused(sector):
    """An ONISEP CSV given to the RNCP importer is refused."""
    run = run_import("rncp", fixture_path("onisep-formations.csv"))
    assert run.status == ImportStatus.FAILED
    assert "zip CSV ou XML attendu" in run.error


def xml_with_blocks(tmp_path, blocks: str):
    """The XML fixture with its fiche's blocks replaced by `blocks`."""
    text = XML.read_text(encoding="utf-8")
    start = text.index("<BLOCS_COMPETENCES>") + len("<BLOCS_COMPETENCES>")
    end = text.index("</BLOCS_COMPETENCES>")
    path = tmp_path / "export.xml"
    path.write_text(text[:start] + blocks + text[end:], encoding="utf-8")
    return path


SKILLED_BLOCK = (
    "<BLOC_COMPETENCES><CODE>RNCP38431BC02</CODE>"
    "<LIBELLE>Réalisation d'un article de maroquinerie</LIBELLE>"
    "<LISTE_COMPETENCES>&lt;ul&gt;&lt;li&gt;Piquer à la machine&amp;nbsp;"
    "plate&lt;/li&gt;&lt;li&gt;Réaliser une piqûre sellier&lt;/li&gt;"
    "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/ul&gt;</LISTE_COMPETENCES>"
    "<MODALITES_EVALUATION>&lt;p&gt;Épreuve pratique&lt;br&gt;en atelier&lt;/p&gt;"
    "</MODALITES_EVALUATION></BLOC_COMPETENCES>"
)


def test_xml_blocks_keep_their_skills_and_assessment_as_text(sector, tmp_path):
    """A block's skills and assessment come from their HTML as plain lines, scripts dropped."""
    run = run_import("rncp", xml_with_blocks(tmp_path, SKILLED_BLOCK))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    block = SkillBlock.objects.get(code="RNCP38431BC02")
    assert block.skills == "Piquer à la machine plate\nRéaliser une piqûre sellier"
    assert block.assessment == "Épreuve pratique\nen atelier"
    assert "piqure sellier" in block.search_text


def test_reimport_keeps_the_blocks_offerings_prepare(sector, tmp_path):
    """Blocks are updated in place: an offering keeps the blocks it prepares, and
    the CSV export (without skills) leaves those of the XML."""
    from campus.trainings.tests.factories import OfferingFactory

    run_import("rncp", xml_with_blocks(tmp_path, SKILLED_BLOCK))
    block = SkillBlock.objects.get(code="RNCP38431BC02")
    offering = OfferingFactory(certification=block.certification)
    offering.skill_blocks.add(block)
    run = run_import("rncp", CSV_ZIP)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert list(offering.skill_blocks.all()) == [block]
    block.refresh_from_db()
    assert block.skills.startswith("Piquer à la machine")
    assert block.certification.skill_blocks.count() == 3
    again = run_import("rncp", CSV_ZIP)
    assert (again.updated, again.unchanged) == (0, 2)

import pytest

from campus.demo import load_demo_campus
from campus.network.models import Organisation
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.profiles.models import SectorProfile
from campus.trainings.models import Certification, Offering, Route
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

FORMATIONS = [
    "onisep-formations.csv",
    "onisep-formations_json-keys.csv",
    "onisep-formations.xml",
]
ACTIONS = ["onisep-actions-lycee_json-keys.csv", "onisep-actions-lycee.xml"]


@pytest.fixture
def sector(campus):
    profile = SectorProfile.load()
    profile.nsf_codes = "243"
    profile.keywords = "maroquinerie, sellerie"
    profile.save()
    return profile


def certifications():
    return {
        c.onisep_id: (c.title, c.diploma_type, c.level, c.rncp_code, c.nsf_code)
        for c in Certification.objects.all()
    }


@pytest.mark.parametrize("name", FORMATIONS)
def test_formations_of_the_sector_become_certifications(sector, name):
    """NSF codes and keywords select the sector; levels and types are translated."""
    run = run_import("onisep_formations", fixture_path(name))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (4, 3, 1)
    assert run.skipped_reasons == {"formation hors de la filière": 1}
    assert certifications() == {
        "FOR.1021": ("CAP maroquinerie", "cap", 3, "RNCP38431", "243"),
        "FOR.5812": (
            "bac pro métiers du cuir option maroquinerie",
            "bac_pro",
            4,
            "RNCP38476",
            "243",
        ),
        "FOR.7690": (
            "bachelor sellerie et maroquinerie de luxe",
            "other",
            6,
            "",
            "200",
        ),
    }
    certification = Certification.objects.get(onisep_id="FOR.1021")
    assert (certification.source, certification.source_licence) == (
        "ONISEP, Idéo",
        "ODbL",
    )


def test_reads_the_2022_csv_download(sector):
    """The 2022 CSV names the NSF column « code CNIS »: its codes select the sector."""
    run = run_import("onisep_formations", fixture_path("onisep-formations_2022.csv"))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (4, 2, 2)
    assert run.skipped_reasons == {
        "formation hors de la filière": 1,
        "niveau de certification inconnu": 1,
    }
    assert certifications() == {
        "FOR.503": ("CAP Sellier harnacheur", "cap", 3, "RNCP19292", "243"),
        "FOR.1764": ("CAP Maroquinerie", "cap", 3, "RNCP604", "243"),
    }


def test_bpjeps_is_not_a_brevet_professionnel(sector):
    """The BPJEPS, a sports diploma, is not typed as the craft brevet professionnel."""
    sector.nsf_codes = "243, 335"
    sector.save()
    run_import("onisep_formations", fixture_path(FORMATIONS[0]))
    bpjeps = Certification.objects.get(onisep_id="FOR.11073")
    assert bpjeps.diploma_type == "other"


def test_demo_certifications_are_adopted_by_a_real_import(sector):
    """The demo's certifications carry their real codes: an import adopts them."""
    load_demo_campus()
    count = Certification.objects.count()
    run = run_import(
        "onisep_formations",
        fixture_path("onisep-formations_demo-codes_json-keys.csv"),
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.updated) == (0, 4)
    assert Certification.objects.count() == count
    assert Certification.objects.filter(title__iexact="CAP maroquinerie").count() == 1


def test_formations_import_twice_changes_nothing(sector):
    """A second import of the same file creates and updates nothing."""
    run_import("onisep_formations", fixture_path(FORMATIONS[0]))
    run = run_import("onisep_formations", fixture_path(FORMATIONS[0]))
    assert (run.created, run.updated, run.unchanged) == (0, 0, 3)


def test_demo_certification_is_adopted_by_rncp_code(sector):
    """A demo certification with the same RNCP code becomes the real one."""
    demo = CertificationFactory(
        title="CAP Maroquinerie (démo)", rncp_code="RNCP38431", is_demo=True
    )
    run = run_import("onisep_formations", fixture_path(FORMATIONS[0]))
    assert (run.created, run.updated) == (2, 1)
    demo.refresh_from_db()
    assert (demo.onisep_id, demo.title, demo.is_demo) == (
        "FOR.1021",
        "CAP maroquinerie",
        False,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("5;niveau 3", "9;niveau 3"), "ligne 2, colonne « niveau_de_certification »"),
        (("\n243;50024203", "\n24X;50024203"), "ligne 2, colonne « code_nsf »"),
        (("38431", "38A31"), "ligne 2, colonne « code_rncp »"),
        (("slug/FOR.1021", "slug/"), "ligne 2, colonne « url_et_id_onisep »"),
    ],
)
def test_bad_formation_row_rejects_the_file(sector, tmp_path, change, message):
    """A malformed value fails the run, names line and field, and writes nothing."""
    text = fixture_path(FORMATIONS[0]).read_text(encoding="utf-8-sig")
    assert change[0] in text
    path = tmp_path / "formations.csv"
    path.write_text(text.replace(*change, 1), encoding="utf-8-sig")
    run = run_import("onisep_formations", path)
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert not Certification.objects.exists()


@pytest.fixture
def formations(sector):
    run_import("onisep_formations", fixture_path(FORMATIONS[0]))


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_become_offerings_at_schools_of_the_region(formations, name):
    """Actions of the sector in the région become offerings; unknown schools are created."""
    known = OrganisationFactory(
        name="LP Eugène Guillaume", kind="secondary_school", uai="0210056X"
    )
    run = run_import("onisep_actions", fixture_path(name))
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (5, 3, 2)
    assert run.skipped_reasons == {
        "établissement hors de la région du campus": 1,
        "formation hors de la filière ou pas encore importée": 1,
    }
    offerings = {
        o.onisep_id: (o.certification.onisep_id, o.organisation.uai, o.route)
        for o in Offering.objects.select_related("certification", "organisation")
    }
    assert offerings == {
        "AF.69395": ("FOR.1021", "0210056X", Route.SCHOOL),
        "AF.70001": ("FOR.5812", "0251234F", Route.SCHOOL),
        "AF.70002": ("FOR.1021", "0251234F", Route.APPRENTICESHIP),
    }
    new_school = Organisation.objects.get(uai="0251234F")
    assert new_school.commune.name == "Besançon"
    assert (new_school.latitude, new_school.source_licence) == (47.2488, "ODbL")
    assert Offering.objects.get(onisep_id="AF.69395").organisation == known
    assert run.summary["rows"] == [[1]]


def test_higher_education_actions_create_higher_education_schools(formations):
    """A school created for a post-bac training is higher education, unless a lycée."""
    run = run_import(
        "onisep_actions", fixture_path("onisep-actions-superieur_json-keys.csv")
    )
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.summary["rows"]) == (2, [[2]])
    kinds = dict(Organisation.objects.values_list("uai", "kind"))
    assert kinds == {"0211356K": "higher_education", "0251234F": "secondary_school"}


def test_actions_import_twice_changes_nothing(formations):
    """A second import of the same actions creates and updates nothing."""
    run_import("onisep_actions", fixture_path(ACTIONS[0]))
    run = run_import("onisep_actions", fixture_path(ACTIONS[0]))
    assert (run.created, run.updated, run.unchanged) == (0, 0, 3)
    assert Organisation.objects.count() == 2


def test_demo_offering_is_adopted(formations):
    """A demo offering of the same training at the same school becomes the real one."""
    school = OrganisationFactory(kind="secondary_school", uai="0210056X")
    demo = OfferingFactory(
        certification=Certification.objects.get(onisep_id="FOR.1021"),
        organisation=school,
        route=Route.SCHOOL,
        is_demo=True,
    )
    run = run_import("onisep_actions", fixture_path(ACTIONS[0]))
    assert (run.created, run.updated) == (2, 1)
    demo.refresh_from_db()
    assert (demo.onisep_id, demo.is_demo) == ("AF.69395", False)


def test_actions_with_a_bad_uai_write_nothing(formations, tmp_path):
    """A malformed UAI fails the whole file and names the line and field."""
    text = fixture_path(ACTIONS[0]).read_text(encoding="utf-8")
    path = tmp_path / "actions.csv"
    path.write_text(text.replace("0251234F", "0251234G", 1), encoding="utf-8")
    run = run_import("onisep_actions", path)
    assert run.status == ImportStatus.FAILED
    assert "ligne 3, colonne « ens_code_uai »" in run.error
    assert not Offering.objects.exists() and not Organisation.objects.exists()


def test_formations_file_given_as_actions_is_refused(formations):
    """The formations file given to the actions importer is refused by its fields."""
    run = run_import("onisep_actions", fixture_path(FORMATIONS[0]))
    assert run.status == ImportStatus.FAILED
    assert "champs manquants" in run.error

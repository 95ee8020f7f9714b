from decimal import Decimal

import pytest

from campus.network.tests.factories import OrganisationFactory
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.opendata.tests.conftest import fixture_path
from campus.trainings.models import InsertionOutcome

CFA = fixture_path("fr-en-inserjeunes-cfa.csv")


@pytest.fixture
def cfas(campus):
    return [
        OrganisationFactory(name="MFR de Montbozon", kind="cfa", uai="0700955H"),
        OrganisationFactory(name="MFR d'Ailleville", kind="cfa", uai="0700957K"),
        OrganisationFactory(name="CFA du cuir", kind="cfa", uai="0251234F"),
    ]


def snapshot():
    return list(InsertionOutcome.objects.order_by("pk").values())


def test_rates_of_the_network_cfas_are_kept_and_withheld_ones_stay_empty(cfas):
    """Each CFA of the network gets its rates; a withheld rate is empty, never zero."""
    run = run_import("inserjeunes", CFA)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.rows_read, run.created, run.skipped) == (4, 3, 1)
    assert run.skipped_reasons == {"établissement hors du réseau du campus": 1}
    montbozon = InsertionOutcome.objects.get(organisation=cfas[0])
    assert montbozon.cohort == "cumul 2023-2024"
    assert montbozon.employment_rate_6_months == Decimal("78.0")
    assert montbozon.employment_rate_24_months is None
    assert (
        montbozon.further_study_share,
        montbozon.employment_share_6_months,
        montbozon.other_situations_share,
    ) == (Decimal("45.0"), Decimal("43.0"), Decimal("12.0"))
    assert montbozon.establishment_group == "cfa"
    ailleville = InsertionOutcome.objects.get(organisation=cfas[1])
    assert ailleville.employment_rate_6_months is None
    assert ailleville.further_study_rate == Decimal("36.0")
    cuir = InsertionOutcome.objects.get(organisation=cfas[2])
    assert cuir.employment_value_added_6_months == Decimal("-5.0")
    assert cuir.source_licence == "Licence Ouverte 2.0"


def test_second_import_changes_nothing(cfas):
    """Importing the same file twice creates and updates nothing."""
    run_import("inserjeunes", CFA)
    run = run_import("inserjeunes", CFA)
    assert (run.created, run.updated, run.unchanged) == (0, 0, 3)


def test_technical_names_are_read_too(cfas, tmp_path):
    """The API's technical column names give the same outcomes."""
    text = CFA.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    head, rest = text.split("\n", 1)
    head = head.replace("Année", "annee").replace("UAI", "uai")
    head = head.replace("Taux emploi 6 mois attendu", "taux_emploi_6_mois_attendu")
    head = head.replace("Taux emploi 6 mois", "taux_emploi_6_mois")
    path = tmp_path / "api.csv"
    path.write_text(head + "\n" + rest, encoding="utf-8")
    run = run_import("inserjeunes", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (
        InsertionOutcome.objects.get(organisation=cfas[0]).employment_rate_6_months
        == 78
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((";78.0;70.0;", ";78,0x;70.0;"), "ligne 2, colonne « Taux emploi 6 mois »"),
        ((";78.0;70.0;", ";178.0;70.0;"), "ligne 2, colonne « Taux emploi 6 mois »"),
        (
            (";20.0;76.0;71.0;-5.0;", ";20.0;76.0;71.0;"),
            "ligne 4 : 15 valeurs au lieu de 16",
        ),
    ],
)
def test_bad_rows_reject_the_file(cfas, tmp_path, change, message):
    """A malformed rate or a cut line fails the file, names where, and writes nothing."""
    path = tmp_path / "bad.csv"
    path.write_text(
        CFA.read_text(encoding="utf-8-sig").replace(change[0], change[1], 1),
        encoding="utf-8-sig",
    )
    run = run_import("inserjeunes", path)
    assert run.status == ImportStatus.FAILED
    assert message in run.error
    assert snapshot() == []


def test_wrong_file_is_refused(cfas):
    """A file of another dataset is refused by its columns."""
    run = run_import("inserjeunes", fixture_path("urssaf-commune-ape.csv"))
    assert run.status == ImportStatus.FAILED
    assert "colonnes manquantes" in run.error


def test_outcomes_show_on_the_organisation_page_with_withheld_rates(cfas, client):
    """The organisation page shows the rates, and 'n. d.' where the source withheld one."""
    run_import("inserjeunes", CFA)
    page = client.get(cfas[1].get_absolute_url()).content.decode()
    assert "Que deviennent les sortants ?" in page
    assert "36.0 %" in page or "36,0 %" in page
    assert "n. d." in page and "moins de 20 sortants" in page
    assert "Licence Ouverte 2.0" in page

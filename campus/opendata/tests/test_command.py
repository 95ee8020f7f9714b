from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campus.accounts.tests.factories import UserFactory
from campus.network.models import Organisation
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.tests.conftest import fixture_path

STOCK = fixture_path("StockEtablissement_utf8.csv")


def test_command_imports_and_prints_the_report(campus):
    """The command imports the file, draws a progress bar and prints the counts."""
    out, err = StringIO(), StringIO()
    call_command("import_data", "sirene", str(STOCK), stdout=out, stderr=err)
    assert "8 lignes lues, 3 créés, 0 mis à jour, 0 inchangés, 5 ignorés." in (
        out.getvalue()
    )
    assert "ignorés — activité hors de la filière : 2" in out.getvalue()
    assert "100%" in err.getvalue()
    assert ImportRun.objects.get().status == ImportStatus.SUCCEEDED


def test_command_dry_run_and_legal_units(campus):
    """--dry-run writes nothing; --unites-legales gives the companies their names."""
    out = StringIO()
    call_command(
        "import_data",
        "sirene",
        str(STOCK),
        "--dry-run",
        "--no-progress",
        "--unites-legales",
        str(fixture_path("StockUniteLegale_utf8.csv")),
        stdout=out,
    )
    assert out.getvalue().startswith("Simulation, rien n'est enregistré : ")
    assert Organisation.objects.count() == 0


def test_command_fails_naming_line_and_column(campus):
    """A wrong file makes the command fail with a French message, nothing written."""
    with pytest.raises(CommandError, match="ligne 1 : ce fichier n'est pas un fichier"):
        call_command(
            "import_data",
            "sirene",
            str(fixture_path("urssaf-commune-ape.csv")),
            "--no-progress",
        )
    assert Organisation.objects.count() == 0


def test_command_reports_a_missing_file(campus, tmp_path):
    """A path that does not exist is a clear error."""
    with pytest.raises(CommandError, match="fichier introuvable"):
        call_command("import_data", "urssaf", str(tmp_path / "absent.csv"))


def test_command_records_who_ran_it(campus):
    """--par names the team member in the import run, as the back-office does."""
    member = UserFactory(email="equipe@campus.example", campus_team=True)
    call_command(
        "import_data",
        "sirene",
        str(STOCK),
        "--no-progress",
        "--par",
        "Equipe@campus.example",
        stdout=StringIO(),
    )
    assert ImportRun.objects.get().triggered_by == member


@pytest.mark.parametrize("email", ["inconnu@campus.example", "partenaire@atelier.fr"])
def test_command_refuses_a_run_by_someone_outside_the_team(campus, email):
    """An unknown address or a partner's account is refused before anything is read."""
    UserFactory(email="partenaire@atelier.fr")
    with pytest.raises(CommandError, match="n'est pas le compte actif d'un membre"):
        call_command(
            "import_data", "sirene", str(STOCK), "--no-progress", "--par", email
        )
    assert ImportRun.objects.count() == 0
    assert Organisation.objects.count() == 0

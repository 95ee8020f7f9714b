"""The computed value stored on a key figure, read by the home page, the team's
page and the annual report: equal to a sum made here from the imported file, and
stored again by each event that moves it (an import, an edit of the figure, a
change of the sector or of the campus's territory)."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.html import escape

from campus.accounts.tests.factories import UserFactory
from campus.observatory.forms import KeyFigureForm
from campus.observatory.key_figures import stored
from campus.observatory.models import (
    Indicator,
    IndicatorKey,
    KeyFigure,
    OfferedCertification,
    TerritoryLevel,
)
from campus.observatory.tests.factories import KeyFigureFactory
from campus.opendata.importers import urssaf
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import
from campus.places.models import Commune
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import CampusProfile, SectorProfile
from campus.reports.sections import Period, key_figures
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

URSSAF = (
    Path(__file__).parents[2]
    / "opendata"
    / "tests"
    / "fixtures"
    / "urssaf-commune-ape.csv"
)
SECTOR = {"15.12Z", "14.11Z"}


def headcount(path, naf_codes, departements):
    """The latest year's salaried headcount of these activities in these
    départements, summed from the file with the csv module alone."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))
    columns = [c for c in rows[0] if c.startswith("Effectifs salariés ")]
    year = max(int(c.rsplit(" ", 1)[1]) for c in columns)
    total = sum(
        Decimal(row[f"Effectifs salariés {year}"] or 0)
        for row in rows
        if f"{row['Code APE'][:2]}.{row['Code APE'][2:]}" in naf_codes
        and row["Code commune"][:2] in departements
    )
    return total, year


def variant(tmp_path, old, new):
    """The fixture file with one cell changed, as a later release of it."""
    text = URSSAF.read_text(encoding="utf-8-sig")
    assert old in text
    path = tmp_path / "urssaf-variant.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8-sig")
    return path


@pytest.fixture
def campus():
    cote_dor = DepartementFactory()
    doubs = DepartementFactory(code="25", name="Doubs", region=cote_dor.region)
    CommuneFactory()
    CommuneFactory(insee_code="21231", name="Dijon", postal_codes="21000")
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor, doubs])
    SectorProfile(name="Maroquinerie", naf_codes=", ".join(sorted(SECTOR))).save()
    return profile


@pytest.fixture
def imported(campus):
    run = run_import("urssaf", URSSAF)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    return run


def headcount_figure(**spec):
    fields = {
        "label": "salariés de la filière",
        "value": None,
        "period": "",
        "source_label": "",
        "indicator_key": IndicatorKey.SALARIED_HEADCOUNT,
    }
    return KeyFigureFactory(**(fields | spec))


def stored_of(figure):
    figure.refresh_from_db()
    return stored(figure)


def test_the_stored_value_is_the_sum_of_the_imported_file(imported):
    """A figure saved after an import stores the file's total, year, territory,
    source, licence and the import's date."""
    total, year = headcount(URSSAF, SECTOR, {"21", "25"})
    computed = stored_of(headcount_figure())
    assert (computed.value, computed.year, computed.period) == (total, year, str(year))
    assert computed.territory == "Bourgogne-Franche-Comté"
    assert (computed.source, computed.licence) == (urssaf.SOURCE, urssaf.LICENCE)
    assert computed.imported_at == imported.finished_at


def test_an_import_stores_the_value_of_a_figure_made_before_it(campus):
    """A figure typed before any import shows nothing computed, then the import's
    total as soon as the import has succeeded."""
    figure = headcount_figure()
    assert stored_of(figure) is None
    run_import("urssaf", URSSAF)
    assert stored_of(figure).value == headcount(URSSAF, SECTOR, {"21", "25"})[0]


def test_a_re_import_stores_the_new_release(imported, tmp_path, client):
    """A new release of the file replaces the stored value and its date, and the
    home page shows the new value at once."""
    figure = headcount_figure()
    before = stored_of(figure)
    # Montbard's 2022 headcount, 48 in the fixture, becomes 60.
    path = variant(tmp_path, ";2;41;2;48\n", ";2;41;2;60\n")
    run = run_import("urssaf", path)
    assert run.status == ImportStatus.SUCCEEDED, run.error
    after = stored_of(figure)
    assert after.value == headcount(path, SECTOR, {"21", "25"})[0]
    assert after.value == before.value + 12
    assert after.imported_at == run.finished_at > before.imported_at
    page = client.get("/").text
    assert f'<p class="key-figure__value">{after.value:.0f} ' in page
    assert f'<p class="key-figure__value">{before.value:.0f} ' not in page


def test_a_dry_run_or_a_failed_import_keeps_the_stored_value(imported, tmp_path):
    figure = headcount_figure()
    before = stored_of(figure)
    run_import(
        "urssaf", variant(tmp_path, ";2;41;2;48\n", ";2;41;2;60\n"), dry_run=True
    )
    broken = tmp_path / "broken.csv"
    broken.write_text("pas un fichier de l'Urssaf\n", encoding="utf-8")
    assert run_import("urssaf", broken).status == ImportStatus.FAILED
    assert stored_of(figure) == before


def test_editing_the_figure_s_spec_stores_its_new_value(imported, client):
    """The team's form (the admin's) stores the value of the new spec on save."""
    figure = headcount_figure()
    form = KeyFigureForm(
        instance=figure,
        data={
            "label": figure.label,
            "order": "1",
            "is_published": "on",
            "indicator_key": IndicatorKey.SALARIED_HEADCOUNT,
            "indicator_naf_codes": "14.11Z",
            "indicator_territory": "25",
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    total, year = headcount(URSSAF, {"14.11Z"}, {"25"})
    computed = stored_of(figure)
    assert computed.value == total
    assert f"salariés de la filière ({computed.territory}), {year}" in (
        client.get("/").text
    )


def test_removing_the_indicator_clears_the_stored_value(imported):
    figure = headcount_figure(value=Decimal(4500), period="2020", source_label="CMQ")
    figure.indicator_key = ""
    figure.save()
    assert stored_of(figure) is None


def test_a_change_of_the_sector_s_codes_stores_the_new_value(imported):
    figure = headcount_figure()
    sector = SectorProfile.load()
    sector.naf_codes = "15.12Z"
    sector.save()
    assert stored_of(figure).value == headcount(URSSAF, {"15.12Z"}, {"21", "25"})[0]


def test_a_change_of_the_campus_s_departements_stores_the_new_value(imported):
    """A figure of a département the campus no longer serves has nothing
    computed, and has its value again once the département is back."""
    figure = headcount_figure(indicator_territory="25")
    total = headcount(URSSAF, SECTOR, {"25"})[0]
    assert stored_of(figure).value == total
    campus = CampusProfile.load()
    doubs = campus.departements.get(code="25")
    campus.departements.remove(doubs)
    assert stored_of(figure) is None
    campus.departements.add(doubs)
    assert stored_of(figure).value == total


def test_the_team_page_and_the_report_read_the_stored_value(imported, client):
    figure = headcount_figure()
    total = stored_of(figure).value
    # Stored values are what the pages read: a value written in the row shows.
    KeyFigure.objects.filter(pk=figure.pk).update(computed_value=total + 1)
    client.force_login(UserFactory(campus_team=True))
    body = client.get("/gestion/observatoire/").text
    assert f"{total + 1:.0f} salariés" in body
    table = key_figures(Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
    assert table.rows[0][1] == total + 1
    assert escape(urssaf.SOURCE) in body


def test_an_indicator_edited_in_the_admin_stores_the_new_value(imported):
    figure = headcount_figure()
    total = stored_of(figure).value
    row = Indicator.objects.filter(
        key=IndicatorKey.SALARIED_HEADCOUNT,
        territory_level=TerritoryLevel.REGION,
        year=stored_of(figure).year,
    ).first()
    row.value += 10
    row.save()
    assert stored_of(figure).value == total + 10


@pytest.mark.django_db(transaction=True)
def test_an_upgrade_fills_the_aggregates_it_adds(imported):
    """A figure made before its computed value was stored, and the certification
    lists, are filled once `migrate` has applied the upgrade, not after the next
    night's refresh."""
    figure = KeyFigureFactory(
        indicator_key=IndicatorKey.SALARIED_HEADCOUNT, indicator_territory="region"
    )
    offering = OfferingFactory(organisation__commune=Commune.objects.get(name="Dijon"))
    expected, _ = headcount(URSSAF, SECTOR, {"21", "25"})
    call_command("migrate", "observatory", "0005", verbosity=0)
    call_command("migrate", verbosity=0)
    assert stored(KeyFigure.objects.get(pk=figure.pk)).value == expected
    assert OfferedCertification.objects.filter(
        certification=offering.certification, territory_code="21"
    ).exists()

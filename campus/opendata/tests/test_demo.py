from campus.demo import load_demo_campus
from campus.observatory.insertion import insertion_by_school
from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.trainings.models import InsertionOutcome


def test_the_demo_imports_the_shipped_insertion_files_once(db):
    """The demo imports the real DEPP files as labelled runs, once, and the
    observatory then has each demo school's figures beside the regional means."""
    load_demo_campus()
    runs = ImportRun.objects.filter(source=ImportSource.DEPP_ETABLISSEMENTS)
    assert sorted(runs.values_list("status", flat=True)) == [ImportStatus.SUCCEEDED] * 2
    assert "DEPP" in runs.first().attribution
    before = list(InsertionOutcome.objects.order_by("pk").values())
    load_demo_campus()
    assert runs.count() == 2
    assert list(InsertionOutcome.objects.order_by("pk").values()) == before
    figures = insertion_by_school(departement_codes=["21", "25"])
    assert figures.cohort == "cumul 2022-2023"
    assert {row.name for row in figures.rows} == {
        "Lycée professionnel Eugène Guillaume",
        "Lycée Les Huisselets",
        "CFA du Pays de Montbéliard",
    }
    montbard = next(r for r in figures.rows if r.route == "" and "Guillaume" in r.name)
    # The real row: 0210056X;…;ensemble;52;49;55;-6;52;24;24
    assert montbard.figures["employment_rate_6_months"].value == 49
    assert montbard.figures["employment_value_added_6_months"].value == -6
    assert montbard.figures["employment_rate_6_months"].regional_mean is not None

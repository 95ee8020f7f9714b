import dataclasses
import re

import pytest
from django.core.management import call_command
from django.utils.html import escape

from campus.dates import french_date
from campus.profiles import rgaa
from campus.trainings.models import Offering

THEME_SIZES = [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12]


def grid_of_the_document() -> dict[str, str]:
    """The status of each criterion, read from the grid of docs/rgaa-self-assessment.md."""
    text = rgaa.DOCUMENT.read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (\d+\.\d+) \| .* \| (C|NC|NA) \| .* \|$", text, re.MULTILINE
    )
    return dict(rows)


def test_the_grid_has_the_106_criteria_of_rgaa_4_1_by_theme():
    """The data file holds the 106 criteria, theme by theme, each C, NC or NA with a reason."""
    assessment = rgaa.load()
    assert len(assessment.criteria) == 106
    assert [len(criteria) for _n, _name, criteria in assessment.by_theme()] == (
        THEME_SIZES
    )
    assert all(c.note and c.title for c in assessment.criteria)


def test_the_document_is_written_from_the_data_file():
    """docs/rgaa-self-assessment.md is what `manage.py rgaa_grid` writes today."""
    call_command("rgaa_grid", "--check")


@pytest.mark.django_db
def test_the_statement_shows_the_rate_of_the_documented_grid(client):
    """The page's rate is C / (C + NC) counted in the document's grid, with its date and sample."""
    grid = grid_of_the_document()
    assert len(grid) == 106
    statuses = list(grid.values())
    rate = 100 * statuses.count("C") / (statuses.count("C") + statuses.count("NC"))
    content = client.get("/accessibilite/").content.decode()
    assert f"<strong>{rate:.1f} %</strong>".replace(".", ",") in content
    assessment = rgaa.load()
    assert french_date(assessment.date) in content
    for page in assessment.sample:
        assert f"<li>{escape(page['title'])}</li>" in content
    for criterion in assessment.non_conformities:
        assert f"Critère {criterion.number} " in content
    assert "Défenseur des droits" in content


@pytest.mark.django_db
def test_a_site_never_audited_is_declared_non_conforme(client):
    """Without an audit the statement and the footer of every page say « non conforme »."""
    assert rgaa.load().audited is False
    content = client.get("/accessibilite/").content.decode()
    assert "Le site est <strong>non conforme</strong>" in content
    assert "Accessibilité : non conforme" in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("audited", "statuses", "expected"),
    [
        (False, ["C"] * 10, "non conforme"),
        (True, ["C"] * 10 + ["NA"], "totalement conforme"),
        (True, ["C"] * 9 + ["NC"], "partiellement conforme"),
        (True, ["C"] * 4 + ["NC"] * 6, "non conforme"),
    ],
)
def test_status_follows_the_rgaa_rules(audited, statuses, expected):
    """An audited site is totally conforming at 100 %, partially from 50 %, else not."""
    criteria = [
        rgaa.Criterion(f"1.{i}", "Images", "?", status, "…")
        for i, status in enumerate(statuses, 1)
    ]
    assessment = dataclasses.replace(rgaa.load(), audited=audited, criteria=criteria)
    assert assessment.status == expected


@pytest.mark.django_db
def test_the_sample_pages_exist_in_the_demo(client, demo_campus):
    """Every page of the stated sample answers on the demo campus."""
    # An offering's address holds its id, which only a fresh database makes 1 (a
    # PostgreSQL test database keeps counting): the demo's first offering stands in.
    first_offering = Offering.objects.order_by("pk").first().get_absolute_url()
    for page in rgaa.load().sample:
        path = re.sub(r"^/formations/\d+/$", first_offering, page["path"])
        assert client.get(path).status_code == 200, page["path"]

import pytest

from campus.accounts.tests.factories import UserFactory
from campus.reports.demo import TEAM_EMAIL, load_demo_reports

pytestmark = pytest.mark.django_db


def test_the_demo_report_loads_twice_without_duplicates():
    """The demo report and its texts are flagged and written once."""
    UserFactory(email=TEAM_EMAIL, campus_team=True)
    report = load_demo_reports()
    load_demo_reports()
    assert report.is_demo
    assert report.narratives.count() == 2
    assert all(n.text.startswith("Démo") for n in report.narratives.all())
    assert all(n.history.count() == 1 for n in report.narratives.all())

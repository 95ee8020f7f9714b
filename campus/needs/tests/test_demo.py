import pytest

from campus.demo import load_demo_campus
from campus.needs.gaps import (
    COVERED,
    NEED_WITHOUT_OFFERING,
    OFFERING_WITHOUT_NEED,
    GapFilters,
    gap_rows,
)
from campus.needs.models import Need

pytestmark = pytest.mark.django_db


def test_demo_needs_are_labelled_load_twice_and_show_every_kind_of_gap():
    """Piqueurs, coupeurs and sertisseurs of the demo companies, « Démo », once each."""
    load_demo_campus()
    count = Need.objects.count()
    load_demo_campus()
    assert Need.objects.count() == count >= 5
    assert not Need.objects.filter(is_demo=False).exists()
    titles = " ".join(Need.objects.values_list("appellation", flat=True))
    for trade in ["Piqueur", "Coupeur", "Sertisseur"]:
        assert trade in titles
    assert {row.gap for row in gap_rows(GapFilters())} == {
        NEED_WITHOUT_OFFERING,
        OFFERING_WITHOUT_NEED,
        COVERED,
    }
    assert Need.objects.filter(skill_blocks__isnull=False).exists()

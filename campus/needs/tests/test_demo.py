import pytest
from django.utils import timezone

from campus.needs.gaps import (
    COVERED,
    NEED_WITHOUT_OFFERING,
    OFFERING_WITHOUT_NEED,
    GapFilters,
    gap_rows,
)
from campus.needs.models import Need, NeedStatus, Step, TrainingProject

pytestmark = pytest.mark.django_db


def test_demo_needs_are_labelled_and_show_every_kind_of_gap(demo_campus):
    """Piqueurs, coupeurs and sertisseurs of the demo companies, « Démo » (loading
    twice: campus/profiles/tests/test_pages.py)."""
    assert Need.objects.count() >= 5
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


def test_the_demo_project_opened_the_licence_professionnelle(demo_campus):
    """The project's six steps span two years, its offering is the demo licence
    pro, the needs it covered are met."""
    project = TrainingProject.objects.get()
    assert project.is_demo and "(démo)" in project.title
    assert project.offering.certification.slug == "licence-pro-metiers-de-la-mode"
    steps = list(project.steps.order_by("reached_on"))
    assert [step.step for step in steps] == [step.value for step in Step]
    assert (steps[-1].reached_on - steps[0].reached_on).days > 365
    assert steps[-1].reached_on <= timezone.localdate()
    assert project.needs.count() == 2
    assert set(project.needs.values_list("status", flat=True)) == {NeedStatus.MET}

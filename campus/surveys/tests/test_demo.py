import pytest

from campus.surveys.demo import CLOSED_TITLE, OPEN_TITLE
from campus.surveys.models import SurveyAnswer, SurveyCampaign

pytestmark = pytest.mark.django_db


def test_demo_surveys_one_closed_with_two_answers_one_open_labelled(demo_campus):
    closed = SurveyCampaign.objects.get(title=CLOSED_TITLE)
    opened = SurveyCampaign.objects.get(title=OPEN_TITLE)
    assert SurveyCampaign.objects.count() == 2
    assert not SurveyCampaign.objects.filter(is_demo=False).exists()
    assert not closed.is_open() and opened.is_open()
    assert closed.invitations.filter(answered_at__isnull=False).count() == 2
    assert SurveyAnswer.objects.count() == 2
    assert all(a.need.is_demo for a in SurveyAnswer.objects.select_related("need"))
    assert opened.invitations.exists()

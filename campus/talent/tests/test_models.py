from datetime import timedelta

import pytest
from django.db import IntegrityError

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory
from campus.talent.models import Application, CallState
from campus.talent.tests.factories import (
    AnswerFactory,
    ApplicationFactory,
    CallFactory,
)

pytestmark = pytest.mark.django_db


def test_a_call_is_open_between_its_opening_and_its_closing_minute():
    call = CallFactory()
    assert call.state(call.opens_at - timedelta(minutes=1)) == CallState.UPCOMING
    assert call.state(call.opens_at) == CallState.OPEN
    assert call.state(call.closes_at - timedelta(seconds=1)) == CallState.OPEN
    assert call.state(call.closes_at) == CallState.CLOSED


def test_the_database_refuses_a_call_closing_before_it_opens():
    call = CallFactory.build()
    call.closes_at = call.opens_at - timedelta(hours=1)
    with pytest.raises(IntegrityError):
        call.save()


def test_an_application_is_seen_by_its_applicant_its_organisation_and_the_team():
    membership = MembershipFactory()
    application = ApplicationFactory(organisation=membership.organisation)
    stranger = UserFactory()
    team = UserFactory(campus_team=True)

    def sees(user):
        return Application.objects.visible_to(user).filter(pk=application.pk).exists()

    assert sees(application.applicant)
    assert sees(membership.user)
    assert sees(team)
    assert not sees(stranger)
    assert not Application.objects.editable_by(membership.user).exists()


def test_an_answer_shows_its_value_by_the_question_kind():
    answer = AnswerFactory(text="Cuir tanné végétal")
    assert answer.display_value() == "Cuir tanné végétal"
    assert answer.application.reference.startswith("AP-")

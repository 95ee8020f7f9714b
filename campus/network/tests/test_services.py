"""Who changed a membership or decided a proposal is kept in the history."""

import pytest

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole, Membership, Proposal
from campus.network.services import (
    accept_proposal,
    change_member_role,
    refuse_proposal,
    remove_member,
)
from campus.network.tests.factories import MembershipFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acting_user():
    return UserFactory(campus_team=True)


@pytest.fixture
def viewer():
    """A viewer of an organisation that keeps another editor."""
    editor = MembershipFactory(role=MemberRole.EDITOR)
    return MembershipFactory(organisation=editor.organisation, role=MemberRole.VIEWER)


def test_a_role_change_records_who_made_it(viewer, acting_user):
    """The history of a membership says who changed its role, and from what."""
    change_member_role(viewer, role=MemberRole.EDITOR, acting_user=acting_user)
    latest, previous = viewer.history.all()[:2]
    assert latest.history_user == acting_user
    assert (previous.role, latest.role) == (MemberRole.VIEWER, MemberRole.EDITOR)


def test_a_removal_records_who_removed_the_member(viewer, acting_user):
    """The history keeps a removed membership, with who removed it."""
    remove_member(viewer, acting_user=acting_user)
    removal = Membership.history.filter(id=viewer.pk).first()
    assert removal.history_type == "-"
    assert removal.history_user == acting_user


def test_accepting_records_who_decided(acting_user):
    """The history of the proposal and of the created organisation name the moderator."""
    organisation = accept_proposal(ProposalFactory(), acting_user=acting_user)
    decision = Proposal.history.first()
    assert (decision.status, decision.history_user) == ("accepted", acting_user)
    assert organisation.history.get().history_user == acting_user


def test_refusing_records_who_decided_and_why(acting_user):
    """The history of a refused proposal keeps the moderator and the reason."""
    refuse_proposal(ProposalFactory(), reason="Hors filière.", acting_user=acting_user)
    decision = Proposal.history.first()
    assert decision.history_user == acting_user
    assert decision.refusal_reason == "Hors filière."


def test_the_history_leaves_out_the_submitters_details():
    """The name, e-mail and message of a proposal's author are not copied."""
    fields = {field.name for field in Proposal.history.model._meta.fields}
    assert not fields & {"submitter_name", "submitter_email", "message"}

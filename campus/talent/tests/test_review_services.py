"""The review's workflows: appointing, assigning, scoring, ranking and deciding."""

import statistics
from decimal import Decimal

import pytest
from django.core import mail

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent import review
from campus.talent.models import (
    Assignment,
    ConflictOfInterest,
    Decision,
    DecisionNotice,
    Deliberation,
    Review,
    Reviewer,
    Score,
)
from campus.talent.tests.factories import ApplicationFactory, CallFactory
from campus.talent.tests.review_factories import (
    AssignmentFactory,
    CriterionFactory,
    ReviewerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return UserFactory(campus_team=True)


@pytest.fixture(name="deliver")
def deliver_fixture(run_tasks, django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        run_tasks()
        return result

    return run


def test_appointing_an_unknown_address_creates_an_inactive_account(team, deliver):
    """A new reviewer's account waits, inactive, for the password set by the link."""
    call = CallFactory()
    reviewer = deliver(
        review.appoint_reviewer, call, email=" Jury@Exemple.FR ", acting_user=team
    )
    assert reviewer.user.email == "jury@exemple.fr"
    assert not reviewer.user.is_active
    assert not reviewer.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["jury@exemple.fr"]
    assert call.title in message.subject
    assert "/talents/evaluation/activer/" in message.body


def test_appointing_twice_is_refused_and_reappointing_restores(team):
    call = CallFactory()
    user = UserFactory()
    reviewer = review.appoint_reviewer(call, email=user.email, acting_user=team)
    with pytest.raises(review.ReviewRuleError, match="évalue déjà"):
        review.appoint_reviewer(call, email=user.email, acting_user=team)
    review.remove_reviewer(reviewer, acting_user=team)
    again = review.appoint_reviewer(call, email=user.email, acting_user=team)
    assert again.pk == reviewer.pk and again.is_active
    assert Reviewer.objects.count() == 1


def test_removing_a_reviewer_keeps_submitted_reviews_only(team):
    reviewer = ReviewerFactory()
    done = AssignmentFactory(reviewer=reviewer)
    Review.objects.create(assignment=done, submitted_at=done.application.submitted_at)
    pending = AssignmentFactory(reviewer=reviewer)
    review.remove_reviewer(reviewer, acting_user=team)
    assert list(Assignment.objects.all()) == [done]
    assert not Assignment.objects.filter(pk=pending.pk).exists()
    assert Assignment.objects.of_reviewer(reviewer.user).count() == 0


def test_distribution_balances_and_skips_conflicts_members_and_applicants(team):
    """Each application gets 2 reviewers among the eligible ones, loads even."""
    call = CallFactory()
    reviewers = ReviewerFactory.create_batch(4, call=call)
    organisation = OrganisationFactory()
    MembershipFactory(user=reviewers[0].user, organisation=organisation)
    own = ApplicationFactory(call=call, submitted=True, organisation=organisation)
    by_applicant = ApplicationFactory(
        call=call, submitted=True, applicant=reviewers[1].user
    )
    conflicted = ApplicationFactory(call=call, submitted=True)
    ConflictOfInterest.objects.create(reviewer=reviewers[2], application=conflicted)
    others = ApplicationFactory.create_batch(3, call=call, submitted=True)
    ApplicationFactory(call=call)  # a draft is never assigned

    report = review.distribute(call, per_application=2, acting_user=team)

    assert report.created == 12 and report.short == []
    pairs = set(
        Assignment.objects.order_by().values_list("reviewer_id", "application_id")
    )
    assert (reviewers[0].pk, own.pk) not in pairs
    assert (reviewers[1].pk, by_applicant.pk) not in pairs
    assert (reviewers[2].pk, conflicted.pk) not in pairs
    loads = [reviewer.assignments.count() for reviewer in reviewers]
    assert loads == [3, 3, 3, 3]
    for application in [own, by_applicant, conflicted, *others]:
        assert application.assignments.count() == 2
    # Running it again adds nothing.
    assert review.distribute(call, per_application=2, acting_user=team).created == 0


def test_distribution_reports_applications_it_cannot_cover(team):
    call = CallFactory()
    reviewer = ReviewerFactory(call=call)
    application = ApplicationFactory(call=call, submitted=True)
    report = review.distribute(call, per_application=2, acting_user=team)
    assert report.created == 1
    assert report.short == [application]
    assert reviewer.assignments.count() == 1


@pytest.mark.parametrize("count", [0, 11, -1])
def test_distribution_refuses_a_bad_count(team, count):
    call = CallFactory()
    ReviewerFactory(call=call)
    ApplicationFactory(call=call, submitted=True)
    with pytest.raises(review.BadScoreError):
        review.distribute(call, per_application=count, acting_user=team)
    assert Assignment.objects.count() == 0


def test_manual_assignment_refuses_an_ineligible_reviewer(team):
    call = CallFactory()
    reviewer = ReviewerFactory(call=call)
    own = ApplicationFactory(call=call, submitted=True, applicant=reviewer.user)
    conflicted = ApplicationFactory(call=call, submitted=True)
    ConflictOfInterest.objects.create(reviewer=reviewer, application=conflicted)
    draft = ApplicationFactory(call=call)
    other_call = ApplicationFactory(submitted=True)
    for application, words in [
        (own, "auteur"),
        (conflicted, "conflit"),
        (draft, "déposée"),
        (other_call, "déposée"),
    ]:
        with pytest.raises(review.ReviewRuleError, match=words):
            review.assign(reviewer, application, acting_user=team)
    assert Assignment.objects.count() == 0


def _grid(call):
    return [
        CriterionFactory(call=call, weight=Decimal(2), max_score=10, position=1),
        CriterionFactory(call=call, weight=Decimal("1.5"), max_score=5, position=2),
    ]


def test_a_review_is_saved_as_draft_then_submitted_and_then_final():
    assignment = AssignmentFactory()
    first, second = _grid(assignment.reviewer.call)
    user = assignment.reviewer.user
    draft = review.save_review(
        assignment,
        scores={first.pk: 7, second.pk: None},
        comment="À revoir",
        submit=False,
        acting_user=user,
    )
    assert not draft.is_submitted
    with pytest.raises(review.BadScoreError, match="Notez chaque critère"):
        review.save_review(
            assignment, scores={first.pk: 7}, comment="", submit=True, acting_user=user
        )
    done = review.save_review(
        assignment,
        scores={first.pk: 8, second.pk: 5},
        comment="Bien",
        submit=True,
        acting_user=user,
    )
    assert done.is_submitted
    assert review.criteria_locked(assignment.reviewer.call)
    with pytest.raises(review.ReviewRuleError, match="déjà transmise"):
        review.save_review(
            assignment,
            scores={first.pk: 0, second.pk: 0},
            comment="",
            submit=False,
            acting_user=user,
        )
    assert sorted(Score.objects.values_list("value", flat=True)) == [5, 8]
    with pytest.raises(review.ReviewRuleError, match="figée"):
        review.delete_criterion(first, acting_user=user)


@pytest.mark.parametrize("value", [-1, 11, 1000])
def test_a_score_out_of_range_changes_nothing(value):
    assignment = AssignmentFactory()
    first, _ = _grid(assignment.reviewer.call)
    with pytest.raises(review.BadScoreError, match="entre 0 et 10"):
        review.save_review(
            assignment,
            scores={first.pk: value},
            comment="",
            submit=False,
            acting_user=assignment.reviewer.user,
        )
    assert Score.objects.count() == 0


def test_another_user_cannot_save_a_review():
    assignment = AssignmentFactory()
    first, _ = _grid(assignment.reviewer.call)
    with pytest.raises(review.ReviewRuleError, match="pas affectée"):
        review.save_review(
            assignment,
            scores={first.pk: 3},
            comment="",
            submit=False,
            acting_user=UserFactory(),
        )
    assert Review.objects.count() == 0


def test_a_conflict_removes_the_assignment_and_its_draft():
    assignment = AssignmentFactory()
    Review.objects.create(assignment=assignment)
    review.declare_conflict(
        assignment, note="Ancien employeur", acting_user=assignment.reviewer.user
    )
    assert Assignment.objects.count() == 0 and Review.objects.count() == 0
    conflict = ConflictOfInterest.objects.get()
    assert conflict.note == "Ancien employeur"


def _submit(assignment, values):
    criteria = list(assignment.reviewer.call.criteria.all())
    return review.save_review(
        assignment,
        scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        comment="",
        submit=True,
        acting_user=assignment.reviewer.user,
    )


def test_the_ranking_matches_an_independent_computation():
    call = CallFactory(closed=True)
    _grid(call)  # weights 2 (/10) and 1.5 (/5)
    reviewers = ReviewerFactory.create_batch(3, call=call)
    best, middle, unreviewed = ApplicationFactory.create_batch(
        3, call=call, submitted=True
    )
    scored = {best: [(9, 5), (10, 4), (7, 5)], middle: [(5, 2), (6, 3)]}
    for application, values in scored.items():
        for reviewer, pair in zip(reviewers, values, strict=False):
            _submit(
                Assignment.objects.create(reviewer=reviewer, application=application),
                pair,
            )
    # A draft does not count.
    Review.objects.create(
        assignment=Assignment.objects.create(reviewer=reviewers[2], application=middle)
    )

    def expected(pairs):
        notes = [(2 * a / 10 + 1.5 * b / 5) / 3.5 * 20 for a, b in pairs]
        return notes

    rows = review.ranking(call)
    assert [row.application for row in rows] == [best, middle, unreviewed]
    for row, application in zip(rows[:2], [best, middle], strict=True):
        notes = expected(scored[application])
        assert row.count == len(notes)
        assert row.mean == pytest.approx(statistics.mean(notes), abs=0.01)
        assert row.stdev == pytest.approx(statistics.pstdev(notes), abs=0.01)
        assert row.low == pytest.approx(min(notes), abs=0.01)
        assert row.high == pytest.approx(max(notes), abs=0.01)
    # (18.857 + 18.286 + 16.571) / 3, by hand
    assert rows[0].mean == pytest.approx(17.90, abs=0.01)
    assert [row.rank for row in rows] == [1, 2, None]
    assert rows[2].count == 0 and rows[2].mean is None


def test_deleting_an_application_deletes_its_reviews():
    """The retention purge deletes applications: their reviews go with them."""
    assignment = AssignmentFactory()
    first, second = _grid(assignment.reviewer.call)
    _submit(assignment, (3, 3))
    ConflictOfInterest.objects.create(
        reviewer=ReviewerFactory(call=assignment.reviewer.call),
        application=assignment.application,
    )
    assignment.application.delete()
    assert Review.objects.count() == Score.objects.count() == 0
    assert ConflictOfInterest.objects.count() == 0


def test_decisions_wait_for_the_closing(team):
    application = ApplicationFactory(submitted=True)
    with pytest.raises(review.ReviewRuleError, match="après la clôture"):
        review.record_decisions(
            application.call,
            {application.pk: (Decision.SELECTED, "")},
            acting_user=team,
        )
    application.refresh_from_db()
    assert application.decision == ""


def test_a_refusal_without_reason_is_refused(team):
    application = ApplicationFactory(submitted=True, call=CallFactory(closed=True))
    for decision in [Decision.NOT_SELECTED, Decision.WAITING_LIST]:
        with pytest.raises(review.BadScoreError, match="motif"):
            review.record_decisions(
                application.call, {application.pk: (decision, "  ")}, acting_user=team
            )
    with pytest.raises(review.BadScoreError, match="inconnue"):
        review.record_decisions(
            application.call, {application.pk: ("pirate", "x")}, acting_user=team
        )
    application.refresh_from_db()
    assert application.decision == ""


def test_decisions_are_sent_once_and_changed_ones_again(team, deliver):
    call = CallFactory(closed=True)
    selected, refused = ApplicationFactory.create_batch(2, call=call, submitted=True)
    review.record_decisions(
        call,
        {
            selected.pk: (Decision.SELECTED, ""),
            refused.pk: (Decision.NOT_SELECTED, "Budget hors cadre"),
        },
        acting_user=team,
    )
    with pytest.raises(review.ReviewRuleError, match="délibération"):
        review.send_decisions(call, acting_user=team)
    Deliberation.objects.create(
        call=call, held_on="2026-11-20", members_present="A, B", minutes="PV"
    )
    assert deliver(review.send_decisions, call, acting_user=team) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    message = by_address[refused.applicant.email]
    assert "Non retenue" in message.body
    assert "Budget hors cadre" in message.body
    assert refused.reference in message.body
    assert call.title in message.subject
    assert "Retenue" in by_address[selected.applicant.email].body
    assert DecisionNotice.objects.count() == 2

    mail.outbox.clear()
    assert deliver(review.send_decisions, call, acting_user=team) == 0
    assert mail.outbox == []

    review.record_decisions(
        call,
        {
            selected.pk: (Decision.SELECTED, ""),
            refused.pk: (Decision.WAITING_LIST, "Premier sur la liste"),
        },
        acting_user=team,
    )
    assert deliver(review.send_decisions, call, acting_user=team) == 1
    [message] = mail.outbox
    assert message.to == [refused.applicant.email]
    assert "Premier sur la liste" in message.body

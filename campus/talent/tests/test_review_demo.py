"""The demo review: two demo reviewers, a grid, assignments and some scores."""

import pytest

from campus.talent import review
from campus.talent.demo_review import load_demo_review
from campus.talent.models import Assignment, Criterion, Review, Reviewer
from campus.talent.tests.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def test_the_demo_review_loads_twice_without_duplicates():
    call = CallFactory(competition=True, closed=True, is_demo=True)
    ApplicationFactory.create_batch(3, call=call, submitted=True, is_demo=True)
    ApplicationFactory(call=call)  # a draft stays out
    for _ in range(2):
        reviewers = load_demo_review(call)
    assert len(reviewers) == Reviewer.objects.count() == 2
    assert all(reviewer.is_demo for reviewer in reviewers)
    assert all("démo" in reviewer.user.full_name for reviewer in reviewers)
    assert Criterion.objects.filter(call=call).count() == 3
    assert Assignment.objects.count() == 6
    assert Review.objects.filter(submitted_at__isnull=False).count() == 2
    assert Review.objects.filter(submitted_at__isnull=True).count() == 1
    rows = review.ranking(call)
    assert [row.count for row in rows] == [1, 1, 0]
    assert all(0 <= row.mean <= 20 for row in rows[:2])

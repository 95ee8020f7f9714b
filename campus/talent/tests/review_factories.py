import factory

from campus.accounts.tests.factories import UserFactory
from campus.talent.models import Assignment, Criterion, Review, Reviewer, Score
from campus.talent.tests.factories import ApplicationFactory, CallFactory


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reviewer

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(UserFactory)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    label = factory.Sequence(lambda n: f"Critère {n}")
    weight = 1
    max_score = 10
    position = factory.Sequence(lambda n: n)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A reviewer of the call and a submitted application of the same call."""

    class Meta:
        model = Assignment

    reviewer = factory.SubFactory(ReviewerFactory)
    application = factory.SubFactory(
        ApplicationFactory,
        call=factory.SelfAttribute("..reviewer.call"),
        submitted=True,
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(
        CriterionFactory,
        call=factory.SelfAttribute("..review.assignment.reviewer.call"),
    )
    value = 5

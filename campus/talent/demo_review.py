"""The review of the demo competition: two demo reviewers, a grid, some scores.

Loading is idempotent. Reviewers log in with the demo password; one has submitted
a review, the other has a draft, so the ranking and the reviewer's space both
show something.
"""

from decimal import Decimal

from django.utils import timezone

from campus.accounts.models import User
from campus.talent.models import (
    Assignment,
    Call,
    Criterion,
    Review,
    Reviewer,
    Score,
)

REVIEWERS = [
    ("evaluatrice@campus.example", "Évaluatrice du jury (démo)"),
    ("evaluateur@campus.example", "Évaluateur du jury (démo)"),
]
CRITERIA = [
    ("Originalité du projet", "Ce que le projet apporte de neuf.", Decimal(2), 10),
    ("Qualité d'exécution", "La maîtrise des gestes et des finitions.", Decimal(2), 10),
    ("Faisabilité", "Le calendrier, le budget et les moyens.", Decimal(1), 5),
]


def load_demo_review(call: Call) -> list[Reviewer]:
    """Appoints the demo reviewers on `call`, sets its grid, assigns every
    submitted application to both and scores some of them."""
    from campus.demo import DEMO_PASSWORD

    reviewers = []
    for email, full_name in REVIEWERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
        reviewer, _ = Reviewer.objects.get_or_create(
            call=call, user=user, defaults={"is_demo": True}
        )
        reviewers.append(reviewer)
    criteria = []
    for position, (label, description, weight, max_score) in enumerate(
        CRITERIA, start=1
    ):
        criterion, _ = Criterion.objects.get_or_create(
            call=call,
            label=label,
            defaults={
                "description": description,
                "weight": weight,
                "max_score": max_score,
                "position": position,
            },
        )
        criteria.append(criterion)
    applications = list(call.applications.submitted().order_by("pk"))
    for index, application in enumerate(applications):
        for number, reviewer in enumerate(reviewers):
            if reviewer.user_id == application.applicant_id:
                continue
            assignment, _ = Assignment.objects.get_or_create(
                reviewer=reviewer, application=application
            )
            # The first reviewer submits the first two; the second drafts one.
            if number == 0 and index < 2 or number == 1 and index == 0:
                review, created = Review.objects.get_or_create(
                    assignment=assignment,
                    defaults={"comment": "Projet soigné, à suivre (démo)."},
                )
                if created:
                    for offset, criterion in enumerate(criteria):
                        Score.objects.create(
                            review=review,
                            criterion=criterion,
                            value=max(criterion.max_score - offset - index - number, 0),
                        )
                    if number == 0:
                        review.submitted_at = timezone.now()
                        review.save(update_fields=["submitted_at"])
    return reviewers

"""Reviewing a call's applications and deciding: the team's and reviewers' workflows.

The team appoints reviewers (existing accounts, or new inactive ones that set
their password through a link), defines the weighted criteria, assigns the
submitted applications, reads the ranking, records the deliberation and sends
each applicant the decision. A reviewer reads and scores only the applications
assigned to them; declaring a conflict of interest removes the assignment.

Removing a reviewer keeps the reviews they submitted in the ranking and deletes
their pending assignments (see `Reviewer`).

Scores: a submitted review is worth sum(weight × value / max) / sum(weight) × 20;
an application's score is the mean of its submitted reviews, with their
population standard deviation and their range.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from campus.accounts.models import User
from campus.mail import send_templated_email
from campus.network.models import Membership
from campus.rules import RuleError
from campus.talent.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    CallState,
    ConflictOfInterest,
    Criterion,
    Decision,
    DecisionNotice,
    Deliberation,
    Review,
    Reviewer,
    Score,
)

SCALE = 20
MAX_REVIEWERS_PER_APPLICATION = 10
REASON_REQUIRED = {Decision.WAITING_LIST, Decision.NOT_SELECTED}


class ReviewRuleError(RuleError):
    title = "Évaluation impossible"


class BadScoreError(ReviewRuleError):
    status_code = 400


# Reviewers


def activation_path(user: User) -> str:
    """The link a new reviewer opens to choose a password (Django's reset token:
    it expires with PASSWORD_RESET_TIMEOUT and once the password is set)."""
    return reverse(
        "talent:review_activate",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )


def appoint_reviewer(call: Call, *, email: str, acting_user: User) -> Reviewer:
    """Appoints the account of `email`, created inactive when there is none, and
    tells the person by e-mail (with the link to set a password for a new account)."""
    email = User.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created_account = user is None
        if created_account:
            user = User.objects.create_user(email=email, is_active=False)
        reviewer, created = Reviewer.objects.get_or_create(
            call=call, user=user, defaults={"appointed_by": acting_user}
        )
        if not created:
            if reviewer.is_active:
                raise ReviewRuleError(f"{email} évalue déjà cet appel.")
            reviewer.removed_at = None
            reviewer.appointed_by = acting_user
            reviewer.appointed_at = timezone.now()
            reviewer.save(update_fields=["removed_at", "appointed_by", "appointed_at"])
        needs_activation = not user.is_active or not user.has_usable_password()
        send_templated_email(
            "talent/email/review_appointed",
            {
                "call": call,
                "activation_path": activation_path(user) if needs_activation else "",
                "space_path": reverse("talent:review_space"),
            },
            [user.email],
        )
    return reviewer


def remove_reviewer(reviewer: Reviewer, *, acting_user: User) -> None:
    """Ends the reviewer's access; submitted reviews stay, pending ones go."""
    with transaction.atomic():
        reviewer = Reviewer.objects.select_for_update().get(pk=reviewer.pk)
        reviewer.assignments.exclude(review__submitted_at__isnull=False).delete()
        reviewer.removed_at = timezone.now()
        reviewer.save(update_fields=["removed_at"])


# Assignments


def _organisation_ids(user_id) -> set[int]:
    return set(
        Membership.objects.filter(user_id=user_id)
        .order_by()
        .values_list("organisation_id", flat=True)
    )


def ineligibility(reviewer: Reviewer, application: Application) -> str:
    """Why `reviewer` may not review `application`, or "" when they may."""
    if not reviewer.is_active:
        return f"{reviewer} ne fait plus partie des évaluateurs."
    if reviewer.user_id == application.applicant_id:
        return f"{reviewer} est l'auteur de cette candidature."
    organisations = _organisation_ids(reviewer.user_id)
    if application.organisation_id in organisations or organisations & (
        _organisation_ids(application.applicant_id)
    ):
        return f"{reviewer} est membre de l'organisation du candidat."
    if ConflictOfInterest.objects.filter(
        reviewer=reviewer, application=application
    ).exists():
        return f"{reviewer} a déclaré un conflit d'intérêts avec cette candidature."
    return ""


def assign(reviewer: Reviewer, application: Application, *, acting_user: User):
    if (
        reviewer.call_id != application.call_id
        or application.status != ApplicationStatus.SUBMITTED
    ):
        raise ReviewRuleError("Seule une candidature déposée de cet appel s'affecte.")
    reason = ineligibility(reviewer, application)
    if reason:
        raise ReviewRuleError(reason)
    try:
        with transaction.atomic():
            return Assignment.objects.create(reviewer=reviewer, application=application)
    except IntegrityError:
        raise ReviewRuleError(
            f"{reviewer} évalue déjà « {application.reference} »."
        ) from None


def unassign(assignment: Assignment, *, acting_user: User) -> None:
    review = Review.objects.filter(assignment=assignment).first()
    if review and review.is_submitted:
        raise ReviewRuleError(
            "Cette évaluation est transmise : l'affectation ne peut plus être retirée."
        )
    assignment.delete()


@dataclass
class DistributionReport:
    created: int = 0
    short: list = field(default_factory=list)  # applications still lacking reviewers


def distribute(call: Call, *, per_application: int, acting_user: User):
    """Gives each submitted application `per_application` reviewers, adding to
    those it has, always to the least loaded eligible reviewer."""
    if not 1 <= per_application <= MAX_REVIEWERS_PER_APPLICATION:
        raise BadScoreError(
            f"Indiquez entre 1 et {MAX_REVIEWERS_PER_APPLICATION} évaluateurs "
            "par candidature."
        )
    report = DistributionReport()
    with transaction.atomic():
        reviewers = list(
            Reviewer.objects.active()
            .filter(call=call)
            .select_for_update()
            .order_by("pk")
        )
        if not reviewers:
            raise ReviewRuleError("Nommez d'abord des évaluateurs.")
        load = {reviewer.pk: reviewer.assignments.count() for reviewer in reviewers}
        memberships: dict[int, set[int]] = {}
        for user_id, organisation_id in Membership.objects.order_by().values_list(
            "user_id", "organisation_id"
        ):
            memberships.setdefault(user_id, set()).add(organisation_id)
        conflicts = set(
            ConflictOfInterest.objects.filter(reviewer__call=call)
            .order_by()
            .values_list("reviewer_id", "application_id")
        )
        assigned = set(
            Assignment.objects.filter(reviewer__call=call)
            .order_by()
            .values_list("reviewer_id", "application_id")
        )
        applications = call.applications.submitted().order_by("submitted_at", "pk")
        for application in applications:
            current = sum(
                1 for reviewer in reviewers if (reviewer.pk, application.pk) in assigned
            )
            applicant_orgs = memberships.get(application.applicant_id, set())
            candidates = [
                reviewer
                for reviewer in reviewers
                if (reviewer.pk, application.pk) not in assigned
                and (reviewer.pk, application.pk) not in conflicts
                and reviewer.user_id != application.applicant_id
                and application.organisation_id
                not in memberships.get(reviewer.user_id, set())
                and not (memberships.get(reviewer.user_id, set()) & applicant_orgs)
            ]
            candidates.sort(key=lambda reviewer: (load[reviewer.pk], reviewer.pk))
            for reviewer in candidates[: max(per_application - current, 0)]:
                Assignment.objects.create(reviewer=reviewer, application=application)
                load[reviewer.pk] += 1
                current += 1
                report.created += 1
            if current < per_application:
                report.short.append(application)
    return report


# Criteria


def criteria_locked(call: Call) -> bool:
    return Review.objects.filter(
        assignment__reviewer__call=call, submitted_at__isnull=False
    ).exists()


def _ensure_criteria_unlocked(call: Call) -> None:
    if criteria_locked(call):
        raise ReviewRuleError(
            "Une évaluation est déjà transmise : la grille de critères est figée."
        )


def save_criterion(criterion: Criterion, *, acting_user: User) -> Criterion:
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=criterion.call_id)
        _ensure_criteria_unlocked(criterion.call)
        criterion.save()
    return criterion


def delete_criterion(criterion: Criterion, *, acting_user: User) -> None:
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=criterion.call_id)
        _ensure_criteria_unlocked(criterion.call)
        criterion.delete()


# Reviewing


def declare_conflict(assignment: Assignment, *, note: str, acting_user: User):
    """The reviewer steps aside: the assignment and its review are deleted and
    the application is hidden from them."""
    with transaction.atomic():
        conflict, _ = ConflictOfInterest.objects.get_or_create(
            reviewer=assignment.reviewer,
            application=assignment.application,
            defaults={"note": note},
        )
        assignment.delete()
    return conflict


def save_review(
    assignment: Assignment,
    *,
    scores: dict[int, int | None],
    comment: str,
    submit: bool,
    acting_user: User,
) -> Review:
    """Saves the draft scores (criterion pk → value) and, with `submit`, submits
    the review once every criterion is scored; a submitted review is final."""
    with transaction.atomic():
        assignment = (
            Assignment.objects.of_reviewer(acting_user)
            .select_for_update()
            .filter(pk=assignment.pk)
            .first()
        )
        if assignment is None:
            raise ReviewRuleError("Cette candidature ne vous est pas affectée.")
        review, _ = Review.objects.get_or_create(assignment=assignment)
        if review.is_submitted:
            raise ReviewRuleError("Cette évaluation est déjà transmise.")
        criteria = {
            criterion.pk: criterion
            for criterion in Criterion.objects.filter(
                call_id=assignment.reviewer.call_id
            )
        }
        unknown = set(scores) - set(criteria)
        if unknown:
            raise BadScoreError("Critère inconnu.")
        for pk, value in scores.items():
            if value is not None and not 0 <= value <= criteria[pk].max_score:
                raise BadScoreError(
                    f"La note de « {criteria[pk].label} » doit être comprise "
                    f"entre 0 et {criteria[pk].max_score}."
                )
        if submit:
            if not criteria:
                raise BadScoreError("La grille de critères n'est pas encore définie.")
            missing = [c.label for pk, c in criteria.items() if scores.get(pk) is None]
            if missing:
                raise BadScoreError(
                    "Notez chaque critère avant de transmettre : " + ", ".join(missing)
                )
        for pk, value in scores.items():
            if value is None:
                Score.objects.filter(review=review, criterion_id=pk).delete()
            else:
                Score.objects.update_or_create(
                    review=review, criterion_id=pk, defaults={"value": value}
                )
        review.comment = comment
        if submit:
            review.submitted_at = timezone.now()
        review.save()
    return review


# Ranking


def review_score(scores, criteria) -> Decimal:
    """One submitted review on the /20 scale."""
    by_criterion = {score.criterion_id: score.value for score in scores}
    total_weight = sum(criterion.weight for criterion in criteria)
    if not total_weight:
        return Decimal(0)
    weighted = sum(
        criterion.weight
        * Decimal(by_criterion.get(criterion.pk, 0))
        / criterion.max_score
        for criterion in criteria
    )
    return weighted / total_weight * SCALE


@dataclass
class RankingRow:
    application: Application
    scores: list[float]
    rank: int | None = None

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float | None:
        return round(statistics.fmean(self.scores), 2) if self.scores else None

    @property
    def stdev(self) -> float | None:
        return round(statistics.pstdev(self.scores), 2) if self.scores else None

    @property
    def low(self) -> float | None:
        return round(min(self.scores), 2) if self.scores else None

    @property
    def high(self) -> float | None:
        return round(max(self.scores), 2) if self.scores else None


def ranking(call: Call) -> list[RankingRow]:
    """The submitted applications, best weighted mean first; unreviewed last."""
    criteria = list(call.criteria.all())
    reviews = (
        Review.objects.filter(
            assignment__application__call=call, submitted_at__isnull=False
        )
        .select_related("assignment")
        .prefetch_related("scores")
        .order_by("pk")
    )
    per_application: dict[int, list[float]] = {}
    for review in reviews:
        per_application.setdefault(review.assignment.application_id, []).append(
            float(review_score(review.scores.all(), criteria))
        )
    rows = [
        RankingRow(application, per_application.get(application.pk, []))
        for application in call.applications.submitted()
        .select_related("applicant", "organisation")
        .order_by("pk")
    ]
    rows.sort(key=lambda row: (row.mean is None, -(row.mean or 0), row.application.pk))
    for position, row in enumerate(rows, start=1):
        if row.mean is not None:
            row.rank = position
    return rows


# Deliberation and decisions


def _ensure_closed(call: Call) -> None:
    if call.state() != CallState.CLOSED:
        raise ReviewRuleError(
            "Les décisions se prennent après la clôture des candidatures."
        )


def record_deliberation(deliberation: Deliberation, *, acting_user: User):
    deliberation.recorded_by = acting_user
    deliberation.save()
    return deliberation


def record_decisions(
    call: Call, decisions: dict[int, tuple[str, str]], *, acting_user: User
) -> int:
    """Sets each application's decision (application pk → (decision, reason));
    returns how many changed. An empty decision clears it."""
    _ensure_closed(call)
    changed = 0
    with transaction.atomic():
        applications = {
            application.pk: application
            for application in call.applications.submitted().select_for_update()
        }
        if set(decisions) - set(applications):
            raise BadScoreError("Candidature inconnue.")
        for pk, (decision, reason) in decisions.items():
            reason = reason.strip()
            if decision and decision not in Decision.values:
                raise BadScoreError("Décision inconnue.")
            if decision in REASON_REQUIRED and not reason:
                raise BadScoreError(
                    "Indiquez le motif d'une décision « liste d'attente » ou "
                    "« non retenue »."
                )
            application = applications[pk]
            if (application.decision, application.decision_reason) == (
                decision,
                reason,
            ):
                continue
            application.decision = decision
            application.decision_reason = reason
            application.decided_at = timezone.now() if decision else None
            application.save(
                update_fields=["decision", "decision_reason", "decided_at"]
            )
            changed += 1
    return changed


def decisions_to_send(call: Call):
    """Decided applications whose decision was never sent, or changed since."""
    return (
        call.applications.submitted()
        .exclude(decision="")
        .filter(
            Q(decision_notice__isnull=True)
            | ~Q(decision_notice__decision=F("decision"))
            | ~Q(decision_notice__reason=F("decision_reason"))
        )
        .select_related("applicant")
        .order_by("pk")
    )


def send_decisions(call: Call, *, acting_user: User) -> int:
    """Mails each applicant their new or changed decision, once; returns the count."""
    _ensure_closed(call)
    if not call.deliberations.exists():
        raise ReviewRuleError("Enregistrez d'abord la délibération du jury.")
    sent = 0
    with transaction.atomic():
        now = timezone.now()
        for application in decisions_to_send(call).select_for_update(of=("self",)):
            send_templated_email(
                "talent/email/decision",
                {
                    "call": call,
                    "application": application,
                    "decision": application.get_decision_display(),
                    "reason": application.decision_reason,
                    "selected": application.decision == Decision.SELECTED,
                },
                [application.applicant.email],
            )
            DecisionNotice.objects.update_or_create(
                application=application,
                defaults={
                    "decision": application.decision,
                    "reason": application.decision_reason,
                    "sent_at": now,
                },
            )
            sent += 1
    return sent


def reviewer_load(call: Call):
    """Active reviewers with their numbers of assignments and submitted reviews."""
    return (
        Reviewer.objects.filter(call=call)
        .select_related("user")
        .annotate(
            assigned=Count("assignments", distinct=True),
            submitted=Count(
                "assignments",
                filter=Q(assignments__review__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("removed_at", "appointed_at", "pk")
    )

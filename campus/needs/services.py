"""Declaring, reviewing and reminding needs; the training projects that answer them."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from campus.mail import send_templated_email
from campus.needs.models import (
    ACTIVE_STATUSES,
    STEP_ORDER,
    Need,
    NeedStatus,
    ProjectStep,
    Step,
    TrainingProject,
)
from campus.network.models import MemberRole, Membership
from campus.rules import RuleError


def save_need(need: Need, *, acting_user, skill_blocks=None) -> Need:
    """Saves a need declared or changed by a partner or the team; saving it is
    reviewing it, so the six-month reminder starts again."""
    with transaction.atomic():
        if need.pk is None:
            need.created_by = acting_user
        need.reviewed_at = timezone.now()
        need.save()
        if skill_blocks is not None:
            need.skill_blocks.set(skill_blocks)
    return need


def confirm_need(need: Need, *, acting_user) -> Need:
    """The partner says the need still stands as it is: reviewed today."""
    need.reviewed_at = timezone.now()
    need.save(update_fields=["reviewed_at", "updated_at"])
    return need


def _editor_emails(organisation_id: int) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id,
            role=MemberRole.EDITOR,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )


def send_review_reminders(*, now: datetime | None = None) -> int:
    """E-mails the editors of each organisation whose open needs were not reviewed
    for six months; once per need until it is reviewed again.

    `review_reminded_at` is set by a conditional update before the e-mail is
    queued, so two runs at once send nothing twice.
    """
    now = now or timezone.now()
    due = (
        Need.objects.due_for_review(now)
        .select_related("organisation")
        .order_by("organisation_id", "horizon", "pk")
    )
    by_organisation: dict[int, list[Need]] = {}
    for need in due:
        by_organisation.setdefault(need.organisation_id, []).append(need)
    sent = 0
    for organisation_id, needs in by_organisation.items():
        recipients = _editor_emails(organisation_id)
        if not recipients:
            continue
        with transaction.atomic():
            claimed = [
                need
                for need in needs
                if Need.objects.filter(pk=need.pk, reviewed_at=need.reviewed_at)
                .exclude(review_reminded_at__gte=need.reviewed_at)
                .update(review_reminded_at=now)
            ]
            if claimed:
                send_templated_email(
                    "needs/email/review_reminder",
                    {"organisation": claimed[0].organisation, "needs": claimed},
                    recipients,
                )
                sent += 1
    return sent


@task()
def send_review_reminders_task() -> int:
    """The reminders as a background task, for a scheduler that queues tasks."""
    return send_review_reminders()


# Training projects
#
# Dates: a step is something that happened, so its date is today or earlier and
# not before the previous step. The one exception is « Date d'ouverture fixée »,
# whose date is the planned opening itself: it may lie ahead (up to
# MAX_OPENING_AHEAD), and the first cohort then cannot be recorded before it.

MAX_OPENING_AHEAD = timedelta(days=3 * 366)


class ProjectRuleError(RuleError):
    title = "Projet de formation"


def open_project(
    needs: Iterable[Need],
    *,
    title: str,
    kind: str,
    acting_user,
    notes: str = "",
    lead_organisation=None,
    today: date | None = None,
) -> TrainingProject:
    """Opens a project for active needs: its first step, « besoins recueillis »,
    is reached today, and the needs are « en cours »."""
    needs = list(needs)
    if not needs:
        raise ProjectRuleError("Choisissez au moins un besoin que le projet couvre.")
    if any(need.status not in ACTIVE_STATUSES for need in needs):
        raise ProjectRuleError(
            "Un projet ne couvre que des besoins ouverts ou en cours."
        )
    today = today or timezone.localdate()
    with transaction.atomic():
        project = TrainingProject.objects.create(
            title=title,
            kind=kind,
            notes=notes,
            lead_organisation=lead_organisation,
            current_step=Step.NEEDS_GATHERED,
            created_by=acting_user,
        )
        project.needs.set(needs)
        project.partners.set({need.organisation_id for need in needs})
        ProjectStep.objects.create(
            project=project,
            step=Step.NEEDS_GATHERED,
            reached_on=today,
            recorded_by=acting_user,
        )
        for need in needs:
            if need.status == NeedStatus.OPEN:
                need.status = NeedStatus.IN_PROGRESS
                need.save(update_fields=["status", "updated_at"])
    return project


def record_step(
    project: TrainingProject,
    step: str,
    reached_on: date,
    note: str = "",
    *,
    acting_user,
    certification=None,
    lead_organisation=None,
    today: date | None = None,
) -> ProjectStep:
    """Records the next step of a project; the steps come in their fixed order.

    Choosing the certification names it (by its RNCP code in the form); finding
    the school may name the lead organisation.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        project = TrainingProject.objects.select_for_update().get(pk=project.pk)
        expected = project.next_step
        if expected is None:
            raise ProjectRuleError("Toutes les étapes du projet sont déjà notées.")
        if step != expected:
            raise ProjectRuleError(
                f"Les étapes se suivent : l'étape suivante est « {Step(expected).label} »."
            )
        previous = project.steps.order_by("-reached_on").first()
        if step == Step.OPENING_DATE:
            if reached_on > today + MAX_OPENING_AHEAD:
                raise ProjectRuleError(
                    "La date d'ouverture prévue est à plus de trois ans : "
                    "vérifiez l'année."
                )
        elif reached_on > today:
            raise ProjectRuleError(
                "Une étape se note une fois atteinte : la date ne peut pas être "
                "dans le futur."
            )
        if previous and reached_on < previous.reached_on:
            raise ProjectRuleError(
                "Cette étape ne peut pas précéder la précédente "
                f"({previous.get_step_display()}, le {previous.reached_on:%d/%m/%Y})."
            )
        if step == Step.CERTIFICATION_CHOSEN:
            if certification is None:
                raise ProjectRuleError("Indiquez la certification choisie.")
            project.certification = certification
        if lead_organisation is not None:
            project.lead_organisation = lead_organisation
        project.current_step = step
        project.save()
        return ProjectStep.objects.create(
            project=project,
            step=step,
            reached_on=reached_on,
            note=note,
            recorded_by=acting_user,
        )


def link_offering(
    project: TrainingProject, offering, *, acting_user, today: date | None = None
) -> TrainingProject:
    """The training has opened: the project points to its offering, and the needs
    it covers are « satisfaits »; the editors of their organisations are told."""
    today = today or timezone.localdate()
    with transaction.atomic():
        project = TrainingProject.objects.select_for_update().get(pk=project.pk)
        if project.offering_id:
            raise ProjectRuleError("Le projet est déjà relié à une formation ouverte.")
        if STEP_ORDER.index(project.current_step or STEP_ORDER[0]) < STEP_ORDER.index(
            Step.OPENING_DATE
        ):
            raise ProjectRuleError(
                "Notez d'abord la date d'ouverture avant de relier la formation."
            )
        if project.certification_id != offering.certification_id:
            raise ProjectRuleError(
                "Cette formation ne prépare pas la certification choisie pour le "
                "projet."
            )
        opening = project.steps.get(step=Step.OPENING_DATE)
        project.offering = offering
        project.opened_on = opening.reached_on
        if offering.organisation_id and not project.lead_organisation_id:
            project.lead_organisation_id = offering.organisation_id
        project.save()
        needs = list(project.needs.select_related("organisation"))
        for need in needs:
            need.status = NeedStatus.MET
            need.reviewed_at = timezone.now()
            need.save(update_fields=["status", "reviewed_at", "updated_at"])
        # One e-mail per organisation, naming only its own needs: the partners
        # of a project never learn each other's names or addresses.
        by_organisation: dict[int, list[Need]] = {}
        for need in needs:
            by_organisation.setdefault(need.organisation_id, []).append(need)
        for organisation_id, own_needs in sorted(by_organisation.items()):
            send_templated_email(
                "needs/email/training_opened",
                {
                    "organisation": own_needs[0].organisation,
                    "needs": own_needs,
                    "offering": offering,
                },
                _editor_emails(organisation_id),
            )
    return project

"""Following up the projects a call selected: grant, payments, milestones, reports.

The team opens a supported project from a selected application, sets the amount
granted, records payments (never more than granted in total), and sets the
milestones; the laureate (the applicant, or a member of the organisation they
applied for) uploads interim and final reports, and is reminded of milestones
due within a week or overdue, once per milestone.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django_tasks import task

from campus.accounts.models import User
from campus.documents import stored_name, validate_document_upload
from campus.mail import send_templated_email
from campus.rules import RuleError
from campus.talent.models import (
    Application,
    ApplicationStatus,
    Decision,
    Milestone,
    Payment,
    ProjectReport,
    ProjectStatus,
    SupportedProject,
)
from campus.trades.models import ShowcaseItem

# A milestone due within this many days, or overdue, is reminded to the laureate.
REMINDER_DAYS = 7


class FollowupError(RuleError):
    """A follow-up action that a rule refuses."""


class NotSelected(FollowupError):
    title = "Candidature non retenue"


class OverGrant(FollowupError):
    title = "Montant dépassé"


class ForeignShowcaseItem(FollowupError):
    status_code = 400
    title = "Réalisation refusée"


def euros(amount: Decimal) -> str:
    """« 1 234,50 € », as the pages show amounts."""
    return f"{number_format(amount, 2, force_grouping=True)} €"


def published_projects(call=None):
    """The projects shown to everyone (all calls, or `call`'s), with their
    published showcase items in `public_showcase`; for
    `talent/followup/_laureate_list.html`."""
    projects = SupportedProject.objects.published()
    if call is not None:
        projects = projects.filter(application__call=call)
    return (
        projects.select_related("application__call", "application__organisation")
        .prefetch_related(
            Prefetch(
                "showcase_items",
                queryset=ShowcaseItem.objects.published().order_by("title", "pk"),
                to_attr="public_showcase",
            )
        )
        .order_by("-application__call__closes_at", "application__title", "pk")
    )


def paid_total(project: SupportedProject) -> Decimal:
    total = project.payments.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def open_supported_project(
    application: Application, *, acting_user, amount_granted=Decimal("0")
) -> tuple[SupportedProject, bool]:
    """Opens the follow-up of a selected application; an application already
    followed gives its project back (`created` is then False)."""
    if (
        application.decision != Decision.SELECTED
        or application.status != ApplicationStatus.SUBMITTED
    ):
        raise NotSelected(
            f"La candidature « {application.title} » n'est pas retenue : seul un "
            "projet retenu peut être suivi."
        )
    with transaction.atomic():
        return SupportedProject.objects.get_or_create(
            application=application,
            defaults={
                "amount_granted": amount_granted,
                "opened_by": acting_user,
                "is_demo": application.is_demo,
            },
        )


def _locked(project: SupportedProject) -> SupportedProject:
    """The project's row, locked until the transaction ends, so that two payments
    recorded at once cannot together pass the grant."""
    return SupportedProject.objects.select_for_update().get(pk=project.pk)


def update_supported_project(
    project: SupportedProject, *, acting_user, showcase_items=None
) -> SupportedProject:
    """Saves the team's changes to a project (amount, dates, status, summary,
    publication, showcase); the grant cannot fall below what was already paid."""
    with transaction.atomic():
        _locked(project)
        paid = paid_total(project)
        if project.amount_granted < paid:
            raise OverGrant(
                f"Le montant accordé ne peut pas être inférieur aux "
                f"{euros(paid)} déjà versés."
            )
        if showcase_items is not None:
            organisation_id = project.application.organisation_id
            foreign = [
                item
                for item in showcase_items
                if item.organisation_id != organisation_id
            ]
            if foreign:
                raise ForeignShowcaseItem(
                    "Seules les réalisations de l'organisation du lauréat peuvent "
                    "être liées au projet."
                )
        project.save()
        if showcase_items is not None:
            project.showcase_items.set(showcase_items)
    return project


def record_payment(
    project: SupportedProject,
    *,
    amount: Decimal,
    paid_on: date,
    note: str = "",
    acting_user,
) -> Payment:
    """Records a payment to the laureate; the payments never add up to more than
    the amount granted."""
    with transaction.atomic():
        locked = _locked(project)
        paid = paid_total(locked)
        if paid + amount > locked.amount_granted:
            left = locked.amount_granted - paid
            raise OverGrant(
                f"Ce versement de {euros(amount)} dépasserait le montant accordé "
                f"({euros(locked.amount_granted)}) : il reste {euros(left)} à verser."
            )
        return Payment.objects.create(
            project=locked,
            amount=amount,
            paid_on=paid_on,
            note=note,
            recorded_by=acting_user,
        )


def add_milestone(
    project: SupportedProject, *, title: str, due_on: date, note: str = "", acting_user
) -> Milestone:
    return Milestone.objects.create(
        project=project, title=title, due_on=due_on, note=note
    )


def mark_milestone_done(
    milestone: Milestone, *, acting_user, done_on: date | None = None
) -> Milestone:
    """The milestone is reached (today unless said otherwise); marking it twice
    keeps the first date."""
    if milestone.done_on is None:
        milestone.done_on = done_on or timezone.localdate()
        milestone.save(update_fields=["done_on"])
    return milestone


def upload_report(
    project: SupportedProject, *, kind: str, title: str, file, acting_user
) -> ProjectReport:
    """Stores a report checked by content under a name of our own, and tells the
    campus team."""
    extension = validate_document_upload(file)
    file.name = stored_name(file, extension)
    with transaction.atomic():
        report = ProjectReport.objects.create(
            project=project,
            kind=kind,
            title=title,
            file=file,
            uploaded_by=acting_user,
        )
        send_templated_email(
            "talent/email/followup_report_uploaded",
            {"report": report, "project": project, "uploaded_by": acting_user},
            User.objects.campus_team()
            .order_by("email")
            .values_list("email", flat=True),
        )
    return report


def milestones_due_for_reminder(now: datetime):
    """Open milestones of projects in progress due within a week or overdue,
    not yet reminded."""
    limit = timezone.localdate(now) + timedelta(days=REMINDER_DAYS)
    return Milestone.objects.filter(
        done_on__isnull=True,
        reminded_at__isnull=True,
        due_on__lte=limit,
        project__status=ProjectStatus.IN_PROGRESS,
        project__application__applicant__is_active=True,
    )


def send_milestone_reminders(*, now: datetime | None = None) -> int:
    """E-mails each laureate their milestones due within a week or overdue; once
    per milestone. `reminded_at` is claimed by a conditional update before the
    e-mail is queued, so two runs at once send nothing twice. Returns the number
    of e-mails."""
    now = now or timezone.now()
    due = (
        milestones_due_for_reminder(now)
        .select_related("project__application__applicant", "project__application__call")
        .order_by("project_id", "due_on", "pk")
    )
    by_project: dict[int, list[Milestone]] = {}
    for milestone in due:
        by_project.setdefault(milestone.project_id, []).append(milestone)
    sent = 0
    today = timezone.localdate(now)
    for milestones in by_project.values():
        with transaction.atomic():
            claimed = [
                milestone
                for milestone in milestones
                if Milestone.objects.filter(
                    pk=milestone.pk, reminded_at__isnull=True
                ).update(reminded_at=now)
            ]
            if not claimed:
                continue
            project = claimed[0].project
            send_templated_email(
                "talent/email/followup_milestone_reminder",
                {
                    "project": project,
                    "application": project.application,
                    "milestones": claimed,
                    "today": today,
                },
                [project.application.applicant.email],
            )
            sent += 1
    return sent


@task()
def send_milestone_reminders_task() -> int:
    """The reminders as a background task, for a scheduler that queues tasks."""
    return send_milestone_reminders()

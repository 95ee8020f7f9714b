"""Declaring, reviewing and reminding needs."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from campus.mail import send_templated_email
from campus.needs.models import Need
from campus.network.models import MemberRole, Membership


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

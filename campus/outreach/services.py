"""Workflows of outreach: a teacher's request from its e-mail confirmation to its outcome."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from campus.accounts.models import User
from campus.mail import send_templated_email
from campus.observatory.tasks import schedule_refresh
from campus.outreach.models import (
    CONFIRMATION_DAYS,
    OPEN_STATUSES,
    ClassLevel,
    InterventionRequest,
    RequestStatus,
)
from campus.rules import RuleError
from campus.search import fold


class OutreachError(RuleError):
    """A step that cannot happen now; its message is for the user."""

    status_code = 400


def submit_request(request: InterventionRequest, *, trades) -> InterventionRequest:
    """Saves an unconfirmed request and e-mails the link that confirms it."""
    with transaction.atomic():
        request.status = RequestStatus.UNCONFIRMED
        request.save()
        request.trades.set(trades)
        send_templated_email(
            "outreach/email/request_confirmation",
            {"request": request},
            [request.teacher_email],
        )
    return request


def purge_unconfirmed_requests(*, dry_run: bool = False) -> int:
    """Deletes requests whose confirmation link has expired, as the e-mail promises."""
    expired = InterventionRequest.objects.filter(
        status=RequestStatus.UNCONFIRMED,
        created_at__lte=timezone.now() - timedelta(days=CONFIRMATION_DAYS),
    )
    ids = list(expired.values_list("pk", flat=True))
    if not dry_run:
        with transaction.atomic():
            expired.delete()
            # The e-mail promised the request would be deleted: its history too.
            InterventionRequest.history.filter(id__in=ids).delete()
    return len(ids)


def confirm_request(request: InterventionRequest) -> InterventionRequest:
    """The teacher's e-mail is confirmed: the request reaches the team's queue."""
    with transaction.atomic():
        request = InterventionRequest.objects.select_for_update().get(pk=request.pk)
        if not request.confirmation_is_open:
            raise OutreachError(
                "Ce lien de confirmation a expiré ou a déjà été utilisé."
            )
        request.status = RequestStatus.NEW
        request.confirmed_at = timezone.now()
        request.save(update_fields=["status", "confirmed_at"])
        send_templated_email(
            "outreach/email/request_confirmed",
            {"request": request},
            User.objects.campus_team().values_list("email", flat=True),
        )
    return request


def assign_request(
    request: InterventionRequest,
    *,
    organisation,
    scheduled_for,
    team_notes: str,
    acting_user: User,
) -> InterventionRequest:
    """Entrusts the request to a partner, possibly with a date, and tells its members."""
    with transaction.atomic():
        request = InterventionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status not in OPEN_STATUSES:
            raise OutreachError("Cette demande ne peut plus être confiée.")
        newly_assigned = request.assigned_organisation_id != organisation.pk
        newly_scheduled = scheduled_for is not None and (
            newly_assigned or scheduled_for != request.scheduled_for
        )
        request.assigned_organisation = organisation
        request.scheduled_for = scheduled_for
        request.team_notes = team_notes
        request.status = (
            RequestStatus.SCHEDULED if scheduled_for else RequestStatus.ASSIGNED
        )
        request._history_user = acting_user
        request.save()
        if newly_assigned:
            send_templated_email(
                "outreach/email/request_assigned",
                {"request": request},
                organisation.memberships.filter(user__is_active=True)
                .order_by("user__email")
                .values_list("user__email", flat=True),
            )
        if newly_scheduled:
            send_templated_email(
                "outreach/email/request_scheduled",
                {"request": request},
                [request.teacher_email],
            )
    return request


def record_outcome(
    request: InterventionRequest,
    *,
    held_on,
    pupils_reached: int,
    artisans_involved: int,
    outcome: str,
    acting_user: User,
) -> InterventionRequest:
    with transaction.atomic():
        request = InterventionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == RequestStatus.UNCONFIRMED:
            raise OutreachError("Cette demande n'a pas été confirmée.")
        request.held_on = held_on
        request.pupils_reached = pupils_reached
        request.artisans_involved = artisans_involved
        request.outcome = outcome
        request.status = RequestStatus.DONE
        request._history_user = acting_user
        request.save()
        schedule_refresh()
    return request


def outreach_summary(requests) -> dict:
    """Pupils reached by class level, schools reached and artisans involved, from done requests."""
    done = requests.filter(status=RequestStatus.DONE)
    by_level = dict(
        done.values_list("class_level")
        .annotate(pupils=Sum("pupils_reached"))
        .order_by("class_level")
    )
    schools = {
        request_uai or fold(name)
        for request_uai, name in done.values_list("school_uai", "school_name")
    }
    totals = done.aggregate(
        pupils=Sum("pupils_reached"),
        artisans=Sum("artisans_involved"),
        count=Count("pk"),
    )
    return {
        "interventions": totals["count"],
        "pupils": totals["pupils"] or 0,
        "artisans": totals["artisans"] or 0,
        "schools": len(schools),
        "by_level": [
            (label, by_level[value])
            for value, label in ClassLevel.choices
            if by_level.get(value)
        ],
    }

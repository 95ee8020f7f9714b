"""Workflows of outreach: a teacher's request from its e-mail confirmation to its outcome."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from campus.accounts.models import User
from campus.mail import send_campus_email
from campus.outreach.models import (
    CONFIRMATION_DAYS,
    ClassLevel,
    InterventionRequest,
    RequestStatus,
)
from campus.search import fold


class OutreachError(Exception):
    """A step that cannot happen now; its message is for the user."""


def _send(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        transaction.on_commit(
            lambda: send_campus_email.enqueue(
                subject=subject, body=body, recipients=recipients
            )
        )


def submit_request(request: InterventionRequest, *, trades) -> InterventionRequest:
    """Saves an unconfirmed request and e-mails the link that confirms it."""
    with transaction.atomic():
        request.status = RequestStatus.UNCONFIRMED
        request.save()
        request.trades.set(trades)
        link = settings.CAMPUS_SITE_URL + request.get_confirmation_url()
        _send(
            "Confirmez votre demande d'intervention",
            (
                f"Bonjour {request.teacher_name},\n\n"
                f"Vous avez demandé l'intervention d'un professionnel pour une classe "
                f"de {request.get_class_level_display()} ({request.school_name}).\n\n"
                f"Pour confirmer votre demande, ouvrez ce lien (valable 7 jours) :\n{link}\n\n"
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
                "elle sera supprimée."
            ),
            [request.teacher_email],
        )
    return request


def purge_unconfirmed_requests(*, dry_run: bool = False) -> int:
    """Deletes requests whose confirmation link has expired, as the e-mail promises."""
    expired = InterventionRequest.objects.filter(
        status=RequestStatus.UNCONFIRMED,
        created_at__lte=timezone.now() - timedelta(days=CONFIRMATION_DAYS),
    )
    count = expired.count()
    if not dry_run:
        expired.delete()
    return count


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
        team = list(
            User.objects.filter(is_staff=True, is_active=True)
            .order_by("email")
            .values_list("email", flat=True)
        )
        _send(
            f"Nouvelle demande d'intervention : {request}",
            "Une demande d'intervention attend d'être confiée à un partenaire :\n"
            + settings.CAMPUS_SITE_URL
            + reverse("outreach:team_request_detail", kwargs={"pk": request.pk}),
            team,
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
        if request.status in (
            RequestStatus.UNCONFIRMED,
            RequestStatus.DONE,
            RequestStatus.CANCELLED,
        ):
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
        request.save()
        if newly_assigned:
            members = list(
                organisation.memberships.filter(user__is_active=True)
                .order_by("user__email")
                .values_list("user__email", flat=True)
            )
            _send(
                "Le campus vous confie une intervention en classe",
                (
                    f"Bonjour,\n\nL'équipe du campus confie à {organisation} "
                    f"l'intervention demandée par {request.school_name} "
                    f"({request.get_class_level_display()}, {request.pupil_count} élèves).\n\n"
                    "Les détails sont dans votre espace partenaire :\n"
                    + settings.CAMPUS_SITE_URL
                    + reverse(
                        "outreach:partner_request_detail", kwargs={"pk": request.pk}
                    )
                ),
                members,
            )
        if newly_scheduled:
            when = date_format(timezone.localtime(scheduled_for), "l j F Y à H\\hi")
            _send(
                "Votre intervention en classe est programmée",
                (
                    f"Bonjour {request.teacher_name},\n\n"
                    f"L'intervention demandée pour votre classe de "
                    f"{request.get_class_level_display()} aura lieu le {when}, "
                    f"avec {organisation}. Le professionnel vous contactera pour "
                    "la préparer.\n"
                ),
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
        request.save()
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

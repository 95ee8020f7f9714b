"""Registration pages: the public form and e-mailed links, the organiser's list.

Public: the form posts here from the event page; the links of the e-mails show a
page on GET (mail scanners open links) and act only on POST. Private: the
registrant list, its exports and the attendance are for the organiser's members
and the campus team; anyone else gets a 404.
"""

from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus.agenda import registration as rules
from campus.agenda.models import (
    REGISTRATION_RETENTION_DAYS,
    Event,
    Registration,
    RegistrationStatus,
)
from campus.agenda.permissions import can_edit_event, event_policy
from campus.agenda.registration_exports import (
    export_csv,
    export_filename,
    export_xlsx,
)
from campus.agenda.registration_forms import RegistrationForm
from campus.public_forms import limit_public_form
from campus.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

REGISTRANTS_PAGE_SIZE = 100


@login_not_required
@require_POST
@limit_public_form("agenda:register", recipient_field="email")
def register(request, slug):
    """Anyone registers for a published event that takes registrations now."""
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("organisation"),
        slug=slug,
    )
    form = RegistrationForm(request.POST, event=event)
    if form.filled_by_robot:
        return redirect("agenda:registration_sent")
    error = rules.closed_reason(event)
    if not error and form.is_valid():
        try:
            rules.register(event, form.save(commit=False))
        except rules.RegistrationClosed as exc:
            error = exc.message
        else:
            return redirect("agenda:registration_sent")
    return render(
        request,
        "agenda/registration/register.html",
        {
            "event": event,
            "form": form,
            "error": error,
            "confirmation_hours": rules.CONFIRMATION_HOURS,
        },
        status=409 if error else 400,
    )


@login_not_required
@require_safe
def registration_sent(request):
    return render(
        request,
        "agenda/registration/sent.html",
        {"confirmation_hours": rules.CONFIRMATION_HOURS},
    )


def _by_token(request, token):
    """The registration of an e-mailed link; an unknown link is a clear 404 page."""
    # Erased registrations keep a guessable token ("efface-<pk>"): never theirs.
    registration = (
        Registration.objects.select_related("event__organisation")
        .filter(token=token)
        .exclude(email="")
        .first()
    )
    if registration is None:
        return None, render(
            request, "agenda/registration/unknown_link.html", status=404
        )
    return registration, None


def _act_on_link(request, token, *, act, error_of, page, done_page):
    """GET shows `page` with a button (or why the link no longer works: 410), POST
    does `act` and shows `done_page`: opening an e-mailed link changes nothing."""
    registration, response = _by_token(request, token)
    if response:
        return response
    error = None
    if request.method == "POST":
        try:
            registration = act(registration)
        except rules.RegistrationLinkError as exc:
            error = exc.message
        else:
            return render(
                request,
                done_page,
                {"registration": registration, "event": registration.event},
            )
    else:
        error = error_of(registration)
    return render(
        request,
        page,
        {"registration": registration, "event": registration.event, "error": error},
        status=410 if error else 200,
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def registration_confirm(request, token):
    """GET shows a button, POST confirms: opening the link changes nothing."""
    return _act_on_link(
        request,
        token,
        act=rules.confirm_registration,
        error_of=rules.confirmation_error,
        page="agenda/registration/confirm.html",
        done_page="agenda/registration/confirmed.html",
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel(request, token):
    """GET asks to confirm the cancellation, POST cancels: no login needed."""
    return _act_on_link(
        request,
        token,
        act=rules.cancel_registration,
        error_of=rules.cancellation_error,
        page="agenda/registration/cancel.html",
        done_page="agenda/registration/cancelled.html",
    )


def _members_event(request, slug):
    """The event, for the members of its organiser and the team; else a 404."""
    return get_object_or_404(
        event_policy.of_members(Event.objects.all(), request.user).select_related(
            "organisation"
        ),
        slug=slug,
    )


def _registrations(request, event):
    return (
        Registration.objects.visible_to(request.user)
        .filter(event=event)
        .exclude(status=RegistrationStatus.UNCONFIRMED)
    )


@require_safe
def registrant_list(request, slug):
    """The organiser's members see who registered; its editors mark attendance."""
    event = _members_event(request, slug)
    registrations = _registrations(request, event)
    confirmed = Paginator(
        registrations.filter(status=RegistrationStatus.CONFIRMED).order_by(
            "name", "pk"
        ),
        REGISTRANTS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/registration/registrant_list.html",
        {
            "event": event,
            "page": confirmed,
            "page_number": confirmed.number,
            "waitlisted": registrations.filter(
                status=RegistrationStatus.WAITLISTED
            ).order_by("waitlisted_at", "pk"),
            "cancelled_count": registrations.filter(
                status=RegistrationStatus.CANCELLED
            ).count(),
            "held": rules.places_held(event),
            "can_mark": can_edit_event(request.user, event),
            "retention_days": REGISTRATION_RETENTION_DAYS,
        },
    )


@require_safe
def registrant_export(request, slug, file_format):
    event = _members_event(request, slug)
    # As on the page: the holders by name, then the waitlist in its order.
    registrations = _registrations(request, event)
    registrations = chain(
        registrations.filter(status=RegistrationStatus.CONFIRMED).order_by(
            "name", "pk"
        ),
        registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
            "waitlisted_at", "pk"
        ),
    )
    if file_format == "csv":
        content, content_type = export_csv(registrations), CSV_CONTENT_TYPE
    else:
        content, content_type = export_xlsx(registrations), XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(event, file_format)}"'
    )
    return response


ATTENDANCE_VALUES = {"oui": True, "non": False, "": None}


@require_POST
def mark_attendance(request, slug, pk):
    """An editor of the organiser (or the team) marks a registrant present or absent."""
    registration = get_object_or_404(
        Registration.objects.editable_by(request.user).select_related("event"),
        event__slug=slug,
        pk=pk,
    )
    page = request.POST.get("page", "")
    page_number = int(page) if page.isdigit() and len(page) < 6 else 1
    value = request.POST.get("present", "")
    if value not in ATTENDANCE_VALUES:
        raise rules.AttendanceError("Choisissez « présent », « absent » ou rien.")
    registration = rules.set_attendance(
        registration, attended=ATTENDANCE_VALUES[value], acting_user=request.user
    )
    if request.htmx:
        return render(
            request,
            "agenda/registration/registrant_list.html#registrant",
            {
                "registration": registration,
                "event": registration.event,
                "can_mark": True,
                "page_number": page_number,
            },
        )
    messages.success(request, f"Présence de {registration.name} enregistrée.")
    response = redirect("agenda:registrant_list", slug=slug)
    # Back to the page of the list the editor was on.
    if page_number > 1:
        response["Location"] += f"?page={page_number}"
    return response

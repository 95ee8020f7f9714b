import datetime as dt
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from openpyxl import Workbook

from campus import fragments
from campus.dates import MONTHS
from campus.deletion import confirm_delete
from campus.network.models import Organisation, OrganisationKind
from campus.permissions import campus_team_required
from campus.platforms import services
from campus.platforms.calendar import booking_feed, week
from campus.platforms.forms import (
    BookingForm,
    EquipmentForm,
    PlatformFilterForm,
    RefusalForm,
    UsageYearForm,
)
from campus.platforms.models import Booking, BookingStatus, Equipment
from campus.platforms.permissions import can_edit_equipment
from campus.platforms.times import parse_week, week_label, week_start
from campus.search import expand_terms, filter_by_groups
from campus.spreadsheets import XLSX_CONTENT_TYPE, neutralise

# Public pages


@login_not_required
@require_safe
def platform_list(request):
    """Anyone reads the network's technology platforms and their published equipment,
    filtered by platform and searched by words."""
    platforms = Organisation.objects.published().filter(
        kind=OrganisationKind.TECHNOLOGY_PLATFORM
    )
    form = PlatformFilterForm(request.GET, platforms=platforms.order_by("name", "pk"))
    valid = form.is_valid()

    def results_context():
        equipment = Equipment.objects.published()
        if valid:
            if form.cleaned_data["plateforme"]:
                equipment = equipment.filter(
                    organisation=form.cleaned_data["plateforme"]
                )
            if form.cleaned_data["q"]:
                equipment = filter_by_groups(
                    equipment, expand_terms(form.cleaned_data["q"])
                )
        else:
            equipment = equipment.none()
        shown = (
            platforms.filter(pk__in=equipment.values("organisation"))
            .select_related("commune")
            .prefetch_related(
                Prefetch(
                    "equipment",
                    queryset=equipment.select_related("site__commune").order_by(
                        "name", "pk"
                    ),
                    to_attr="shown_equipment",
                )
            )
            .order_by("name", "pk")
        )
        platforms_list = list(shown)
        return {
            "form": form,
            "platforms": platforms_list,
            "count": sum(len(p.shown_equipment) for p in platforms_list),
        }

    # The search form and the equipment it finds depend on the address alone.
    results_html = fragments.rendered_results(
        request, "platforms/platform_list.html#results", results_context
    )
    return render(
        request,
        "platforms/platform_list.html",
        {"results_html": results_html},
        status=200 if valid else 400,
    )


def _visible_equipment(request, slug):
    return get_object_or_404(
        # The page names the equipment's organisation; nothing of its site or
        # manager.
        Equipment.objects.visible_to(request.user).select_related("organisation"),
        slug=slug,
    )


@login_not_required
@require_safe
def equipment_detail(request, slug):
    """Anyone reads a published equipment and its week of approved bookings, shown
    as « Réservé » without who booked; the platform's members also an unpublished one."""
    equipment = _visible_equipment(request, slug)
    today = timezone.localdate()
    status = 200
    week_error = ""
    monday = week_start(today)
    if request.GET.get("semaine"):
        try:
            monday = parse_week(request.GET["semaine"][:20])
        except ValueError:
            status = 400
            week_error = (
                "Semaine invalide : écrivez-la comme 2027-W12 (année, W, numéro de "
                "semaine). Voici la semaine en cours."
            )
    can_edit = can_edit_equipment(request.user, equipment)

    def content_context():
        days = week(equipment, monday)
        return {
            "equipment": equipment,
            "days": days,
            "monday": monday,
            "sunday": days[-1].date,
            "previous_week": week_label(monday - dt.timedelta(days=7)),
            "next_week": week_label(monday + dt.timedelta(days=7)),
            "this_week": week_label(week_start(today)),
            "week_error": week_error,
            "can_edit": can_edit,
        }

    template = "platforms/equipment_detail.html"
    if equipment.is_published and not can_edit:
        # What every other visitor reads, for the address and the day (this week).
        content_html = fragments.rendered_results(
            request,
            f"{template}#content",
            content_context,
            expires_at=fragments.next_midnight,
        )
    else:
        content_html = render_to_string(
            f"{template}#content", content_context(), request
        )
    return render(
        request,
        template,
        {
            "equipment": equipment,
            "week": week_label(monday),
            "content_html": content_html,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def booking_request(request, slug):
    """A member of an organisation of the network asks for a slot on a published
    equipment, for one of their organisations."""
    equipment = get_object_or_404(
        Equipment.objects.published().select_related("organisation"), slug=slug
    )
    has_organisation = Organisation.objects.member_of(request.user).exists()
    form = BookingForm(request.POST or None, user=request.user)
    if request.method == "POST" and has_organisation and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_booking(
                equipment,
                requester=request.user,
                organisation=data["organisation"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
            )
        except services.BookingRuleError as error:
            form.add_error(None, error.message)
            return _booking_form(
                request, equipment, form, has_organisation, error.status_code
            )
        messages.success(
            request,
            f"Votre demande de réservation de « {equipment.name} » est envoyée à "
            "la plateforme : vous recevrez sa réponse par e-mail.",
        )
        return redirect("platforms:my_bookings")
    return _booking_form(
        request,
        equipment,
        form,
        has_organisation,
        400
        if form.errors or (request.method == "POST" and not has_organisation)
        else 200,
    )


def _booking_form(request, equipment, form, has_organisation, status):
    return render(
        request,
        "platforms/booking_form.html",
        {
            "equipment": equipment,
            "form": form,
            "has_organisation": has_organisation,
            "max_days": services.MAX_BOOKING_LENGTH.days,
        },
        status=status,
    )


@login_not_required
@require_safe
def booking_feed_view(request, slug):
    """The manager's calendar feed of approved bookings, with who booked; only with
    the equipment's secret token (anything else is a 404)."""
    equipment = get_object_or_404(Equipment.objects.all(), slug=slug)
    token = request.GET.get("jeton", "")
    if not token or not constant_time_compare(token, equipment.calendar_token):
        raise Http404("Calendrier introuvable.")
    response = HttpResponse(
        booking_feed(equipment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'inline; filename="reservations-{equipment.slug}.ics"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# Partner space: the platform's side


@require_safe
def partner_equipment(request):
    """The equipment of the user's platforms; editors change it, and anyone who
    decides on bookings sees how many wait."""
    equipment = (
        Equipment.objects.all()
        .filter(
            Q(organisation__in=Organisation.objects.member_of(request.user))
            | Q(manager=request.user)
        )
        .select_related("organisation")
        .annotate(
            pending=Count("bookings", filter=Q(bookings__status=BookingStatus.PENDING))
        )
        .order_by("organisation__name", "name", "pk")
    )
    rows = [
        (
            item,
            can_edit_equipment(request.user, item),
            item.manager_id == request.user.pk,
        )
        for item in equipment
    ]
    return render(
        request,
        "platforms/partner_equipment.html",
        {
            "rows": rows,
            "can_add": Organisation.objects.editable_by(request.user)
            .filter(kind=OrganisationKind.TECHNOLOGY_PLATFORM)
            .exists(),
            # The public address, as in e-mails: a calendar application outside
            # the network must reach it.
            "feed_base": settings.CAMPUS_SITE_URL,
        },
    )


def _equipment_form(request, equipment):
    form = EquipmentForm(
        request.POST or None,
        request.FILES or None,
        instance=equipment,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        is_new = equipment.pk is None
        equipment = form.save()
        messages.success(
            request,
            f"L'équipement « {equipment.name} » est "
            + ("ajouté." if is_new else "enregistré."),
        )
        return redirect("platforms:partner_equipment")
    return render(
        request,
        "platforms/equipment_form.html",
        {"form": form, "equipment": equipment},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def equipment_create(request):
    """An editor of a technology platform adds an equipment."""
    if not (
        Organisation.objects.editable_by(request.user)
        .filter(kind=OrganisationKind.TECHNOLOGY_PLATFORM)
        .exists()
    ):
        return redirect("platforms:partner_equipment")
    return _equipment_form(request, Equipment())


def _editable(request, pk):
    return get_object_or_404(
        Equipment.objects.editable_by(request.user).select_related("organisation"),
        pk=pk,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def equipment_edit(request, pk):
    """An editor of the platform changes its equipment; anyone else gets a 404."""
    return _equipment_form(request, _editable(request, pk))


@require_http_methods(["GET", "HEAD", "POST"])
def equipment_delete(request, pk):
    """An editor of the platform deletes an equipment, with its bookings."""
    equipment = _editable(request, pk)
    return confirm_delete(
        request,
        equipment,
        what=f"l'équipement « {equipment.name} »",
        consequence="Ses réservations, passées et à venir, seront supprimées avec lui.",
        list_url=reverse("platforms:partner_equipment"),
        list_label="Plateformes",
        edit_url=reverse("platforms:equipment_edit", args=[equipment.pk]),
    )


@require_POST
def equipment_token(request, pk):
    """An editor replaces the secret of the calendar feed: the old address stops."""
    equipment = services.regenerate_calendar_token(
        _editable(request, pk), acting_user=request.user
    )
    messages.success(
        request,
        f"Nouvelle adresse du calendrier de « {equipment.name} » : l'ancienne ne "
        "fonctionne plus.",
    )
    return redirect("platforms:partner_equipment")


@require_safe
def manager_bookings(request):
    """The bookings the user decides on (as manager or platform editor), waiting
    ones first."""
    bookings = (
        Booking.objects.managed_by(request.user)
        .select_related("equipment", "requester", "organisation")
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    return render(
        request,
        "platforms/manager_bookings.html",
        {
            "pending": [b for b in bookings.filter(status=BookingStatus.PENDING)],
            "upcoming": list(
                bookings.filter(status=BookingStatus.APPROVED, ends_at__gte=now)
            ),
            "decided": list(
                bookings.exclude(status=BookingStatus.PENDING)
                .exclude(status=BookingStatus.APPROVED, ends_at__gte=now)
                .order_by("-starts_at", "-pk")[:50]
            ),
        },
    )


def _managed(request, pk):
    return get_object_or_404(
        Booking.objects.managed_by(request.user).select_related(
            "equipment", "requester", "organisation"
        ),
        pk=pk,
    )


@require_POST
def booking_approve(request, pk):
    """The manager or a platform editor accepts a waiting request."""
    booking = services.approve_booking(_managed(request, pk), acting_user=request.user)
    messages.success(
        request,
        f"La réservation de « {booking.equipment.name} » par "
        f"{booking.requester.get_full_name()} est acceptée.",
    )
    return redirect("platforms:manager_bookings")


@require_http_methods(["GET", "HEAD", "POST"])
def booking_refuse(request, pk):
    """The manager or a platform editor refuses a waiting request, with a reason."""
    booking = _managed(request, pk)
    form = RefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_booking(
                booking, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except services.InvalidBooking as error:
            form.add_error("reason", error.message)
        else:
            messages.success(
                request, "La demande est refusée ; le demandeur est prévenu."
            )
            return redirect("platforms:manager_bookings")
    return render(
        request,
        "platforms/booking_refuse.html",
        {"booking": booking, "form": form},
        status=400 if form.errors else 200,
    )


# Partner space: the requester's side


@require_safe
def my_bookings(request):
    """The user's own booking requests, to follow and cancel."""
    bookings = (
        Booking.objects.requested_by(request.user)
        .select_related("equipment", "organisation")
        .order_by("-starts_at", "-pk")
    )
    now = timezone.now()
    return render(
        request,
        "platforms/my_bookings.html",
        {
            "rows": [
                (
                    booking,
                    booking.status in (BookingStatus.PENDING, BookingStatus.APPROVED)
                    and booking.ends_at > now,
                )
                for booking in bookings
            ]
        },
    )


@require_POST
def booking_cancel(request, pk):
    """The requester cancels their own request or accepted booking."""
    booking = get_object_or_404(Booking.objects.requested_by(request.user), pk=pk)
    booking = services.cancel_booking(booking, acting_user=request.user)
    messages.success(
        request, f"Votre réservation de « {booking.equipment.name} » est annulée."
    )
    return redirect("platforms:my_bookings")


# Back-office


MONTH_ABBREVIATIONS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def _usage_year(request):
    data = request.GET
    if not data.get("annee"):
        data = {"annee": timezone.localdate().year}
    form = UsageYearForm(data)
    if form.is_valid():
        return form, form.cleaned_data["annee"] or timezone.localdate().year
    return form, None


@campus_team_required
@require_safe
def team_usage(request):
    """The team reads the hours and bookings of each equipment, month by month."""
    form, year = _usage_year(request)
    rows = services.usage_by_month(year) if year else []
    return render(
        request,
        "platforms/team_usage.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "months": MONTH_ABBREVIATIONS,
            "month_names": MONTHS,
        },
        status=200 if year else 400,
    )


@campus_team_required
@require_safe
def team_usage_export(request):
    """The same table as an XLSX workbook: one row per equipment and month."""
    form, year = _usage_year(request)
    if year is None:
        return team_usage(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Usage {year}")
    sheet.append(
        ["Plateforme", "Équipement", "Mois", "Heures réservées", "Réservations"]
    )
    for row in services.usage_by_month(year):
        for month in range(12):
            sheet.append(
                [
                    neutralise(row.equipment.organisation.name),
                    neutralise(row.equipment.name),
                    f"{MONTHS[month]} {year}",
                    round(row.hours[month], 2),
                    row.bookings[month],
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="usage-plateformes-{year}.xlsx"'
    )
    return response

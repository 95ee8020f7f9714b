from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import fragments
from campus.dates import french_date, start_of_day
from campus.deletion import confirm_delete
from campus.network.models import Organisation
from campus.offers import services
from campus.offers.filters import OfferFilter
from campus.offers.forms import OfferForm, WithdrawalForm
from campus.offers.lba import lba_export
from campus.offers.models import Offer
from campus.offers.permissions import can_edit_offer
from campus.offers.structured_data import json_ld_script, offer_json_ld
from campus.ownership import organisation_ids_of
from campus.permissions import campus_team_required, organisation_editor_required
from campus.search import list_page, query_in_use
from campus.trades.models import RomeJob
from campus.trainings.views import CappedPaginator

PAGE_SIZE = 20
TEAM_PAGE_SIZE = 30


# Public pages: the open offers only, for anyone.


@login_not_required
@require_safe
def offer_list(request):
    """Anyone reads the open offers, newest first (nearest first around a commune)."""
    offer_filter = OfferFilter(
        request.GET, queryset=Offer.objects.published(), request=request
    )
    valid = offer_filter.is_valid()

    def results_context():
        results = offer_filter.qs if valid else Offer.objects.none()
        page = CappedPaginator(
            results.prefetch_related("organisation", "commune", "certification"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        filters_query = query_in_use(request, "page")
        return {
            "filter": offer_filter,
            "page": page,
            "query_string": filters_query,
            "rss_url": reverse("offers:rss")
            + (f"?{filters_query}" if filters_query else ""),
            "radius_km": offer_filter.radius_km if valid else None,
        }

    # An offer leaves the list at the end of its last day.
    return list_page(
        request,
        "offers/offer_list.html",
        {"filter": offer_filter, "action": reverse("offers:offer_list")},
        results_context,
        status=200 if valid else 400,
        expires_at=fragments.next_midnight,
    )


# What the offer page shows around its kept parts: its title and description. On
# PostgreSQL, reading the offer, its organisation and its commune with all their
# columns took a third of the page's time; the kept parts read them whole, only
# when they are built.
OFFER_PAGE_COLUMNS = (
    "title",
    "contract",
    "starts_on",
    "organisation__name",
    "commune__name",
)


@login_not_required
@require_safe
def offer_detail(request, pk):
    """Anyone reads an open offer; its organisation's members and the team also
    an expired or withdrawn one."""
    offer = get_object_or_404(
        Offer.objects.visible_to(request.user)
        .select_related("organisation", "commune")
        .only(*OFFER_PAGE_COLUMNS),
        pk=pk,
    )

    def build_parts():
        whole = Offer.objects.select_related("organisation", "commune").get(pk=offer.pk)
        return _offer_page_parts(whole)

    key = f"offer-page.{offer.pk}"
    parts = fragments.kept_many(request, {key: build_parts})[key]
    return render(
        request,
        "offers/offer_detail.html",
        {
            "offer": offer,
            "parts": parts,
            "can_edit": can_edit_offer(request.user, offer),
        },
    )


def _offer_page_parts(offer):
    """The offer page's partials besides the visitor's edit link, its JSON-LD
    among them, and when they change with time alone: the day after the offer's
    last day, when it closes (or its notice says it expired)."""
    is_open = offer.is_open
    context = {"offer": offer, "is_open": is_open}
    parts = {
        name: render_to_string(f"offers/offer_detail.html#{name}", context)
        for name in ("top", "rest")
    }
    parts["json_ld"] = json_ld_script(offer_json_ld(offer)) if is_open else None
    if offer.is_expired:
        return parts, lambda: None
    day_after = offer.expires_on + timedelta(days=1)
    closes_at = start_of_day(day_after)
    return parts, lambda: closes_at


@login_not_required
@require_safe
def offer_export_lba(request):
    """Anyone downloads the open apprenticeship offers in La bonne alternance's structure."""
    response = JsonResponse(
        lba_export(Offer.objects.published()),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = (
        'inline; filename="offres-la-bonne-alternance.json"'
    )
    return response


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer_renew_link(request, token):
    """The link of the reminder e-mail: anyone holding it renews that one offer,
    without logging in. GET asks; only POST renews."""
    offer = services.offer_for_renewal_token(token)
    if request.method == "POST":
        offer = services.renew_offer(offer)
        return render(
            request, "offers/offer_renew.html", {"offer": offer, "renewed": True}
        )
    return render(
        request,
        "offers/offer_renew.html",
        {
            "offer": offer,
            "renewed": False,
            "new_expiry": services.renewed_expiry(offer),
        },
    )


# Partner space: the user's organisations' offers. Editors change them, viewers
# read the list; another organisation's offer is a 404.


@require_safe
def partner_offers(request):
    offers = (
        Offer.objects.filter(organisation__in=organisation_ids_of(request.user))
        .select_related("organisation", "commune")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "offers/partner_offers.html",
        {
            "offers": [
                (offer, can_edit_offer(request.user, offer)) for offer in offers
            ],
            "can_create": Organisation.objects.editable_by(request.user).exists(),
            "has_rome_jobs": RomeJob.objects.exists(),
        },
    )


def _editable_offer(request, pk):
    return get_object_or_404(
        Offer.objects.editable_by(request.user).select_related(
            "organisation", "commune", "rome_job"
        ),
        pk=pk,
    )


def _offer_form_view(request, offer):
    form = OfferForm(request.POST or None, instance=offer, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = offer.pk is None
        offer = form.save(commit=False)
        if created:
            services.publish_offer(offer, acting_user=request.user)
            messages.success(
                request,
                f"L'offre « {offer.title} » est publiée jusqu'au "
                f"{french_date(offer.expires_on)}.",
            )
        else:
            services.update_offer(offer, acting_user=request.user)
            messages.success(request, f"L'offre « {offer.title} » est enregistrée.")
        return redirect("offers:partner_offers")
    if request.method == "POST" and offer.pk:
        offer.refresh_from_db()
    return render(
        request,
        "offers/offer_form.html",
        {"form": form, "offer": offer},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("offers:partner_offers")
def offer_create(request):
    return _offer_form_view(request, Offer())


@require_http_methods(["GET", "HEAD", "POST"])
def offer_edit(request, pk):
    return _offer_form_view(request, _editable_offer(request, pk))


@require_http_methods(["GET", "HEAD", "POST"])
def offer_delete(request, pk):
    offer = _editable_offer(request, pk)
    return confirm_delete(
        request,
        offer,
        what=f"l'offre « {offer.title} »",
        consequence="Elle disparaîtra de la liste des offres et des pages métier.",
        list_url=reverse("offers:partner_offers"),
        list_label="Offres",
        edit_url=reverse("offers:offer_edit", args=[offer.pk]),
        delete=lambda: services.delete_offer(offer, acting_user=request.user),
    )


@require_POST
def offer_renew(request, pk):
    offer = services.renew_offer(_editable_offer(request, pk), acting_user=request.user)
    messages.success(
        request,
        f"L'offre « {offer.title} » est prolongée jusqu'au "
        f"{french_date(offer.expires_on)}.",
    )
    return redirect("offers:partner_offers")


# The team: every offer, and withdrawing one after publication.

TEAM_FILTERS = [
    ("open", "En ligne"),
    ("expired", "Expirées"),
    ("withdrawn", "Retirées"),
    ("all", "Toutes"),
]


@campus_team_required
@require_safe
def team_offers(request):
    show = request.GET.get("statut", "open")
    offers = Offer.objects.all()
    if show == "open":
        offers = offers.published()
    elif show == "expired":
        offers = offers.filter(is_withdrawn=False, expires_on__lt=timezone.localdate())
    elif show == "withdrawn":
        offers = offers.filter(is_withdrawn=True)
    else:
        show = "all"
    page = Paginator(
        offers.select_related("organisation", "commune").order_by("-created_at", "-pk"),
        TEAM_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "offers/team_offers.html",
        {
            "page": page,
            "show": show,
            "filters": TEAM_FILTERS,
            "query_string": f"statut={show}",
        },
    )


def _team_offer(request, pk):
    return get_object_or_404(
        Offer.objects.select_related(
            "organisation", "commune", "rome_job", "certification", "withdrawn_by"
        ),
        pk=pk,
    )


def _render_team_offer(request, offer, form=None):
    form = form or WithdrawalForm()
    return render(
        request,
        "offers/team_offer_detail.html",
        {"offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_safe
def team_offer_detail(request, pk):
    return _render_team_offer(request, _team_offer(request, pk))


@campus_team_required
@require_POST
def offer_withdraw(request, pk):
    offer = _team_offer(request, pk)
    form = WithdrawalForm(request.POST)
    if not form.is_valid():
        return _render_team_offer(request, offer, form)
    services.withdraw_offer(
        offer, reason=form.cleaned_data["reason"], acting_user=request.user
    )
    messages.success(
        request, f"L'offre « {offer.title} » est retirée ; l'entreprise est prévenue."
    )
    return redirect("offers:team_offers")


@campus_team_required
@require_POST
def offer_republish(request, pk):
    offer = services.republish_offer(_team_offer(request, pk), acting_user=request.user)
    messages.success(request, f"L'offre « {offer.title} » est de nouveau publiée.")
    return redirect("offers:team_offer_detail", pk=offer.pk)

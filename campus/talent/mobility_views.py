"""European mobility: the public page of host partners and open offers; the
team's pages for partners, offers, mobilities done and their counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from campus import fragments
from campus.deletion import confirm_delete
from campus.permissions import campus_team_required
from campus.spreadsheets import XLSX_CONTENT_TYPE
from campus.talent.mobility import (
    delete_mobility,
    departure_years,
    mobility_counts,
    partners_by_country,
    published_offers,
)
from campus.talent.mobility_exports import counts_filename, counts_xlsx
from campus.talent.mobility_forms import (
    CountsFilterForm,
    HostPartnerForm,
    MobilityForm,
    MobilityOfferForm,
)
from campus.talent.models import Call, HostPartner, Mobility, MobilityOffer


@login_not_required
@require_safe
def mobility_home(request):
    """Anyone sees the active host partners by country and the published offers,
    each with a link to the call to apply through."""
    template = "talent/mobility/mobility_home.html"

    def render_sections():
        now = timezone.now()
        context = {
            "countries": partners_by_country(),
            "offers": published_offers(now=now),
        }
        html = render_to_string(f"{template}#sections", context)
        # An offer says « Candidater » while its call is open.
        return html, lambda: Call.objects.published().next_opening_or_closing(now)

    kept = fragments.kept_many(request, {"mobility": render_sections})
    return render(request, template, {"sections_html": kept["mobility"]})


# Team: counts


def _counts_form(request):
    form = CountsFilterForm(request.GET, years=departure_years())
    year = form.cleaned_data["annee"] if form.is_valid() else None
    return form, year


@campus_team_required
@require_safe
def mobility_counts_view(request):
    """The team counts the mobilities done by year, country, trade and school."""
    form, year = _counts_form(request)
    counts = mobility_counts(year) if not form.errors else None
    query = request.GET.urlencode()
    return render(
        request,
        "talent/mobility/counts.html",
        {
            "form": form,
            "counts": counts,
            "export_url": reverse("talent:mobility_counts_export")
            + (f"?{query}" if query else ""),
        },
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_safe
def mobility_counts_export(request):
    """The same counts as an XLSX workbook."""
    form, year = _counts_form(request)
    if form.errors:
        return mobility_counts_view(request)
    counts = mobility_counts(year)
    response = HttpResponse(counts_xlsx(counts), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{counts_filename(counts)}"'
    )
    return response


# Team: host partners and offers


@campus_team_required
@require_safe
def mobility_partner_list(request):
    """The team lists every host partner and every offer, active or not."""
    return render(
        request,
        "talent/mobility/partner_list.html",
        {
            "partners": HostPartner.objects.order_by("country", "name", "pk"),
            "offers": MobilityOffer.objects.select_related(
                "host_partner", "call"
            ).order_by("host_partner__name", "title", "pk"),
        },
    )


def _form_page(request, form_class, instance, *, title, list_url, saved, delete_url=""):
    form = form_class(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        row = form.save()
        messages.success(request, saved.format(row=row))
        return redirect(list_url)
    return render(
        request,
        "talent/mobility/form.html",
        {
            "form": form,
            "title": title,
            "list_url": reverse(list_url),
            "is_multipart": form.is_multipart(),
            "delete_url": delete_url,
        },
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def mobility_partner_create(request):
    """The team adds a host partner in an Erasmus+ programme country."""
    return _form_page(
        request,
        HostPartnerForm,
        HostPartner(),
        title="Ajouter un partenaire d'accueil",
        list_url="talent:mobility_partner_list",
        saved="Le partenaire « {row.name} » est enregistré.",
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def mobility_partner_edit(request, pk):
    """The team changes a host partner or makes it inactive."""
    partner = get_object_or_404(HostPartner, pk=pk)
    return _form_page(
        request,
        HostPartnerForm,
        partner,
        title=f"Modifier le partenaire « {partner.name} »",
        list_url="talent:mobility_partner_list",
        saved="Le partenaire « {row.name} » est enregistré.",
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def mobility_offer_create(request):
    """The team offers places at a host partner."""
    return _form_page(
        request,
        MobilityOfferForm,
        MobilityOffer(),
        title="Ajouter une offre de mobilité",
        list_url="talent:mobility_partner_list",
        saved="L'offre « {row.title} » est enregistrée.",
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def mobility_offer_edit(request, pk):
    """The team changes, publishes or unpublishes an offer."""
    offer = get_object_or_404(MobilityOffer, pk=pk)
    return _form_page(
        request,
        MobilityOfferForm,
        offer,
        title=f"Modifier l'offre « {offer.title} »",
        list_url="talent:mobility_partner_list",
        saved="L'offre « {row.title} » est enregistrée.",
    )


# Team: mobilities done


@campus_team_required
@require_safe
def mobility_list(request):
    """The team lists the mobilities done, latest departure first."""
    mobilities = Mobility.objects.select_related(
        "sending_school", "trade", "host_partner"
    ).order_by("-departure_on", "-pk")
    return render(
        request, "talent/mobility/mobility_list.html", {"mobilities": mobilities}
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def mobility_create(request):
    """The team records a mobility a learner did."""
    return _form_page(
        request,
        MobilityForm,
        Mobility(),
        title="Enregistrer une mobilité réalisée",
        list_url="talent:mobility_list",
        saved="La mobilité de {row.learner_name} est enregistrée.",
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def mobility_edit(request, pk):
    """The team corrects a mobility done or adds its certificate."""
    mobility = get_object_or_404(Mobility, pk=pk)
    return _form_page(
        request,
        MobilityForm,
        mobility,
        title=f"Modifier la mobilité de {mobility.learner_name}",
        list_url="talent:mobility_list",
        saved="La mobilité de {row.learner_name} est enregistrée.",
        delete_url=reverse("talent:mobility_delete", args=[mobility.pk]),
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def mobility_delete(request, pk):
    """The team deletes a mobility entered by mistake, with its certificate."""
    mobility = get_object_or_404(Mobility, pk=pk)
    return confirm_delete(
        request,
        mobility,
        what=f"la mobilité de {mobility.learner_name}",
        consequence="Elle sortira des comptes ; son attestation sera effacée.",
        list_url=reverse("talent:mobility_list"),
        list_label="Mobilités réalisées",
        edit_url=reverse("talent:mobility_edit", args=[mobility.pk]),
        delete=lambda: delete_mobility(mobility),
    )


@campus_team_required
@require_safe
def mobility_certificate(request, pk):
    """The certificate of a mobility, to the team only (it is not under /media/)."""
    mobility = get_object_or_404(Mobility, pk=pk)
    if not mobility.certificate:
        raise Http404("Aucune attestation pour cette mobilité.")
    return FileResponse(
        mobility.certificate.open("rb"),
        as_attachment=True,
        filename=f"attestation-mobilite-{mobility.pk}.pdf",
        content_type="application/pdf",
    )

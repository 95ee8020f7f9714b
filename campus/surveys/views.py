import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from openpyxl import Workbook

from campus.needs.models import Need, NeedKind
from campus.needs.trades import rome_labels
from campus.permissions import campus_team_required
from campus.profiles.models import CampusProfile
from campus.public_forms import limit_public_form
from campus.rules import RuleError
from campus.spreadsheets import XLSX_CONTENT_TYPE, neutralise
from campus.surveys import services
from campus.surveys.forms import ANSWER_FORMS, CampaignForm
from campus.surveys.models import SurveyCampaign

# The answer page's two forms, named in French in the address.
KIND_PARAMS = {"recrutement": NeedKind.RECRUITMENT, "competences": NeedKind.SKILLS}


# Back-office


@campus_team_required
@require_safe
def campaign_list(request):
    """The team's needs surveys, with their answer counts."""
    campaigns = SurveyCampaign.objects.annotate(
        sent=Count("invitations"),
        answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)),
    ).order_by("-created_at", "-pk")
    return render(request, "surveys/campaign_list.html", {"campaigns": campaigns})


def _campaign_form_view(request, campaign):
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        departements=CampusProfile.for_request(request).served_departements(),
    )
    if campaign.sent_at:
        # The invitations are made: whom the campaign asks no longer changes.
        for name in ("organisation_kind", "departement_code"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        if campaign.pk is None:
            campaign.created_by = request.user
        campaign.save()
        messages.success(request, "L'enquête est enregistrée.")
        return redirect("surveys:campaign_detail", campaign.pk)
    return render(
        request,
        "surveys/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_create(request):
    """The team writes a needs survey; it is sent from its page."""
    return _campaign_form_view(request, SurveyCampaign())


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_edit(request, pk):
    return _campaign_form_view(request, get_object_or_404(SurveyCampaign, pk=pk))


@campus_team_required
@require_safe
def campaign_detail(request, pk):
    """Sent, opened, answered, the answer rate, and each organisation's status."""
    campaign = get_object_or_404(SurveyCampaign, pk=pk)
    invitations = (
        campaign.invitations.select_related("organisation")
        .annotate(needs=Count("answers"))
        .order_by("organisation__name", "pk")
    )
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "counts": services.campaign_counts(campaign),
            "invitations": invitations,
            "targets": None if campaign.sent_at else campaign.targets().count(),
        },
    )


@campus_team_required
@require_POST
def campaign_send(request, pk):
    campaign = get_object_or_404(SurveyCampaign, pk=pk)
    try:
        organisations, emails = services.send_campaign(
            campaign, acting_user=request.user
        )
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Enquête envoyée à {organisations} organisation(s), "
            f"en {emails} e-mail(s).",
        )
    return redirect("surveys:campaign_detail", campaign.pk)


EXPORT_HEADERS = [
    "Organisation",
    "Statut",
    "Envoyée le",
    "Relancée le",
    "Ouverte le",
    "Répondu le",
    "Besoins déclarés",
]


def _naive(moment):
    # openpyxl writes no time zone: the team reads Paris time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


@campus_team_required
@require_safe
def campaign_export(request, pk):
    campaign = get_object_or_404(SurveyCampaign, pk=pk)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Réponses"
    sheet.append(EXPORT_HEADERS)
    for invitation in (
        campaign.invitations.select_related("organisation")
        .annotate(needs=Count("answers"))
        .order_by("organisation__name", "pk")
    ):
        sheet.append(
            [
                neutralise(invitation.organisation.name),
                invitation.get_status_display(),
                _naive(invitation.sent_at),
                _naive(invitation.reminded_at),
                _naive(invitation.opened_at),
                _naive(invitation.answered_at),
                invitation.needs,
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="enquete-{campaign.pk}-reponses.xlsx"'
    )
    return response


# The page of the e-mailed link: no account


def _invitation_or_error(request, token):
    """The link's invitation, or the page that says why it does not work: 404
    for an unknown or forged link, 410 once the survey is closed."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return None, render(request, "surveys/unknown_link.html", status=404)
    if not invitation.campaign.is_open():
        return None, render(
            request,
            "surveys/closed.html",
            {"campaign": invitation.campaign},
            status=410,
        )
    return invitation, None


def _answer_page(request, invitation, token, form, kind, *, status=200):
    answers = invitation.answers.select_related("need__commune").order_by(
        "created_at", "pk"
    )
    labels = rome_labels()
    return render(
        request,
        "surveys/answer.html",
        {
            "invitation": invitation,
            "token": token,
            "campaign": invitation.campaign,
            "organisation": invitation.organisation,
            "form": form,
            "kind": kind,
            "kind_param": {v: k for k, v in KIND_PARAMS.items()}[kind],
            "answers": [
                (answer.need, labels.get(answer.need.rome_code, answer.need.rome_code))
                for answer in answers
            ],
        },
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_public_form("surveys:answer", recipient_field=None)
def answer(request, token):
    """An organisation answers the survey through its link: one need per
    submission, as many as it wants until the closing day."""
    invitation, error_page = _invitation_or_error(request, token)
    if error_page:
        return error_page
    kind = KIND_PARAMS.get(request.GET.get("besoin", ""), NeedKind.RECRUITMENT)
    form_class = ANSWER_FORMS[kind]
    if request.method != "POST":
        # The opening count is what the team asked for; the update writes once
        # and changes nothing the visitor sees.
        services.mark_opened(invitation)
        form = form_class(
            instance=Need(kind=kind), organisation=invitation.organisation
        )
        return _answer_page(request, invitation, token, form, kind)
    form = form_class(
        request.POST, instance=Need(kind=kind), organisation=invitation.organisation
    )
    if form.filled_by_robot:
        return redirect(request.get_full_path())
    if form.is_valid():
        services.declare_need(
            invitation,
            form.save(commit=False),
            skill_blocks=form.cleaned_data.get("skill_blocks"),
        )
        messages.success(
            request,
            "Merci : le besoin est transmis à l'équipe du campus. "
            "Vous pouvez en déclarer un autre.",
        )
        return redirect(request.get_full_path())
    return _answer_page(request, invitation, token, form, kind, status=400)


@login_not_required
@require_POST
@limit_public_form("surveys:answer", recipient_field=None)
def answer_no_need(request, token):
    """« Aucun besoin pour le moment »: the organisation has answered."""
    invitation, error_page = _invitation_or_error(request, token)
    if error_page:
        return error_page
    services.declare_no_need(invitation)
    messages.success(
        request,
        "Merci pour votre réponse. Si un besoin apparaît d'ici la clôture, "
        "ce lien reste ouvert.",
    )
    return redirect("surveys:answer", token)

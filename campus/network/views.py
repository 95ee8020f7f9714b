from functools import partial

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import contributions, fragments
from campus.accounts.forms import AccountCreationForm
from campus.accounts.models import User
from campus.network import services
from campus.network.filters import DirectoryFilter
from campus.network.forms import (
    CorrectionProposalForm,
    InvitationForm,
    MemberRoleForm,
    NewActorProposalForm,
    OrganisationForm,
    PersonFormSet,
    ProposalEditForm,
    RefusalForm,
    SiteFormSet,
    TeamOrganisationForm,
)
from campus.network.models import (
    Invitation,
    Membership,
    Organisation,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from campus.network.permissions import can_edit_organisation, can_manage_members
from campus.permissions import campus_team_required
from campus.profiles.models import SectorProfile, served_departements
from campus.public_forms import limit_public_form
from campus.search import list_page, page_of_results

DIRECTORY_PAGE_SIZE = 20
# What an entry of the directory shows: of the 40-odd columns of an organisation,
# its commune and département, the page reads these alone.
DIRECTORY_COLUMNS = [
    "name",
    "slug",
    "acronym",
    "kind",
    "partnership_status",
    "is_demo",
    "description",
    "commune__name",
    "commune__departement__code",
]


@login_not_required
@require_safe
def directory(request):
    organisations = (
        Organisation.objects.published()
        .select_related("commune__departement")
        .only(*DIRECTORY_COLUMNS)
        .order_by("name", "pk")
    )
    directory_filter = DirectoryFilter(
        request.GET,
        queryset=organisations,
        departements=served_departements(request),
        naf_codes=SectorProfile.for_request(request).naf_code_list,
    )
    valid = directory_filter.is_valid()
    results = directory_filter.qs if valid else organisations.none()

    def results_context():
        return {
            **page_of_results(request, directory_filter, results, DIRECTORY_PAGE_SIZE),
            # The entries' links, « /annuaire/<slug>/ »: the path is reversed once
            # for the page rather than once an entry.
            "organisation_path": reverse(
                "network:organisation_detail", kwargs={"slug": "slug"}
            ).removesuffix("slug/"),
        }

    return list_page(
        request,
        "network/directory.html",
        {"filter": directory_filter},
        results_context,
        status=200 if valid else 400,
    )


@login_not_required
@require_safe
def organisation_detail(request, slug):
    organisation = fragments.shown_object(
        request,
        Organisation.objects.select_related("commune__departement"),
        slug=slug,
    )
    return render(
        request,
        "network/organisation_detail.html",
        {
            "organisation": organisation,
            "parts": fragments.kept(
                request,
                f"organisation-page.{organisation.pk}",
                partial(_organisation_page_parts, organisation),
            ),
            "can_edit": can_edit_organisation(request.user, organisation),
            "sections": contributions.organisation_page.render(request, organisation),
            "section_heads": contributions.organisation_page.head_templates(),
        },
    )


def _organisation_page_parts(organisation) -> dict[str, str]:
    """The organisation page's partials that show the database, besides its
    sections: its main column (sites and contacts) and its contact details. The
    page is shown only to who may see the organisation."""
    context = {
        "organisation": organisation,
        "public_people": organisation.people.filter(is_public=True),
        "sites": organisation.sites.select_related("commune"),
    }
    return {
        name: render_to_string(f"network/organisation_detail.html#{name}", context)
        for name in ("main", "contact_details")
    }


def _proposal_view(request, form_class, *, organisation=None):
    proposal = Proposal(
        kind=ProposalKind.CORRECTION if organisation else ProposalKind.NEW_ACTOR,
        organisation=organisation,
    )
    form = form_class(request.POST or None, instance=proposal)
    resembling = None
    if request.method == "POST" and form.filled_by_robot:
        return redirect("network:proposal_thanks")
    if request.method == "POST" and form.is_valid():
        if not getattr(form, "needs_confirmation", False):
            services.submit_proposal(form.save(commit=False))
            return redirect("network:proposal_thanks")
        # Non-blocking: the proposer sees the look-alikes and may send again.
        resembling = form.resembling.select_related("commune")
    template = "network/proposal_form.html"
    fields_html = fragments.rendered_form(request, f"{template}#fields", form)
    context = {
        "form": form,
        "organisation": organisation,
        "resembling": resembling,
        "fields_html": fields_html,
    }
    return render(request, template, context, status=400 if form.errors else 200)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_public_form("network:proposal", recipient_field="submitter_email")
def propose_new_actor(request):
    return _proposal_view(request, NewActorProposalForm)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@limit_public_form("network:proposal", recipient_field="submitter_email")
def propose_correction(request, slug):
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    return _proposal_view(request, CorrectionProposalForm, organisation=organisation)


@login_not_required
@require_safe
def proposal_thanks(request):
    return render(request, "network/proposal_thanks.html")


@require_safe
def partner_space(request):
    memberships = request.user.memberships.select_related(
        "organisation__commune"
    ).order_by("organisation__name")
    pending = Invitation.objects.pending().filter(email__iexact=request.user.email)
    return render(
        request,
        "network/partner_space.html",
        {
            "memberships": memberships,
            "pending_invitations": pending.select_related("organisation"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.editable_by(request.user), pk=pk
    )
    form_class = (
        TeamOrganisationForm if request.user.is_campus_team else OrganisationForm
    )
    form = form_class(
        request.POST or None, request.FILES or None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La fiche est enregistrée.")
        return redirect("network:organisation_edit", pk=organisation.pk)
    if request.method == "POST":
        organisation.refresh_from_db()
    return render(
        request,
        "network/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def contacts_edit(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.editable_by(request.user), pk=pk
    )
    people = PersonFormSet(request.POST or None, instance=organisation, prefix="people")
    sites = SiteFormSet(request.POST or None, instance=organisation, prefix="sites")
    if request.method == "POST" and people.is_valid() and sites.is_valid():
        with transaction.atomic():
            people.save()
            sites.save()
        messages.success(request, "Les contacts et les sites sont enregistrés.")
        return redirect("network:contacts_edit", pk=organisation.pk)
    invalid = request.method == "POST"
    return render(
        request,
        "network/contacts_form.html",
        {"organisation": organisation, "people": people, "sites": sites},
        status=400 if invalid else 200,
    )


def _member_organisation(request, pk):
    return get_object_or_404(
        Organisation.objects.member_of(request.user)
        if not request.user.is_campus_team
        else Organisation.objects.all(),
        pk=pk,
    )


def _render_members(request, organisation, *, invitation_form=None, status=200):
    return render(
        request,
        "network/members.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by(
                "user__email"
            ),
            "invitations": organisation.invitations.pending(),
            "can_manage": can_manage_members(request.user, organisation),
            "invitation_form": invitation_form or InvitationForm(),
            "role_choices": MemberRoleForm.base_fields["role"].choices,
        },
        status=status,
    )


@require_safe
def members(request, pk):
    return _render_members(request, _member_organisation(request, pk))


@require_POST
def invite(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.editable_by(request.user), pk=pk
    )
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invite_member(
                organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                acting_user=request.user,
            )
        except services.NetworkRuleError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request, f"Invitation envoyée à {form.cleaned_data['email']}."
            )
            return redirect("network:members", pk=organisation.pk)
    return _render_members(request, organisation, invitation_form=form, status=400)


def _editable_membership(request, pk, membership_pk):
    organisation = get_object_or_404(
        Organisation.objects.editable_by(request.user), pk=pk
    )
    return get_object_or_404(Membership, pk=membership_pk, organisation=organisation)


@require_POST
def change_role(request, pk, membership_pk):
    membership = _editable_membership(request, pk, membership_pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rôle inconnu : choisissez éditeur ou lecteur.")
        return _render_members(request, membership.organisation, status=400)
    try:
        services.change_member_role(
            membership, role=form.cleaned_data["role"], acting_user=request.user
        )
    except services.NetworkRuleError as error:
        messages.error(request, str(error))
        return _render_members(request, membership.organisation, status=409)
    messages.success(request, f"Le rôle de {membership.user} est modifié.")
    return redirect("network:members", pk=pk)


@require_POST
def remove(request, pk, membership_pk):
    membership = _editable_membership(request, pk, membership_pk)
    try:
        services.remove_member(membership, acting_user=request.user)
    except services.NetworkRuleError as error:
        messages.error(request, str(error))
        return _render_members(request, membership.organisation, status=409)
    messages.success(request, f"{membership.user} n'est plus membre.")
    if membership.user_id == request.user.pk:
        return redirect("network:partner_space")
    return redirect("network:members", pk=pk)


@require_POST
def cancel_invitation(request, pk, invitation_pk):
    organisation = get_object_or_404(
        Organisation.objects.editable_by(request.user), pk=pk
    )
    invitation = get_object_or_404(organisation.invitations.pending(), pk=invitation_pk)
    invitation.delete()
    messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("network:members", pk=pk)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation"), token=token
    )
    context = {"invitation": invitation}
    if not invitation.is_usable:
        return render(request, "network/invitation.html", context, status=410)
    user = request.user
    if not user.is_authenticated:
        if User.objects.filter(email__iexact=invitation.email).exists():
            messages.info(
                request, "Connectez-vous avec votre compte pour accepter l'invitation."
            )
            return redirect_to_login(request.get_full_path())
        form = AccountCreationForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                user = form.save()
                services.accept_invitation(invitation, user=user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, f"Bienvenue ! Vous êtes membre de {invitation.organisation}."
            )
            return redirect("network:partner_space")
        context["form"] = form
        return render(
            request,
            "network/invitation.html",
            context,
            status=400 if form.errors else 200,
        )
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, user=user)
        except services.NetworkRuleError as error:
            context["error"] = str(error)
            return render(request, "network/invitation.html", context, status=403)
        messages.success(request, f"Vous êtes membre de {invitation.organisation}.")
        return redirect("network:partner_space")
    context["email_mismatch"] = user.email.lower() != invitation.email.lower()
    return render(request, "network/invitation.html", context)


@campus_team_required
@require_safe
def proposal_queue(request):
    status = request.GET.get("statut", ProposalStatus.PENDING)
    if status not in ProposalStatus.values:
        status = ProposalStatus.PENDING
    proposals = (
        Proposal.objects.filter(status=status)
        .select_related("organisation", "commune")
        .prefetch_related("resembles")
    )
    return render(
        request,
        "network/proposal_queue.html",
        {
            "proposals": Paginator(proposals, 30).get_page(request.GET.get("page")),
            "status": status,
            "statuses": ProposalStatus.choices,
        },
    )


def _render_proposal(
    request, proposal, *, refusal_form=None, edit_form=None, status=200
):
    return render(
        request,
        "network/proposal_detail.html",
        {
            "proposal": proposal,
            "refusal_form": refusal_form or RefusalForm(),
            "edit_form": edit_form or ProposalEditForm(instance=proposal),
            "resembling": proposal.resembles.select_related("commune").order_by(
                "name", "pk"
            ),
            "corrections": proposal.history.filter(
                history_change_reason__startswith="Corrigée"
            )
            .select_related("history_user")
            .order_by("-history_date"),
        },
        status=status,
    )


@campus_team_required
@require_safe
def proposal_detail(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.select_related("organisation", "commune"), pk=pk
    )
    return _render_proposal(request, proposal)


@campus_team_required
@require_POST
def accept(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    organisation = services.accept_proposal(proposal, acting_user=request.user)
    messages.success(request, f"Proposition acceptée : « {organisation} » est à jour.")
    return redirect("network:proposal_queue")


@campus_team_required
@require_POST
def correct_proposal(request, pk):
    proposal = get_object_or_404(Proposal.objects.pending(), pk=pk)
    form = ProposalEditForm(request.POST, instance=proposal)
    if not form.is_valid():
        proposal.refresh_from_db()
        return _render_proposal(request, proposal, edit_form=form, status=400)
    services.correct_proposal(
        proposal,
        changes={name: form.cleaned_data[name] for name in form.changed_data},
        acting_user=request.user,
    )
    messages.success(request, "Proposition corrigée : relisez-la avant de décider.")
    return redirect("network:proposal_detail", pk=proposal.pk)


@campus_team_required
@require_POST
def refuse(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        return _render_proposal(request, proposal, refusal_form=form, status=400)
    services.refuse_proposal(
        proposal, reason=form.cleaned_data["reason"], acting_user=request.user
    )
    messages.success(request, "Proposition refusée ; son auteur en est informé.")
    return redirect("network:proposal_queue")


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request):
    form = TeamOrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, f"« {organisation} » est créée.")
        return redirect("network:organisation_edit", pk=organisation.pk)
    return render(
        request,
        "network/organisation_form.html",
        {"form": form, "organisation": None},
        status=400 if form.errors else 200,
    )

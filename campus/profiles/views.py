import posixpath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_safe,
)
from django.views.static import serve

from campus.network.models import Organisation, OrganisationKind, Proposal
from campus.observatory.models import KeyFigure
from campus.permissions import campus_team_required
from campus.profiles.forms import (
    CampusProfileForm,
    ReferenceLinkFormSet,
    SectorProfileForm,
)
from campus.profiles.models import CampusProfile, SectorProfile


@login_not_required
@require_GET
def home(request):
    organisations = Organisation.objects.published()
    return render(
        request,
        "profiles/home.html",
        {
            "key_figures": KeyFigure.objects.published(),
            "organisation_count": organisations.count(),
            "school_count": organisations.filter(
                kind__in=[
                    OrganisationKind.SECONDARY_SCHOOL,
                    OrganisationKind.CFA,
                    OrganisationKind.HIGHER_EDUCATION,
                    OrganisationKind.TRAINING_BODY,
                ]
            ).count(),
            "company_count": organisations.filter(
                kind=OrganisationKind.COMPANY
            ).count(),
            "sector": SectorProfile.load(),
        },
    )


@login_not_required
@require_GET
def legal_notice(request):
    return render(request, "profiles/legal_notice.html")


@login_not_required
@require_GET
def privacy(request):
    return render(
        request,
        "profiles/privacy.html",
        {"retention_days": settings.CAMPUS_PROPOSAL_RETENTION_DAYS},
    )


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "profiles/accessibility.html")


@campus_team_required
@require_GET
def back_office(request):
    return render(
        request,
        "profiles/back_office.html",
        {
            "pending_proposals": Proposal.objects.pending().count(),
            "organisation_count": Organisation.objects.count(),
            "unpublished_count": Organisation.objects.filter(
                is_published=False
            ).count(),
        },
    )


@campus_team_required
@require_http_methods(["GET", "POST"])
def edit_campus_profile(request):
    profile = CampusProfile.load()
    form = CampusProfileForm(request.POST or None, instance=profile)
    links = ReferenceLinkFormSet(request.POST or None, instance=profile, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        form.save()
        links.instance = form.instance
        links.save()
        messages.success(request, "Le profil du campus est enregistré.")
        return redirect("profiles:edit_campus_profile")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "profiles/campus_profile_form.html",
        {"form": form, "links": links},
        status=status,
    )


@campus_team_required
@require_http_methods(["GET", "POST"])
def edit_sector_profile(request):
    form = SectorProfileForm(request.POST or None, instance=SectorProfile.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le profil de la filière est enregistré.")
        return redirect("profiles:edit_sector_profile")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "profiles/sector_profile_form.html", {"form": form}, status=status
    )


def _error_page(request, status, title, message):
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


@login_not_required
@requires_csrf_token
def bad_request(request, exception=None):
    return _error_page(
        request,
        400,
        "Requête incorrecte",
        "La demande envoyée n'a pas pu être comprise.",
    )


@login_not_required
@requires_csrf_token
def permission_denied(request, exception=None):
    return _error_page(
        request, 403, "Accès refusé", "Vous n'avez pas le droit d'accéder à cette page."
    )


@login_not_required
@requires_csrf_token
def page_not_found(request, exception=None):
    return _error_page(
        request,
        404,
        "Page introuvable",
        "Cette page n'existe pas ou n'est pas publique. Vérifiez l'adresse ou revenez à l'accueil.",
    )


@login_not_required
def csrf_failure(request, reason=""):
    return _error_page(
        request,
        403,
        "Formulaire expiré",
        "Le formulaire a expiré ou les cookies sont bloqués. Rechargez la page puis "
        "envoyez-le à nouveau.",
    )


@login_not_required
@requires_csrf_token
def server_error(request):
    # Rendered without the campus context: the database may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())


# Uploads that pages show to everyone; imported files stay private.
PUBLIC_MEDIA_FOLDERS = ("logos/", "vitrine/")


@login_not_required
@require_safe
def public_media(request, path):
    """Logos and showcase images for the demo; a reverse proxy serves them in production."""
    path = posixpath.normpath(path).lstrip("/")
    if not path.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404("Fichier introuvable.")
    return serve(request, path, document_root=settings.MEDIA_ROOT)

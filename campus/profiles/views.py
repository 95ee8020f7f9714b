import posixpath
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import (
    require_http_methods,
    require_safe,
)
from django.views.static import serve

from campus import contributions
from campus.agenda.models import REGISTRATION_RETENTION_DAYS
from campus.agenda.registration import CONFIRMATION_HOURS
from campus.observatory.tasks import schedule_refresh
from campus.permissions import campus_team_required
from campus.profiles import identity, rgaa
from campus.profiles.action_log import KINDS, action_log_page
from campus.profiles.forms import (
    CampusProfileForm,
    ReferenceLinkFormSet,
    SectorProfileForm,
)
from campus.profiles.models import CampusProfile, SectorProfile


@login_not_required
@require_safe
def home(request):
    """What the public comes for first (a training, a door by audience), then
    what apps contribute (trades in pictures, key figures, the network), then
    the missions."""
    return render(
        request,
        "profiles/home.html",
        {
            # Rendered where the template lists them, after the top of the page:
            # a part kept above depends on what was read before it.
            "sections": partial(contributions.home_page.render, request),
            "sector": SectorProfile.for_request(request),
        },
    )


@login_not_required
@require_safe
@cache_control(max_age=86400, public=True)
def favicon_svg(request):
    campus = CampusProfile.load()
    text = identity.initials(campus.short_name or campus.name)
    return HttpResponse(identity.favicon_svg(text), content_type="image/svg+xml")


@login_not_required
@require_safe
@cache_control(max_age=86400, public=True)
def favicon_png(request, size):
    """The PNG fallbacks: 32 px for browsers without SVG icons, 180 px for phones."""
    campus = CampusProfile.load()
    text = identity.initials(campus.short_name or campus.name)
    logo = campus.logo if campus.logo else None
    return HttpResponse(
        identity.favicon_png(text, size=size, logo=logo),
        content_type="image/png",
    )


@login_not_required
@require_safe
def legal_notice(request):
    return render(request, "profiles/legal_notice.html")


@login_not_required
@require_safe
def privacy(request):
    return render(
        request,
        "profiles/privacy.html",
        {
            "retention_days": settings.CAMPUS_PROPOSAL_RETENTION_DAYS,
            "registration_retention_days": REGISTRATION_RETENTION_DAYS,
            "confirmation_hours": CONFIRMATION_HOURS,
            "newsletter_confirmation_days": settings.CAMPUS_NEWSLETTER_CONFIRMATION_DAYS,
            "newsletter_retention_days": settings.CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS,
            "survey_retention_days": settings.CAMPUS_SURVEY_RETENTION_DAYS,
            "map_tiles_host": urlsplit(settings.CAMPUS_MAP_TILES_URL).hostname,
        },
    )


@login_not_required
@require_safe
def accessibility(request):
    assessment = rgaa.load()
    conforming = assessment.count("C")
    return render(
        request,
        "profiles/accessibility.html",
        {
            "rgaa": assessment,
            "conforming": conforming,
            "applicable": conforming + assessment.count("NC"),
            "not_applicable": assessment.count("NA"),
            "site_url": settings.CAMPUS_SITE_URL,
        },
    )


# Private areas stay out of search engines (they answer a login page anyway).
ROBOTS_DISALLOW = ["/espace/", "/gestion/", "/compte/", "/connexion/"]


@login_not_required
@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines.append(f"Sitemap: {settings.CAMPUS_SITE_URL}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@campus_team_required
@require_safe
def back_office(request):
    return render(
        request,
        "profiles/back_office.html",
        {"cards": contributions.back_office.for_page()},
    )


@campus_team_required
@require_safe
def action_log(request):
    kind = request.GET.get("type", "")
    if kind not in KINDS:
        kind = ""
    return render(
        request,
        "profiles/action_log.html",
        {
            "page": action_log_page(kind or None, request.GET.get("page")),
            "kind": kind,
            "kinds": KINDS,
            "query_string": f"type={kind}" if kind else "",
        },
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def campus_profile_edit(request):
    profile = CampusProfile.load()
    form = CampusProfileForm(
        request.POST or None, request.FILES or None, instance=profile
    )
    links = ReferenceLinkFormSet(request.POST or None, instance=profile, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        form.save()
        links.instance = form.instance
        links.save()
        messages.success(request, "Le profil du campus est enregistré.")
        return redirect("profiles:campus_profile_edit")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "profiles/campus_profile_form.html",
        {"form": form, "links": links},
        status=status,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def sector_profile_edit(request):
    form = SectorProfileForm(request.POST or None, instance=SectorProfile.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        if "naf_codes" in form.changed_data:
            # The observatory's stored totals add up the profile's codes.
            schedule_refresh()
        messages.success(request, "Le profil de la filière est enregistré.")
        return redirect("profiles:sector_profile_edit")
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
# Images the public pages show; docs/operators.md lists them for the reverse proxy.
PUBLIC_MEDIA_FOLDERS = ("logos/", "vitrine/", "agenda/", "actualites/", "appels/")


@login_not_required
@require_safe
def public_media(request, path):
    """Logos, showcase, event and news images, and the documents of calls: in the
    demo, and from an object store (CAMPUS_S3_BUCKET, campus/storage.py); with
    files under MEDIA_ROOT the reverse proxy serves them in production."""
    path = posixpath.normpath(path).lstrip("/")
    if not path.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404("Fichier introuvable.")
    if isinstance(default_storage, FileSystemStorage):
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    try:
        file = default_storage.open(path)
    except FileNotFoundError:
        raise Http404("Fichier introuvable.") from None
    response = FileResponse(file)
    # A replaced image gets a new name: browsers and the proxy may keep this one.
    response["Cache-Control"] = "public, max-age=3600"
    return response

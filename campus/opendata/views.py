from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus.opendata.forms import ImportUploadForm, UploadLimitHandler
from campus.opendata.importers import SOURCES
from campus.opendata.models import ImportRun
from campus.opendata.services import RestartRefused
from campus.opendata.tasks import queue_uploaded_import, restart_import
from campus.permissions import campus_team_required

RUNS_SHOWN = 50


@campus_team_required
@require_safe
def run_list(request):
    runs = ImportRun.objects.latest_first().select_related("triggered_by")
    return render(
        request,
        "opendata/run_list.html",
        {"runs": runs[:RUNS_SHOWN], "sources": SOURCES.values()},
    )


# The size limit must be in place before anything reads the body, and the CSRF
# check reads it: the check runs inside the view instead, once the limit is set.
@csrf_exempt
@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    limit = UploadLimitHandler(request, settings.CAMPUS_MAX_IMPORT_BYTES)
    request.upload_handlers.insert(0, limit)
    return _upload(request, limit)


@csrf_protect
def _upload(request, limit: UploadLimitHandler):
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, too_large=limit.exceeded
    )
    if request.method == "POST" and form.is_valid():
        run = queue_uploaded_import(
            form.cleaned_data["source"],
            form.cleaned_data["file"],
            acting_user=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        messages.success(request, "Le fichier est déposé : son import va commencer.")
        return redirect(run)
    status = 400 if request.method == "POST" else 200
    return render(request, "opendata/upload.html", {"form": form}, status=status)


@campus_team_required
@require_safe
def run_detail(request, pk):
    run = get_object_or_404(
        ImportRun.objects.select_related("triggered_by", "restart", "restart_of"),
        pk=pk,
    )
    template = "opendata/run_detail.html"
    return render(
        request,
        f"{template}#status" if request.htmx else template,
        {"run": run, "stale_minutes": settings.CAMPUS_IMPORT_STALE_AFTER // 60},
    )


@campus_team_required
@require_POST
def run_restart(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        restart, created = restart_import(run, acting_user=request.user)
    except RestartRefused as refused:
        messages.error(
            request,
            f"Cet import n'est pas interrompu (état : {refused}) : rien à relancer.",
        )
        return redirect(run)
    if created:
        messages.success(request, "L'import est relancé : il attend son tour.")
    else:
        messages.info(request, "Cet import est déjà relancé : voici sa relance.")
    return redirect(restart)

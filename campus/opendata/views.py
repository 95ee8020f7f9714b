from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from campus.opendata.forms import ImportUploadForm, UploadLimitHandler
from campus.opendata.importers import SOURCES
from campus.opendata.models import ImportRun, ImportStatus
from campus.opendata.progress import read_progress
from campus.opendata.tasks import queue_uploaded_import
from campus.permissions import campus_team_required

RUNS_SHOWN = 50


@campus_team_required
@require_GET
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
@require_http_methods(["GET", "POST"])
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
@require_GET
def run_detail(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("triggered_by"), pk=pk)
    progress = read_progress(run.pk) if run.status == ImportStatus.RUNNING else None
    percent = 0
    if progress and progress["total"]:
        percent = min(100, round(100 * progress["done"] / progress["total"]))
    template = "opendata/run_detail.html"
    return render(
        request,
        f"{template}#status" if request.htmx else template,
        {"run": run, "progress": progress, "percent": percent},
    )

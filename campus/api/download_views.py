"""The « Télécharger » links of the public lists: /telecharger/<liste>.csv|xlsx?filtres.

Anyone may download what anyone may read; the filters are the list's (a bad value is
the list's French message with a 400). A national export is heavy, so each client
address gets a limited number of downloads an hour (django-ratelimit, counted in the
"ratelimit" cache like the public forms).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from campus.api.downloads import csv_chunks, get_export, xlsx_file
from campus.public_forms import TooManyRequests
from campus.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE


def download_rate(group, request) -> str:
    return settings.CAMPUS_DOWNLOAD_RATE_PER_ADDRESS


class TooManyDownloads(TooManyRequests):
    def __init__(self):
        super().__init__(
            "Trop de téléchargements ont été demandés depuis votre connexion. "
            "Réessayez dans une heure, ou utilisez les fichiers de la page "
            "« Données ouvertes »."
        )


@login_not_required
@require_safe
@ratelimit(group="downloads", key="ip", rate=download_rate, block=False)
def download(request, dataset, extension):
    export = get_export(dataset)
    if export is None or extension not in ("csv", "xlsx"):
        raise Http404("Aucun téléchargement à cette adresse.")
    if getattr(request, "limited", False):
        raise TooManyDownloads()
    rows = export.rows(request)
    filename = export.filename(extension)
    if request.method == "HEAD":
        # The headers of GET without reading a row: a HEAD never builds the file.
        response = HttpResponse(
            content_type=CSV_CONTENT_TYPE if extension == "csv" else XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    elif extension == "csv":
        response = StreamingHttpResponse(
            csv_chunks(export, rows), content_type=CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            xlsx_file(export, rows),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_CONTENT_TYPE,
        )
    # The rows change with every publication: never kept by a shared cache.
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response

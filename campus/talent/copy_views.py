"""The PDF copy of an application, for whoever may read the application."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from campus.talent.copies import application_pdf, copy_filename
from campus.talent.models import Application


@require_safe
@never_cache
def application_copy(request, pk):
    """The applicant, the members of the organisation it was made for and the
    campus team get the copy; anyone else a 404 (Application.visible_to)."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "call", "applicant", "organisation"
        ),
        pk=pk,
    )
    response = HttpResponse(
        application_pdf(application), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{copy_filename(application)}"'
    return response

"""The campus team's pages for its calls: list, write, questions, documents,
dashboard with the applications, export, one application and its files.

Every view is for the campus team only (`campus_team_required`: an anonymous
visitor is sent to log in, anyone else gets the back-office's 404).
"""

import mimetypes

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus.deletion import confirm_delete
from campus.permissions import campus_team_required
from campus.rules import RuleError
from campus.spreadsheets import XLSX_CONTENT_TYPE
from campus.talent import team_services
from campus.talent.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    CallDocument,
    QuestionKind,
)
from campus.talent.team_exports import applications_workbook
from campus.talent.team_forms import (
    ApplicationFilterForm,
    CallForm,
    DocumentForm,
    QuestionFormSetFactory,
    reserved_slugs,
    site_max_file_mb,
)

STATUS_COUNTS = {
    f"{status}_count": Count("applications", filter=Q(applications__status=status))
    for status in ApplicationStatus.values
}


def _call(pk):
    return get_object_or_404(Call, pk=pk)


def _public_url(call) -> str:
    """The published call's public page (empty before the public pages exist)."""
    if not call.pk or not call.is_published:
        return ""
    try:
        return call.get_absolute_url()
    except NoReverseMatch:
        return ""


@campus_team_required
@require_safe
def team_calls(request):
    """Every call, drafts included, with its applications counted by status."""
    calls = Call.objects.annotate(**STATUS_COUNTS).order_by("-closes_at", "-pk")
    return render(
        request, "talent/team/call_list.html", {"calls": calls, "now": timezone.now()}
    )


def _call_form_view(request, call):
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        is_new = call.pk is None
        try:
            call = team_services.save_call(
                form.save(commit=False),
                acting_user=request.user,
                reserved=reserved_slugs(),
            )
        except RuleError as error:
            form.add_error("is_published", error.message)
        else:
            messages.success(
                request,
                f"L'appel « {call.title} » est créé : ajoutez ses questions."
                if is_new
                else f"L'appel « {call.title} » est enregistré.",
            )
            if is_new:
                return redirect("talent:team_questions", call.pk)
            return redirect("talent:team_call_detail", call.pk)
    if call.pk is None:
        call.slug = ""
    return render(
        request,
        "talent/team/call_form.html",
        {"form": form, "call": call, "public_url": _public_url(call)},
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_call_create(request):
    """The team writes a new call (unpublished until it has questions)."""
    return _call_form_view(request, Call())


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_call_edit(request, pk):
    return _call_form_view(request, _call(pk))


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_questions(request, pk):
    """The application form's questions, added, changed, removed and reordered
    without code."""
    call = _call(pk)
    formset = QuestionFormSetFactory(
        request.POST or None,
        instance=call,
        prefix="questions",
        queryset=call.questions.order_by("position", "pk"),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            try:
                team_services.save_questions(call, formset, acting_user=request.user)
            except RuleError as error:
                formset._non_form_errors.append(error.message)
                status = error.status_code
            else:
                messages.success(request, "Les questions sont enregistrées.")
                return redirect("talent:team_questions", call.pk)
    return render(
        request,
        "talent/team/questions.html",
        {
            "call": call,
            "public_url": _public_url(call),
            "formset": formset,
            "locked": team_services.has_submitted_applications(call),
            "max_file_mb": site_max_file_mb(),
            "kinds": QuestionKind,
        },
        status=status,
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_documents(request, pk):
    """The call's documents (rules, templates): uploaded, removed, reordered."""
    call = _call(pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = team_services.add_document(
            call,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            acting_user=request.user,
        )
        messages.success(request, f"Le document « {document.title} » est ajouté.")
        return redirect("talent:team_documents", call.pk)
    return render(
        request,
        "talent/team/documents.html",
        {
            "call": call,
            "public_url": _public_url(call),
            "form": form,
            "documents": call.documents.all(),
        },
        status=400 if form.errors else 200,
    )


def _document(call_pk, pk):
    return get_object_or_404(CallDocument, call_id=call_pk, pk=pk)


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_document_delete(request, pk, document_pk):
    document = _document(pk, document_pk)
    documents_url = reverse("talent:team_documents", args=[pk])
    return confirm_delete(
        request,
        document,
        what=f"le document « {document.title} »",
        consequence="Il disparaîtra de la page de l'appel.",
        list_url=documents_url,
        list_label="Documents de l'appel",
        edit_url=documents_url,
        delete=lambda: team_services.remove_document(
            document, acting_user=request.user
        ),
    )


@campus_team_required
@require_POST
def team_document_move(request, pk, document_pk):
    """Moves a document one place up (`sens=haut`) or down in the list."""
    document = _document(pk, document_pk)
    team_services.move_document(
        document, up=request.POST.get("sens") == "haut", acting_user=request.user
    )
    return redirect("talent:team_documents", pk)


def _filtered_applications(request, call):
    """The filter form and the call's applications it keeps (none when invalid)."""
    data = request.GET.copy()
    data.setdefault("statut", ApplicationStatus.SUBMITTED)
    form = ApplicationFilterForm(data)
    if not form.is_valid():
        return form, call.applications.none()
    return form, form.filter(call.applications.all())


@campus_team_required
@require_safe
def team_call_detail(request, pk):
    """The call's dashboard: state, counts, links, and its applications."""
    call = get_object_or_404(Call.objects.annotate(**STATUS_COUNTS), pk=pk)
    form, applications = _filtered_applications(request, call)
    query = request.GET.urlencode()
    return render(
        request,
        "talent/team/call_detail.html",
        {
            "call": call,
            "public_url": _public_url(call),
            "form": form,
            "applications": applications.select_related(
                "applicant", "organisation"
            ).order_by("-submitted_at", "-pk"),
            "question_count": call.questions.count(),
            "document_count": call.documents.count(),
            "export_url": reverse("talent:team_applications_export", args=[call.pk])
            + (f"?{query}" if query else ""),
        },
        status=400 if form.errors else 200,
    )


@campus_team_required
@require_safe
def team_applications_export(request, pk):
    """The dashboard's applications, with the same filters, as an XLSX workbook."""
    call = _call(pk)
    form, applications = _filtered_applications(request, call)
    if form.errors:
        return team_call_detail(request, pk)
    response = HttpResponse(
        applications_workbook(call, applications), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="candidatures-{call.slug}-'
        f'{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    return response


@campus_team_required
@require_safe
def team_application_detail(request, pk):
    """One application as the team reads it: who, for whom, every answer."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "call", "applicant", "organisation"
        ),
        pk=pk,
    )
    answers = {
        answer.question_id: answer
        for answer in application.answers.select_related("question")
    }
    rows = [
        (question, answers.get(question.pk))
        for question in application.call.questions.order_by("position", "pk")
    ]
    return render(
        request,
        "talent/team/application_detail.html",
        {"application": application, "call": application.call, "rows": rows},
    )


@campus_team_required
@require_safe
def team_answer_file(request, pk):
    """The file an applicant attached to an answer, downloaded by the team."""
    answer = get_object_or_404(
        Answer.objects.filter(
            application__in=Application.objects.visible_to(request.user)
        ).exclude(file=""),
        pk=pk,
    )
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("Fichier introuvable.") from error
    filename = answer.file_name or answer.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(answer.file.name)[0]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )

"""The public calls and applying to them.

Anyone reads the published calls (the team also the unpublished ones). Applying
needs an account: an application is read by its applicant, the members of the
organisation it was made for and the team (`Application.objects.visible_to`), and
changed by its applicant only (`editable_by`); anyone else gets a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import fragments
from campus.dates import french_time
from campus.search import list_page, query_in_use
from campus.talent import services
from campus.talent.filters import CallFilter
from campus.talent.forms import ApplicationForm, SubmitForm
from campus.talent.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    QuestionKind,
    Reviewer,
    SupportedProject,
)
from campus.trainings.views import CappedPaginator

PAGE_SIZE = 20


@login_not_required
@require_safe
def call_list(request):
    """Anyone reads the published calls, open ones first."""
    now = timezone.now()
    calls = Call.objects.published()
    call_filter = CallFilter(request.GET, queryset=calls, now=now)
    valid = call_filter.is_valid()

    def results_context():
        results = call_filter.qs if valid else Call.objects.none()
        page = CappedPaginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        for call in page.object_list:
            call.current_state = call.state(now)
        return {
            "filter": call_filter,
            "page": page,
            "query_string": query_in_use(request, "page"),
        }

    # A call's state, its place in the order and the state filters change when
    # a call opens or closes after `now`, the moment the filter read.
    return list_page(
        request,
        "talent/call_list.html",
        {"filter": call_filter, "action": reverse("talent:call_list")},
        results_context,
        status=200 if valid else 400,
        expires_at=lambda since: calls.next_opening_or_closing(now),
    )


@login_not_required
@require_safe
def call_detail(request, slug):
    """Anyone reads a published call; the team also an unpublished one."""
    call = fragments.shown_object(
        request, Call.objects.select_related("organisation"), slug=slug
    )
    application = None
    if request.user.is_authenticated:
        application = Application.objects.filter(
            call=call, applicant=request.user
        ).first()
    template = "talent/call_detail.html"

    def render_details():
        return render_to_string(
            f"{template}#details",
            {
                "call": call,
                "documents": call.documents.all(),
                "laureates": Application.objects.laureates()
                .filter(call=call)
                .select_related("organisation", "applicant")
                .order_by("title", "pk"),
            },
        )

    return render(
        request,
        template,
        {
            "call": call,
            "state": call.state(),
            "application": application,
            # The call's text, laureates and documents, the same for everyone.
            "details_html": fragments.kept(request, f"call.{call.pk}", render_details),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, slug):
    """« Candidater »: a POST opens (or reopens) the user's one application to the
    open call and leads to its form. A GET (anonymous visitors come back here after
    the login page) shows the same button, as GET never writes."""
    call = get_object_or_404(Call.objects.visible_to(request.user), slug=slug)
    existing = Application.objects.filter(call=call, applicant=request.user).first()
    if existing and existing.status == ApplicationStatus.SUBMITTED:
        return redirect("talent:application_summary", pk=existing.pk)
    if request.method == "POST":
        application = services.open_application(call, acting_user=request.user)
        return redirect("talent:application_form", pk=application.pk)
    if existing and existing.is_draft and call.is_open():
        return redirect("talent:application_form", pk=existing.pk)
    return render(
        request,
        "talent/apply_start.html",
        {"call": call, "state": call.state(), "application": existing},
    )


def _editable_application(request, pk):
    return get_object_or_404(
        Application.objects.editable_by(request.user).select_related("call"), pk=pk
    )


def _render_form(request, application, form, *, status=200):
    return render(
        request,
        "talent/application_form.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "is_open": application.call.is_open(),
            "saved_at": None,
        },
        status=status,
    )


@require_safe
def application_form(request, pk):
    """The applicant fills in their draft; a submitted application is read on its
    summary."""
    application = _editable_application(request, pk)
    if application.status != ApplicationStatus.DRAFT or not application.call.is_open():
        return redirect("talent:application_summary", pk=application.pk)
    form = ApplicationForm(application=application, user=request.user, draft=True)
    return _render_form(request, application, form)


@require_POST
def application_save_draft(request, pk):
    """Saves the draft as it stands (htmx autosave or « Enregistrer le brouillon »):
    nothing is required, what is typed is checked; on an error nothing is saved and
    the page shows what was typed with the messages."""
    application = _editable_application(request, pk)
    form = ApplicationForm(
        request.POST,
        request.FILES,
        application=application,
        user=request.user,
        draft=True,
    )
    if not form.is_valid():
        if request.htmx:
            return render(
                request,
                "talent/application_form.html#draft_status",
                {"form": form, "saved_at": None},
                status=400,
            )
        return _render_form(request, application, form, status=400)
    services.save_draft(application, form.to_draft(), acting_user=request.user)
    saved_at = french_time(timezone.localtime())
    if request.htmx:
        return render(
            request,
            "talent/application_form.html#draft_status",
            {"form": form, "saved_at": saved_at},
        )
    messages.success(request, f"Brouillon enregistré à {saved_at}.")
    if request.POST.get("then") == "summary":
        return redirect("talent:application_summary", pk=application.pk)
    return redirect("talent:application_form", pk=application.pk)


@require_safe
def application_summary(request, pk):
    """The applicant, their organisation's members and the team read every answer;
    the applicant submits a complete draft from here."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "call", "organisation", "applicant"
        ),
        pk=pk,
    )
    return _render_summary(request, application, SubmitForm())


def _render_summary(request, application, submit_form, *, status=200):
    answers = {a.question_id: a for a in application.answers.all()}
    missing = {q.pk for q in services.missing_answers(application)}
    rows = [
        (question, answers.get(question.pk), question.pk in missing)
        for question in application.call.questions.all()
    ]
    is_applicant = application.applicant_id == request.user.pk
    is_open = application.call.is_open()
    return render(
        request,
        "talent/application_summary.html",
        {
            "application": application,
            "call": application.call,
            "rows": rows,
            "missing_count": len(missing) + (0 if application.title.strip() else 1),
            "is_applicant": is_applicant,
            "is_open": is_open,
            "can_edit": is_applicant and is_open and application.is_draft,
            "can_withdraw": is_applicant
            and is_open
            and application.status != ApplicationStatus.WITHDRAWN,
            "submit_form": submit_form,
        },
        status=status,
    )


@require_POST
def application_submit(request, pk):
    """The applicant submits their complete draft before the closing time."""
    application = _editable_application(request, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        services.submit_application(
            application,
            acting_user=request.user,
            publication_consent=form.cleaned_data.get("publication_consent", False),
        )
    except services.ApplicationError as error:
        form.add_error(None, error.message)
        application.refresh_from_db()
        return _render_summary(request, application, form, status=409)
    messages.success(
        request,
        f"Votre candidature {application.reference} est déposée : un e-mail de "
        "confirmation vous a été envoyé.",
    )
    return redirect("talent:application_summary", pk=application.pk)


@require_safe
def my_applications(request):
    """The user's applications and those made for their organisations."""
    applications = (
        Application.objects.visible_to(request.user)
        .select_related("call", "organisation", "applicant")
        .annotate(
            has_project=Exists(
                SupportedProject.objects.filter(application=OuterRef("pk"))
            )
        )
        .order_by("-updated_at", "-pk")
    )
    return render(
        request,
        "talent/my_applications.html",
        {
            "applications": applications,
            "is_reviewer": Reviewer.objects.active().filter(user=request.user).exists(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw(request, pk):
    """The applicant confirms, then withdraws their application before closing."""
    application = _editable_application(request, pk)
    if request.method == "POST":
        services.withdraw_application(application, acting_user=request.user)
        messages.success(
            request,
            f"Votre candidature {application.reference} est retirée. Vous pouvez la "
            "rouvrir depuis la page de l'appel tant qu'il est ouvert.",
        )
        return redirect("talent:my_applications")
    services.check_call_open(application.call)
    return render(
        request, "talent/application_withdraw.html", {"application": application}
    )


@require_safe
def answer_file(request, pk, question_pk):
    """An application's file, for those who read the application only."""
    application = get_object_or_404(Application.objects.visible_to(request.user), pk=pk)
    answer = get_object_or_404(
        Answer.objects.filter(
            application=application, question__kind=QuestionKind.FILE
        ).exclude(file=""),
        question_id=question_pk,
    )
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("Fichier introuvable.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=answer.file_name or answer.file.name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

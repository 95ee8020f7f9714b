"""Pages of the review.

Team pages (`/gestion/talents/<pk>/evaluation/`, `classement/`, `deliberation/`)
are for the campus team only (404 for anyone else). The reviewer's space
(`/talents/evaluation/`) lists and opens only the user's own assignments, as an
active reviewer: any other assignment id answers 404. With an anonymous review,
the applicant's name, e-mail and organisation appear nowhere on these pages.
"""

import io
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db.models import F
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus.accounts.models import User
from campus.permissions import campus_team_required
from campus.rules import RuleError
from campus.spreadsheets import XLSX_CONTENT_TYPE
from campus.talent import review
from campus.talent.models import (
    Answer,
    Assignment,
    Call,
    Criterion,
    QuestionKind,
    Review,
    Reviewer,
)
from campus.talent.review_exports import ranking_workbook
from campus.talent.review_forms import (
    AppointReviewerForm,
    AssignForm,
    ConflictForm,
    CriterionForm,
    DecisionsForm,
    DeliberationForm,
    DistributeForm,
    ScoreForm,
)

# Team: reviewers, assignments and criteria


def _call(pk) -> Call:
    return get_object_or_404(Call.objects.all(), pk=pk)


def _render_setup(request, call, *, status=200, **forms):
    assignments = (
        Assignment.objects.filter(reviewer__call=call)
        .select_related("reviewer__user")
        .annotate(review_submitted_at=F("review__submitted_at"))
        .order_by("application_id", "pk")
    )
    by_application: dict[int, list] = {}
    for assignment in assignments:
        by_application.setdefault(assignment.application_id, []).append(assignment)
    applications = [
        (application, by_application.get(application.pk, []))
        for application in call.applications.submitted().order_by("pk")
    ]
    context = {
        "call": call,
        "reviewers": review.reviewer_load(call),
        "applications": applications,
        "criteria": call.criteria.all(),
        "criteria_locked": review.criteria_locked(call),
        "appoint_form": forms.get("appoint_form") or AppointReviewerForm(),
        "assign_form": forms.get("assign_form") or AssignForm(call=call),
        "distribute_form": forms.get("distribute_form") or DistributeForm(),
        "criterion_form": forms.get("criterion_form")
        or CriterionForm(initial={"position": call.criteria.count() + 1}),
        "error": forms.get("error", ""),
    }
    return render(request, "talent/review/setup.html", context, status=status)


def _back_to_setup(call):
    return redirect("talent:review_setup", call.pk)


@require_safe
@campus_team_required
def review_setup(request, pk):
    """The team's page of a call's review: reviewers, criteria and assignments."""
    return _render_setup(request, _call(pk))


@require_POST
@campus_team_required
def review_appoint(request, pk):
    call = _call(pk)
    form = AppointReviewerForm(request.POST)
    if not form.is_valid():
        return _render_setup(request, call, appoint_form=form, status=400)
    try:
        reviewer = review.appoint_reviewer(
            call, email=form.cleaned_data["email"], acting_user=request.user
        )
    except RuleError as error:
        form.add_error("email", error.message)
        return _render_setup(request, call, appoint_form=form, status=error.status_code)
    messages.success(request, f"{reviewer.user.email} est nommé évaluateur.")
    return _back_to_setup(call)


@require_POST
@campus_team_required
def review_remove_reviewer(request, pk, reviewer_pk):
    call = _call(pk)
    reviewer = get_object_or_404(
        Reviewer.objects.active().filter(call=call), pk=reviewer_pk
    )
    review.remove_reviewer(reviewer, acting_user=request.user)
    messages.success(
        request,
        f"{reviewer.user} ne fait plus partie des évaluateurs ; "
        "ses évaluations transmises restent dans le classement.",
    )
    return _back_to_setup(call)


@require_POST
@campus_team_required
def review_assign(request, pk):
    call = _call(pk)
    form = AssignForm(request.POST, call=call)
    if not form.is_valid():
        return _render_setup(request, call, assign_form=form, status=400)
    try:
        review.assign(
            form.cleaned_data["reviewer"],
            form.cleaned_data["application"],
            acting_user=request.user,
        )
    except RuleError as error:
        form.add_error(None, error.message)
        return _render_setup(request, call, assign_form=form, status=error.status_code)
    messages.success(request, "La candidature est affectée.")
    return _back_to_setup(call)


@require_POST
@campus_team_required
def review_unassign(request, pk, assignment_pk):
    call = _call(pk)
    assignment = get_object_or_404(
        Assignment.objects.filter(reviewer__call=call), pk=assignment_pk
    )
    review.unassign(assignment, acting_user=request.user)
    messages.success(request, "L'affectation est retirée.")
    return _back_to_setup(call)


@require_POST
@campus_team_required
def review_distribute(request, pk):
    call = _call(pk)
    form = DistributeForm(request.POST)
    if not form.is_valid():
        return _render_setup(request, call, distribute_form=form, status=400)
    report = review.distribute(
        call,
        per_application=form.cleaned_data["per_application"],
        acting_user=request.user,
    )
    messages.success(
        request,
        f"{report.created} affectation{'s' if report.created > 1 else ''} créée"
        f"{'s' if report.created > 1 else ''}.",
    )
    if report.short:
        messages.warning(
            request,
            "Pas assez d'évaluateurs sans conflit pour : "
            + ", ".join(application.reference for application in report.short),
        )
    return _back_to_setup(call)


@require_POST
@campus_team_required
def review_criterion_add(request, pk):
    call = _call(pk)
    form = CriterionForm(request.POST, instance=Criterion(call=call))
    if not form.is_valid():
        return _render_setup(request, call, criterion_form=form, status=400)
    review.save_criterion(form.save(commit=False), acting_user=request.user)
    messages.success(request, f"Le critère « {form.instance.label} » est ajouté.")
    return _back_to_setup(call)


@require_http_methods(["GET", "HEAD", "POST"])
@campus_team_required
def review_criterion_edit(request, pk, criterion_pk):
    call = _call(pk)
    criterion = get_object_or_404(call.criteria.all(), pk=criterion_pk)
    if review.criteria_locked(call):
        raise review.ReviewRuleError(
            "Une évaluation est déjà transmise : la grille de critères est figée."
        )
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        review.save_criterion(form.save(commit=False), acting_user=request.user)
        messages.success(request, f"Le critère « {criterion.label} » est modifié.")
        return _back_to_setup(call)
    return render(
        request,
        "talent/review/criterion_form.html",
        {"call": call, "criterion": criterion, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@campus_team_required
def review_criterion_delete(request, pk, criterion_pk):
    call = _call(pk)
    criterion = get_object_or_404(call.criteria.all(), pk=criterion_pk)
    review.delete_criterion(criterion, acting_user=request.user)
    messages.success(request, f"Le critère « {criterion.label} » est supprimé.")
    return _back_to_setup(call)


# Team: ranking, deliberation, decisions


@require_safe
@campus_team_required
def review_ranking(request, pk):
    """The submitted applications ranked by their weighted mean score /20."""
    call = _call(pk)
    return render(
        request,
        "talent/review/ranking.html",
        {"call": call, "rows": review.ranking(call), "criteria": call.criteria.all()},
    )


@require_safe
@campus_team_required
def review_ranking_export(request, pk):
    call = _call(pk)
    buffer = io.BytesIO()
    ranking_workbook(call, review.ranking(call)).save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="classement.xlsx"'
    return response


def _decided_applications(call):
    return (
        call.applications.submitted()
        .select_related("applicant")
        .annotate(notice_sent_at=F("decision_notice__sent_at"))
        .order_by("pk")
    )


def _render_deliberation(request, call, *, status=200, **forms):
    applications = _decided_applications(call)
    context = {
        "call": call,
        "is_closed": call.state() == "closed",
        "deliberations": call.deliberations.select_related("recorded_by"),
        "deliberation_form": forms.get("deliberation_form") or DeliberationForm(),
        "decisions_form": forms.get("decisions_form")
        or DecisionsForm(applications=applications),
        "to_send": review.decisions_to_send(call).count(),
    }
    return render(request, "talent/review/deliberation.html", context, status=status)


@require_safe
@campus_team_required
def review_deliberation(request, pk):
    """The jury's deliberation and the decision on each application."""
    return _render_deliberation(request, _call(pk))


@require_POST
@campus_team_required
def review_deliberation_record(request, pk):
    call = _call(pk)
    form = DeliberationForm(request.POST)
    form.instance.call = call
    if not form.is_valid():
        return _render_deliberation(request, call, deliberation_form=form, status=400)
    review.record_deliberation(form.save(commit=False), acting_user=request.user)
    messages.success(request, "La délibération est enregistrée.")
    return redirect("talent:review_deliberation", call.pk)


@require_POST
@campus_team_required
def review_decide(request, pk):
    call = _call(pk)
    applications = (
        call.applications.submitted().select_related("decision_notice").order_by("pk")
    )
    form = DecisionsForm(request.POST, applications=applications)
    if not form.is_valid():
        return _render_deliberation(request, call, decisions_form=form, status=400)
    changed = review.record_decisions(call, form.decisions(), acting_user=request.user)
    messages.success(
        request,
        f"{changed} décision{'s' if changed > 1 else ''} enregistrée"
        f"{'s' if changed > 1 else ''}.",
    )
    return redirect("talent:review_deliberation", call.pk)


@require_POST
@campus_team_required
def review_send_decisions(request, pk):
    call = _call(pk)
    sent = review.send_decisions(call, acting_user=request.user)
    if sent:
        messages.success(
            request,
            f"{sent} décision{'s' if sent > 1 else ''} envoyée"
            f"{'s' if sent > 1 else ''} aux candidats.",
        )
    else:
        messages.info(request, "Aucune décision nouvelle ou modifiée à envoyer.")
    return redirect("talent:review_deliberation", call.pk)


# The reviewer's space


def _assignment(request, assignment_pk) -> Assignment:
    return get_object_or_404(
        Assignment.objects.of_reviewer(request.user).select_related(
            "reviewer__call", "application__applicant", "application__organisation"
        ),
        pk=assignment_pk,
    )


@require_safe
def review_space(request):
    """The calls the user reviews, with the applications assigned to them."""
    assignments = (
        Assignment.objects.of_reviewer(request.user)
        .select_related("reviewer__call", "application")
        .annotate(
            review_pk=F("review__pk"), review_submitted_at=F("review__submitted_at")
        )
        .order_by("reviewer__call__closes_at", "reviewer__call_id", "application_id")
    )
    calls: dict[int, tuple] = {}
    for assignment in assignments:
        call = assignment.reviewer.call
        calls.setdefault(call.pk, (call, []))[1].append(assignment)
    return render(request, "talent/review/space.html", {"calls": list(calls.values())})


def _file_name(answer: Answer, anonymous: bool) -> str:
    if not anonymous:
        return answer.file_name or PurePath(answer.file.name).name
    suffix = PurePath(answer.file_name or answer.file.name).suffix.lower()
    return f"piece-{answer.question.position or answer.question_id}{suffix}"


def _render_assignment(request, assignment, *, form=None, status=200):
    call = assignment.reviewer.call
    existing = (
        Review.objects.filter(assignment=assignment)
        .prefetch_related("scores__criterion")
        .first()
    )
    form = form or ScoreForm(criteria=call.criteria.all(), review=existing)
    answers = assignment.application.answers.select_related("question").order_by(
        "question__position", "question_id"
    )
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "call": call,
        "anonymous": call.anonymous_review,
        "answers": [
            (answer, _file_name(answer, call.anonymous_review) if answer.file else "")
            for answer in answers
        ],
        "review": existing,
        "form": form,
        "conflict_form": ConflictForm(),
        "file_kind": QuestionKind.FILE,
    }
    return render(request, "talent/review/assignment.html", context, status=status)


@require_safe
def review_assignment(request, assignment_pk):
    """An assigned application's answers and the reviewer's scoring form."""
    return _render_assignment(request, _assignment(request, assignment_pk))


@require_POST
def review_score(request, assignment_pk):
    assignment = _assignment(request, assignment_pk)
    form = ScoreForm(request.POST, criteria=assignment.reviewer.call.criteria.all())
    if not form.is_valid():
        return _render_assignment(request, assignment, form=form, status=400)
    submit = request.POST.get("action") == "submit"
    try:
        review.save_review(
            assignment,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            submit=submit,
            acting_user=request.user,
        )
    except review.BadScoreError as error:
        form.add_error(None, error.message)
        return _render_assignment(request, assignment, form=form, status=400)
    messages.success(
        request,
        "Votre évaluation est transmise." if submit else "Brouillon enregistré.",
    )
    return redirect("talent:review_assignment", assignment.pk)


@require_POST
def review_declare_conflict(request, assignment_pk):
    assignment = _assignment(request, assignment_pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _render_assignment(request, assignment, status=400)
    review.declare_conflict(
        assignment, note=form.cleaned_data["note"], acting_user=request.user
    )
    messages.success(
        request,
        "Votre conflit d'intérêts est enregistré : cette candidature ne vous est "
        "plus affectée.",
    )
    return redirect("talent:review_space")


@require_safe
def review_file(request, assignment_pk, answer_pk):
    """A file of an assigned application, named without the applicant's name
    when the review is anonymous."""
    assignment = _assignment(request, assignment_pk)
    answer = get_object_or_404(
        assignment.application.answers.select_related("question").exclude(file=""),
        pk=answer_pk,
    )
    return FileResponse(
        answer.file.open("rb"),
        as_attachment=True,
        filename=_file_name(answer, assignment.reviewer.call.anonymous_review),
    )


# A new reviewer's account


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_activate(request, uidb64, token):
    """A reviewer appointed without an account chooses a password, which
    activates the account, and arrives in their space."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        # Like an unknown address: 404, with the page that says what to do.
        return render(request, "talent/review/activate_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.is_active = True
        user.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Votre compte est activé.")
        return redirect(reverse("talent:review_space"))
    return render(
        request,
        "talent/review/activate.html",
        {"form": form},
        status=400 if form.errors else 200,
    )

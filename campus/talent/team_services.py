"""What the campus team does to its calls: write them, define their questions,
attach their documents.

Once a call has received a submitted application, its questions carry answers
that the review reads: a question can then no longer be removed nor change its
kind, and a new question must be optional (those who already applied could not
answer it).
"""

from django.db import transaction
from django.db.models import Max

from campus.documents import stored_name, validate_document_upload
from campus.rules import RuleError
from campus.slugs import unique_slug
from campus.talent.models import Call, CallDocument


class CallRuleError(RuleError):
    title = "Modification impossible"


class PublishWithoutQuestions(CallRuleError):
    def __init__(self):
        super().__init__(
            "Un appel ne peut pas être publié sans question : "
            "ajoutez au moins une question au formulaire de candidature."
        )


class QuestionLocked(CallRuleError):
    pass


def has_submitted_applications(call: Call) -> bool:
    """Whether anyone ever submitted (a withdrawn application was submitted too)."""
    return call.applications.filter(submitted_at__isnull=False).exists()


@transaction.atomic
def save_call(call: Call, *, acting_user, reserved=()) -> Call:
    """Creates or updates a call; a new one gets a unique address from its title."""
    if not call.slug:
        call.slug = unique_slug(
            Call,
            call.title,
            max_length=Call._meta.get_field("slug").max_length,
            default="appel",
            reserved=reserved,
        )
    if call.pk is None:
        call.created_by = acting_user
    if call.is_published and (call.pk is None or not call.questions.exists()):
        raise PublishWithoutQuestions()
    call.save()
    return call


def _question_changes_refused(call: Call, formset) -> list[str]:
    """Why the formset's changes would lose or miss answers, in French."""
    if not has_submitted_applications(call):
        return []
    problems = []
    for form in formset.initial_forms:
        question = form.instance
        if formset._should_delete_form(form):
            problems.append(
                f"La question « {question.label} » ne peut pas être supprimée : "
                "des candidatures déposées y ont répondu, leurs réponses seraient "
                "perdues."
            )
        elif "kind" in form.changed_data:
            problems.append(
                f"La question « {form.initial.get('label', question.label)} » ne peut "
                "pas changer de type de réponse : des candidatures déposées y ont "
                "déjà répondu."
            )
    for form in formset.extra_forms:
        if (
            form.has_changed()
            and not formset._should_delete_form(form)
            and form.cleaned_data.get("required")
        ):
            problems.append(
                f"La nouvelle question « {form.cleaned_data.get('label', '')} » doit "
                "être facultative : des candidatures sont déjà déposées sans elle."
            )
    return problems


@transaction.atomic
def save_questions(call: Call, formset, *, acting_user) -> list:
    """Saves a valid questions formset; QuestionLocked when answers would be lost.

    An unpublished call may lose all its questions; a published one keeps one.
    """
    problems = _question_changes_refused(call, formset)
    if problems:
        raise QuestionLocked(" ".join(problems))
    last = call.questions.aggregate(last=Max("position"))["last"]
    for form in formset.extra_forms:
        if form.has_changed() and form.instance.position is None:
            last = 0 if last is None else last + 1
            form.instance.position = last
    saved = formset.save()
    if call.is_published and not call.questions.exists():
        raise CallRuleError(
            "Un appel publié garde au moins une question : dépubliez-le d'abord "
            "pour retirer la dernière."
        )
    return saved


@transaction.atomic
def add_document(call: Call, *, title: str, uploaded, acting_user) -> CallDocument:
    """Stores a checked PDF or image under appels/<call>/, last in the list."""
    extension = validate_document_upload(uploaded)
    last = call.documents.aggregate(last=Max("position"))["last"]
    document = CallDocument(
        call=call, title=title, position=0 if last is None else last + 1
    )
    document.file.save(stored_name(uploaded, extension), uploaded, save=False)
    document.save()
    return document


def remove_document(document: CallDocument, *, acting_user) -> None:
    """Deletes the row, then its file once the deletion is committed."""
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


@transaction.atomic
def move_document(document: CallDocument, *, up: bool, acting_user) -> None:
    """Swaps a document with the one before (up) or after it in the list."""
    documents = list(
        CallDocument.objects.select_for_update()
        .filter(call_id=document.call_id)
        .order_by("position", "pk")
    )
    index = next(i for i, row in enumerate(documents) if row.pk == document.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(documents):
        documents[index], documents[other] = documents[other], documents[index]
    for position, row in enumerate(documents):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])

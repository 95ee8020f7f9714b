"""The application form, built from the call's questions, and the submission form."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.html import escape

from campus.documents import DocumentUploadField
from campus.formfields import FieldPurposeMixin
from campus.network.models import Organisation
from campus.ownership import organisation_ids_of
from campus.talent.models import Application, Question, QuestionKind
from campus.talent.services import Draft

# A long text without a limit set by the team still has one.
DEFAULT_LONG_TEXT = 10_000
DEFAULT_SHORT_TEXT = 300


def question_field_name(question: Question) -> str:
    return f"question_{question.pk}"


def _length_message(limit: int) -> str:
    return f"{limit} caractères au plus (vous en avez saisi %(show_value)d)."


def question_field(question: Question, *, required: bool) -> forms.Field:
    """The form field of one question, with its limits and French messages."""
    common = {
        "label": question.label,
        # components/field.html marks help texts safe: the team's text is escaped.
        "help_text": escape(question.help_text),
        "required": required,
    }
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        default = (
            DEFAULT_SHORT_TEXT if kind == QuestionKind.SHORT_TEXT else DEFAULT_LONG_TEXT
        )
        limit = question.max_length or default
        if kind == QuestionKind.LONG_TEXT:
            hint = f"{limit} caractères au plus."
            common["help_text"] = f"{escape(question.help_text)} {hint}".strip()
        field = forms.CharField(
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": 8})
            if kind == QuestionKind.LONG_TEXT
            else forms.TextInput,
            **common,
        )
        field.validators = [
            v for v in field.validators if not isinstance(v, MaxLengthValidator)
        ] + [MaxLengthValidator(limit, message=_length_message(limit))]
        return field
    if kind == QuestionKind.CHOICE:
        field = forms.ChoiceField(
            choices=[("", "Choisissez une réponse")]
            + [(choice, choice) for choice in question.choice_list()],
            **common,
        )
        field.error_messages["invalid_choice"] = (
            "Choix inconnu : choisissez une réponse de la liste."
        )
        return field
    if kind == QuestionKind.NUMBER:
        field = forms.DecimalField(
            min_value=question.min_value,
            max_value=question.max_value,
            max_digits=14,
            decimal_places=2,
            localize=True,
            **common,
        )
        field.error_messages.update(
            {
                "invalid": "Saisissez un nombre, par exemple 1500 ou 12,5.",
                "min_value": "Le nombre doit être supérieur ou égal à %(limit_value)s.",
                "max_value": "Le nombre doit être inférieur ou égal à %(limit_value)s.",
                "max_digits": "Ce nombre est trop grand.",
                "max_decimal_places": "Deux chiffres après la virgule au plus.",
                "max_whole_digits": "Ce nombre est trop grand.",
            }
        )
        return field
    if kind == QuestionKind.DATE:
        field = forms.DateField(
            input_formats=["%Y-%m-%d", "%d/%m/%Y"],
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **common,
        )
        field.error_messages["invalid"] = (
            "Date invalide : choisissez un jour du calendrier, par exemple 01/04/2027."
        )
        return field
    max_bytes = question.max_file_mb * 1_048_576 if question.max_file_mb else None
    limit_mb = question.max_file_mb or settings.CAMPUS_MAX_DOCUMENT_BYTES // 1_048_576
    hint = f"PDF, JPEG, PNG ou WebP, {limit_mb} Mo au plus."
    common["help_text"] = f"{escape(question.help_text)} {hint}".strip()
    field = DocumentUploadField(max_bytes=max_bytes, **common)
    field.error_messages["empty"] = "Le fichier envoyé est vide."
    return field


class ApplicationForm(FieldPurposeMixin, forms.Form):
    """The project's title, « au nom de » one of the user's organisations, and one
    field per question. As a draft (`draft=True`) nothing is required, but what is
    typed is checked all the same."""

    title = forms.CharField(
        label="Titre du projet",
        max_length=200,
        help_text="Le nom sous lequel votre projet sera présenté.",
    )
    organisation = forms.ModelChoiceField(
        label="Au nom de",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="À titre personnel",
        help_text="Une organisation dont vous êtes membre, ou vous-même.",
    )

    def __init__(self, *args, application: Application, user, draft=False, **kwargs):
        self.application = application
        self.draft = draft
        self.questions = list(application.call.questions.all())
        self.answers = {a.question_id: a for a in application.answers.all()}
        initial = {
            "title": application.title,
            "organisation": application.organisation_id,
        }
        for question in self.questions:
            answer = self.answers.get(question.pk)
            if answer and question.kind != QuestionKind.FILE:
                initial[question_field_name(question)] = {
                    QuestionKind.NUMBER: answer.number,
                    QuestionKind.DATE: answer.date,
                }.get(question.kind, answer.text)
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["title"].error_messages["max_length"] = (
            "200 caractères au plus (vous en avez saisi %(show_value)d)."
        )
        organisations = Organisation.objects.filter(
            pk__in=organisation_ids_of(user)
        ).order_by("name", "pk")
        field = self.fields["organisation"]
        field.queryset = organisations
        field.error_messages["invalid_choice"] = (
            "Organisation inconnue : choisissez une organisation dont vous êtes membre."
        )
        if not organisations.exists():
            del self.fields["organisation"]
        if draft:
            self.fields["title"].required = False
        for question in self.questions:
            has_file = bool(
                question.kind == QuestionKind.FILE
                and self.answers.get(question.pk)
                and self.answers[question.pk].file
            )
            required = question.required and not draft and not has_file
            self.fields[question_field_name(question)] = question_field(
                question, required=required
            )

    def file_answer(self, question: Question):
        answer = self.answers.get(question.pk)
        return answer if answer and answer.file else None

    def question_fields(self):
        """(question, bound field, stored file answer) in the call's order."""
        return [
            (q, self[question_field_name(q)], self.file_answer(q))
            for q in self.questions
        ]

    def to_draft(self) -> Draft:
        data = self.cleaned_data
        values = {}
        for question in self.questions:
            value = data.get(question_field_name(question))
            if question.kind == QuestionKind.FILE:
                value = value or None
            values[question.pk] = value
        return Draft(
            title=data.get("title") or "",
            organisation=data.get("organisation"),
            values=values,
        )


class SubmitForm(forms.Form):
    publication_consent = forms.BooleanField(
        label=(
            "J'accepte que le nom de mon projet et de mon organisation soient publiés "
            "si ma candidature est retenue"
        ),
        required=False,
    )

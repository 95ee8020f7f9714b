"""The campus team's forms: a call, its questions, its documents, the filters of
its applications.

Opening and closing are typed as a date and a time in Paris time: a time that
does not exist there (the hour skipped when clocks go forward, 02:30 on the last
Sunday of March) is refused with a French message rather than guessed.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver

from campus.dates import PARIS, InvalidLocalTime, paris_instant
from campus.documents import DocumentUploadField
from campus.formfields import FieldPurposeMixin
from campus.network.models import Organisation
from campus.richtext import validate_markdown
from campus.talent.models import (
    ApplicantKind,
    ApplicationStatus,
    Call,
    CallDocument,
    Decision,
    Question,
    QuestionKind,
)

MARKDOWN_HELP = (
    "Mise en forme Markdown : **gras**, *italique*, [lien](https://…), "
    "listes avec « - ». Le HTML n'est pas accepté."
)
MAX_QUESTIONS = 60


def site_max_file_mb() -> int:
    return settings.CAMPUS_MAX_DOCUMENT_BYTES // (1024 * 1024)


def reserved_slugs() -> set[str]:
    """Every fixed word of the talent app's addresses (« nouveau », « gestion »…):
    a call's slug never takes one, it would hide that page."""
    words: set[str] = set()

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if getattr(entry, "app_name", None) == "talent":
                    collect(entry.url_patterns)
                else:
                    walk(entry.url_patterns)

    def collect(patterns):
        for entry in patterns:
            if isinstance(entry, URLPattern):
                for part in str(entry.pattern).split("/"):
                    if part and "<" not in part and "." not in part:
                        words.add(part)

    walk(get_resolver().url_patterns)
    return words


# Far enough for any call; beyond, a typo (0202, 20277) rather than a date.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _plausible_year(day):
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            f"Indiquez une date entre {FIRST_YEAR} et {LAST_YEAR}.", code="year"
        )


def _date_field(label):
    return forms.DateField(
        label=label,
        validators=[_plausible_year],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Indiquez la date.",
            "invalid": "Date invalide : écrivez-la comme 14/03/2027.",
        },
    )


def _time_field(label):
    return forms.TimeField(
        label=label,
        help_text="Heure de Paris.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%Hh%M", "%H h %M"],
        error_messages={
            "required": "Indiquez l'heure.",
            "invalid": "Heure invalide : écrivez-la comme 09:00.",
        },
    )


class CallForm(FieldPurposeMixin, forms.ModelForm):
    """A call as the team writes it; `opens_at`/`closes_at` come from date + time."""

    empty_labels = {"kind": "Choisissez un type d'appel"}

    slug = forms.SlugField(
        label="Adresse de la page",
        required=False,
        max_length=200,
        help_text="Vide : tirée du titre. Lettres sans accents, chiffres et tirets.",
        error_messages={
            "invalid": "L'adresse ne prend que des lettres sans accents, des "
            "chiffres et des tirets."
        },
    )
    applicant_kinds = forms.MultipleChoiceField(
        label="Qui peut candidater",
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins un type de candidat.",
            "invalid_choice": "Type de candidat inconnu : choisissez dans la liste.",
        },
    )
    opens_on = _date_field("Date d'ouverture")
    opens_time = _time_field("Heure d'ouverture")
    closes_on = _date_field("Date de clôture")
    closes_time = _time_field("Heure de clôture")
    organisation = forms.ModelChoiceField(
        label="Organisation partenaire",
        queryset=Organisation.objects.order_by("name", "pk"),
        required=False,
        empty_label="Aucune : le campus seul",
        help_text="L'organisation qui porte l'appel avec le campus, le cas échéant.",
        error_messages={"invalid_choice": "Organisation inconnue."},
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "kind",
            "summary",
            "description",
            "eligibility",
            "applicant_kinds",
            "organisation",
            "anonymous_review",
            "is_published",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "eligibility": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "description": MARKDOWN_HELP,
            "eligibility": MARKDOWN_HELP,
            "is_published": "Un appel publié apparaît sur le site ; "
            "il lui faut au moins une question.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance
        self.fields["kind"].error_messages["invalid_choice"] = (
            "Type d'appel inconnu : choisissez dans la liste."
        )
        if call.pk:
            opens, closes = (
                call.opens_at.astimezone(PARIS),
                call.closes_at.astimezone(PARIS),
            )
            self.initial.update(
                opens_on=opens.date(),
                opens_time=opens.time(),
                closes_on=closes.date(),
                closes_time=closes.time(),
            )
        else:
            self.initial.setdefault("opens_time", datetime.time(9, 0))
            self.initial.setdefault("closes_time", datetime.time(12, 0))
        # The order of the page, so that errors are listed as the fields are shown.
        self.order_fields(
            [
                "title",
                "slug",
                "kind",
                "summary",
                "description",
                "eligibility",
                "applicant_kinds",
                "opens_on",
                "opens_time",
                "closes_on",
                "closes_time",
                "organisation",
                "anonymous_review",
                "is_published",
            ]
        )

    def clean_description(self):
        value = self.cleaned_data["description"]
        validate_markdown(value)
        return value

    def clean_eligibility(self):
        value = self.cleaned_data["eligibility"]
        validate_markdown(value)
        return value

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if not slug:
            # Left empty: a call keeps its address, a new one takes its title's.
            return self.instance.slug or ""
        if slug in reserved_slugs():
            raise ValidationError(
                "Cette adresse est réservée à une page du site : choisissez-en une autre."
            )
        if Call.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                "Un autre appel a déjà cette adresse : choisissez-en une autre."
            )
        return slug

    def _instant(self, day_field, time_field):
        day, time = self.cleaned_data.get(day_field), self.cleaned_data.get(time_field)
        if day is None or time is None:
            return None
        try:
            # A call opening or closing in the repeated autumn hour: the first.
            return paris_instant(datetime.datetime.combine(day, time))
        except InvalidLocalTime as error:
            self.add_error(time_field, ValidationError(str(error), code="dst_gap"))
            return None

    def clean(self):
        cleaned = super().clean()
        opens = self._instant("opens_on", "opens_time")
        closes = self._instant("closes_on", "closes_time")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_on", "La clôture doit être postérieure à l'ouverture."
            )
        elif opens and closes:
            self.instance.opens_at, self.instance.closes_at = opens, closes
        return cleaned

    def groups(self) -> list[tuple[str, list]]:
        names = [
            ("L'appel", ["title", "slug", "kind", "summary"]),
            ("Le texte", ["description", "eligibility"]),
            (
                "Candidatures",
                [
                    "applicant_kinds",
                    "opens_on",
                    "opens_time",
                    "closes_on",
                    "closes_time",
                ],
            ),
            ("Organisation", ["organisation", "anonymous_review", "is_published"]),
        ]
        return [(legend, [self[name] for name in fields]) for legend, fields in names]


class QuestionForm(FieldPurposeMixin, forms.ModelForm):
    """One question; the limits that do not fit its kind are emptied."""

    empty_labels = {"kind": "Choisissez un type de réponse"}

    position = forms.IntegerField(
        label="Ordre",
        min_value=0,
        max_value=999,
        required=False,
        help_text="Les questions sont montrées de la plus petite à la plus grande ; "
        "vide pour une nouvelle question : à la fin.",
        error_messages={
            "invalid": "Indiquez un nombre entier.",
            "min_value": "L'ordre est un nombre positif.",
            "max_value": "L'ordre va jusqu'à 999.",
        },
    )

    class Meta:
        model = Question
        fields = [
            "label",
            "help_text",
            "kind",
            "required",
            "choices",
            "max_length",
            "min_value",
            "max_value",
            "max_file_mb",
            "position",
        ]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "choices": "Pour un choix dans une liste : un choix par ligne, deux au moins.",
            "max_length": "Pour un texte : vide pour 300 caractères (texte court) "
            "ou 10 000 (texte long).",
            "min_value": "Pour un nombre.",
            "max_value": "Pour un nombre.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = (
            "Type de réponse inconnu : choisissez dans la liste."
        )
        self.fields["max_file_mb"].help_text = (
            f"Pour un fichier : {site_max_file_mb()} Mo au plus, "
            "la limite du site (vide : cette limite)."
        )
        self.fields["max_length"].validators.append(_at_most(100_000))
        if not self.instance.pk:
            # Left empty, a new question goes last (team_services.save_questions).
            self.initial["position"] = None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind != QuestionKind.CHOICE:
            cleaned["choices"] = ""
        else:
            choices = [line.strip() for line in cleaned.get("choices", "").splitlines()]
            choices = [choice for choice in choices if choice]
            if len(choices) < 2:
                self.add_error("choices", "Indiquez au moins deux choix, un par ligne.")
            elif len(set(choices)) < len(choices):
                self.add_error("choices", "Chaque choix doit être différent.")
            else:
                cleaned["choices"] = "\n".join(choices)
        if kind not in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            cleaned["max_length"] = None
        if kind != QuestionKind.NUMBER:
            cleaned["min_value"] = cleaned["max_value"] = None
        else:
            low, high = cleaned.get("min_value"), cleaned.get("max_value")
            if low is not None and high is not None and low > high:
                self.add_error(
                    "max_value", "La valeur maximale doit dépasser la valeur minimale."
                )
        if kind != QuestionKind.FILE:
            cleaned["max_file_mb"] = None
        else:
            size = cleaned.get("max_file_mb")
            if size is not None and not 1 <= size <= site_max_file_mb():
                self.add_error(
                    "max_file_mb",
                    f"La taille va de 1 à {site_max_file_mb()} Mo, la limite du site.",
                )
        if cleaned.get("position") is None and self.instance.pk:
            cleaned["position"] = self.instance.position
        return cleaned


def _at_most(limit):
    def check(value):
        if value is not None and value > limit:
            raise ValidationError(f"{limit:,} caractères au plus.".replace(",", " "))

    return check


class QuestionFormSet(forms.BaseInlineFormSet):
    """Refuses a posted question that is not one of this call's (a tampered id)."""

    def clean(self):
        super().clean()
        for form in self.initial_forms:
            if form.instance.pk is None:
                raise ValidationError(
                    "Une des questions envoyées ne fait pas partie de cet appel : "
                    "rechargez la page et recommencez.",
                    code="foreign_row",
                )


QuestionFormSetFactory = forms.inlineformset_factory(
    Call,
    Question,
    form=QuestionForm,
    formset=QuestionFormSet,
    extra=1,
    max_num=MAX_QUESTIONS,
    validate_max=True,
    can_delete=True,
)


class DocumentForm(forms.ModelForm):
    file = DocumentUploadField(
        label="Fichier (PDF ou image)",
        help_text=f"PDF, JPEG, PNG ou WebP, "
        f"{settings.CAMPUS_MAX_DOCUMENT_BYTES // (1024 * 1024)} Mo au plus.",
        error_messages={
            "required": "Choisissez un fichier.",
            "empty": "Le fichier est vide.",
            "invalid": "Aucun fichier n'a été reçu : recommencez.",
        },
    )

    class Meta:
        model = CallDocument
        fields = ["title", "file"]
        help_texts = {"title": "Par exemple « Règlement de l'appel »."}


class ApplicationFilterForm(FieldPurposeMixin, forms.Form):
    """The dashboard's filters: submitted applications unless asked otherwise."""

    empty_labels = {"decision": "Toutes les décisions"}

    statut = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[*ApplicationStatus.choices, ("all", "Tous les statuts")],
        error_messages={"invalid_choice": "Statut inconnu : choisissez dans la liste."},
    )
    decision = forms.ChoiceField(
        label="Décision",
        required=False,
        choices=[("", ""), *Decision.choices, ("none", "Sans décision")],
        error_messages={
            "invalid_choice": "Décision inconnue : choisissez dans la liste."
        },
    )

    def filter(self, applications):
        status = self.cleaned_data.get("statut") or ApplicationStatus.SUBMITTED
        if status != "all":
            applications = applications.filter(status=status)
        decision = self.cleaned_data.get("decision")
        if decision == "none":
            applications = applications.filter(decision="")
        elif decision:
            applications = applications.filter(decision=decision)
        return applications

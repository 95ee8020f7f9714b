"""The team's and the laureate's forms for following up a supported project."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from campus.documents import DocumentUploadField
from campus.formfields import FieldPurposeMixin
from campus.richtext import validate_markdown
from campus.talent.models import (
    Application,
    Decision,
    Milestone,
    ProjectReport,
    ReportKind,
    SupportedProject,
)
from campus.trades.models import ShowcaseItem

MAX_AMOUNT = Decimal("10000000")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Dates beyond ten years, either way, are typing errors (« 2206 »).
DATE_SPAN = timedelta(days=10 * 366)


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: « 1 500,50 », « 1500.50 € »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        # Shown as « 5000,00 », as people write amounts.
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "invalid": "Indiquez un montant en euros, par exemple 1 500,50.",
                "max_value": "Le montant ne peut pas dépasser 10 000 000 €.",
                "min_value": "Le montant ne peut pas être négatif.",
                "max_decimal_places": "Indiquez au plus deux chiffres après la virgule.",
                "max_digits": "Ce montant est trop long.",
                "max_whole_digits": "Ce montant est trop long.",
            }
        )
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal"})
        self.widget.attrs.pop("step", None)

    def to_python(self, value):
        if isinstance(value, str):
            value = (
                value.replace("€", "")
                .replace("\u202f", "")
                .replace("\xa0", "")
                .replace(" ", "")
                .replace(",", ".")
            )
        return super().to_python(value)


def date_field(label, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Indiquez la date.",
            "invalid": "Indiquez une date valide, par exemple 15/03/2027.",
        },
    )


def check_plausible(day):
    today = timezone.localdate()
    if day and not (today - DATE_SPAN <= day <= today + DATE_SPAN):
        raise forms.ValidationError(
            "Indiquez une date à dix ans au plus d'aujourd'hui."
        )
    return day


class OpenProjectForm(FieldPurposeMixin, forms.Form):
    """The team opens the follow-up of a selected application."""

    application = forms.ModelChoiceField(
        label="Candidature retenue",
        queryset=Application.objects.none(),
        error_messages={
            "required": "Choisissez la candidature retenue.",
            "invalid_choice": "Candidature inconnue : choisissez-en une dans la liste.",
        },
    )
    amount_granted = EuroField(label="Montant accordé (€)", min_value=0)
    empty_labels = {"application": "Choisissez une candidature retenue"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any application is accepted here: the service refuses, in French, one
        # that was not selected. The list offers the selected ones not yet followed.
        self.fields["application"].queryset = Application.objects.select_related(
            "call"
        ).order_by("-pk")
        self.choices = (
            Application.objects.submitted()
            .filter(decision=Decision.SELECTED, supported_project__isnull=True)
            .select_related("call")
            .order_by("call__title", "title", "pk")
        )
        self.fields["application"].choices = [
            ("", "Choisissez une candidature retenue"),
            *[
                (application.pk, f"{application.call.title} — {application.title}")
                for application in self.choices
            ],
        ]


class ProjectForm(FieldPurposeMixin, forms.ModelForm):
    """The team's changes to a supported project."""

    amount_granted = EuroField(label="Montant accordé (€)", min_value=0)
    starts_on = date_field("Début du projet", required=False)
    ends_on = date_field("Fin prévue", required=False)
    showcase_items = forms.ModelMultipleChoiceField(
        label="Réalisations finales (vitrine de l'organisation)",
        queryset=ShowcaseItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Réalisation inconnue : cochez des réalisations de la liste.",
            "invalid_pk_value": "Réalisation inconnue : cochez des réalisations de la liste.",
            "invalid_list": "Réalisation inconnue : cochez des réalisations de la liste.",
        },
    )

    class Meta:
        model = SupportedProject
        fields = [
            "amount_granted",
            "starts_on",
            "ends_on",
            "status",
            "public_summary",
            "is_public",
            "showcase_items",
        ]
        widgets = {"public_summary": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "status": {"invalid_choice": "État inconnu : choisissez-en un."},
            "public_summary": {
                "max_length": "La présentation fait au plus %(limit_value)d caractères."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_summary"].validators.append(validate_markdown)
        organisation_id = self.instance.application.organisation_id
        items = self.fields["showcase_items"]
        own_items = ShowcaseItem.objects.filter(
            organisation_id=organisation_id
        ).order_by("title", "pk")
        if organisation_id is None or not own_items.exists():
            # No box to tick: the page says where the items come from instead.
            del self.fields["showcase_items"]
        else:
            items.queryset = own_items
            items.help_text = "Les réalisations publiées dans la vitrine de l'organisation du lauréat."
        if not self.instance.application.publication_consent:
            self.fields[
                "is_public"
            ].help_text = (
                "Le lauréat n'a pas accepté d'être cité : le projet ne sera pas publié."
            )

    def clean_starts_on(self):
        return check_plausible(self.cleaned_data["starts_on"])

    def clean_ends_on(self):
        return check_plausible(self.cleaned_data["ends_on"])

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin doit suivre le début du projet.")
        return cleaned


class MilestoneForm(FieldPurposeMixin, forms.ModelForm):
    due_on = date_field("Échéance")

    class Meta:
        model = Milestone
        fields = ["title", "due_on", "note"]
        error_messages = {
            "title": {
                "required": "Indiquez l'étape.",
                "max_length": "L'étape fait au plus %(limit_value)d caractères.",
            },
            "note": {"max_length": "La note fait au plus %(limit_value)d caractères."},
        }

    def __init__(self, *args, **kwargs):
        # Its fields share the project page with the payment's: distinct ids.
        kwargs.setdefault("auto_id", "etape_%s")
        super().__init__(*args, **kwargs)

    def clean_due_on(self):
        return check_plausible(self.cleaned_data["due_on"])


class PaymentForm(FieldPurposeMixin, forms.Form):
    amount = EuroField(label="Montant versé (€)", min_value=Decimal("0.01"))
    paid_on = date_field("Versé le")
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        error_messages={
            "max_length": "La note fait au plus %(limit_value)d caractères."
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "versement_%s")
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["min_value"] = (
            "Indiquez un montant d'au moins 0,01 €."
        )
        self.fields["paid_on"].initial = timezone.localdate()

    def clean_paid_on(self):
        return check_plausible(self.cleaned_data["paid_on"])


class ReportForm(FieldPurposeMixin, forms.ModelForm):
    """The laureate's report: a PDF or an image, checked by content."""

    file = DocumentUploadField(
        label="Fichier (PDF ou image)",
        help_text=(
            f"PDF, JPEG, PNG ou WebP, "
            f"{settings.CAMPUS_MAX_DOCUMENT_BYTES // 1_048_576} Mo au plus."
        ),
        error_messages={
            "required": "Choisissez le fichier du rapport.",
            "empty": "Le fichier envoyé est vide.",
            "invalid": "Aucun fichier reçu : choisissez le fichier du rapport.",
        },
    )

    class Meta:
        model = ProjectReport
        fields = ["kind", "title", "file"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "kind": {
                "required": "Choisissez le type de rapport.",
                "invalid_choice": "Type inconnu : intermédiaire ou final.",
            },
            "title": {
                "required": "Donnez un titre au rapport.",
                "max_length": "Le titre fait au plus %(limit_value)d caractères.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ReportKind.choices

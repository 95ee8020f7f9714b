"""The team's forms for European mobility: host partners, offers, mobilities done."""

from django import forms
from django.core.exceptions import ValidationError

from campus.documents import DocumentUploadField, stored_name, validate_document_upload
from campus.formfields import FieldPurposeMixin, campus_formfield
from campus.network.models import Organisation
from campus.talent.mobility import host_country_choices
from campus.talent.models import (
    Application,
    Call,
    CallKind,
    HostPartner,
    Mobility,
    MobilityOffer,
)
from campus.talent.residency_forms import DATE_ERRORS, DATE_FORMATS, DATE_WIDGET
from campus.trades.models import Trade

UNKNOWN_TRADE = "Métier inconnu : choisissez-en un dans la liste."


class HostPartnerForm(FieldPurposeMixin, forms.ModelForm):
    country = forms.ChoiceField(
        label="Pays",
        error_messages={
            "required": "Choisissez le pays.",
            "invalid_choice": (
                "Pays inconnu ou hors du programme Erasmus+ : choisissez un pays "
                "de la liste."
            ),
        },
    )

    class Meta:
        model = HostPartner
        formfield_callback = campus_formfield
        fields = [
            "name",
            "country",
            "city",
            "trades",
            "website",
            "contact_email",
            "is_active",
        ]
        widgets = {"trades": forms.CheckboxSelectMultiple}
        help_texts = {
            "contact_email": "Visible de l'équipe du campus seulement.",
            "is_active": "Un partenaire inactif n'apparaît plus sur la page publique.",
        }
        error_messages = {
            "name": {
                "required": "Indiquez le nom du partenaire.",
                "max_length": "Le nom fait au plus %(limit_value)d caractères.",
            },
            "city": {"required": "Indiquez la ville."},
            "website": {"invalid": "Indiquez une adresse web valide."},
            "contact_email": {"invalid": "Indiquez une adresse e-mail valide."},
            "trades": {
                "invalid_choice": "Métier inconnu : cochez des métiers de la liste.",
                "invalid_pk_value": "Métier inconnu : cochez des métiers de la liste.",
            },
        }

    autocomplete = {"contact_email": "off"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", "Choisissez un pays"),
            *host_country_choices(),
        ]
        self.fields["trades"].queryset = Trade.objects.order_by("name", "pk")


class MobilityOfferForm(FieldPurposeMixin, forms.ModelForm):
    empty_labels = {
        "host_partner": "Choisissez un partenaire",
        "call": "Aucun appel pour l'instant",
    }

    duration_weeks = forms.IntegerField(
        label="Durée (semaines)",
        min_value=1,
        max_value=52,
        error_messages={
            "required": "Indiquez la durée en semaines.",
            "invalid": "Indiquez un nombre entier de semaines.",
            "min_value": "Indiquez au moins une semaine.",
            "max_value": "Une mobilité dure au plus 52 semaines.",
        },
    )
    places = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        max_value=500,
        error_messages={
            "required": "Indiquez le nombre de places.",
            "invalid": "Indiquez un nombre entier de places.",
            "min_value": "Indiquez au moins une place.",
            "max_value": "Au plus 500 places par offre.",
        },
    )

    class Meta:
        model = MobilityOffer
        fields = [
            "host_partner",
            "title",
            "duration_weeks",
            "period",
            "places",
            "call",
            "is_published",
        ]
        error_messages = {
            "host_partner": {
                "required": "Choisissez le partenaire d'accueil.",
                "invalid_choice": "Partenaire inconnu : choisissez-en un.",
            },
            "title": {"required": "Indiquez l'intitulé de l'offre."},
            "period": {"required": "Indiquez la période, par exemple « mars 2027 »."},
            "call": {"invalid_choice": "Appel inconnu : choisissez un appel mobilité."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["host_partner"].queryset = HostPartner.objects.order_by("name", "pk")
        fields["call"].queryset = Call.objects.filter(kind=CallKind.MOBILITY).order_by(
            "-closes_at", "pk"
        )


class MobilityForm(FieldPurposeMixin, forms.ModelForm):
    empty_labels = {
        "sending_school": "Choisissez l'établissement",
        "trade": "Choisissez un métier",
        "host_partner": "Choisissez un partenaire",
        "application": "Aucune candidature",
    }
    autocomplete = {"learner_first_name": "off", "learner_last_initial": "off"}

    certificate = DocumentUploadField(
        label="Attestation (PDF)",
        required=False,
        help_text="Le certificat de mobilité, en PDF. Visible de l'équipe seulement.",
    )

    class Meta:
        model = Mobility
        fields = [
            "learner_first_name",
            "learner_last_initial",
            "sending_school",
            "trade",
            "host_partner",
            "departure_on",
            "return_on",
            "europass_issued",
            "certificate",
            "application",
        ]
        widgets = {"departure_on": DATE_WIDGET, "return_on": DATE_WIDGET}
        help_texts = {
            "learner_first_name": "Le prénom seul : ni nom complet ni date de naissance.",
            "learner_last_initial": "Une lettre.",
        }
        error_messages = {
            "learner_first_name": {
                "required": "Indiquez le prénom de l'apprenant.",
                "max_length": "Le prénom fait au plus %(limit_value)d caractères.",
            },
            "learner_last_initial": {
                "max_length": "Indiquez une seule lettre : l'initiale du nom."
            },
            "sending_school": {
                "required": "Choisissez l'établissement d'envoi.",
                "invalid_choice": "Établissement inconnu : choisissez-en un.",
            },
            "trade": {
                "required": "Choisissez le métier.",
                "invalid_choice": UNKNOWN_TRADE,
            },
            "host_partner": {
                "required": "Choisissez le partenaire d'accueil.",
                "invalid_choice": "Partenaire inconnu : choisissez-en un.",
            },
            "departure_on": {"required": "Indiquez la date de départ.", **DATE_ERRORS},
            "return_on": {"required": "Indiquez la date de retour.", **DATE_ERRORS},
            "application": {
                "invalid_choice": "Candidature inconnue : choisissez-en une."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["sending_school"].queryset = Organisation.objects.order_by("name", "pk")
        fields["trade"].queryset = Trade.objects.order_by("name", "pk")
        fields["host_partner"].queryset = HostPartner.objects.order_by("name", "pk")
        fields["application"].queryset = (
            Application.objects.submitted()
            .filter(call__kind=CallKind.MOBILITY)
            .order_by("-created_at", "-pk")
        )
        for name in ("departure_on", "return_on"):
            fields[name].input_formats = DATE_FORMATS

    def clean_learner_first_name(self):
        name = " ".join(self.cleaned_data["learner_first_name"].split())
        if not name:
            raise forms.ValidationError("Indiquez le prénom de l'apprenant.")
        return name

    def clean_learner_last_initial(self):
        initial = self.cleaned_data["learner_last_initial"].strip().upper()
        if initial and not initial.isalpha():
            raise forms.ValidationError("Indiquez une lettre : l'initiale du nom.")
        return initial

    def clean_certificate(self):
        certificate = self.cleaned_data.get("certificate")
        if certificate and hasattr(certificate, "content_type"):
            extension = validate_document_upload(certificate)
            if extension != "pdf":
                raise ValidationError("L'attestation doit être un PDF, pas une image.")
            certificate.name = stored_name(certificate, extension)
        return certificate

    def clean(self):
        cleaned = super().clean()
        departure, back = cleaned.get("departure_on"), cleaned.get("return_on")
        if departure and back and back <= departure:
            self.add_error("return_on", "Le retour doit suivre le départ.")
        return cleaned


class CountsFilterForm(forms.Form):
    annee = forms.TypedChoiceField(
        label="Année de départ",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Année inconnue : choisissez-en une."},
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [("", "Toutes les années")] + [
            (str(year), str(year)) for year in years
        ]

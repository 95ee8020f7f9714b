from datetime import timedelta

from django import forms
from django.utils import timezone

from campus.formfields import FieldPurposeMixin, OrganisationOwnedForm, campus_formfield
from campus.offers.models import VALIDITY_DAYS, Offer
from campus.places.forms import CommuneField
from campus.richtext import validate_markdown
from campus.trades.models import RomeJob
from campus.trainings.models import Certification

MAX_DURATION_MONTHS = 60
MAX_POSITIONS = 50
# An offer starts within two years; a later date is a typing error (« 2062 »).
MAX_START_DAYS = 2 * 366
# Renewals aside, an offer is shown at most four months ahead.
MAX_EXPIRY_DAYS = 2 * VALIDITY_DAYS


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class RomeJobField(forms.ModelChoiceField):
    """A ROME fiche chosen by its code (« B1802 »): the code is what the address,
    the form and the exports carry."""

    def label_from_instance(self, obj):
        return f"{obj.label} ({obj.code})"


class OfferForm(FieldPurposeMixin, OrganisationOwnedForm):
    """An offer of one of the organisations the user edits."""

    rome_job = RomeJobField(
        label="Métier (fiche ROME)",
        queryset=RomeJob.objects.order_by("label", "code"),
        to_field_name="code",
        error_messages={
            "required": "Choisissez le métier de l'offre.",
            "invalid_choice": (
                "Code ROME inconnu : choisissez le métier dans la liste."
            ),
        },
    )
    duration_months = forms.IntegerField(
        label="Durée (en mois)",
        required=False,
        min_value=1,
        max_value=MAX_DURATION_MONTHS,
        help_text="Par exemple 24 pour un CAP en deux ans ; vide pour un emploi sans terme.",
        error_messages={
            "invalid": "La durée est un nombre entier de mois.",
            "min_value": "La durée est d'au moins un mois.",
            "max_value": f"La durée est limitée à {MAX_DURATION_MONTHS} mois.",
        },
    )
    positions = forms.IntegerField(
        label="Nombre de postes",
        min_value=1,
        max_value=MAX_POSITIONS,
        initial=1,
        error_messages={
            "required": "Indiquez le nombre de postes.",
            "invalid": "Le nombre de postes est un nombre entier.",
            "min_value": "Il y a au moins un poste à pourvoir.",
            "max_value": f"{MAX_POSITIONS} postes au plus par offre.",
        },
    )
    commune = CommuneField(
        label="Commune du poste",
        error_messages={"required": "Indiquez la commune où se trouve le poste."},
    )

    empty_labels = {
        "contract": "Choisissez le type d'offre",
        "rome_job": "Choisissez un métier",
        "certification": "Aucun diplôme en particulier",
    }

    class Meta:
        model = Offer
        formfield_callback = campus_formfield
        fields = [
            "organisation",
            "contract",
            "title",
            "rome_job",
            "certification",
            "commune",
            "starts_on",
            "duration_months",
            "positions",
            "description",
            "apply_url",
            "apply_email",
            "expires_on",
        ]
        widgets = {
            "starts_on": DayInput(),
            "expires_on": DayInput(),
            "description": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "title": "Par exemple « Apprenti piqueur en maroquinerie (H/F) ».",
            "certification": "Pour une offre d'apprentissage : le diplôme que l'apprenti prépare.",
            "description": (
                "Les missions, l'atelier, le profil recherché. Mise en forme "
                "Markdown : **gras**, listes avec « - ». Le HTML n'est pas accepté."
            ),
            "apply_url": "Votre page de candidature, ou laissez vide et indiquez un e-mail.",
            "apply_email": "Où les candidats écrivent, si vous n'avez pas de page de candidature.",
            "expires_on": (
                f"Par défaut dans {VALIDITY_DAYS // 30} mois. Nous vous écrivons quelques "
                "jours avant pour la prolonger d'un clic."
            ),
        }
        error_messages = {
            "contract": {
                "required": "Choisissez le type d'offre.",
                "invalid_choice": (
                    "Type d'offre inconnu : apprentissage, stage ou emploi."
                ),
            },
            "title": {
                "required": "Donnez un intitulé à l'offre.",
                "max_length": "L'intitulé fait au plus %(limit_value)d caractères.",
            },
            "certification": {
                "invalid_choice": "Diplôme inconnu : choisissez-le dans la liste.",
            },
            "starts_on": {
                "required": "Indiquez la date de début.",
                "invalid": "Date de début invalide : choisissez un jour du calendrier.",
            },
            "expires_on": {
                "required": "Indiquez jusqu'à quand l'offre est visible.",
                "invalid": "Date invalide : choisissez un jour du calendrier.",
            },
            "description": {
                "required": "Décrivez le poste.",
                "max_length": "La description fait au plus %(limit_value)d caractères.",
            },
            "apply_url": {"invalid": "Adresse web invalide, par exemple https://…"},
            "apply_email": {"invalid": "Adresse e-mail invalide."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["certification"].queryset = Certification.objects.order_by(
            "title", "pk"
        )
        self.fields["certification"].label_from_instance = lambda c: (
            f"{c.title} ({c.get_diploma_type_display()})"
        )
        self.fields["apply_email"].widget.attrs["autocomplete"] = "email"
        if not self.instance.pk:
            self.initial.setdefault("expires_on", self.instance.expires_on)

    def clean_description(self):
        description = self.cleaned_data["description"]
        validate_markdown(description)
        return description

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        today = timezone.localdate()
        unchanged = self.instance.pk and starts_on == self.instance.starts_on
        if starts_on < today and not unchanged:
            raise forms.ValidationError("La date de début est passée.")
        if starts_on > today + timedelta(days=MAX_START_DAYS):
            raise forms.ValidationError(
                "La date de début est à plus de deux ans : vérifiez l'année."
            )
        return starts_on

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on < today:
            raise forms.ValidationError(
                "La date de fin de visibilité est passée : choisissez un jour à venir."
            )
        unchanged = self.instance.pk and expires_on == self.instance.expires_on
        if expires_on > today + timedelta(days=MAX_EXPIRY_DAYS) and not unchanged:
            raise forms.ValidationError(
                f"Une offre reste visible {MAX_EXPIRY_DAYS // 30} mois au plus ; "
                "vous pourrez la prolonger."
            )
        return expires_on

    def clean(self):
        data = super().clean()
        if (
            not data.get("apply_url")
            and not data.get("apply_email")
            and not (self.errors.get("apply_url") or self.errors.get("apply_email"))
        ):
            self.add_error(
                "apply_email",
                "Indiquez comment candidater : une adresse web ou un e-mail.",
            )
        return data


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du retrait",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Envoyé à l'entreprise.",
        error_messages={
            "required": "Indiquez le motif du retrait : il est envoyé à l'entreprise.",
            "max_length": "Le motif fait au plus %(limit_value)d caractères.",
        },
    )

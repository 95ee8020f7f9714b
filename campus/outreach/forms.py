from django import forms
from django.utils import timezone

from campus.formfields import FieldPurposeMixin
from campus.network.models import Organisation
from campus.network.validators import normalize_uai, validate_uai
from campus.outreach.models import DiscoveryPlacement, InterventionRequest
from campus.public_forms import HoneypotMixin
from campus.trades.forms import PartnerTradesForm
from campus.trades.models import Trade

MAX_PUPILS = 200


class InterventionRequestForm(FieldPurposeMixin, HoneypotMixin, forms.ModelForm):
    """A teacher's public request: no account, confirmed by e-mail."""

    autocomplete = {
        "school_name": "organization",
        "school_town": "address-level2",
        "teacher_name": "name",
        "teacher_email": "email",
        "teacher_phone": "tel",
    }
    empty_labels = {"class_level": "Choisissez un niveau"}

    trades = forms.ModelMultipleChoiceField(
        label="Métiers qui intéressent la classe",
        queryset=Trade.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Ce métier n'existe pas : choisissez dans la liste.",
            "invalid_pk_value": "Ce métier n'existe pas : choisissez dans la liste.",
        },
    )

    pupil_count = forms.IntegerField(
        label="Nombre d'élèves",
        min_value=1,
        max_value=MAX_PUPILS,
        help_text=f"Entre 1 et {MAX_PUPILS} élèves.",
        error_messages={
            "invalid": "Indiquez un nombre entier d'élèves.",
            "min_value": "Indiquez au moins 1 élève.",
            "max_value": f"Une intervention accueille au plus {MAX_PUPILS} élèves.",
        },
    )

    class Meta:
        model = InterventionRequest
        fields = [
            "school_name",
            "school_uai",
            "school_town",
            "class_level",
            "pupil_count",
            "trades",
            "preferred_dates",
            "message",
            "teacher_name",
            "teacher_email",
            "teacher_phone",
        ]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "message": "Décrivez votre projet. N'indiquez pas le nom des élèves : nous n'en avons pas besoin.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trades"].queryset = Trade.objects.published().order_by(
            "name", "pk"
        )
        self.fields["class_level"].error_messages["invalid_choice"] = (
            "Niveau inconnu : choisissez-en un dans la liste."
        )

    def clean_school_uai(self):
        uai = normalize_uai(self.cleaned_data.get("school_uai", ""))
        if uai:
            validate_uai(uai)
        return uai


class AssignmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Partenaire chargé de l'intervention",
        queryset=Organisation.objects.none(),
        empty_label="Choisissez un partenaire",
    )
    scheduled_for = forms.DateTimeField(
        label="Date et heure prévues",
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text="Laissez vide si la date n'est pas encore fixée.",
    )
    team_notes = forms.CharField(
        label="Notes de l'équipe",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by(
            "name", "pk"
        )


class OutcomeForm(forms.Form):
    held_on = forms.DateField(
        label="Réalisée le",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    pupils_reached = forms.IntegerField(
        label="Élèves touchés", min_value=0, max_value=MAX_PUPILS
    )
    artisans_involved = forms.IntegerField(
        label="Artisans ou professionnels intervenus", min_value=0, max_value=50
    )
    outcome = forms.CharField(
        label="Bilan",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui s'est passé, les retours de la classe. Aucun nom d'élève.",
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                "Une intervention à venir n'a pas encore de bilan."
            )
        return held_on


class DiscoveryPlacementForm(FieldPurposeMixin, PartnerTradesForm):
    """A placement a partner company offers, on behalf of one of its organisations."""

    autocomplete = {"contact_email": "work email"}
    empty_labels = {"level": "Choisissez un niveau"}

    places = forms.IntegerField(label="Places", min_value=1, max_value=100, initial=1)

    class Meta:
        model = DiscoveryPlacement
        fields = [
            "organisation",
            "title",
            "level",
            "trades",
            "description",
            "places",
            "period",
            "contact_email",
            "is_published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "trades": forms.CheckboxSelectMultiple,
        }

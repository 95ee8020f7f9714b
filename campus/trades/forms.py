from django import forms
from django.utils import timezone

from campus.formfields import FieldPurposeMixin, OrganisationOwnedForm, campus_formfield
from campus.trades.models import ShowcaseItem, Trade, TransmissionAction


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label="Date de l'évaluation",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    holder_count = forms.IntegerField(
        label="Nombre de détenteurs", min_value=0, max_value=100_000
    )
    senior_holder_count = forms.IntegerField(
        label="Dont détenteurs de 55 ans ou plus", min_value=0, max_value=100_000
    )
    trainee_count = forms.IntegerField(
        label="Apprentis ou élèves en formation", min_value=0, max_value=100_000
    )
    training_count = forms.IntegerField(
        label="Formations qui l'enseignent",
        min_value=0,
        max_value=10_000,
        help_text="Comptées par l'équipe dans le catalogue des formations.",
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        return assessed_on

    def clean(self):
        cleaned = super().clean()
        holders, seniors = (
            cleaned.get("holder_count"),
            cleaned.get("senior_holder_count"),
        )
        if holders is not None and seniors is not None and seniors > holders:
            self.add_error(
                "senior_holder_count",
                "Il ne peut pas y avoir plus de détenteurs de 55 ans ou plus que de détenteurs.",
            )
        return cleaned


class TransmissionActionForm(FieldPurposeMixin, forms.ModelForm):
    empty_labels = {"kind": "Choisissez un type d'action"}

    class Meta:
        model = TransmissionAction
        fields = [
            "kind",
            "title",
            "status",
            "started_on",
            "ended_on",
            "participant_count",
            "results",
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "results": forms.Textarea(attrs={"rows": 3}),
        }


class PartnerTradesForm(OrganisationOwnedForm):
    """A partner's item: one of the organisations they edit, and published trades."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["trades"].queryset = Trade.objects.published().order_by(
            "name", "pk"
        )


class ShowcaseItemForm(PartnerTradesForm):
    """A partner's showcase item; the image is checked by content, then resized."""

    class Meta:
        model = ShowcaseItem
        formfield_callback = campus_formfield
        fields = [
            "organisation",
            "title",
            "description",
            "image",
            "image_alt",
            "trades",
            "is_published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "trades": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["trades"].required = False
        self.fields["image"].help_text = (
            "JPEG, PNG ou WebP, 2 Mo au plus. L'image est redimensionnée et ses "
            "métadonnées (lieu de prise de vue…) sont retirées."
        )


class OrganisationTradesForm(forms.Form):
    trades = forms.ModelMultipleChoiceField(
        label="Métiers exercés par l'organisation",
        queryset=Trade.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez des métiers de la liste."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trades"].queryset = Trade.objects.published().order_by(
            "name", "pk"
        )

import django_filters
from django import forms
from django.utils import timezone

from campus.images import validate_image_upload
from campus.network.models import Organisation
from campus.search import MAX_QUERY_LENGTH, filter_by_terms
from campus.trades.models import CraftDomain, ShowcaseItem, Trade, TransmissionAction


class TradeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher un métier",
        method="search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Maroquinier, sellier, B1802…"}
        ),
    )
    domaine = django_filters.ModelChoiceFilter(
        label="Domaine des métiers d'art",
        field_name="craft_domain",
        to_field_name="slug",
        queryset=CraftDomain.objects.all(),
        empty_label="Tous les domaines",
    )
    metiers_art = django_filters.BooleanFilter(
        label="Métiers d'art seulement",
        method="crafts_only",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Trade
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["domaine"].error_messages["invalid_choice"] = (
            "Domaine inconnu : choisissez-en un dans la liste."
        )
        self.form.fields["q"].error_messages["max_length"] = (
            f"La recherche est trop longue ({MAX_QUERY_LENGTH} caractères au plus)."
        )

    def search(self, queryset, name, value):
        return filter_by_terms(queryset, value)

    def crafts_only(self, queryset, name, value):
        return queryset.crafts() if value else queryset


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


class TransmissionActionForm(forms.ModelForm):
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


class PartnerTradesForm(forms.ModelForm):
    """A partner's item: one of the organisations they edit, and published trades."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.editable_by(
            user
        ).order_by("name", "pk")
        self.fields["organisation"].empty_label = "Choisissez une organisation"
        self.fields["organisation"].error_messages["invalid_choice"] = (
            "Choisissez une de vos organisations."
        )
        self.fields["trades"].queryset = Trade.objects.published().order_by(
            "name", "pk"
        )


class ShowcaseItemForm(PartnerTradesForm):
    """A partner's showcase item; the image is checked by content, then resized."""

    class Meta:
        model = ShowcaseItem
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
            "image": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["trades"].required = False
        self.fields["image"].help_text = (
            "JPEG, PNG ou WebP, 2 Mo au plus. L'image est redimensionnée et ses "
            "métadonnées (lieu de prise de vue…) sont retirées."
        )

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            validate_image_upload(image)
        return image


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

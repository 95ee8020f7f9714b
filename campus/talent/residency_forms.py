"""The team's residency form."""

from django import forms

from campus.formfields import FieldPurposeMixin
from campus.network.models import Organisation
from campus.richtext import validate_markdown
from campus.talent.models import Call, CallKind, Residency
from campus.trades.models import ShowcaseItem, Trade

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATE_ERRORS = {"invalid": "Indiquez une date valide, par exemple 15/03/2027."}


class WorkChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        return f"{item.title} — {item.organisation.name}"


class ResidencyForm(FieldPurposeMixin, forms.ModelForm):
    empty_labels = {"host": "Choisissez le lieu d'accueil", "call": "Aucun appel"}

    works = WorkChoiceField(
        queryset=ShowcaseItem.objects.none(),
        required=False,
        label="Œuvres produites (réalisations de la vitrine)",
        widget=forms.CheckboxSelectMultiple,
        help_text="Les réalisations publiées dans la vitrine du réseau.",
    )

    class Meta:
        model = Residency
        fields = [
            "title",
            "host",
            "resident_name",
            "trades",
            "starts_on",
            "ends_on",
            "description",
            "works",
            "call",
            "is_published",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "trades": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "resident_name": "Le nom public de l'artiste, publié avec son accord.",
        }
        error_messages = {
            "title": {
                "required": "Indiquez le titre de la résidence.",
                "max_length": "Le titre fait au plus %(limit_value)d caractères.",
            },
            "host": {
                "required": "Choisissez le lieu d'accueil.",
                "invalid_choice": "Lieu inconnu : choisissez-en un dans la liste.",
            },
            "resident_name": {
                "required": "Indiquez le nom de l'artiste.",
                "max_length": "Le nom fait au plus %(limit_value)d caractères.",
            },
            "starts_on": {"required": "Indiquez la date de début.", **DATE_ERRORS},
            "ends_on": {"required": "Indiquez la date de fin.", **DATE_ERRORS},
            "description": {
                "required": "Présentez la résidence.",
                "max_length": "Au plus %(limit_value)d caractères.",
            },
            "call": {"invalid_choice": "Appel inconnu : choisissez-en un."},
            "trades": {
                "invalid_choice": "Métier inconnu : cochez des métiers de la liste.",
                "invalid_pk_value": "Métier inconnu : cochez des métiers de la liste.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["host"].queryset = Organisation.objects.order_by("name", "pk")
        fields["trades"].queryset = Trade.objects.order_by("name", "pk")
        fields["call"].queryset = Call.objects.filter(kind=CallKind.RESIDENCY).order_by(
            "-closes_at", "pk"
        )
        fields["works"].queryset = (
            ShowcaseItem.objects.published()
            .select_related("organisation")
            .order_by("organisation__name", "title", "pk")
        )
        for name in ("works",):
            for code in ("invalid_choice", "invalid_pk_value"):
                fields[name].error_messages[code] = (
                    "Réalisation inconnue : cochez des réalisations de la liste."
                )
        for name in ("starts_on", "ends_on"):
            fields[name].input_formats = DATE_FORMATS
        fields["description"].validators.append(validate_markdown)

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Indiquez le titre de la résidence.")
        return title

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "La fin de la résidence doit suivre son début.")
        return cleaned

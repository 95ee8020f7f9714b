from datetime import date

from django import forms
from django.utils import timezone

from campus.formfields import FieldPurposeMixin
from campus.reports.models import Narrative
from campus.reports.services import PeriodRefused, check_period
from campus.richtext import validate_markdown


class PeriodForm(FieldPurposeMixin, forms.Form):
    """A calendar year, or a start and an end date."""

    year = forms.IntegerField(
        label="Année civile",
        required=False,
        help_text="Du 1er janvier au 31 décembre. Ou bien indiquez les deux dates.",
    )
    starts_on = forms.DateField(
        label="Début de la période",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label="Fin de la période",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["placeholder"] = str(
            timezone.localdate().year - 1
        )

    def clean(self):
        data = super().clean()
        year, start, end = data.get("year"), data.get("starts_on"), data.get("ends_on")
        if self.errors:
            return data
        if year is not None:
            if start or end:
                raise forms.ValidationError(
                    "Indiquez une année ou deux dates, pas les deux."
                )
            if not 1 <= year <= 9999:
                self.add_error("year", "Cette année n'existe pas.")
                return data
            start, end = date(year, 1, 1), date(year, 12, 31)
        elif not (start and end):
            raise forms.ValidationError(
                "Indiquez une année, ou le début et la fin de la période."
            )
        try:
            check_period(start, end)
        except PeriodRefused as refused:
            raise forms.ValidationError(refused.message) from refused
        data["starts_on"], data["ends_on"] = start, end
        return data


class NarrativeForm(FieldPurposeMixin, forms.ModelForm):
    class Meta:
        model = Narrative
        fields = ["text"]
        labels = {"text": "Texte de la section"}
        help_texts = {
            "text": "Mise en forme Markdown : **gras**, *italique*, listes avec « - », "
            "[lien](https://…). Le texte est enregistré comme brouillon : il entre "
            "dans le rapport à la prochaine version produite."
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def clean_text(self):
        text = self.cleaned_data["text"]
        validate_markdown(text)
        return text

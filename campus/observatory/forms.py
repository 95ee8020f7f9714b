from django import forms

from campus.formfields import campus_formfield
from campus.observatory import territories
from campus.observatory.models import KeyFigure
from campus.profiles.models import CampusProfile


class KeyFigureForm(forms.ModelForm):
    """The team's form of a key figure: the computed indicator's territory is
    checked as the observatory's addresses check it."""

    class Meta:
        model = KeyFigure
        fields = [
            "label",
            "value",
            "unit",
            "period",
            "territory",
            "source_label",
            "source_url",
            "order",
            "is_published",
            "is_demo",
            "indicator_key",
            "indicator_naf_codes",
            "indicator_territory",
            "indicator_year",
        ]
        formfield_callback = campus_formfield

    def clean_indicator_territory(self):
        value = self.cleaned_data["indicator_territory"].strip()
        try:
            territories.from_parameter(value, CampusProfile.load())
        except territories.TerritoryError as error:
            raise forms.ValidationError(str(error)) from error
        return value

    def clean(self):
        cleaned = super().clean()
        spec = ["indicator_naf_codes", "indicator_territory", "indicator_year"]
        computed = cleaned.get("indicator_key")
        if not computed and any(cleaned.get(f) for f in spec):
            self.add_error(
                "indicator_key",
                "Choisissez l'indicateur à calculer, ou videz ses codes NAF, son "
                "territoire et son année.",
            )
        if cleaned.get("value") is None and not computed and "value" not in self.errors:
            self.add_error(
                "value", "Saisissez la valeur, ou choisissez un indicateur à calculer."
            )
        # A typed value is only shown with its period and source.
        if cleaned.get("value") is not None:
            for name in ["period", "source_label"]:
                if not cleaned.get(name):
                    self.add_error(name, "Obligatoire pour une valeur saisie.")
        return cleaned

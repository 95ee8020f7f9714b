from django import forms

from campus.agenda.models import Registration
from campus.agenda.registration import MAX_CLASS_PLACES, MAX_PLACES, MAX_PUPILS
from campus.formfields import FieldPurposeMixin
from campus.public_forms import HoneypotMixin


class RegistrationForm(FieldPurposeMixin, HoneypotMixin, forms.ModelForm):
    """The public registration form: no account, confirmed by e-mail; for a class,
    the school and the number of pupils, never their names."""

    autocomplete = {"name": "name", "email": "email", "school_name": "organization"}

    places = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        max_value=MAX_CLASS_PLACES,
        initial=1,
        help_text=(
            f"Jusqu'à {MAX_PLACES} places ; pour une classe, élèves et "
            f"accompagnateurs compris, jusqu'à {MAX_CLASS_PLACES}."
        ),
        error_messages={
            "invalid": "Indiquez un nombre entier de places.",
            "min_value": "Indiquez au moins 1 place.",
            "max_value": f"Une inscription compte au plus {MAX_CLASS_PLACES} places.",
            "required": "Indiquez le nombre de places.",
        },
    )
    pupil_count = forms.IntegerField(
        label="Nombre d'élèves (pour une classe)",
        required=False,
        min_value=1,
        max_value=MAX_PUPILS,
        error_messages={
            "invalid": "Indiquez un nombre entier d'élèves.",
            "min_value": "Indiquez au moins 1 élève.",
            "max_value": f"Une classe compte au plus {MAX_PUPILS} élèves.",
        },
    )

    class Meta:
        model = Registration
        fields = ["name", "email", "places", "school_name", "pupil_count"]
        labels = {"school_name": "Établissement (pour une classe)"}
        help_texts = {
            "school_name": (
                "Pour inscrire une classe : le nom de l'établissement et le nombre "
                "d'élèves. Ne donnez pas le nom des élèves."
            ),
        }
        error_messages = {
            "name": {"required": "Indiquez votre nom."},
            "email": {
                "required": "Indiquez votre adresse e-mail.",
                "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
            },
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if any(ord(char) < 32 for char in name):
            raise forms.ValidationError("Le nom ne peut pas contenir de saut de ligne.")
        return name

    def clean(self):
        cleaned = super().clean()
        places = cleaned.get("places")
        school = cleaned.get("school_name", "").strip()
        pupils = cleaned.get("pupil_count")
        if school and pupils is None and "pupil_count" not in self.errors:
            self.add_error("pupil_count", "Indiquez le nombre d'élèves de la classe.")
        if pupils is not None and not school:
            self.add_error("school_name", "Indiquez l'établissement de la classe.")
        if places is None:
            return cleaned
        if not school and places > MAX_PLACES:
            self.add_error(
                "places",
                f"Une inscription individuelle compte au plus {MAX_PLACES} places ; "
                "pour une classe, indiquez l'établissement et le nombre d'élèves.",
            )
        elif pupils is not None and places < pupils:
            self.add_error(
                "places",
                "Comptez au moins une place par élève, plus les accompagnateurs.",
            )
        capacity = self.event.capacity
        if capacity is not None and places > capacity and "places" not in self.errors:
            self.add_error(
                "places",
                f"Cet événement compte {capacity} place{'s' if capacity > 1 else ''} "
                "en tout : demandez-en moins.",
            )
        return cleaned

"""Form defaults shared by every app's ModelForms."""

from django import forms
from django.db import models

from campus.images import ImageUploadField
from campus.network.models import Organisation


def campus_formfield(field: models.Field, **kwargs):
    """Web addresses typed without a scheme ("www.atelier.fr") are taken as https,
    and uploaded images are checked by content."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    if isinstance(field, models.ImageField):
        kwargs.setdefault("form_class", ImageUploadField)
    return field.formfield(**kwargs)


# The same default for the Django admin's forms.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class OrganisationOwnedForm(forms.ModelForm):
    """A partner's row, owned by one of the organisations the user edits.

    The choice is limited to `Organisation.objects.editable_by(user)`, so a
    tampered id is refused; with a single organisation it is already chosen.
    """

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = Organisation.objects.editable_by(user).order_by(
            "name", "pk"
        )
        field = self.fields["organisation"]
        field.queryset = self.organisations
        field.error_messages["invalid_choice"] = (
            "Organisation inconnue ou que vous ne pouvez pas modifier : "
            "choisissez une de vos organisations."
        )
        first_two = list(self.organisations[:2])
        if len(first_two) == 1:
            field.empty_label = None
            field.initial = first_two[0].pk
        else:
            field.empty_label = "Choisissez une organisation"


class FieldPurposeMixin:
    """Says what each field asks for, to browsers and assistive technologies.

    `autocomplete` maps a field to its autocomplete token (WCAG 1.3.5: the browser
    can fill in a name, an e-mail, a phone number or an address); a field whose token
    ends in « tel » becomes an `<input type="tel">` (the phone keypad on a mobile).
    `empty_labels` names the empty choice of a select (« Choisissez un niveau ») in
    place of Django's « --------- ».
    """

    autocomplete: dict[str, str] = {}
    empty_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, token in self.autocomplete.items():
            widget = self.fields[name].widget
            widget.attrs["autocomplete"] = token
            if token.split()[-1] == "tel":
                widget.input_type = "tel"
        for name, label in self.empty_labels.items():
            name_empty_choice(self.fields[name], label)


def name_empty_choice(field: forms.Field, label: str) -> None:
    """Replaces the « --------- » of a select with what choosing nothing means."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = label
    else:
        field.choices = [
            ("", label) if value in ("", None) else (value, text)
            for value, text in field.choices
        ]

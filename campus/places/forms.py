import re

from django import forms

from campus.places.models import Commune
from campus.search import fold

MAX_LENGTH = 160
POSTAL_CODE_THEN_NAME = re.compile(r"^\s*(\d{5})\s+(.+?)\s*$")


class CommuneField(forms.CharField):
    """A commune typed by its name, optionally after its postal code: "21500 Montbard".

    The text input is paired with a list of suggestions (a <datalist>), so it stays
    usable without JavaScript and by keyboard, unlike a select of thousands of options.
    """

    default_error_messages = {
        "unknown": "Commune inconnue : « %(value)s ». Tapez son nom, par exemple « Montbard ».",
        "ambiguous": (
            "Plusieurs communes correspondent à « %(value)s » : précisez le code postal, "
            "par exemple « 21500 Montbard »."
        ),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Commune")
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {
                "list": "commune-suggestions",
                "autocomplete": "off",
                "maxlength": MAX_LENGTH,
            }
        )

    def prepare_value(self, value):
        if isinstance(value, int):
            value = Commune.objects.filter(pk=value).first()
        if isinstance(value, Commune):
            return f"{value.main_postal_code} {value.name}".strip()
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > MAX_LENGTH:
            raise forms.ValidationError(
                "Nom de commune trop long (%(max)s caractères au plus).",
                code="max_length",
                params={"max": MAX_LENGTH},
            )
        match = POSTAL_CODE_THEN_NAME.match(text)
        postal_code, name = match.groups() if match else (None, text)
        candidates = list(
            Commune.objects.search(name).select_related("departement")[:50]
        )
        if postal_code:
            candidates = [c for c in candidates if postal_code in c.postal_code_list]
        exact = [c for c in candidates if fold(c.name) == fold(name)]
        chosen = exact or candidates
        if len(chosen) == 1:
            return chosen[0]
        code = "ambiguous" if chosen else "unknown"
        raise forms.ValidationError(
            self.error_messages[code], code=code, params={"value": text[:80]}
        )

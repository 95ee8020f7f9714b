"""Form field defaults shared by every app's ModelForms."""

from django.db import models


def campus_formfield(field: models.Field, **kwargs):
    """Web addresses typed without a scheme ("www.atelier.fr") are taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


# The same default for the Django admin's forms.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

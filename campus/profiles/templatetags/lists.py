"""Template helpers of the public lists (catalogue, directory, trades, map)."""

import hashlib

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def rendering_key(form) -> str:
    """A digest of everything a filter form's HTML depends on, for `{% cache %}`.

    Rendering the filter panel (select options, one template each) cost more than the
    rest of a list page. Its HTML is a function of the submitted values, the errors and
    the choices offered (départements of the campus, domains…) and the fields' labels,
    help texts and widget attributes (placeholders may come from the profiles), so those
    make the key: a changed choice or value renders anew, and nothing is shown stale.
    """
    parts = []
    for name, field in form.fields.items():
        value = repr(form[name].value())
        errors = [str(e) for e in form.errors.get(name, [])]
        parts.append((name, value, errors, str(field.label), str(field.help_text)))
        parts.append(sorted((k, str(v)) for k, v in field.widget.attrs.items()))
        if hasattr(field, "choices"):
            # Read once, and the widget renders the same list: a model field's
            # choices are a query each time they are read, and the page then costs
            # the same queries whether its panel comes from the cache or not. Read
            # by a loop, not list(), which asks their length first: a count query.
            choices = field.widget.choices = [choice for choice in field.choices]
            parts.append([(str(value), str(label)) for value, label in choices])
    parts.append([str(e) for e in form.non_field_errors()])
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@register.filter
def demo_badge(item) -> str:
    """The « Démo » badge of a fictitious item (components/demo_badge.html uses it).

    A filter rather than an include in list rows: an include costs a new context for
    every row, about a tenth of the rendering of a 50-row list.
    """
    if not getattr(item, "is_demo", False):
        return ""
    return mark_safe(
        '<span class="badge badge--demo" title="Donnée fictive de démonstration">'
        "Démo</span>"
    )

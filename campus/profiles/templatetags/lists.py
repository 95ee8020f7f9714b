"""Template helpers of the public lists (catalogue, directory, trades, map)."""

import hashlib

from django import template
from django.utils.safestring import mark_safe

from campus import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_panel_key(context, form) -> str:
    """The `{% cache %}` key of a filter panel: `rendering_key(form)`, read back
    under the content stamps rather than computed for each request.

    The digest walks every choice, label and attribute of the form: a twentieth
    of a built catalogue page. While the tables it read keep their stamps it only
    changes with what the form takes from the request (its values and errors), so
    it is kept under those. After a write to one of them the digest is computed
    again, but it is the same as before unless the write changed the form (a new
    département among the choices): the panel rendered before the write is served.
    Kept as any part is (`fragments.kept`); a request that may write (no stamps)
    computes the digest.
    """
    request = getattr(context, "request", None)
    if request is None:
        return rendering_key(form)
    form_class = type(form)
    state = (form_class.__module__, form_class.__qualname__) + form_state(form)
    name = "panel-key." + hashlib.sha256(repr(state).encode()).hexdigest()
    return fragments.kept(request, name, lambda: rendering_key(form))


def form_state(form) -> tuple:
    """What a form takes from the request: the values it shows and its errors."""
    if form.is_bound:
        data = form.data
        values = [
            data.getlist(form.add_prefix(name))
            if hasattr(data, "getlist")
            else data.get(form.add_prefix(name))
            for name in form.fields
        ]
        errors = sorted(
            (name, [str(e) for e in el]) for name, el in form.errors.items()
        )
    else:
        # An unbound form shows its initial values, which a view may set.
        values = [form[name].value() for name in form.fields]
        errors = []
    return (form.prefix, form.auto_id, tuple(form.fields), values, errors)


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

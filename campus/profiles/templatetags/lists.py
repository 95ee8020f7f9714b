"""Template helpers of the public lists (catalogue, directory, trades, map)."""

from django import template
from django.utils.safestring import mark_safe

from campus import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_panel_key(context, form, action, label) -> str:
    """The `{% cache %}` key of a filter panel (components/filter_panel.html), or ""
    when it must be rendered afresh.

    Rendering the panel (select options, one template each) cost more than the rest
    of a list page. Its HTML depends on the request through the submitted values and
    the errors, and otherwise on the database (the choices offered: départements of
    the campus, trades, domains; labels and placeholders of the profiles) and the
    code. The content stamp, which changes on every write, stands for the database,
    so the key is the stamp, the form and its state: nothing is shown stale, and the
    key costs no walk through the choices. Without a stamp (a request that may
    write, a template rendered outside a request) the panel is not kept.
    """
    request = getattr(context, "request", None)
    current = None if request is None else fragments.stamp(request)
    if current is None:
        return ""
    form_class = type(form)
    return repr(
        (current, action, label, form_class.__module__, form_class.__qualname__)
        + form_state(form)
    )


def form_state(form) -> tuple:
    """What a form's HTML takes from the request: its fields, the values it shows
    and its errors."""
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

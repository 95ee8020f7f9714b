"""What the shared filter panel (components/filter_panel.html) needs to know."""

from django import template

register = template.Library()

# The search box stays outside the « Filtres (n) » disclosure, and sorting filters
# nothing: neither counts as a filter in use.
NOT_COUNTED = {"q", "tri", "page"}


@register.filter
def filters_in_use(form) -> int:
    """How many of the form's filters the visitor has set."""
    if not form.is_bound:
        return 0
    return sum(
        1
        for name in form.fields
        if name not in NOT_COUNTED and any(v.strip() for v in form.data.getlist(name))
    )

from django import template

from campus.observatory.figures import french_number

register = template.Library()


@register.filter
def index(items, position):
    """items[position], or "" past the end (a table's optional row links)."""
    try:
        return items[position]
    except (IndexError, TypeError):
        return ""


@register.simple_tag
def cell(value, table, column):
    """A table cell in French, a withheld value in words, never as 0."""
    if value is None:
        return table.withheld_label
    if table.columns[column].numeric and not isinstance(value, str):
        return french_number(value)
    return value

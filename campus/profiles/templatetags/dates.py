"""{{ value|french_date }}, {{ start|french_date_range:end }}: see campus/dates.py.

Loaded in every template (TEMPLATES' builtins), like Django's own `date` filter,
which the site does not use for people.
"""

from django import template

from campus import dates

register = template.Library()


@register.filter
def french_date(value, style=""):
    return dates.french_date(value, style)


@register.filter
def french_date_range(start, end):
    if not start:
        return ""
    return dates.french_date_range(start, end or None)

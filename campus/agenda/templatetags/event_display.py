"""How the agenda's pages write an event's time, and its JSON-LD."""

import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from campus.dates import french_date, french_date_range, french_time

register = template.Library()

# As django.utils.html.json_script: the JSON cannot close its <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def event_when(event) -> str:
    """« mercredi 1er avril 2026, de 9 h à 12 h », « du 3 au 5 avril 2026 »,
    « du 3 avril 2026 à 14 h au 5 avril 2026 à 12 h », in Paris time."""
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if event.all_day:
        if start.date() == end.date():
            return f"{french_date(start.date(), 'jour')}, toute la journée"
        return french_date_range(start, end)
    if start.date() == end.date():
        return (
            f"{french_date(start.date(), 'jour')}, "
            f"de {french_time(start)} à {french_time(end)}"
        )
    return f"du {french_date(start, 'heure')} au {french_date(end, 'heure')}"


@register.filter
def json_ld(data) -> str:
    """A <script type="application/ld+json"> holding the data."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


@register.filter
def time_on(event, day) -> str:
    """What the month view writes before an event on one of its days: its start
    time on its first day, « suite » on the next ones, nothing for a whole day."""
    start = timezone.localtime(event.starts_at)
    if start.date() < day:
        return "suite"
    if event.all_day:
        return ""
    return french_time(start)

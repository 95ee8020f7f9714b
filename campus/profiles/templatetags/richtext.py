from django import template

from campus.richtext import render_markdown

register = template.Library()


@register.filter
def markdown(value):
    """Renders a Markdown text written by a partner or the team as safe HTML."""
    return render_markdown(value)

"""The head of every page: its title reused by Open Graph, and its canonical address."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# Parameters that say where a visitor came from, not what the page shows.
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_")
TRACKING_NAMES = {"fbclid", "gclid", "msclkid", "dclid", "yclid", "ref", "xtor"}


def canonical_url(request) -> str:
    """The public address of the page with the filters in use and nothing else.

    A filtered list keeps its filters (« formations en apprentissage » is a page of its
    own that people share); empty filters, the first page number and tracking
    parameters go, so that every address of the same results names one canonical URL.
    """
    params = [
        (name, value)
        for name, value in request.GET.lists()
        for value in value
        if value.strip()
        and name not in TRACKING_NAMES
        and not name.startswith(TRACKING_PREFIXES)
        and not (name == "page" and value.strip() == "1")
    ]
    query = f"?{urlencode(params)}" if params else ""
    return f"{settings.CAMPUS_SITE_URL}{request.path}{query}"


@register.simple_tag(takes_context=True, name="canonical_url")
def canonical_url_tag(context):
    return canonical_url(context["request"])


@register.simple_tag
def absolute_url(path: str) -> str:
    """An address on the public site, for the tags that need one (og:image)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.CAMPUS_SITE_URL}{path}"


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # The captured text is already rendered and escaped by its own tags.
        text = " ".join(self.nodelist.render(context).split())
        context[self.name] = mark_safe(text)
        return ""


@register.tag
def capture(parser, token):
    """{% capture name %}…{% endcapture %}: renders once, stores the text for reuse.

    The page's title block is shown in <title> and in og:title; a block renders only
    once, so the base template captures it.
    """
    try:
        _tag, name = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError(
            "{% capture name %} takes one name"
        ) from error
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)


@register.simple_tag
def javascript_flag():
    """The inline script that marks the page as run with JavaScript (settings.py)."""
    return format_html("<script>{}</script>", mark_safe(settings.CAMPUS_JS_FLAG_SCRIPT))  # noqa: S308 - a constant of ours

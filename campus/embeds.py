"""Pages that partners show in an <iframe> on their own sites, and the code to copy.

An embeddable page (the map, the agenda, a list of trainings) is the one kind of page
that any site may frame: `embeddable` lifts X-Frame-Options and sets
`frame-ancestors *` for that view alone, while every other page keeps the site's
anti-framing policy (campus/settings.py). Embeds are public, read-only and cached
like any anonymous page (campus/page_cache.py).

`embed_panel()` builds what the « Intégrer sur votre site » panel of a list shows
(components/embed_snippet.html): the widget's address with the list's current
filters and the <iframe> code. The code is built here with every value
HTML-escaped, then escaped again by the template that shows it as text, so a
hostile filter value can neither break out of the snippet's attribute once pasted
nor out of the panel's <textarea>.
"""

from csp.decorators import csp_replace
from django import forms
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt

from campus.search import query_in_use

# The most rows a list widget shows: a widget is a teaser, the campus's site the list.
MAX_EMBED_ROWS = 20
DEFAULT_EMBED_ROWS = 5


def embeddable(view):
    """A public page that any site may show in an iframe."""
    return login_not_required(
        xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))
    )


def iframe_snippet(url: str, *, title: str, height: int) -> str:
    """The <iframe> code a partner pastes into a page, as text."""
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" '
        f'height="{int(height)}" style="border:0" loading="lazy"></iframe>'
    )


def embed_panel(request, url_name: str, *, title: str, height: int, without=()):
    """What the « Intégrer sur votre site » panel of a list needs: the widget's
    address with the filters in use (less those named) and its <iframe> code."""
    query = query_in_use(request, "page", *without)
    path = reverse(url_name) + (f"?{query}" if query else "")
    url = request.build_absolute_uri(path)
    return {
        "path": path,
        "url": url,
        "title": title,
        "code": iframe_snippet(url, title=title, height=height),
    }


class EmbedLimitForm(forms.Form):
    """The number of rows a list widget shows: « ?limite=5 », 1 to 20."""

    limite = forms.IntegerField(
        label="Nombre de lignes",
        required=False,
        min_value=1,
        max_value=MAX_EMBED_ROWS,
        error_messages={
            "invalid": f"Indiquez un nombre entier de 1 à {MAX_EMBED_ROWS}.",
            "min_value": f"Indiquez un nombre entier de 1 à {MAX_EMBED_ROWS}.",
            "max_value": f"Indiquez un nombre entier de 1 à {MAX_EMBED_ROWS}.",
        },
    )

    @property
    def rows(self) -> int:
        return self.cleaned_data.get("limite") or DEFAULT_EMBED_ROWS


def embed_errors(*forms_) -> list[str]:
    """« Champ : message » for every error of the widget's filters and limit."""
    return [
        f"{field.label} : {error}"
        for form in forms_
        for field in form
        for error in field.errors
    ]

"""Formatted text written by people: Markdown in, safe HTML out.

Events, news and every later text a partner or the team writes use it. The
Markdown is rendered by markdown-it-py (CommonMark, raw HTML turned off) and
the result is cleaned by nh3 (the Ammonia sanitiser) with a short list of
tags and only http, https and mailto links, so what a hostile author writes can
never run in a visitor's browser. Forms call `validate_markdown` first, so the
author learns in French what was refused instead of seeing it silently dropped.
"""

import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_LENGTH = 20_000

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
_RAW_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SAFE_TARGET = re.compile(r"^(https?:|mailto:|/|#|$)", re.IGNORECASE)


def render_markdown(text: str) -> SafeString:
    """The HTML of `text`, safe to show to anyone."""
    html = _markdown.render(text or "")
    # Headings start at h2: the page's own title is its only h1.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 removed everything unsafe


def validate_markdown(text: str) -> None:
    """Refuses raw HTML and links that are not web, e-mail or local addresses."""
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            "Le texte est trop long (%(max)s caractères au plus).",
            params={"max": MAX_LENGTH},
            code="too_long",
        )
    if _RAW_TAG.search(text):
        raise ValidationError(
            "Le HTML n'est pas accepté : utilisez la mise en forme Markdown "
            "(**gras**, *italique*, [lien](https://…), listes avec « - »).",
            code="html",
        )
    for target in _LINK_TARGET.findall(text):
        if not _SAFE_TARGET.match(target):
            raise ValidationError(
                "Les liens doivent commencer par https://, http:// ou mailto: "
                "(refusé : « %(target)s »).",
                params={"target": target[:60]},
                code="link",
            )

"""The Content-Security-Policy and framing headers every page sends."""

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.urls import reverse

from campus.settings import image_sources

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part)
    }


SCRIPT_SRC = ["'self'", settings.CAMPUS_JS_FLAG_HASH]


def test_pages_allow_only_their_own_scripts_styles_and_forms(client):
    """A page runs no inline code but the JavaScript flag, posts only to the site and cannot be framed."""
    response = client.get(reverse("profiles:home"))
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == SCRIPT_SRC
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_images_come_from_the_site_and_the_tile_server_when_one_is_set():
    """Without a tile server no third party serves images; with one, its origin only."""
    assert image_sources("") == ["'self'", "data:"]
    assert image_sources("https://{s}.tile.example.org/{z}/{x}/{y}.png") == [
        "'self'",
        "data:",
        "https://*.tile.example.org",
    ]


@pytest.mark.parametrize(
    ("embed_name", "page_name"),
    [
        ("trainings:map_embed", "trainings:map"),
        ("agenda:agenda_embed", "agenda:event_list"),
        ("trainings:catalogue_embed", "trainings:catalogue"),
    ],
)
def test_only_the_embeds_may_be_framed_by_any_site(client, embed_name, page_name):
    """Partners frame the embeds from their own sites; the full pages stay unframeable."""
    embed = client.get(reverse(embed_name))
    assert directives(embed)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in embed.headers
    assert directives(embed)["script-src"] == SCRIPT_SRC
    full_page = client.get(reverse(page_name))
    assert directives(full_page)["frame-ancestors"] == ["'none'"]
    assert full_page.headers["X-Frame-Options"] == "DENY"


def test_error_pages_carry_the_policy(client):
    """A 404 is under the same policy as the pages."""
    response = client.get("/page-inconnue/")
    assert response.status_code == 404
    assert directives(response)["script-src"] == SCRIPT_SRC


def test_the_500_page_style_is_allowed_by_its_hash():
    """The server-error page keeps its inline style, whose hash the policy lists."""
    source = get_template("500.html").template.source
    [style] = re.findall(r"<style>(.*?)</style>", source, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    style_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert f"'sha256-{digest}'" in style_src


def test_the_one_inline_script_is_allowed_by_its_hash(client):
    """Every page's head marks it as run with JavaScript, with exactly the hashed text."""
    page = client.get(reverse("profiles:home")).content.decode()
    [script] = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.CAMPUS_JS_FLAG_HASH
    assert page.index("<script>") < page.index('<link rel="stylesheet"')

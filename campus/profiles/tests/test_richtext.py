from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from campus.richtext import render_markdown, validate_markdown


def test_markdown_renders_formatting_and_web_links():
    html = render_markdown("# Titre\n\n**gras**, *italique* et [site](https://cmq.fr)")
    assert "<h2>Titre</h2>" in html
    assert "<strong>gras</strong>" in html
    assert 'href="https://cmq.fr"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "![x](https://evil.example/pixel.png)",
    ],
)
def test_hostile_markdown_never_renders_active_content(hostile):
    elements = _elements(render_markdown(hostile))
    assert {tag for tag, _ in elements} <= {"p", "a"}
    for _tag, attributes in elements:
        for name, value in attributes:
            assert not name.startswith("on")
            if name == "href":
                assert value.startswith("https://")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def _elements(html):
    collector = _Collector()
    collector.feed(html)
    return collector.elements


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<b>gras</b>",
        "[clic](javascript:alert(1))",
        "[clic](data:text/html,x)",
        "x" * 20_001,
    ],
)
def test_validation_refuses_html_bad_links_and_oversized_text_in_french(hostile):
    with pytest.raises(ValidationError) as error:
        validate_markdown(hostile)
    assert any(word in str(error.value) for word in ("HTML", "liens", "trop long"))


@pytest.mark.parametrize(
    "text",
    ["a < b et c > d", "[site](https://cmq.fr) [ici](/agenda/) [m](mailto:a@b.fr)"],
)
def test_validation_accepts_ordinary_text(text):
    validate_markdown(text)


def test_markdown_filter_is_available_in_every_template():
    rendered = Template("{{ text|markdown }}").render(Context({"text": "*oui*"}))
    assert rendered.strip() == "<p><em>oui</em></p>"

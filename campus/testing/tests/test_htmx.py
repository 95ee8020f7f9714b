from dataclasses import dataclass, field

import pytest

from campus.testing.htmx import (
    assert_same_html,
    fill_form,
    form_query,
    parse_html,
    update_page_with_htmx,
)

CONFIG_400 = (
    '<meta name="htmx-config" content=\'{"responseHandling":'
    '[{"code":"400","swap":true},{"code":"[23]..","swap":true}]}\'>'
)
PAGE = """<!doctype html><html><head>{head}</head><body>
  <div hx-target="#results" hx-swap="{swap}">
    <form hx-get="/liste/" hx-push-url="true">
      <input type="search" name="q"><input type="checkbox" name="seul">
      <select name="type"><option value="">Tous</option><option value="a">A</option></select>
    </form>
  </div>
  <section id="results"><p>Avant</p></section>
</body></html>"""


@dataclass
class FakeResponse:
    content: str
    status_code: int = 200
    headers: dict = field(default_factory=dict)
    request: dict = field(
        default_factory=lambda: {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/liste/",
            "QUERY_STRING": "q=cuir",
        }
    )


def page(*, head="", swap="outerHTML"):
    return parse_html(PAGE.format(head=head, swap=swap))


def test_outer_html_replaces_the_inherited_target_and_pushes_the_url():
    """outerHTML replaces the target named by an ancestor, and the request's URL is pushed."""
    simulated = page()
    pushed = update_page_with_htmx(
        simulated,
        "form",
        FakeResponse('\n<section id="results"><p>Après</p></section>'),
    )
    assert pushed == "/liste/?q=cuir"
    assert (
        str(simulated.select_one("#results"))
        == '<section id="results"><p>Après</p></section>'
    )


def test_inner_html_replaces_the_target_children():
    """innerHTML keeps the target and replaces what is inside."""
    simulated = page(swap="innerHTML")
    update_page_with_htmx(simulated, "form", FakeResponse("<p>Après</p>"))
    assert (
        str(simulated.select_one("#results"))
        == '<section id="results"><p>Après</p></section>'
    )


@pytest.mark.parametrize(("head", "swapped"), [("", False), (CONFIG_400, True)])
def test_a_400_is_swapped_only_when_the_page_configures_it(head, swapped):
    """htmx's default leaves a 400 unswapped; the page's htmx-config can swap it."""
    simulated = page(head=head)
    response = FakeResponse('<section id="results"><p>Erreur</p></section>', 400)
    pushed = update_page_with_htmx(simulated, "form", response)
    assert ("Erreur" in str(simulated)) is swapped
    assert bool(pushed) is swapped


def test_a_filled_form_gives_the_query_a_browser_sends():
    """Filled fields serialise in page order; an unticked box is left out."""
    simulated = page()
    fill_form(simulated, "form", {"q": "cuir", "type": "a"})
    assert form_query(simulated, "form") == "q=cuir&type=a"
    with pytest.raises(ValueError, match="no option"):
        fill_form(simulated, "form", {"type": "pirate"})


def test_pages_compare_whatever_the_whitespace_attribute_order_and_csrf_token():
    """Only what a browser shows counts: not spacing, attribute order or a masked token."""
    first = parse_html(
        '<body hx-headers=\'{"X-CSRFToken": "abc"}\'><p class="a" id="b">Un   mot</p></body>'
    )
    second = parse_html(
        '<body hx-headers=\'{"X-CSRFToken": "xyz"}\'>\n  <p id="b" class="a">Un mot</p>\n</body>'
    )
    assert_same_html(first, second)
    with pytest.raises(AssertionError):
        assert_same_html(first, parse_html("<body><p>Un autre mot</p></body>"))

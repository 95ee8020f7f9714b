"""The insertion pages in Chromium: axe finds nothing, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from campus.testing.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/observatoire/insertion/", "insertion-theme"),
        ("/observatoire/insertion/emploi-6-mois/", "insertion-employment"),
        ("/observatoire/insertion/valeur-ajoutee/?territoire=21", "insertion-va"),
        ("/observatoire/insertion/moyennes-regionales/", "insertion-means"),
        ("/observatoire/definitions/valeur-ajoutee-insertion/", "insertion-definition"),
    ],
)
def test_insertion_pages_are_accessible(
    local_page, live_server, insertion_network, path, name, width
):
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    save_screenshot(page, f"observatory-{name}-{width}")


def test_a_withheld_rate_reads_in_words_in_the_table(
    local_page, live_server, insertion_network
):
    page = local_page
    page.goto(live_server.url + "/observatoire/insertion/emploi-6-mois/")
    row = page.get_by_role("row", name="Lycée Eugène Guillaume — apprentissage")
    expect(row).to_contain_text("non diffusé (moins de 20 sortants)")

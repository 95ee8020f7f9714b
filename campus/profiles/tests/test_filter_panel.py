import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 0),
        ("?q=sac", 0),
        ("?voie=scolaire&niveau=3&tri=formation", 2),
        ("?voie=&niveau=&q=sac", 0),
    ],
)
def test_filters_count_those_in_use_but_the_search_box_and_sorting(
    client, query, count
):
    """« Filtres (n) » counts the filters set, not the search words nor the sort."""
    page = client.get(f"/formations/{query}").content.decode()
    assert f"data-campus-filter-count>({count})</span>" in page


def test_search_box_stays_outside_the_folding_filters(client):
    """The search box comes before the « Filtres » disclosure, which holds the other filters (sent folded, shown by CSS when wide or without JavaScript)."""
    page = client.get("/annuaire/").content.decode()
    search, details = page.index('id="id_q"'), page.index("<details")
    assert search < details < page.index('id="id_type"')
    assert '<details class="filters__more" data-campus-filters>' in page

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus.testing.fragments import committed, warm
from campus.trainings.models import Offering
from campus.trainings.tests.factories import OfferingFactory
from campus.trainings.views import CATALOGUE_PAGE_SIZE

pytestmark = pytest.mark.django_db

# The campus profile (read once for the view and the layout), its départements
# (chosen ones, then every known one when none is chosen), the trades offered in
# the « Métier » choice, and the first page joined with what its rows show; sorted
# by level, organisation or commune, those are prefetched instead (two more queries
# for the catalogue's organisations and communes, three for the map's, which also
# shows certifications). A first page shorter than a page is counted by its rows.
LIST_QUERIES = 5
# The offering with what the page shows around its kept parts, the campus profile,
# then for the parts: the offering with its certification, organisation, site and
# commune, the same training elsewhere with its organisations and communes, what
# became of its leavers (InserJeunes), its coming open days (agenda), and the skill
# blocks it prepares.
OFFERING_PAGE_QUERIES = 7


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize(
    ("name", "sort", "expected"),
    [
        ("trainings:catalogue", "", LIST_QUERIES),
        ("trainings:map", "", LIST_QUERIES),
        ("trainings:catalogue", "?tri=-formation", LIST_QUERIES),
        ("trainings:catalogue", "?tri=-niveau", LIST_QUERIES + 2),
        ("trainings:catalogue", "?tri=commune", LIST_QUERIES + 2),
        ("trainings:map", "?tri=-etablissement", LIST_QUERIES + 3),
    ],
)
def test_list_pages_cost_a_fixed_number_of_queries(client, name, sort, expected):
    """The catalogue and the map cost the same with two or twelve offerings."""
    OfferingFactory.create_batch(2)
    few = queries(client, reverse(name) + sort)
    OfferingFactory.create_batch(10)
    more = queries(client, reverse(name) + sort)
    assert len(few) == len(more) == expected, "\n".join(q[:90] for q in more)


def test_a_full_first_page_is_counted(client):
    """A first page as long as a page leaves rows unread: the catalogue counts
    them, one query more, and reads no row twice."""
    OfferingFactory.create_batch(CATALOGUE_PAGE_SIZE + 1)
    first = queries(client, reverse("trainings:catalogue"))
    assert len(first) == LIST_QUERIES + 1, "\n".join(q[:90] for q in first)
    assert sum("COUNT(" in query for query in first) == 1
    response = client.get(reverse("trainings:catalogue"))
    assert response.context["page"].paginator.count == CATALOGUE_PAGE_SIZE + 1
    assert len(response.context["page"].object_list) == CATALOGUE_PAGE_SIZE


def test_offering_page_costs_a_fixed_number_of_queries(client):
    """An offering page costs the same with one or five other places teaching it."""
    offering = OfferingFactory()
    OfferingFactory(certification=offering.certification)
    few = queries(client, offering.get_absolute_url())
    OfferingFactory.create_batch(4, certification=offering.certification)
    more = queries(client, offering.get_absolute_url())
    assert len(few) == len(more) == OFFERING_PAGE_QUERIES, more


@committed
def test_a_published_offering_page_with_its_parts_kept_costs_the_stamps_alone(
    client,
):
    """Read back with its parts kept, a published offering's page costs the
    content stamps' query: the offering is kept with every column the page then
    shows. Unpublished, it is a 404 for visitors at once."""
    offering = OfferingFactory(in_montbeliard=True)
    url = offering.get_absolute_url()
    assert "Montbéliard" in warm(client, url)
    assert queries(client, url) == ["SELECT name, stamp FROM profiles_contentstamp"]
    Offering.objects.filter(pk=offering.pk).update(is_published=False)
    assert client.get(url).status_code == 404

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campus.network.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

# The organisation, its contacts and sites, the campus profile for the layout,
# and one query for each section other apps add (showcase with its trades,
# trainings, InserJeunes outcomes, recent articles, coming events).
ORGANISATION_PAGE_QUERIES = 10


def test_organisation_page_costs_a_fixed_number_of_queries(client):
    """An organisation page costs the same with one or five public contacts."""
    organisation = OrganisationFactory()
    PersonFactory(organisation=organisation, is_public=True)
    with CaptureQueriesContext(connection) as few:
        assert client.get(organisation.get_absolute_url()).status_code == 200
    PersonFactory.create_batch(4, organisation=organisation, is_public=True)
    with CaptureQueriesContext(connection) as more:
        assert client.get(organisation.get_absolute_url()).status_code == 200
    assert len(few) == len(more) == ORGANISATION_PAGE_QUERIES, [
        q["sql"] for q in more.captured_queries
    ]

"""The demo's calls (campus/talent/demo_calls.py)."""

import pytest

from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent.demo_calls import COMPETITION, PROJECTS, load_demo_calls
from campus.talent.models import Application, Call, CallState, QuestionKind

pytestmark = pytest.mark.django_db


def test_demo_calls_load_twice_with_an_open_competition_and_a_closed_call(client):
    """Loading twice gives the same rows: an open competition with four questions
    (one a file) and a closed call for projects naming its laureate."""
    organisation = OrganisationFactory(slug="atelier-cuir-auxois", name="Atelier démo")
    MembershipFactory(organisation=organisation)
    assert load_demo_calls() == 2
    assert load_demo_calls() == 2
    competition = Call.objects.get(slug=COMPETITION)
    projects = Call.objects.get(slug=PROJECTS)
    assert Call.objects.count() == 2
    assert all(call.is_demo and call.is_published for call in (competition, projects))
    assert competition.state() == CallState.OPEN
    assert projects.state() == CallState.CLOSED
    kinds = list(competition.questions.values_list("kind", flat=True))
    assert len(kinds) == 4 and QuestionKind.FILE in kinds
    assert Application.objects.laureates().filter(call=projects).count() == 1
    page = client.get(projects.get_absolute_url()).content.decode()
    assert "Poste de piquage partagé (démo)" in page and "Atelier démo" in page
    listing = client.get("/talents/").content.decode()
    assert "Démo" in listing
    assert listing.index(competition.title) < listing.index(projects.title)

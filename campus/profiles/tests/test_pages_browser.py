import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD, UserFactory
from campus.network.models import MemberRole
from campus.network.services import change_member_role
from campus.network.tests.factories import MembershipFactory
from campus.outreach.tests.factories import InterventionRequestFactory
from campus.testing.browser import assert_accessible, log_in, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_reads_the_journal_from_the_back_office(local_page, live_server):
    """From the back-office, the team opens the journal, accessibly, and filters it."""
    team = UserFactory(campus_team=True, full_name="Dominique Moderatrice")
    editor = MembershipFactory(role=MemberRole.EDITOR)
    other = MembershipFactory(organisation=editor.organisation, role=MemberRole.EDITOR)
    change_member_role(other, role=MemberRole.VIEWER, acting_user=team)
    InterventionRequestFactory(school_name="Collège Buffon")
    page = local_page
    log_in(page, live_server, team.email, TEST_PASSWORD)
    page.goto(live_server.url + "/gestion/")
    page.get_by_role("link", name="Journal", exact=True).click()
    expect(page.get_by_role("heading", name="Journal des actions")).to_be_visible()
    expect(page.get_by_text("Rôle : Éditeur → Lecteur")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "action-log")
    page.get_by_role("link", name="Membres", exact=True).click()
    assert page.get_by_text("Collège Buffon").count() == 0
    expect(page.get_by_text("Dominique Moderatrice")).to_be_visible()


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1366, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "mobile"],
)
def test_accessibility_statement_is_accessible(local_page, live_server, viewport):
    """The statement shows the status, the rate and the known non-conformities, accessibly."""
    page = local_page
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/accessibilite/")
    expect(page.get_by_text("Le site est non conforme")).to_be_visible()
    expect(page.get_by_role("heading", name="Non-conformités connues")).to_be_visible()
    expect(
        page.get_by_role("link", name="Accessibilité : non conforme")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"accessibility-{viewport['width']}")

import pytest

from campus.accounts.tests.factories import UserFactory
from campus.newsletter.models import NewsletterIssue, Subscriber

pytestmark = pytest.mark.django_db


def test_the_demo_has_subscribers_and_a_draft_labelled_demo(client, demo_campus):
    """The demo has a few subscribers and one draft issue."""
    assert Subscriber.objects.filter(is_demo=True).count() == 5
    emails = Subscriber.objects.values_list("email", flat=True)
    assert all(email.endswith("@example.org") for email in emails)
    issue = NewsletterIssue.objects.get()
    assert issue.is_demo and issue.status == "draft"
    client.force_login(UserFactory(campus_team=True))
    for url in ("/gestion/lettre/", issue.get_absolute_url()):
        assert "badge--demo" in client.get(url).content.decode()

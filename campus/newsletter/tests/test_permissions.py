"""Only the campus team composes, previews and sends the newsletter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory
from campus.newsletter.models import IssueStatus, NewsletterIssue
from campus.newsletter.tests.factories import IssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def team_urls(issue):
    return {
        "get": [
            "/gestion/lettre/",
            "/gestion/lettre/nouvelle/",
            f"/gestion/lettre/{issue.pk}/",
            f"/gestion/lettre/{issue.pk}/modifier/",
        ],
        "post": [
            "/gestion/lettre/nouvelle/",
            f"/gestion/lettre/{issue.pk}/modifier/",
            f"/gestion/lettre/{issue.pk}/essai/",
            f"/gestion/lettre/{issue.pk}/envoyer/",
            f"/gestion/lettre/{issue.pk}/reprendre/",
        ],
    }


def test_anonymous_visitors_are_sent_to_the_login(client):
    issue = IssueFactory()
    urls = team_urls(issue)
    for url in urls["get"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/connexion/"), url
    for url in urls["post"]:
        assert (
            client.post(url, {"subject": "x", "topics": ["events"]}).status_code == 302
        )
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert NewsletterIssue.objects.count() == 1


def test_partners_get_a_404_and_change_nothing(client):
    issue = IssueFactory(subject="La lettre")
    SubscriberFactory(active=True)
    partner = MembershipFactory().user
    client.force_login(partner)
    urls = team_urls(issue)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        response = client.post(url, {"subject": "Piratée", "topics": ["events"]})
        assert response.status_code == 404, url
    issue.refresh_from_db()
    assert (issue.status, issue.subject) == (IssueStatus.DRAFT, "La lettre")
    assert NewsletterIssue.objects.count() == 1
    assert issue.deliveries.count() == 0


def test_the_team_sees_the_counts_by_status_and_topic(client):
    client.force_login(UserFactory(campus_team=True))
    SubscriberFactory(active=True, topics=["events", "calls"])
    SubscriberFactory(active=True, topics=["events"])
    SubscriberFactory(topics=["events"])
    response = client.get("/gestion/lettre/")
    assert response.status_code == 200
    rows = response.content.decode()
    assert '<th scope="row">Abonné</th><td>2</td>' in rows
    assert '<th scope="row">En attente de confirmation</th><td>1</td>' in rows
    assert "portes ouvertes, salons, ateliers</th><td>2</td>" in rows
    assert "Appels à projets et concours</th><td>1</td>" in rows


def test_the_back_office_home_has_the_newsletter_card(client):
    client.force_login(UserFactory(campus_team=True))
    response = client.get("/gestion/")
    assert 'href="/gestion/lettre/"' in response.content.decode()


def test_the_team_home_costs_the_same_queries_whatever_the_issues(client):
    client.force_login(UserFactory(campus_team=True))
    IssueFactory(created_by=UserFactory())
    client.get("/gestion/lettre/")
    with CaptureQueriesContext(connection) as one_issue:
        client.get("/gestion/lettre/")
    for _ in range(5):
        IssueFactory(created_by=UserFactory())
    with CaptureQueriesContext(connection) as six_issues:
        client.get("/gestion/lettre/")
    assert len(six_issues.captured_queries) == len(one_issue.captured_queries)

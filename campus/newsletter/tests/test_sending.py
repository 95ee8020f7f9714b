"""Composing and sending an issue: the real task worker, a real SMTP server, batches,
and a sending that resumes after its worker died without sending anything twice."""

import html
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus

from campus.accounts.tests.factories import UserFactory
from campus.moderation import ModerationStatus
from campus.newsletter import services
from campus.newsletter.models import (
    Delivery,
    DeliveryStatus,
    IssueStatus,
    NewsletterIssue,
)
from campus.newsletter.tests.factories import (
    IssueFactory,
    PublishedArticleFactory,
    PublishedEventFactory,
    SubscriberFactory,
)
from campus.testing.tasks import failures_not_recorded, task_results


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def team_client(client):
    client.force_login(UserFactory(campus_team=True, email="equipe@campus.fr"))
    return client


@pytest.fixture
def audience():
    """Five active subscribers of « events », and three who must get nothing."""
    receivers = [
        SubscriberFactory(
            email=f"lecteur{n}@exemple.fr", active=True, topics=["events"]
        )
        for n in range(4)
    ]
    receivers.append(
        SubscriberFactory(
            email="tout@exemple.fr", active=True, topics=["events", "calls"]
        )
    )
    SubscriberFactory(email="appels@exemple.fr", active=True, topics=["calls"])
    SubscriberFactory(email="attente@exemple.fr", topics=["events"])
    SubscriberFactory(email="parti@exemple.fr", unsubscribed=True, topics=["events"])
    return receivers


@pytest.fixture
def batches_of_two(settings):
    settings.CAMPUS_NEWSLETTER_BATCH_SIZE = 2
    settings.CAMPUS_NEWSLETTER_RATE_PER_SECOND = 0


@pytest.mark.django_db
def test_the_team_composes_an_issue_and_previews_it(team_client):
    """The issue is saved as a draft and its page shows the HTML part, with the
    chosen news and events."""
    article = PublishedArticleFactory(title="Un nouveau CAP maroquinerie")
    event = PublishedEventFactory(title="Portes ouvertes du lycée")
    response = team_client.post(
        "/gestion/lettre/nouvelle/",
        {
            "subject": "La lettre\r\nde mars",
            "intro": "Bonjour, voici **nos nouvelles**.",
            "topics": ["events", "trainings"],
            "articles": [article.pk],
            "events": [event.pk],
        },
    )
    assert response.status_code == 302
    issue = NewsletterIssue.objects.get()
    # A line break typed in the subject never reaches the mail headers.
    assert issue.subject == "La lettre de mars"
    assert issue.status == IssueStatus.DRAFT
    response = team_client.get(issue.get_absolute_url())
    assert response.status_code == 200
    text = page(response)
    assert "<strong>nos nouvelles</strong>" in text
    assert "Un nouveau CAP maroquinerie" in text
    assert "Portes ouvertes du lycée" in text
    assert "Envoyer à 0 abonné" in text


@pytest.mark.django_db
def test_the_team_edits_a_draft(team_client):
    issue = IssueFactory(subject="Brouillon", topics=["events"])
    url = f"/gestion/lettre/{issue.pk}/modifier/"
    assert team_client.get(url).status_code == 200
    response = team_client.post(
        url, {"subject": "La lettre d'avril", "intro": "", "topics": ["calls"]}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.subject, issue.topics) == ("La lettre d'avril", ["calls"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subject": ""}, "Donnez un objet à la lettre."),
        ({"subject": "x" * 151}, "L'objet est trop long"),
        ({"intro": "<script>alert(1)</script>"}, "Le HTML n'est pas accepté"),
        ({"intro": "[clic](javascript:alert(1))"}, "lien"),
        ({"intro": "x" * 5001}, "trop longue"),
        ({"topics": []}, "Choisissez au moins un thème."),
        ({"topics": ["pirates"]}, "Ce thème n'existe pas"),
        ({"articles": ["999999"]}, "Cette actualité n'est pas publiée"),
        ({"articles": ["abc"]}, "Cette actualité n'existe pas"),
        ({"events": ["999999"]}, "Cet événement n'est pas publié"),
    ],
)
def test_bad_issues_are_refused_in_french_and_nothing_is_saved(
    team_client, overrides, message
):
    data = {"subject": "La lettre", "intro": "Bonjour", "topics": ["events"]}
    response = team_client.post("/gestion/lettre/nouvelle/", {**data, **overrides})
    assert response.status_code == 400
    assert message in page(response)
    assert NewsletterIssue.objects.count() == 0


@pytest.mark.django_db
def test_unpublished_and_past_items_cannot_be_chosen(team_client):
    draft = PublishedArticleFactory(status=ModerationStatus.SUBMITTED)
    past = PublishedEventFactory(starts_at=timezone.now() - timedelta(days=3))
    for field, pk in (("articles", draft.pk), ("events", past.pk)):
        response = team_client.post(
            "/gestion/lettre/nouvelle/",
            {"subject": "La lettre", "topics": ["events"], field: [pk]},
        )
        assert response.status_code == 400
    assert NewsletterIssue.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_sending_goes_through_the_worker_in_batches_to_the_smtp_server(
    team_client, run_tasks, smtp_server, audience, batches_of_two
):
    """Each active subscriber of the issue's topics receives one message with their
    own links and list headers; two per SMTP connection."""
    event = PublishedEventFactory(title="Salon des métiers d'art")
    issue = IssueFactory(
        subject="La lettre de mars",
        topics=["events"],
        intro="Voir [l'agenda](/agenda/) et <b>rien</b> d'autre.",
    )
    issue.events.add(event)
    response = team_client.post(f"/gestion/lettre/{issue.pk}/envoyer/")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    assert smtp_server.messages == []

    run_tasks()
    received = smtp_server.messages
    assert sorted(m.recipients[0] for m in received) == sorted(
        s.email for s in audience
    )
    # Five messages, two per connection: three connections.
    assert len({m.peer for m in received}) == 3
    for subscriber in audience:
        [message] = smtp_server.to(subscriber.email)
        assert message.subject == "La lettre de mars"
        assert subscriber.token in message["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Id"]
        assert "Salon des métiers d'art" in message.text
        assert "Salon des métiers d&#x27;art" in message.html
        assert subscriber.get_preferences_url() in message.text
        assert subscriber.get_unsubscribe_url() in message.html
        # No tracking: no image, and links go straight to the site.
        assert "<img" not in message.html
        assert f'href="http://127.0.0.1:8000{event.get_absolute_url()}"' in message.html
        # The site's own links work from a mailbox; raw HTML stays text.
        assert 'href="http://127.0.0.1:8000/agenda/"' in message.html
        assert "<b>" not in message.html
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert (issue.recipient_count, issue.sent_count, issue.failed_count) == (5, 5, 0)
    assert set(issue.deliveries.values_list("status", flat=True)) == {"sent"}
    response = team_client.get(issue.get_absolute_url())
    assert "100 % : 5 envoyés, 0 échec" in page(response)


class WorkerDied(BaseException):
    """What killing the worker looks like from inside: nothing catches it."""


@pytest.mark.django_db(transaction=True)
def test_a_sending_whose_worker_died_resumes_and_nobody_receives_it_twice(
    team_client, run_tasks, smtp_server, audience, batches_of_two, monkeypatch
):
    """The worker dies just after the SMTP server accepted the third message and
    before recording it; resumed, the sending reaches everyone else, once."""
    issue = IssueFactory(topics=["events"])
    team_client.post(f"/gestion/lettre/{issue.pk}/envoyer/")
    finish = services._finish
    calls = []

    def finish_then_die(delivery_id, **kwargs):
        calls.append(delivery_id)
        if len(calls) == 3:
            raise WorkerDied
        finish(delivery_id, **kwargs)

    monkeypatch.setattr(services, "_finish", finish_then_die)
    record_failures_again = failures_not_recorded(monkeypatch)
    with pytest.raises(WorkerDied):
        run_tasks()
    monkeypatch.setattr(services, "_finish", finish)
    record_failures_again()
    # The dead worker left its task « running » in the queue.
    [dead] = task_results()
    assert dead.status == TaskResultStatus.RUNNING
    assert len(smtp_server.messages) == 3
    statuses = Counter(issue.deliveries.values_list("status", flat=True))
    assert statuses == {"sent": 2, "sending": 1, "pending": 2}

    # Within the heartbeat's delay, the sending is not taken for interrupted.
    response = team_client.post(f"/gestion/lettre/{issue.pk}/reprendre/")
    assert response.status_code == 409
    assert "n'est pas interrompu" in page(response)
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    response = team_client.get(issue.get_absolute_url())
    assert "L'envoi s'est interrompu" in page(response)
    response = team_client.post(f"/gestion/lettre/{issue.pk}/reprendre/")
    assert response.status_code == 302
    run_tasks()

    received = Counter(m.recipients[0] for m in smtp_server.messages)
    assert received == {subscriber.email: 1 for subscriber in audience}
    [dead, resumed] = task_results()
    assert dead.status == TaskResultStatus.FAILED
    assert resumed.status == TaskResultStatus.SUCCESSFUL
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    uncertain = issue.deliveries.get(status=DeliveryStatus.FAILED)
    assert uncertain.pk == calls[2]
    assert uncertain.error == services.UNCERTAIN
    assert (issue.sent_count, issue.failed_count) == (4, 1)


@pytest.mark.django_db(transaction=True)
def test_running_the_task_again_sends_nothing_more(
    run_tasks, smtp_server, audience, batches_of_two
):
    issue = IssueFactory(topics=["events"])
    services.start_sending(issue, acting_user=None)
    run_tasks()
    assert len(smtp_server.messages) == 5
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING)
    services.deliver_issue(issue.pk)
    assert len(smtp_server.messages) == 5


@pytest.mark.django_db(transaction=True)
def test_an_issue_is_sent_once_whatever_the_clicks(
    team_client, run_tasks, smtp_server, audience
):
    issue = IssueFactory(topics=["events"])
    assert team_client.post(f"/gestion/lettre/{issue.pk}/envoyer/").status_code == 302
    response = team_client.post(f"/gestion/lettre/{issue.pk}/envoyer/")
    assert response.status_code == 409
    assert "une lettre ne part qu'une fois" in page(response)
    assert len(task_results()) == 1
    run_tasks()
    response = team_client.post(f"/gestion/lettre/{issue.pk}/envoyer/")
    assert response.status_code == 409
    run_tasks()
    assert len(smtp_server.messages) == 5
    # A sent issue is no longer edited.
    response = team_client.post(
        f"/gestion/lettre/{issue.pk}/modifier/",
        {"subject": "Autre", "topics": ["events"]},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject != "Autre"


@pytest.mark.django_db(transaction=True)
def test_a_refused_recipient_is_recorded_and_the_others_receive_it(
    run_tasks, smtp_server, audience, batches_of_two
):
    smtp_server.refuse("lecteur1@exemple.fr")
    issue = IssueFactory(topics=["events"])
    services.start_sending(issue, acting_user=None)
    run_tasks()
    assert len(smtp_server.messages) == 4
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.subscriber.email == "lecteur1@exemple.fr"
    assert "refusé par le serveur" in failed.error
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count, issue.failed_count) == ("sent", 4, 1)


@pytest.mark.django_db
def test_who_unsubscribed_before_their_turn_gets_nothing(audience, smtp_server):
    issue = IssueFactory(topics=["events"])
    services.start_sending(issue, acting_user=None)
    services._create_deliveries(issue)
    services.unsubscribe(audience[0])
    services.deliver_issue(issue.pk)
    assert audience[0].email not in {m.recipients[0] for m in smtp_server.messages}
    assert len(smtp_server.messages) == 4
    cancelled = Delivery.objects.get(status=DeliveryStatus.CANCELLED)
    assert cancelled.subscriber == audience[0]


@pytest.mark.django_db(transaction=True)
def test_a_test_goes_to_the_team_member_alone(team_client, run_tasks, smtp_server):
    SubscriberFactory(active=True)
    issue = IssueFactory(subject="La lettre de mars")
    response = team_client.post(f"/gestion/lettre/{issue.pk}/essai/")
    assert response.status_code == 302
    run_tasks()
    [message] = smtp_server.messages
    assert message.recipients == ["equipe@campus.fr"]
    assert message.subject == "[Essai] La lettre de mars"
    assert message["List-Unsubscribe"] is None
    assert message.html and message.text
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_the_progress_fragment_polls_while_sending(team_client, audience):
    issue = IssueFactory(topics=["events"])
    services.start_sending(issue, acting_user=None)
    services._create_deliveries(issue)
    response = team_client.get(issue.get_absolute_url(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = page(response)
    assert 'hx-trigger="every 1s"' in text
    assert "0 % : 0 envoyé, 0 échec, sur 5 destinataires" in text
    assert "<html" not in text


def test_the_pace_keeps_under_the_rate(monkeypatch):
    """At 4 messages a second, the fifth message leaves a second after the first."""
    clock = [100.0]
    slept = []
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(services.time, "sleep", sleep)
    pace = services._Pace(4)
    for _ in range(5):
        pace.wait()
    assert sum(slept) == pytest.approx(1.0)
    assert services._Pace(0).interval == 0


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_down_leaves_the_sending_to_resume(
    team_client, run_tasks, smtp_server, audience, settings
):
    """Nothing is claimed when the server cannot be reached: once resumed, the
    sending reaches everyone."""
    from campus.testing.smtp import _free_port

    issue = IssueFactory(topics=["events"])
    team_client.post(f"/gestion/lettre/{issue.pk}/envoyer/")
    settings.EMAIL_PORT = _free_port()
    run_tasks()
    [failed] = task_results()
    assert failed.status == TaskResultStatus.FAILED
    assert set(issue.deliveries.values_list("status", flat=True)) == {"pending"}
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING

    # The error stopped the heartbeat: the page offers to resume at once.
    response = team_client.get(issue.get_absolute_url())
    assert "L'envoi s'est arrêté sur une erreur" in page(response)
    settings.EMAIL_PORT = smtp_server.port
    assert team_client.post(f"/gestion/lettre/{issue.pk}/reprendre/").status_code == 302
    run_tasks()
    assert len(smtp_server.messages) == 5
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count) == (IssueStatus.SENT, 5)

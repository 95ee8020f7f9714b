from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.outreach.models import InterventionRequest, RequestStatus
from campus.outreach.tests.factories import InterventionRequestFactory
from campus.testing.tasks import task_results
from campus.trades.tests.factories import TradeFactory

pytestmark = pytest.mark.django_db

URL = "/decouvrir/demander-une-intervention/"


def valid_data(**overrides):
    return {
        "school_name": "Collège Louis Pasteur",
        "school_uai": "",
        "school_town": "Montbard",
        "class_level": "4e",
        "pupil_count": "26",
        "preferred_dates": "Les jeudis matin de mars",
        "message": "Projet sur les objets du quotidien.",
        "teacher_name": "Claude Martin",
        "teacher_email": "claude.martin@ac-dijon.fr",
        "teacher_phone": "",
        "website_confirmation": "",
        **overrides,
    }


def test_form_page_is_public(client):
    """Teachers need no account to see the form."""
    response = client.get(URL)
    assert response.status_code == 200
    assert "Demander une intervention en classe" in response.content.decode()


# The worker closes connections it finds inside a transaction; these tests
# therefore run without the test transaction, as the worker does in production.
@pytest.mark.django_db(transaction=True)
def test_valid_request_is_saved_unconfirmed_and_mails_a_confirmation_link(
    client, run_tasks
):
    """A valid request waits unconfirmed and the worker e-mails the confirmation link."""
    trade = TradeFactory(name="Gainier")
    response = client.post(URL, valid_data(trades=[trade.pk]))
    assert response.status_code == 302
    request = InterventionRequest.objects.get()
    assert request.status == RequestStatus.UNCONFIRMED
    assert list(request.trades.all()) == [trade]
    assert mail.outbox == []
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claude.martin@ac-dijon.fr"]
    assert request.get_confirmation_url() in message.body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pupil_count": "0"}, "au moins 1 élève"),
        ({"pupil_count": "-5"}, "au moins 1 élève"),
        ({"pupil_count": "5000"}, "au plus 200 élèves"),
        ({"pupil_count": "vingt"}, "nombre entier"),
        ({"pupil_count": "1e9"}, "nombre entier"),
        ({"class_level": "maternelle"}, "Niveau inconnu"),
        ({"teacher_email": "pas-un-email"}, "adresse de courriel valide"),
        (
            {"teacher_email": "a@b.fr\r\nBcc: victime@exemple.fr"},
            "adresse de courriel valide",
        ),
        ({"school_name": ""}, "Ce champ est obligatoire"),
        ({"school_name": "x" * 201}, "au plus 200 caractères"),
        ({"message": "x" * 3001}, "au plus 3000 caractères"),
        ({"school_uai": "1234567"}, "UAI"),
        ({"trades": ["999999"]}, "Ce métier n"),
        ({"trades": ["1 OR 1=1"]}, "Ce métier n"),
    ],
)
def test_bad_or_hostile_input_is_a_400_in_french_and_saves_nothing(
    client, overrides, message, django_capture_on_commit_callbacks
):
    """Each bad field is refused with a French message, and no request or e-mail is queued."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, valid_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InterventionRequest.objects.exists()
    assert callbacks == []
    assert task_results() == []


def test_filled_honeypot_gets_the_usual_answer_and_nothing_happens(
    client, django_capture_on_commit_callbacks
):
    """A robot that fills the hidden field is told the request was sent, but nothing is."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            URL, valid_data(website_confirmation="http://spam.example")
        )
    assert response.status_code == 302
    assert response["Location"] == "/decouvrir/demande-envoyee/"
    assert not InterventionRequest.objects.exists()
    assert callbacks == []


def test_26th_request_from_one_address_is_refused_and_does_nothing(
    client, django_capture_on_commit_callbacks
):
    """One address sends 25 requests an hour; the 26th gets a French 429 page."""
    for number in range(25):
        response = client.post(
            URL, valid_data(teacher_email=f"enseignant{number}@ac-dijon.fr")
        )
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, valid_data(teacher_email="autre@ac-dijon.fr"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "Erreur 429" in page and "Trop de demandes" in page
    assert InterventionRequest.objects.count() == 25
    assert not InterventionRequest.objects.filter(teacher_email="autre@ac-dijon.fr")
    assert callbacks == []
    assert client.get(URL).status_code == 200


def test_one_recipient_gets_three_requests_an_hour_whatever_the_address(
    client, django_capture_on_commit_callbacks
):
    """Requests for one teacher e-mail from different addresses stop at the 4th."""
    data = valid_data(teacher_email="Victime@Exemple.fr")
    for number in range(3):
        response = client.post(URL, data, REMOTE_ADDR=f"203.0.113.{number}")
        assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            URL,
            {**data, "teacher_email": " victime@exemple.fr"},
            REMOTE_ADDR="198.51.100.7",
        )
    assert response.status_code == 429
    assert InterventionRequest.objects.count() == 3
    assert callbacks == []


def test_behind_a_proxy_the_client_address_comes_from_its_header(client, settings):
    """Visitors behind the proxy each get their own budget, read from X-Real-IP."""
    settings.CAMPUS_CLIENT_IP_HEADER = "X-Real-IP"
    for number in range(25):
        data = valid_data(teacher_email=f"enseignant{number}@ac-dijon.fr")
        assert client.post(URL, data, HTTP_X_REAL_IP="192.0.2.1").status_code == 302
    data = valid_data(teacher_email="autre@ac-dijon.fr")
    assert client.post(URL, data, HTTP_X_REAL_IP="192.0.2.1").status_code == 429
    assert client.post(URL, data, HTTP_X_REAL_IP="192.0.2.2").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_confirmation_email_carries_nothing_the_sender_typed(client, run_tasks):
    """The unconfirmed sender's text stays out of the e-mail: only the campus's words and the link."""
    typed = {
        "school_name": "Gagnez 1000 euros",
        "school_town": "http://arnaque.example",
        "preferred_dates": "Cliquez ici",
        "message": "Votre compte bancaire est bloqué",
        "teacher_name": "Service client de votre banque",
        "teacher_phone": "0102030405",
    }
    client.post(URL, valid_data(teacher_email="tiers@exemple.fr", **typed))
    run_tasks()
    [message] = mail.outbox
    assert message.to == ["tiers@exemple.fr"]
    for text in typed.values():
        assert text not in message.subject
        assert text not in message.body
    request = InterventionRequest.objects.get()
    assert request.get_confirmation_url() in message.body


def test_markup_in_fields_is_escaped_on_the_team_page(client):
    """A script typed in the form is shown as text to the campus team."""
    client.post(URL, valid_data(school_name="<script>alert(1)</script>"))
    request = InterventionRequest.objects.get()
    request.status = RequestStatus.NEW
    request.save()
    client.force_login(UserFactory(campus_team=True))
    page = client.get(f"/gestion/interventions/{request.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db(transaction=True)
def test_opening_the_link_changes_nothing_and_posting_confirms(client, run_tasks):
    """GET shows a button; POST confirms the request and tells the team."""
    UserFactory(campus_team=True, email="equipe@campus.fr")
    request = InterventionRequestFactory()
    url = request.get_confirmation_url()
    assert client.get(url).status_code == 200
    request.refresh_from_db()
    assert request.status == RequestStatus.UNCONFIRMED
    response = client.post(url)
    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW and request.confirmed_at
    run_tasks()
    assert [m.to for m in mail.outbox] == [["equipe@campus.fr"]]


def test_expired_or_used_links_are_refused(client):
    """A link older than 7 days, or already used, cannot confirm."""
    old = InterventionRequestFactory()
    InterventionRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    used = InterventionRequestFactory(confirmed=True)
    for request in (old, used):
        response = client.post(request.get_confirmation_url())
        assert response.status_code == 400
        assert "expiré" in response.content.decode()
    old.refresh_from_db()
    assert old.status == RequestStatus.UNCONFIRMED


def test_unknown_token_is_404(client):
    """A made-up token answers 404."""
    assert client.get("/decouvrir/confirmer/inconnu/").status_code == 404


def test_trade_page_link_ticks_the_trade(client):
    """Coming from a trade page, the trade is already ticked; an unknown slug ticks nothing."""
    trade = TradeFactory(name="Gainier", slug="gainier")
    page = client.get(URL, {"metier": "gainier"}).content.decode()
    assert f'value="{trade.pk}" id="id_trades_0" checked' in page
    assert client.get(URL, {"metier": "<x>"}).status_code == 200


@pytest.mark.parametrize(
    "field",
    [
        "school_name",
        "school_town",
        "preferred_dates",
        "message",
        "teacher_name",
    ],
)
def test_a_line_break_in_a_field_never_drops_an_email(
    client, run_tasks, django_capture_on_commit_callbacks, field
):
    """A CR/LF typed in any text field lets the teacher's and the team's e-mails leave."""
    UserFactory(campus_team=True, email="equipe@campus.fr")
    data = valid_data(**{field: "Avant\r\nBcc: tous@exemple.fr\r\naprès"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, data).status_code == 302
    run_tasks()
    request = InterventionRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(request.get_confirmation_url()).status_code == 200
    run_tasks()
    assert [m.to for m in mail.outbox] == [
        ["claude.martin@ac-dijon.fr"],
        ["equipe@campus.fr"],
    ]
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert message.message()["Bcc"] is None

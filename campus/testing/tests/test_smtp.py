"""The SMTP server of the tests receives what Django sends over a real connection."""

import smtplib

import pytest
from django.core.mail import EmailMessage, send_mail


def test_django_sends_to_the_local_server_over_smtp(smtp_server, settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert settings.EMAIL_PORT == smtp_server.port
    send_mail(
        "Objet accentué", "Corps du message", "campus@localhost", ["a@exemple.fr"]
    )
    [received] = smtp_server.messages
    assert received.mail_from == "campus@localhost"
    assert received.recipients == ["a@exemple.fr"]
    assert received.subject == "Objet accentué"
    assert received.text.strip() == "Corps du message"


def test_envelope_recipients_include_blind_copies(smtp_server):
    EmailMessage(
        "Objet", "Corps", "campus@localhost", ["a@exemple.fr"], bcc=["b@exemple.fr"]
    ).send()
    [received] = smtp_server.messages
    assert received.recipients == ["a@exemple.fr", "b@exemple.fr"]
    assert received["Bcc"] is None
    assert smtp_server.to("b@exemple.fr") == [received]


def test_a_refused_mailbox_is_an_smtp_error(smtp_server):
    smtp_server.refuse("inconnu@exemple.fr")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_mail("Objet", "Corps", "campus@localhost", ["inconnu@exemple.fr"])
    assert smtp_server.messages == []

"""The PDF copy of an application, and sending it as an e-mail attachment."""

import io
from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from campus.accounts.tests.factories import UserFactory
from campus.mail import send_templated_email
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.talent import copies
from campus.talent.models import QuestionKind
from campus.talent.tests.factories import (
    AnswerFactory,
    ApplicationFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert(1)</script> <img src="http://evil.example/x.png">'


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def application():
    organisation = OrganisationFactory(name="Atelier des Deux Rives")
    application = ApplicationFactory(
        submitted=True,
        submitted_at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC),
        organisation=organisation,
        applicant=UserFactory(full_name="Léa Martin", email="lea@exemple.fr"),
        call__title="Fonds pour l'innovation 2026",
    )
    call = application.call
    AnswerFactory(
        application=application,
        question=QuestionFactory(call=call, position=1, label="Votre projet"),
        text="Un atelier partagé\nouvert aux apprentis.",
    )
    AnswerFactory(
        application=application,
        question=QuestionFactory(call=call, position=2, label="Remarques"),
        text=HOSTILE,
    )
    answer = AnswerFactory(
        application=application,
        question=QuestionFactory(
            call=call, position=3, label="Budget", kind=QuestionKind.FILE
        ),
        text="",
        file_name="budget-previsionnel.pdf",
    )
    answer.file.save("budget.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    QuestionFactory(call=call, position=4, label="Calendrier", required=False)
    return application


def test_the_copy_holds_the_application(application):
    """Reference, call, applicant, organisation, Paris date, every question and answer."""
    text = _text(copies.application_pdf(application))
    for expected in [
        application.reference,
        "Fonds pour l'innovation 2026",
        "Léa Martin",
        "Atelier des Deux Rives",
        "1er mars 2026 à 23 h 30",  # 22:30 UTC is 23:30 in Paris in winter
        "Votre projet",
        "Un atelier partagé",
        "ouvert aux apprentis.",
        "budget-previsionnel.pdf",
        "Calendrier",
        "Sans réponse",
        "Page 1 sur 1",
    ]:
        assert expected in text, expected


def test_hostile_answers_are_printed_as_text_and_fetch_nothing(
    application, monkeypatch
):
    """Markup typed in an answer is printed as typed, and no address is fetched."""
    fetched = []
    original = copies.NoNetworkFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(copies.NoNetworkFetcher, "fetch", spy)
    text = _text(copies.application_pdf(application))
    assert "<script>alert(1)</script>" in text
    assert "evil.example" in text
    assert not [url for url in fetched if not url.startswith("data:")]


def test_the_fetcher_refuses_every_address_but_data():
    """Files of the server and the network are both out of reach."""
    fetcher = copies.NoNetworkFetcher()
    for url in ["http://evil.example/x.png", "file:///etc/passwd", "ftp://x/y"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_copy_shows_the_campus_logo(application, settings):
    """A campus logo is embedded in the copy, read from storage."""
    from campus.profiles.models import CampusProfile
    from campus.testing.images import image_bytes

    campus = CampusProfile.load()
    campus.logo.save("logo.png", ContentFile(image_bytes()), save=True)
    reader = PdfReader(io.BytesIO(copies.application_pdf(application)))
    assert list(reader.pages[0].images)


@pytest.mark.parametrize("who", ["applicant", "member", "team"])
def test_who_may_read_the_application_gets_its_copy(client, application, who):
    """The applicant, a member of its organisation and the team download the PDF."""
    user = {
        "applicant": lambda: application.applicant,
        "member": lambda: MembershipFactory(organisation=application.organisation).user,
        "team": lambda: UserFactory(campus_team=True),
    }[who]()
    client.force_login(user)
    response = client.get(reverse("talent:application_copy", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert application.reference in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert application.reference in _text(response.content)


def test_anyone_else_gets_a_404(client, application):
    """Another applicant, another partner and anonymous visitors get nothing."""
    url = reverse("talent:application_copy", args=[application.pk])
    assert client.get(url).status_code == 302  # to the login page
    for user in [UserFactory(), MembershipFactory().user]:
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(application.applicant)
    assert (
        client.get(reverse("talent:application_copy", args=[10**9])).status_code == 404
    )
    assert client.post(url).status_code == 405


def test_the_copy_arrives_intact_as_an_attachment(
    application, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    """send_templated_email(attachments=…) carries the PDF through the task queue
    and a real SMTP conversation, byte for byte."""
    pdf = copies.application_pdf(application)
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            "accounts/email/signup_existing",
            {"user": application.applicant, "login_url": "/", "reset_url": "/"},
            ["lea@exemple.fr"],
            attachments=[(copies.copy_filename(application), pdf, "application/pdf")],
        )
    run_tasks()
    [received] = smtp_server.to("lea@exemple.fr")
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == copies.copy_filename(application)
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == pdf
    assert "déjà un compte" in received.text

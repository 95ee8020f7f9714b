"""Uploaded files in an S3-compatible bucket (moto's server on 127.0.0.1): stored
through the real forms, public images read back at their /media/ address, private
files only through the views that check who asks, nothing under MEDIA_ROOT."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole, Organisation
from campus.network.tests.factories import MembershipFactory
from campus.settings import s3_storage_settings
from campus.talent.models import Answer
from campus.talent.tests.factories import (
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
)
from campus.talent.tests.test_applying import pdf_bytes
from campus.testing.images import image_bytes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("campus.profiles.tests.demo_urls"),
]


def test_a_logo_goes_to_the_bucket_and_back_to_the_public_page(
    client, s3_storage, settings
):
    """The logo posted with the organisation's form is stored in the bucket; its
    page links it under /media/, where anyone reads the same bytes."""
    membership = MembershipFactory(role=MemberRole.EDITOR)
    organisation = membership.organisation
    client.force_login(membership.user)
    response = client.post(
        reverse("network:organisation_edit", args=[organisation.pk]),
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "logo": SimpleUploadedFile(
                "logo.png", image_bytes(), content_type="image/png"
            ),
            "logo_alt": "Logo de l'atelier",
        },
    )
    assert response.status_code == 302
    name = Organisation.objects.get(pk=organisation.pk).logo.name
    assert s3_storage.keys() == [name]
    assert not settings.MEDIA_ROOT.exists()

    client.logout()
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f'src="/media/{name}"' in page
    assert s3_storage.endpoint_url not in page
    image = client.get(f"/media/{name}")
    assert image.status_code == 200
    assert image["Content-Type"].startswith("image/")
    assert b"".join(image.streaming_content) == s3_storage.read(name)


def test_an_application_file_goes_to_the_bucket_and_only_to_its_readers(
    client, s3_storage
):
    """A file answer is stored in the bucket; the applicant downloads it through
    the checking view, another user gets a 404 and /media/ never serves it."""
    call = CallFactory()
    question = QuestionFactory(
        call=call, kind="file", label="Dossier", max_file_mb=1, max_length=None
    )
    applicant = UserFactory()
    application = ApplicationFactory(call=call, applicant=applicant, title="")
    client.force_login(applicant)
    pdf = pdf_bytes()
    response = client.post(
        reverse("talent:application_save_draft", args=[application.pk]),
        {
            "title": "Sac de voyage",
            f"question_{question.pk}": SimpleUploadedFile(
                "Dossier.pdf", pdf, content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    name = Answer.objects.get(application=application).file.name
    assert s3_storage.keys() == [name] and name.startswith("candidatures/")

    download = reverse("talent:answer_file", args=[application.pk, question.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf

    client.force_login(UserFactory())
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(f"/media/{name}").status_code == 404


def test_a_missing_public_file_is_a_404(client, s3_storage):
    assert client.get("/media/logos/absent.png").status_code == 404


def test_the_bucket_is_required_and_unset_credentials_are_left_to_boto3():
    """CAMPUS_STORAGE=s3 without a bucket stops the start; empty variables become
    None, so boto3 looks for its own credentials and region."""
    with pytest.raises(ImproperlyConfigured, match="CAMPUS_S3_BUCKET"):
        s3_storage_settings({"CAMPUS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    options = s3_storage_settings(
        {"CAMPUS_S3_BUCKET": "campus", "CAMPUS_S3_ACCESS_KEY_ID": ""}
    )["OPTIONS"]
    assert options["bucket_name"] == "campus"
    assert options["access_key"] is options["endpoint_url"] is None
    assert options["file_overwrite"] is False

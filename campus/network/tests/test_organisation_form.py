import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campus.network.models import MemberRole, Organisation, Site
from campus.network.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from campus.testing.images import image_bytes, png_with_broken_pixels, truncated_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    membership = MembershipFactory(role=MemberRole.EDITOR)
    client.force_login(membership.user)
    client.organisation = membership.organisation
    return client


def post(client, **changes):
    organisation = client.organisation
    data = {"name": organisation.name, "kind": organisation.kind, **changes}
    return client.post(
        reverse("network:organisation_edit", args=[organisation.pk]), data
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "73282932000075", "clé de contrôle"),
        ("siret", "123", "14 chiffres"),
        ("uai", "0210056Y", "lettre de contrôle"),
        ("uai", "ABCDEFGH", "7 chiffres"),
        ("commune", "Atlantide", "Commune inconnue"),
        ("commune", "x" * 500, "trop long"),
        ("website", "javascript:alert(1)", "URL valide"),
        ("name", "", "obligatoire"),
        ("kind", "pirate", "Sélectionnez un choix valide"),
        ("description", "é" * 6000, "5000 caractères"),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_saved(
    editor_client, field, value, message
):
    """Each wrong value gets a French message, a 400, and the listing is unchanged."""
    before = Organisation.objects.values().get(pk=editor_client.organisation.pk)
    response = post(editor_client, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Organisation.objects.values().get(pk=editor_client.organisation.pk) == before


def test_valid_identifiers_are_saved_normalised(editor_client):
    """A SIRET typed with spaces and a lower-case UAI are stored in their official form."""
    response = post(editor_client, siret="732 829 320 00074", uai="0210056x")
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=editor_client.organisation.pk)
    assert (organisation.siret, organisation.uai) == ("73282932000074", "0210056X")


def test_real_logo_with_alternative_text_is_stored(editor_client):
    """A PNG logo with its text alternative is accepted and served."""
    logo = SimpleUploadedFile("logo.png", image_bytes(), content_type="image/png")
    response = post(editor_client, logo=logo, logo_alt="Logo de l'atelier")
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=editor_client.organisation.pk)
    assert organisation.logo.name.startswith("logos/")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<?php system($_GET['c']); ?>", "logo.png", "pas une image"),
        (b"%PDF-1.4 fake", "logo.jpg", "pas une image"),
        (image_bytes()[:60], "logo.png", "pas une image"),
    ],
)
def test_fake_images_are_refused(editor_client, content, name, message):
    """A file that is not a decodable image is refused whatever its name says."""
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = post(editor_client, logo=upload, logo_alt="Logo")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Organisation.objects.get(pk=editor_client.organisation.pk).logo


def test_oversized_image_is_refused(editor_client, settings):
    """An image above the size limit is refused with the limit stated."""
    settings.CAMPUS_MAX_IMAGE_BYTES = 1000
    upload = SimpleUploadedFile("logo.png", image_bytes((400, 400)) + b"\0" * 2000)
    response = post(editor_client, logo=upload, logo_alt="Logo")
    assert response.status_code == 400
    assert "la limite est de" in response.content.decode()


def test_gif_is_refused_by_format(editor_client):
    """Only JPEG, PNG and WebP are accepted."""
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    upload = SimpleUploadedFile("logo.gif", buffer.getvalue())
    response = post(editor_client, logo=upload, logo_alt="Logo")
    assert response.status_code == 400
    assert "Format GIF non accepté" in response.content.decode()


def test_logo_needs_a_text_alternative(editor_client):
    """A logo without its text alternative is refused."""
    upload = SimpleUploadedFile("logo.png", image_bytes())
    response = post(editor_client, logo=upload)
    assert response.status_code == 400
    assert "Décrivez le logo" in response.content.decode()


def test_contacts_and_sites_are_edited_together(editor_client):
    """An editor adds a contact and a site in one form; a bad site UAI saves neither."""
    url = reverse("network:contacts_edit", args=[editor_client.organisation.pk])
    base = {
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "sites-TOTAL_FORMS": "1",
        "sites-INITIAL_FORMS": "0",
        "people-0-full_name": "Ada Sellière",
        "people-0-role": "Gérante",
        "sites-0-name": "Atelier de Montbard",
        "sites-0-commune": "21500 Montbard",
    }
    bad = client_post = editor_client.post(url, {**base, "sites-0-uai": "0210056Y"})
    assert bad.status_code == 400
    assert editor_client.organisation.people.count() == 0
    client_post = editor_client.post(url, base)
    assert client_post.status_code == 302
    assert editor_client.organisation.people.get().full_name == "Ada Sellière"
    assert editor_client.organisation.sites.get().commune.name == "Montbard"


def test_logo_is_checked_like_every_uploaded_image(editor_client):
    """The logo offers and accepts JPEG, PNG and WebP only, as showcase images do."""
    page = editor_client.get(
        reverse("network:organisation_edit", args=[editor_client.organisation.pk])
    ).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp"' in page
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20)).save(buffer, format="GIF")
    upload = SimpleUploadedFile("logo.gif", buffer.getvalue(), content_type="image/gif")
    response = post(editor_client, logo=upload, logo_alt="Logo")
    assert response.status_code == 400
    assert "Format GIF non accepté" in response.content.decode()


@pytest.mark.parametrize(
    "content", [truncated_jpeg(), png_with_broken_pixels()], ids=["jpeg", "png"]
)
def test_a_corrupt_logo_is_refused(editor_client, content):
    """A logo whose pixels cannot be decoded is refused with a message; nothing is stored."""
    upload = SimpleUploadedFile("logo.png", content)
    response = post(editor_client, logo=upload, logo_alt="Logo")
    assert response.status_code == 400
    assert "pas une image lisible" in response.content.decode()
    assert not Organisation.objects.get(pk=editor_client.organisation.pk).logo


@pytest.mark.parametrize(
    ("mode", "extension"), [("RGB", ".jpg"), ("RGBA", ".png")], ids=["opaque", "alpha"]
)
def test_a_logo_is_stored_as_our_own_encoding(editor_client, mode, extension):
    """A logo with a payload appended and a misleading name is stored re-encoded,
    with the extension of what was written: the payload and the name are dropped."""
    payload = b"<html><script>alert(1)</script></html>"
    upload = SimpleUploadedFile(
        "logo.pdf", image_bytes((1200, 600), mode=mode) + payload
    )
    response = post(editor_client, logo=upload, logo_alt="Logo de l'atelier")
    assert response.status_code == 302
    logo = Organisation.objects.get(pk=editor_client.organisation.pk).logo
    assert logo.name.endswith(extension)
    stored = logo.read()
    assert b"<html" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (800, 400)


@pytest.mark.parametrize("prefix", ["people", "sites"])
def test_a_row_of_another_organisation_is_refused(editor_client, prefix):
    """A contact or site id of another organisation answers 400 and saves nothing."""
    other = OrganisationFactory()
    theirs = {
        "people": PersonFactory(organisation=other, full_name="Léa Autre"),
        "sites": Site.objects.create(organisation=other, name="Site d'autrui"),
    }[prefix]
    field = {"people": "full_name", "sites": "name"}[prefix]
    empty = "sites" if prefix == "people" else "people"
    url = reverse("network:contacts_edit", args=[editor_client.organisation.pk])
    response = editor_client.post(
        url,
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": str(theirs.pk),
            f"{prefix}-0-{field}": "Pris par un autre",
            f"{empty}-TOTAL_FORMS": "0",
            f"{empty}-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "ne fait pas partie de cette organisation" in response.content.decode()
    theirs.refresh_from_db()
    assert getattr(theirs, field) != "Pris par un autre"
    assert theirs.organisation == other
    assert not editor_client.organisation.people.exists()
    assert not editor_client.organisation.sites.exists()


def test_own_contacts_are_changed_and_deleted(editor_client):
    """The organisation's own contact rows are still changed and deleted."""
    kept = PersonFactory(organisation=editor_client.organisation)
    dropped = PersonFactory(organisation=editor_client.organisation)
    url = reverse("network:contacts_edit", args=[editor_client.organisation.pk])
    response = editor_client.post(
        url,
        {
            "people-TOTAL_FORMS": "2",
            "people-INITIAL_FORMS": "2",
            "people-0-id": str(kept.pk),
            "people-0-full_name": "Nom corrigé",
            "people-1-id": str(dropped.pk),
            "people-1-full_name": dropped.full_name,
            "people-1-DELETE": "on",
            "sites-TOTAL_FORMS": "0",
            "sites-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert list(
        editor_client.organisation.people.values_list("full_name", flat=True)
    ) == ["Nom corrigé"]

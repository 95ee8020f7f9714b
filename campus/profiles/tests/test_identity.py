import re
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campus.accounts.tests.factories import UserFactory
from campus.profiles import identity
from campus.profiles.models import CampusProfile

pytestmark = pytest.mark.django_db


def image_bytes(size=(120, 90), mode="RGB", image_format="PNG"):
    output = BytesIO()
    colour = (106, 52, 16) if mode == "RGB" else (106, 52, 16, 0)
    Image.new(mode, size, colour).save(output, image_format)
    return output.getvalue()


def test_header_shows_the_campus_logo_and_home_its_main_image(client):
    """Once uploaded, the logo is in the header and the main image in the home hero, with their alternatives."""
    campus = CampusProfile.load()
    campus.logo.save("logo.png", ContentFile(image_bytes()), save=False)
    campus.logo_alt = "CMQ"
    campus.main_image.save("atelier.jpg", ContentFile(image_bytes()), save=False)
    campus.main_image_alt = "Une maroquinière coud un sac"
    campus.save()
    page = client.get("/").content.decode()
    assert 'class="site-brand__logo"' in page and 'alt="CMQ"' in page
    assert 'class="hero__image"' in page
    assert 'alt="Une maroquinière coud un sac"' in page
    other = client.get("/annuaire/").content.decode()
    assert 'class="site-brand__logo"' in other and "hero__image" not in other


# The campus profile's images


def profile_data(**extra):
    return {
        "name": "CMQ Aéronautique",
        "accessibility_status": "non_conforme",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        **extra,
    }


def test_team_uploads_a_logo_and_a_main_image_stored_re_encoded(client):
    """The logo keeps its transparency as a PNG, the main image becomes a JPEG of 1600 px at most."""
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        reverse("profiles:campus_profile_edit"),
        profile_data(
            logo=SimpleUploadedFile("logo.PNG", image_bytes((1600, 400), "RGBA")),
            logo_alt="CMQ Aéronautique",
            main_image=SimpleUploadedFile(
                "hangar.webp", image_bytes((3200, 2000), image_format="WEBP")
            ),
            main_image_alt="Un hangar d'avions",
        ),
    )
    assert response.status_code == 302
    campus = CampusProfile.load()
    assert campus.logo.name.startswith(
        "logos/campus/logo"
    ) and campus.logo.name.endswith(".png")
    assert campus.main_image.name.endswith(".jpg")
    with Image.open(campus.logo) as logo:
        assert (logo.format, logo.size, logo.mode) == ("PNG", (800, 200), "RGBA")
    with Image.open(campus.main_image) as image:
        assert (image.format, image.size) == ("JPEG", (1600, 1000))


@pytest.mark.parametrize("field", ["logo", "main_image"])
def test_an_image_without_its_text_alternative_is_refused(client, field):
    """Each image needs its text alternative, explained in French."""
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        reverse("profiles:campus_profile_edit"),
        profile_data(**{field: SimpleUploadedFile("a.png", image_bytes())}),
    )
    assert response.status_code == 400
    assert "Décrivez l&#x27;image en quelques mots" in response.content.decode()
    assert not getattr(CampusProfile.load(), field)


def test_a_file_that_is_not_an_image_is_refused(client):
    """A file that Pillow cannot decode is refused with a French message."""
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        reverse("profiles:campus_profile_edit"),
        profile_data(
            logo=SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>"),
            logo_alt="CMQ",
        ),
    )
    assert response.status_code == 400
    assert "image" in response.content.decode()
    assert not CampusProfile.load().logo


def test_other_visitors_cannot_change_the_campus_profile(client):
    """An anonymous visitor is sent to log in and a partner is refused."""
    url = reverse("profiles:campus_profile_edit")
    assert client.post(url, profile_data()).status_code == 302
    client.force_login(UserFactory())
    assert client.post(url, profile_data()).status_code == 404
    assert not CampusProfile.objects.exists()


# Favicons


def test_initials_come_from_the_acronym_or_the_significant_words():
    """The icon's letters are the leading acronym, else the first letters of the main words."""
    assert identity.initials("CMQ Maroquinerie et Métiers d'Art") == "CMQ"
    assert identity.initials("Campus des métiers et des qualifications") == "CMQ"
    assert identity.initials("Aéronautique") == "A"
    assert identity.initials("") == "C"
    assert identity.initials("<script>") == "S"


def test_favicons_are_drawn_from_the_campus_initials(client):
    """The SVG icon writes the initials; the PNG fallbacks have their announced sizes."""
    campus = CampusProfile.load()
    campus.name, campus.short_name = "Campus <Aéro> & Spatial", ""
    campus.save()
    svg = client.get("/favicon.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert ">CAS</text></svg>" in svg.content.decode()
    assert "max-age=86400" in svg["Cache-Control"]
    for url, size in [
        ("/favicon.png", 32),
        ("/favicon.ico", 32),
        ("/apple-touch-icon.png", 180),
    ]:
        response = client.get(url)
        assert response["Content-Type"] == "image/png"
        with Image.open(BytesIO(response.content)) as icon:
            assert icon.size == (size, size)
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/favicon.svg" type="image/svg+xml"' in page
    assert 'rel="icon" href="/favicon.png" type="image/png"' in page


def test_png_favicon_uses_the_logo_once_there_is_one(client):
    """With a logo, the PNG icon is the logo fitted on white."""
    campus = CampusProfile.load()
    campus.logo.save("logo.png", ContentFile(image_bytes((64, 32))), save=False)
    campus.save()
    with Image.open(BytesIO(client.get("/favicon.png").content)) as icon:
        assert icon.convert("RGB").getpixel((16, 16)) == (106, 52, 16)
        assert icon.convert("RGB").getpixel((16, 1)) == (255, 255, 255)


# Typeface and design tokens


def test_typeface_files_named_by_the_stylesheet_are_published():
    """Every font file campus.css asks for is served from the npm package."""
    stylesheet = Path(finders.find("campus/campus.css")).read_text()
    fonts = re.findall(r'url\("\.\./(vendor/[^"]+\.woff2)"\)', stylesheet)
    assert len(fonts) == 3
    for font in fonts:
        assert finders.find(font), font


def colour_literals(css: str) -> list[str]:
    """The colours written as literals outside the token block and the print rules."""
    css = re.sub(r":root \{.*?\n\}", "", css, flags=re.S)
    css = re.sub(r"@media print \{.*?\n\}", "", css, flags=re.S)
    return re.findall(r"#[0-9a-fA-F]{3,6}\b|rgba?\(", css)


@pytest.mark.parametrize(
    "stylesheet",
    [
        "campus/campus.css",
        "trades/trades.css",
        "news/news.css",
        "observatory/observatory.css",
    ],
)
def test_colours_are_written_only_as_design_tokens(stylesheet):
    """Stylesheets use the colour tokens, never colour literals, but in print."""
    assert colour_literals(Path(finders.find(stylesheet)).read_text()) == []
    assert colour_literals("a { color: #fff; }") == ["#fff"]

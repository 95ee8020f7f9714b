import pytest

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("campus.profiles.tests.demo_urls"),
]


@pytest.fixture
def media(settings):
    root = settings.MEDIA_ROOT
    for name in (
        "vitrine/3/sac.jpg",
        "logos/atelier.png",
        "agenda/4/atelier.jpg",
        "actualites/jema.jpg",
        "imports/stock.csv",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"contenu de " + name.encode())
    return root


def test_demo_serves_showcase_images_and_logos_to_everyone(client, media):
    """An anonymous visitor of the demo sees the images the pages show."""
    for url in (
        "/media/vitrine/3/sac.jpg",
        "/media/logos/atelier.png",
        "/media/agenda/4/atelier.jpg",
        "/media/actualites/jema.jpg",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content).startswith(b"contenu de")


@pytest.mark.parametrize(
    "url",
    [
        "/media/imports/stock.csv",
        "/media/vitrine/../imports/stock.csv",
        "/media/vitrine/%2e%2e/imports/stock.csv",
        "/media/vitrine/3/absent.jpg",
    ],
)
def test_imported_files_and_missing_ones_are_not_served(client, media, url):
    assert client.get(url).status_code == 404

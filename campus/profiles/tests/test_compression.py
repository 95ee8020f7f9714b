import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_not_compressed_by_default(client, settings):
    """By default the reverse proxy compresses: Campus sends plain HTML."""
    assert settings.CAMPUS_COMPRESS_HTML is False
    response = client.get("/mentions-legales/", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"<html" in response.content


def test_pages_are_compressed_when_the_setting_says_no_proxy_does(client, settings):
    """With CAMPUS_COMPRESS_HTML a visitor who accepts gzip gets a gzipped page."""
    settings.CAMPUS_COMPRESS_HTML = True
    response = client.get("/mentions-legales/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<html" in gzip.decompress(response.content)


def test_compressed_pages_stay_plain_for_visitors_who_do_not_accept_gzip(
    client, settings
):
    """A client that does not accept gzip gets plain HTML even with the setting on."""
    settings.CAMPUS_COMPRESS_HTML = True
    response = client.get("/mentions-legales/")
    assert "Content-Encoding" not in response

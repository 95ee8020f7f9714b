"""Imports from a publisher's URL, served here by a local HTTP server."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from campus.network.tests.factories import OrganisationFactory
from campus.opendata.download import DownloadError, download
from campus.opendata.tests.conftest import FIXTURES


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def publisher():
    handler = functools.partial(QuietHandler, directory=str(FIXTURES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_import_from_a_url(campus, publisher, settings, tmp_path):
    """The command downloads the file, then imports it like a local one."""
    settings.VAR_DIR = tmp_path
    OrganisationFactory(kind="secondary_school", uai="0210056X")
    out = StringIO()
    call_command(
        "import_data",
        "onisep_structures",
        "--url",
        f"{publisher}/onisep-structures-secondaire.csv",
        "--no-progress",
        stdout=out,
        stderr=StringIO(),
    )
    assert "1 mis à jour" in out.getvalue()
    assert (tmp_path / "imports" / "onisep-structures-secondaire.csv").exists()


def test_missing_file_and_bad_addresses_are_explained(publisher, settings, tmp_path):
    """A 404, a refused scheme and an unreachable host give French errors."""
    settings.VAR_DIR = tmp_path
    with pytest.raises(DownloadError, match="répondu 404"):
        download(f"{publisher}/absent.csv")
    with pytest.raises(DownloadError, match="http ou https attendu"):
        download("file:///etc/passwd")
    with pytest.raises(DownloadError, match="téléchargement impossible"):
        download("http://127.0.0.1:9/fichier.csv", timeout=2)
    assert list((tmp_path / "imports").iterdir()) == []


def test_oversized_download_is_stopped(publisher, settings, tmp_path):
    """A file above the import size limit is stopped and removed."""
    settings.VAR_DIR = tmp_path
    settings.CAMPUS_MAX_IMPORT_BYTES = 100
    with pytest.raises(DownloadError, match="taille maximale"):
        download(f"{publisher}/onisep-structures-secondaire.csv")
    assert list((tmp_path / "imports").iterdir()) == []


def test_command_needs_exactly_one_origin(campus):
    """Neither or both of a file and a URL is refused; a source without URL says so."""
    with pytest.raises(CommandError, match="soit un fichier"):
        call_command("import_data", "urssaf")
    with pytest.raises(CommandError, match="pas d'adresse de publication"):
        call_command("import_data", "urssaf", "--from-publisher")

"""ZIP archives are checked before and while they are unzipped (issue 9, point 7)."""

import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.opendata.importers.base import ImportFileError, extract_member
from campus.opendata.models import ImportRun, ImportStatus

HEADER = b"siret,etatAdministratifEtablissement\n"
MB = 1024 * 1024


def zip_bomb(path, megabytes=64, *, declared=None):
    """A small archive of one CSV of `megabytes` MB of zeros (compressed ~1000:1).

    `declared` writes another uncompressed size in the archive's directory.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("StockEtablissement_utf8.csv", "w") as member:
            member.write(HEADER)
            for _ in range(megabytes):
                member.write(b"0" * MB)
    if declared is not None:
        data = bytearray(path.read_bytes())
        entry = data.rfind(b"PK\x01\x02")
        data[entry + 24 : entry + 28] = struct.pack("<I", declared)
        path.write_bytes(bytes(data))
    return path


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def left_in(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_an_uploaded_zip_bomb_is_refused_in_french(client, db, tmp_path, var_dir):
    """The upload page refuses, from its directory, an archive that unzips 1000:1."""
    bomb = zip_bomb(tmp_path / "StockEtablissement_utf8.zip")
    assert bomb.stat().st_size < MB
    client.force_login(UserFactory(campus_team=True))
    response = client.post(
        reverse("opendata:upload"),
        {
            "source": "sirene",
            "file": SimpleUploadedFile(bomb.name, bomb.read_bytes()),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Le fichier « StockEtablissement_utf8.csv » de l'archive ferait 64,0\xa0Mio "
        "une fois décompressé, plus de 100 fois sa taille compressée : archive "
        "piégée (« bombe zip ») ? Rien n'est gardé."
    ]
    assert "archive piégée (« bombe zip »)" in response.text
    assert ImportRun.objects.count() == 0
    assert not var_dir.exists() or not left_in(var_dir)


def test_the_command_refuses_a_zip_bomb_and_fails_its_run(campus, tmp_path, var_dir):
    """From the command line, the run fails with the reason and nothing is unzipped."""
    bomb = zip_bomb(tmp_path / "StockEtablissement_utf8.zip")
    with pytest.raises(CommandError, match="plus de 100 fois sa taille compressée"):
        call_command("import_data", "sirene", bomb, "--no-progress")
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert "bombe zip" in run.error and run.rows_read == 0
    assert not var_dir.exists() or not left_in(var_dir)


def test_sources_reading_their_archive_refuse_a_zip_bomb(campus, tmp_path):
    """RNCP and ROME read their members as streams, after the same checks."""
    bomb = zip_bomb(tmp_path / "export-fiches-csv.zip")
    with pytest.raises(CommandError, match="plus de 100 fois sa taille compressée"):
        call_command("import_data", "rncp", bomb, "--no-progress")
    assert ImportRun.objects.get().status == ImportStatus.FAILED


def test_an_archive_declaring_more_than_the_limit_is_refused(
    campus, tmp_path, settings, var_dir
):
    """The size limit holds even for an archive compressed like an ordinary CSV."""
    settings.CAMPUS_MAX_UNZIPPED_BYTES = 10 * MB
    settings.CAMPUS_MAX_ZIP_RATIO = 10_000
    bomb = zip_bomb(tmp_path / "StockEtablissement_utf8.zip", 16)
    with pytest.raises(CommandError) as refused:
        call_command("import_data", "sirene", bomb, "--no-progress")
    assert (
        "l'archive ZIP ferait 16,0\xa0Mio une fois décompressée : la limite est de "
        "10,0\xa0Mio."
    ) in str(refused.value)
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not left_in(var_dir)


def test_an_archive_lying_about_its_size_is_refused(campus, tmp_path, var_dir):
    """A directory declaring 100 bytes for 64 MB passes the checks, not the unzipping.

    The reader stops at the declared size and finds the checksum wrong: the run
    fails and the partial file is removed.
    """
    bomb = zip_bomb(tmp_path / "StockEtablissement_utf8.zip", declared=100)
    with pytest.raises(CommandError, match="l'archive ZIP est illisible ou tronquée"):
        call_command("import_data", "sirene", bomb, "--no-progress")
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not left_in(var_dir)


def test_unzipping_stops_at_the_limit_whatever_the_directory_says(tmp_path, settings):
    """The bytes written are counted: past the limit, unzipping stops there."""
    settings.CAMPUS_MAX_UNZIPPED_BYTES = 10 * MB
    bomb = zip_bomb(tmp_path / "bomb.zip", 16)
    target = tmp_path / "import.csv"
    with zipfile.ZipFile(bomb) as archive, pytest.raises(ImportFileError) as refused:
        extract_member(archive, archive.infolist()[0], target, archive_size=10**9)
    assert "plus de 11,0\xa0Mio une fois décompressée" in str(refused.value)
    assert target.stat().st_size <= 10 * MB

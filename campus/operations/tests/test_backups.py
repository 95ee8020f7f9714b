"""Backup, wipe, restore: every table and every uploaded file comes back as it was.

These tests dump and restore the test database itself (pytest-django's, named in
`connection.settings_dict`): through SQLite's backup API, or through pg_dump and
pg_restore when the suite runs on PostgreSQL. They need `transaction=True`: the
dump runs outside the test's transaction and the restore replaces the tables.
"""

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from campus import page_cache
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.network.tests.factories import OrganisationFactory
from campus.news.tests.factories import ArticleFactory
from campus.operations.backups import (
    BackupError,
    create_backup,
    read_manifest,
    restore_backup,
    table_counts,
)
from campus.profiles.models import ContentStamp
from campus.testing.images import image_bytes
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def database_state() -> dict[str, tuple[int, str]]:
    """Rows and a digest of their content, for every model's table (auto-created
    many-to-many tables included), in primary key order. Unmanaged models have no
    table (django-rq's dashboard, installed with the Redis queue). The page cache's
    stamps are left out: a restore changes them (see the test below)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model is ContentStamp:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        state[model._meta.db_table] = (len(rows), digest)
    return state


def media_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def wipe_database() -> None:
    """Drops every table, as a lost disk or a wrong DROP would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = connection.introspection.table_names(cursor)
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"DROP TABLE {quoted} CASCADE")
            return
        cursor.execute("PRAGMA foreign_keys = OFF")
        # A virtual table's shadow tables go with it: list the survivors each time.
        while tables := connection.introspection.table_names(cursor):
            cursor.execute(f'DROP TABLE IF EXISTS "{tables[0]}"')
        cursor.execute("PRAGMA foreign_keys = ON")


@pytest.fixture
def campus_data(settings):
    organisation = OrganisationFactory(
        name="Maroquinerie du Jura",
        logo=SimpleUploadedFile("logo.png", image_bytes(), "image/png"),
        logo_alt="Logo de la maroquinerie",
    )
    OfferingFactory.create_batch(3)
    OfferingFactory(organisation=organisation)
    event = EventFactory(organisation=organisation)
    RegistrationFactory(event=event)
    ArticleFactory()
    (Path(settings.MEDIA_ROOT) / "appels" / "règlement 2026.pdf").parent.mkdir()
    (Path(settings.MEDIA_ROOT) / "appels" / "règlement 2026.pdf").write_bytes(
        b"%PDF-1.4 \x00\xff" * 100
    )
    return organisation


def test_round_trip_restores_every_table_and_every_file(
    campus_data, settings, tmp_path
):
    """Backup, wipe, restore: the rows of every table, their content and the
    uploaded files are the same as before."""
    media = Path(settings.MEDIA_ROOT)
    before = database_state()
    counts_before = table_counts(connection)
    files_before = media_files(media)
    assert before["network_organisation"][0] == 5
    assert before["agenda_event_audiences"] is not None
    assert "logos/" in campus_data.logo.name and len(files_before) == 2

    call_command("backup", "--output", str(tmp_path / "backups"), verbosity=0)
    (archive,) = (tmp_path / "backups").glob("campus-backup-*.tar")

    wipe_database()
    shutil.rmtree(media)
    assert connection.introspection.table_names() == []

    call_command("restore", str(archive), "--yes", verbosity=0)

    assert database_state() == before
    assert table_counts(connection) == counts_before
    assert media_files(media) == files_before
    # The sequences came back too: new rows get new keys.
    highest = max(type(campus_data).objects.values_list("pk", flat=True))
    assert OrganisationFactory().pk > highest


def test_a_restore_retires_every_kept_page(campus_data, tmp_path):
    """The copy holds the stamps of the day it was taken; after the restore the
    stamp every kept page and part depends on is a new one."""
    call_command("backup", "--output", str(tmp_path / "backups"), verbosity=0)
    (archive,) = (tmp_path / "backups").glob("campus-backup-*.tar")
    kept_under = ContentStamp.objects.get(name=page_cache.EVERYTHING).stamp

    call_command("restore", str(archive), "--yes", verbosity=0)

    assert ContentStamp.objects.get(name=page_cache.EVERYTHING).stamp != kept_under


def test_the_manifest_describes_the_archive(campus_data, tmp_path):
    """The manifest names the vendor, the migrations, the rows of every table
    and the checksum of every member."""
    path = create_backup(tmp_path)

    manifest = read_manifest(path)

    assert path.stat().st_mode & 0o777 == 0o600
    assert manifest["vendor"] == connection.vendor
    assert "network.0001_initial" in manifest["migrations"]
    assert manifest["tables"]["network_organisation"] == 5
    assert manifest["media"] == 2
    with tarfile.open(path) as archive:
        members = archive.getnames()
    assert members[-1] == "manifest.json"
    assert sorted(manifest["members"]) == sorted(members[:-1])


def test_a_corrupt_archive_is_refused_and_nothing_is_touched(
    campus_data, settings, tmp_path
):
    """One changed byte in the database copy: the restore names the member,
    and the database and the files are left as they were."""
    path = create_backup(tmp_path)
    manifest = read_manifest(path)
    with tarfile.open(path) as archive:
        offset = archive.getmember(manifest["database_member"]).offset_data
    with path.open("r+b") as stream:
        stream.seek(offset + 5000)
        byte = stream.read(1)
        stream.seek(offset + 5000)
        stream.write(bytes([byte[0] ^ 0xFF]))
    campus_data.name = "Changée après la sauvegarde"
    campus_data.save()
    before = database_state()
    files_before = media_files(Path(settings.MEDIA_ROOT))

    with pytest.raises(CommandError, match="Sauvegarde corrompue .* database"):
        call_command("restore", str(path), "--yes")

    assert database_state() == before
    assert media_files(Path(settings.MEDIA_ROOT)) == files_before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    """A foreign file or archive gets a French message, not a traceback."""
    text = tmp_path / "notes.tar"
    text.write_text("pas une archive")
    foreign = tmp_path / "autre.tar"
    with tarfile.open(foreign, "w") as archive:
        archive.add(text, arcname="notes.txt")

    with pytest.raises(BackupError, match="n'est pas une sauvegarde Campus"):
        restore_backup(text)
    with pytest.raises(BackupError, match="manifeste absent"):
        restore_backup(foreign)


def test_an_archive_cannot_write_outside_its_folders(tmp_path):
    """A manifest naming a path outside the media folder is refused."""
    path = create_backup(tmp_path)
    with tarfile.open(path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        database = archive.extractfile(manifest["database_member"]).read()
    empty = {"size": 0, "sha256": hashlib.sha256(b"").hexdigest()}
    forgeries = [
        ({"database_member": "../campus.sqlite3"}, "manifeste incomplet"),
        (
            {"members": {**manifest["members"], "media/../settings.py": empty}},
            "Nom de fichier refusé",
        ),
    ]
    for changes, message in forgeries:
        forged = {**manifest, **changes}
        entries = {manifest["database_member"]: database, "media/../settings.py": b""}
        entries["manifest.json"] = json.dumps(forged).encode()
        evil = tmp_path / "evil.tar"
        with tarfile.open(evil, "w") as archive:
            for name, data in entries.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))

        with pytest.raises(BackupError, match=message):
            read_manifest(evil)


def test_restore_is_refused_without_confirmation(campus_data, tmp_path, monkeypatch):
    """Without --yes and without a terminal to ask, nothing is restored."""
    path = create_backup(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO("oui\n"))
    campus_data.delete()

    with pytest.raises(CommandError, match="Relancez avec --yes"):
        call_command("restore", str(path))

    assert not type(campus_data).objects.filter(pk=campus_data.pk).exists()


def test_keep_removes_the_oldest_archives(tmp_path):
    """--keep 2 leaves the two newest archives of the directory, and the
    files that are not archives."""
    for stamp in ("20260101-030000", "20260102-030000", "20260103-030000"):
        (tmp_path / f"campus-backup-{stamp}.tar").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("à garder")

    call_command("backup", "--output", str(tmp_path), "--keep", "2", verbosity=0)

    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 3
    assert names[0] == "campus-backup-20260103-030000.tar"
    assert names[2] == "notes.txt"

"""Backups of the database and the uploaded files, and their restore.

A backup is one uncompressed tar archive, `campus-backup-YYYYMMDD-HHMMSS.tar`:

- `database.sqlite3`, a copy made with SQLite's online backup API, consistent while
  the site writes (the embedded default); or `database.dump`, `pg_dump`'s custom
  format (already compressed), for PostgreSQL;
- `media/<name>`, every file of the default storage when it is the filesystem one.
  An S3-compatible store is left to the store's own versioning or replication: a
  copy through this machine would double the traffic for a weaker guarantee;
- `manifest.json`, last: the format, when and by which commit of Campus it was
  made, the database vendor, the migrations applied, the rows of every table and
  the size and sha256 of every other member.

The counts describe the very state that was dumped: on SQLite they are read from
the copy; on PostgreSQL `pg_dump` reads the snapshot of the transaction that counts
(`pg_export_snapshot()`), so rows written meanwhile are in neither.

A restore reads the whole archive and checks every checksum before it touches
anything, so a truncated, corrupt or foreign file changes nothing. It then
replaces the database (SQLite: the backup API again, into the configured file;
PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`, all
or nothing) and writes the files back through the storage, and finally compares
the tables' rows with the manifest.
"""

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from campus import page_cache

FORMAT = "campus-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
ARCHIVE_PATTERN = "campus-backup-*.tar"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message is for the operator."""


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int
    migrations_missing: list[str]


def default_directory() -> Path:
    return Path(settings.CAMPUS_BACKUP_DIR)


def _ignore(message: str) -> None:
    pass


# Backup


def create_backup(
    directory: Path,
    *,
    keep: int | None = None,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] = _ignore,
) -> Path:
    """Writes a new archive into `directory` and returns its path.

    The archive is written under a temporary name and renamed when complete, so
    an interrupted backup never passes for one; `keep` then removes all but the
    `keep` newest archives of the directory.
    """
    connection = connections[using]
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(
            f"Base de données « {connection.vendor} » non prise en charge : "
            "seules SQLite et PostgreSQL le sont."
        )
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = directory / f"campus-backup-{stamp}.tar"
    if final.exists():
        raise BackupError(f"{final} existe déjà ; relancez dans une seconde.")
    partial = final.with_name(final.name + ".partial")
    checksums: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=directory, prefix=".campus-backup-") as work:
        database = Path(work) / DATABASE_MEMBERS[connection.vendor]
        progress("Copie de la base de données…")
        if connection.vendor == "sqlite":
            state = _dump_sqlite(connection, database)
        else:
            state = _dump_postgresql(connection, database)
        progress(
            f"Base copiée : {len(state['tables'])} tables, "
            f"{sum(state['tables'].values())} lignes."
        )
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
                checksums[database.name] = _add_path(archive, database, database.name)
                files = _add_media(archive, checksums, progress)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": timezone.localtime().isoformat(timespec="seconds"),
                    "campus_commit": _campus_commit(),
                    "vendor": connection.vendor,
                    "database_member": database.name,
                    "media": files,
                    "migrations": state["migrations"],
                    "tables": state["tables"],
                    "members": checksums,
                }
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
            # The archive holds personal data: readable by the site's user only.
            partial.chmod(0o600)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    progress(f"Sauvegarde écrite : {final} ({_size(final.stat().st_size)}).")
    if keep is not None:
        for old in prune_backups(directory, keep):
            progress(f"Ancienne sauvegarde supprimée : {old.name}")
    return final


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Removes all but the `keep` newest complete archives of `directory`."""
    if keep < 1:
        raise BackupError("--keep doit valoir au moins 1.")
    # The names hold the date, so their order is the archives' age.
    archives = sorted(directory.glob(ARCHIVE_PATTERN), reverse=True)
    removed = archives[keep:]
    for path in removed:
        path.unlink()
    return removed


def _dump_sqlite(connection, target: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # Pages are copied in one step: a copy in several steps restarts whenever
        # another connection writes, and could never end on a busy site.
        connection.connection.backup(copy)
        return {
            "tables": _sqlite_counts(copy),
            "migrations": _sqlite_migrations(copy),
        }
    finally:
        copy.close()


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {
        table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        for table in _sqlite_tables(db)
    }


def _sqlite_migrations(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in rows]


def _dump_postgresql(connection, target: Path) -> dict:
    connection.ensure_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        state = {
            "tables": table_counts(connection),
            "migrations": applied_migrations(connection),
        }
        # The snapshot lives as long as this transaction: pg_dump must run inside.
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                "--no-password",
            ],
            connection,
            "pg_dump",
        )
    return state


def table_counts(connection) -> dict[str, int]:
    """Rows of every table of the database, by name."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return _sqlite_counts(cursor.connection)
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def applied_migrations(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _postgresql_environment(connection) -> dict[str, str]:
    """libpq's variables for the configured database: the password never appears
    on a command line, which every user of the machine can read."""
    params = connection.settings_dict
    environment = dict(os.environ)
    for variable, value in {
        "PGDATABASE": params["NAME"],
        "PGUSER": params.get("USER"),
        "PGPASSWORD": params.get("PASSWORD"),
        "PGHOST": params.get("HOST"),
        "PGPORT": str(params.get("PORT") or ""),
        "PGSSLMODE": params.get("OPTIONS", {}).get("sslmode"),
    }.items():
        if value:
            environment[variable] = value
    return environment


def _run(command: list[str], connection, name: str) -> None:
    try:
        result = subprocess.run(
            command,
            env=_postgresql_environment(connection),
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{name} est introuvable : installez le client PostgreSQL de la même "
            "version que le serveur (paquet postgresql-client)."
        ) from error
    if result.returncode != 0:
        raise BackupError(
            f"{name} a échoué (code {result.returncode}) : {result.stderr.strip()}"
        )


def media_storage_is_local() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def _storage_files(storage, directory: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(directory, name)
    for name in sorted(directories):
        yield from _storage_files(storage, posixpath.join(directory, name))


def _add_media(archive, checksums: dict, progress) -> int:
    if not media_storage_is_local():
        progress(
            "Fichiers déposés : stockage distant, non copiés (le service de "
            "stockage les garde par ses versions ou sa réplication)."
        )
        return 0
    count = 0
    for name in _storage_files(default_storage):
        member = MEDIA_PREFIX + name
        with default_storage.open(name, "rb") as source:
            checksums[member] = _add_stream(
                archive, member, source, default_storage.size(name)
            )
        count += 1
    progress(f"Fichiers déposés copiés : {count}.")
    return count


class _HashingReader:
    def __init__(self, stream):
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _add_stream(archive, member: str, stream, size: int) -> dict:
    info = tarfile.TarInfo(member)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    reader = _HashingReader(stream)
    archive.addfile(info, reader)
    return {"size": size, "sha256": reader.digest.hexdigest()}


def _add_path(archive, path: Path, member: str) -> dict:
    with path.open("rb") as stream:
        return _add_stream(archive, member, stream, path.stat().st_size)


def _campus_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _size(count: int) -> str:
    for unit in ("o", "Kio", "Mio", "Gio"):
        if count < 1024 or unit == "Gio":
            return f"{count:.0f} {unit}" if unit == "o" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


# Restore


def read_manifest(path: Path) -> dict:
    """The manifest of the archive at `path`, once every member has been read
    and checked against it; BackupError otherwise."""
    foreign = f"{path} n'est pas une sauvegarde Campus lisible"
    try:
        archive = tarfile.open(path, "r:")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{foreign} ({error}).") from error
    with archive:
        try:
            members = {info.name: info for info in archive.getmembers()}
            manifest = json.load(archive.extractfile(members[MANIFEST]))
        except (KeyError, ValueError, tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(f"{foreign} : manifeste absent ou illisible.") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{foreign} : manifeste d'un autre format.")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"Version de sauvegarde {manifest.get('format_version')} inconnue de "
                f"cette version de Campus (elle lit la version {FORMAT_VERSION})."
            )
        try:
            expected = manifest["members"]
            required = (
                manifest["created_at"],
                manifest["migrations"],
                manifest["tables"],
            )
            known_member = DATABASE_MEMBERS.get(manifest["vendor"])
        except (KeyError, TypeError) as error:
            raise BackupError(f"{foreign} : manifeste incomplet.") from error
        if not all(required) or manifest["database_member"] != known_member:
            raise BackupError(f"{foreign} : manifeste incomplet.")
        extra = set(members) - set(expected) - {MANIFEST}
        if extra:
            raise BackupError(
                f"{foreign} : membres inattendus ({', '.join(sorted(extra)[:3])})."
            )
        for member, check in expected.items():
            _check_member_name(member, manifest)
            info = members.get(member)
            if info is None or not info.isfile():
                raise BackupError(f"Sauvegarde incomplète : « {member} » manque.")
            digest = hashlib.sha256()
            try:
                stream = archive.extractfile(info)
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
            except (tarfile.TarError, EOFError, OSError) as error:
                raise BackupError(
                    f"Sauvegarde tronquée ou illisible à « {member} » ({error})."
                ) from error
            if info.size != check["size"] or digest.hexdigest() != check["sha256"]:
                raise BackupError(
                    f"Sauvegarde corrompue : l'empreinte de « {member} » ne "
                    "correspond pas au manifeste. Rien n'a été modifié."
                )
    return manifest


def _check_member_name(member: str, manifest: dict) -> None:
    if member == manifest.get("database_member"):
        return
    name = member.removeprefix(MEDIA_PREFIX)
    parts = name.split("/")
    if (
        not member.startswith(MEDIA_PREFIX)
        or not name
        or name.startswith("/")
        or any(part in {"", ".", ".."} for part in parts)
    ):
        raise BackupError(f"Nom de fichier refusé dans la sauvegarde : « {member} ».")


def restore_backup(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] = _ignore,
) -> RestoreReport:
    """Replaces the database and the uploaded files with the archive's.

    Everything is checked before anything is written: the checksums, the
    vendor, and that the archive holds no migration this code does not know.
    """
    connection = connections[using]
    progress(f"Vérification de {path}…")
    manifest = read_manifest(path)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {manifest['vendor']} ; la base "
            f"configurée est {connection.vendor}. Rien n'a été modifié."
        )
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations.keys()
    }
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            "Cette sauvegarde vient d'une version plus récente de Campus "
            f"(migrations inconnues : {', '.join(unknown[:3])}…). Installez cette "
            "version avant de restaurer. Rien n'a été modifié."
        )
    media = [m for m in manifest["members"] if m != manifest["database_member"]]
    if media and not media_storage_is_local():
        raise BackupError(
            "La sauvegarde contient des fichiers mais le stockage configuré est "
            "distant : restaurez-les avec les outils du service. Rien n'a été modifié."
        )
    progress(
        f"Sauvegarde valide du {manifest['created_at']} ({manifest['vendor']}, "
        f"{len(manifest['tables'])} tables, {len(media)} fichiers)."
    )
    with (
        tarfile.open(path, "r:") as archive,
        tempfile.TemporaryDirectory(prefix="campus-restore-") as work,
    ):
        database = Path(work) / manifest["database_member"]
        with database.open("wb") as target:
            shutil.copyfileobj(
                archive.extractfile(manifest["database_member"]), target, CHUNK
            )
        progress("Restauration de la base de données…")
        if connection.vendor == "sqlite":
            _restore_sqlite(connection, database)
        else:
            _restore_postgresql(connection, database)
        # The copy brings back the stamps of the day it was taken: pages and
        # parts kept since, under other data, must not match them.
        page_cache.bump(connection)
        progress(f"Restauration des fichiers déposés ({len(media)})…")
        for member in media:
            name = member.removeprefix(MEDIA_PREFIX)
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(archive.extractfile(member)))
            if saved != name:
                raise BackupError(
                    f"Le fichier « {name} » a été écrit sous « {saved} »."
                )
    counts = table_counts(connection)
    differences = [
        f"{table} : {rows} attendues, {counts.get(table, 'table absente')}"
        for table, rows in manifest["tables"].items()
        if counts.get(table) != rows
    ]
    if differences:
        raise BackupError(
            "Restauration incomplète, les lignes diffèrent du manifeste : "
            + " ; ".join(differences[:5])
        )
    progress(
        f"Comptes vérifiés : {len(manifest['tables'])} tables, "
        f"{sum(manifest['tables'].values())} lignes, comme dans le manifeste."
    )
    return RestoreReport(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(media),
        migrations_missing=sorted(known - set(manifest["migrations"])),
    )


def _restore_sqlite(connection, database: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(database)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"La copie dans la base SQLite a échoué : {error}") from error
    finally:
        source.close()


def _restore_postgresql(connection, database: Path) -> None:
    # pg_restore drops and recreates the tables: this process must hold no lock.
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database),
        ],
        connection,
        "pg_restore",
    )

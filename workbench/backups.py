"""Backups: a consistent snapshot of the database and of the stored files (uploads, export files), and its
restore, on SQLite and PostgreSQL.

A snapshot is one .tar.gz holding `manifest.json`, the database (`database.sqlite3`, copied with SQLite's
online backup API, or `database.pgdump`, pg_dump's custom format) and `files/<name>` for every file of the
default storage (the local media folder or the S3 bucket). The database is copied first, in one snapshot
of its own (pg_dump reads in one transaction; the backup API copies every page under one read lock), then
the files: a file is stored before the row that names it is committed, so every file the snapshot's rows
name is in it.

A restore replaces the database with the snapshot's, exactly (schema and rows, history included, through the
database's own tools: nothing is written through the models, so no history is added), applies any migration
newer than the snapshot, and writes the files back under their own names. Files stored since the snapshot
are left where they are.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with arguments we build, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A snapshot that cannot be made or restored, said plainly."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    database: str  # "sqlite" | "postgresql"
    files: int
    migrations: int


def backup(path: Path) -> Snapshot:
    """Write a snapshot of the default database and storage to `path` (a .tar.gz, written whole or not at all)."""
    vendor = _vendor()
    if not MigrationRecorder(connection).has_table():
        raise BackupError("the database has no tables yet (run `manage.py migrate`): there is nothing to back up")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="workbench-backup-") as work:
        database = Path(work) / DATABASE_FILE[vendor]
        _dump_sqlite(database) if vendor == "sqlite" else _dump_postgresql(database)
        names = list(_stored_files())
        manifest = {
            "format": FORMAT,
            "made_at": datetime.now(UTC).isoformat(),
            "database": vendor,
            "migrations": MigrationRecorder(connection).migration_qs.count(),
            "files": len(names),
        }
        partial = path.with_name(path.name + ".partial")
        storage = storages["default"]
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(database, arcname=database.name)
            for name in names:
                info = tarfile.TarInfo(FILES + name)
                info.size = storage.size(name)
                with storage.open(name, "rb") as stored:
                    tar.addfile(info, stored)
        partial.replace(path)
    return Snapshot(path, vendor, manifest["files"], manifest["migrations"])


def restore(path: Path) -> Snapshot:
    """Replace the default database with the snapshot's and write its files back (see the module's doc)."""
    vendor = _vendor()
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{path} is not a workbench snapshot ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="workbench-restore-") as work:
        manifest = _manifest(tar, path)
        if manifest["database"] != vendor:
            raise BackupError(
                f"{path} is a snapshot of a {manifest['database']} database; this workbench runs on {vendor}. "
                "Move data between databases with an export, not a backup."
            )
        database = Path(work) / DATABASE_FILE[vendor]
        _extract(tar, DATABASE_FILE[vendor], database, path)
        _load_sqlite(database) if vendor == "sqlite" else _load_postgresql(database)
        call_command("migrate", interactive=False, verbosity=0)  # a snapshot older than the code
        storage = storages["default"]
        files = 0
        for member in tar:
            if not (member.isfile() and member.name.startswith(FILES)):
                continue
            name = member.name.removeprefix(FILES)
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, File(tar.extractfile(member), name=name))
            if saved != name:
                raise BackupError(f"the storage wrote {name} back as {saved}")
            files += 1
    return Snapshot(path, vendor, files, manifest["migrations"])


def default_path(folder: Path) -> Path:
    return folder / f"workbench-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILE:
        raise BackupError(f"backups cover SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _stored_files(folder: str = ""):
    storage = storages["default"]
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no file stored yet: the media folder is made on the first one
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from _stored_files(f"{folder}{sub}/")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _manifest(tar: tarfile.TarFile, path: Path) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a workbench snapshot (no readable {MANIFEST})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a snapshot in format {manifest.get('format')!r}; this workbench reads {FORMAT}")
    return manifest


def _extract(tar: tarfile.TarFile, name: str, target: Path, path: Path) -> None:
    try:
        source = tar.extractfile(name)
    except KeyError as exc:
        raise BackupError(f"{path} holds no {name}") from exc
    with target.open("wb") as out:
        shutil.copyfileobj(source, out)


# --- SQLite: the online backup API, between the live connection and a file ----------------------------


def _dump_sqlite(target: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _load_sqlite(source: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(source) as snapshot:
        snapshot.backup(connection.connection)
    snapshot.close()


# --- PostgreSQL: pg_dump and pg_restore, the server's own tools ---------------------------------------


def _dump_postgresql(target: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])


def _load_postgresql(source: Path) -> None:
    # The schema is emptied first, so the restored database is the snapshot's exactly (tables a newer
    # migration made are dropped too, and made again by migrate).
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    connection.close()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", str(source)])


def _run(command: list[str]) -> None:
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or os.environ.get("PGPASSWORD", "")}
    where = [f"--dbname={settings['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            where.append(f"{option}={settings[key]}")
    try:
        subprocess.run([*command, *where], env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from exc

"""Backup and restore of a whole installation: the database and the media folder in one archive (docs/operations.md).

The archive is a tar file (gzip-compressed if its name ends in ``.gz`` or ``.tgz``) holding

- ``media/<path>``: every file under ``MEDIA_ROOT``, among them every file the database refers to;
- ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite, a copy made with
  the backup API of ``sqlite3``);
- ``manifest.json`` (written last): format name and version, creation time, database vendor, the latest migration
  per app, row count and checksum of every table, size and SHA-256 of the dump and of every file.

Consistency while the site runs: on PostgreSQL one REPEATABLE READ transaction exports its snapshot; ``pg_dump``
dumps exactly that snapshot, and within the same snapshot the table checksums are computed and the paths of all
``FileField`` columns are read. Files are only ever added, so every file the dump refers to is then on disk. On
SQLite the database is first copied (one consistent copy), and checksums and paths are read from the copy.

Restore verifies the whole archive before it changes anything, then restores the database in one transaction
(PostgreSQL: the output of ``pg_restore`` fed to ``psql`` inside BEGIN … COMMIT; SQLite: the backup API into the
target), then moves the media files, staged beforehand, into ``MEDIA_ROOT``, and finally compares the table
checksums of the restored database with the manifest.

A database counts as empty when it has no tables at all (a new, un-migrated database). Anything else, a freshly
migrated one included, is replaced only with ``force``: then the schema ``public`` (PostgreSQL) or the whole
database file (SQLite) is replaced, and everything in ``MEDIA_ROOT`` too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

FORMAT_NAME = "werkstatt-backup"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
VENDOR_LABELS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
STAGING_PREFIX = ".werkstatt-restore-"
CHUNK = 1024 * 1024

TableSums = dict[str, dict[str, Any]]


class BackupError(Exception):
    """A backup or restore was refused or failed; the message is German and says what was (not) changed."""


# --- connections -----------------------------------------------------------------------------------


def separate_connection(**overrides: Any) -> BaseDatabaseWrapper:
    """A new connection with the settings of ``default`` (changed by ``overrides``, e.g. ``NAME``), not shared with
    the ORM: its transactions are its own. Close it after use."""
    settings_dict = {**connections["default"].settings_dict, **overrides}
    backend = load_backend(settings_dict["ENGINE"])
    wrapper: BaseDatabaseWrapper = backend.DatabaseWrapper(settings_dict, alias="werkstatt-backup")
    return wrapper


def vendor_label(vendor: str) -> str:
    return VENDOR_LABELS.get(vendor, vendor)


# --- checksums of every table -------------------------------------------------------------------------


def table_names(connection: BaseDatabaseWrapper) -> list[str]:
    """Every table of the database (history tables, ``django_migrations``, the job queue, the search index
    included). PostgreSQL: tables of all non-system schemas, ``schema.table`` outside ``public``. SQLite: every
    table in the file, the full-text table and its shadow tables included, SQLite's own ``sqlite_*`` excepted."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                " AND n.nspname !~ '^pg_(toast|temp)'"
            )
            names = [name if schema == "public" else f"{schema}.{name}" for schema, name in cursor.fetchall()]
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            )
            names = [name for (name,) in cursor.fetchall()]
    return sorted(names)


def cache_tables() -> set[str]:
    """The tables of the database cache (public pages): a cache, not part of the record. Their structure is backed
    up, their rows are not, and they are left out of the checksums."""
    from werkstatt.core import pagecache

    return pagecache.cache_table_names()


def _quoted(connection: BaseDatabaseWrapper, table: str) -> str:
    return ".".join(connection.ops.quote_name(part) for part in table.split(".", 1))


def table_checksums(connection: BaseDatabaseWrapper) -> TableSums:
    """Per table: ``{"rows": n, "checksum": md5}``, the checksum independent of the physical order of the rows:
    the MD5 of the sorted MD5s of the rows (PostgreSQL: of each row's text form; SQLite: of its ``repr``).
    Comparable between two databases of the same vendor, not across vendors."""
    sums: TableSums = {}
    with connection.cursor() as cursor:
        for table in table_names(connection):
            if table in cache_tables():
                continue
            quoted = _quoted(connection, table)
            if connection.vendor == "postgresql":
                rows_hashed = f"SELECT md5(ROW(werkstatt_row.*)::text) AS h FROM {quoted} AS werkstatt_row"  # noqa: S608
                aggregate = "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) FROM "
                cursor.execute(aggregate + f"({rows_hashed}) AS hashes")
                rows, checksum = cursor.fetchone()
            else:
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a quoted table name of this database
                digests = sorted(
                    hashlib.md5(repr(tuple(row)).encode(), usedforsecurity=False).hexdigest()
                    for row in cursor.fetchall()
                )
                rows, checksum = len(digests), hashlib.md5("".join(digests).encode(), usedforsecurity=False).hexdigest()
            sums[table] = {"rows": int(rows), "checksum": checksum}
    return sums


def _migration_state(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration per app (the one applied last), read from ``django_migrations``."""
    if "django_migrations" not in table_names(connection):
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return dict(cursor.fetchall())


def _referenced_files(connection: BaseDatabaseWrapper) -> set[str]:
    """The stored names of every ``FileField`` of every model (history tables keep old names as text only)."""
    names: set[str] = set()
    existing = set(table_names(connection))
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if table not in existing:
                continue
            for model_field in model._meta.concrete_fields:
                if isinstance(model_field, models.FileField):
                    column = connection.ops.quote_name(model_field.column)
                    cursor.execute(
                        f"SELECT DISTINCT {column} FROM {_quoted(connection, table)}"  # noqa: S608
                        f" WHERE {column} IS NOT NULL AND {column} <> ''"
                    )
                    names.update(name for (name,) in cursor.fetchall())
    return names


# --- files -----------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_listing(root: Path) -> dict[str, dict[str, Any]]:
    """Every regular file under ``root`` (symbolic links not followed): relative POSIX path → size and SHA-256."""
    listing: dict[str, dict[str, Any]] = {}
    if not root.is_dir():
        return listing
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            listing[relative] = {"size": path.stat().st_size, "sha256": file_sha256(path)}
    return listing


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(files for _folder, _dirs, files in os.walk(root))


def safe_media_name(name: str) -> str | None:
    """The relative path of an archive member ``media/<path>``, or ``None`` if the name could leave MEDIA_ROOT."""
    if not name.startswith(MEDIA_PREFIX):
        return None
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    parts = relative.parts
    if not parts or relative.is_absolute() or any(part in ("", ".", "..") for part in parts) or "\\" in name:
        return None
    return relative.as_posix()


class _HashingReader(io.RawIOBase):
    """Reads a file for ``tarfile.addfile`` and computes its SHA-256 on the way (each file is read once)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


def _open_for_writing(partial: Path, target: Path) -> tarfile.TarFile:
    """Plain tar, or gzip-compressed if the name of ``target`` ends in ``.gz`` or ``.tgz``."""
    if target.name.endswith((".gz", ".tgz")):
        return tarfile.open(partial, "w:gz")
    return tarfile.open(partial, "w")


def _member_reader(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = tar.extractfile(member)
    if handle is None:  # pragma: no cover - only regular files are read
        raise BackupError(f"„{member.name}“ ist keine Datei im Archiv. Nichts wurde verändert.")
    return handle


# --- PostgreSQL tools ------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Das Programm {name} wurde nicht gefunden (PATH). Es gehört zum Paket postgresql-client; "
            "seine Hauptversion muss mindestens die des Datenbankservers sein."
        )
    return found


def _pg_args_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/psql and the environment (password, TLS) from the Django settings."""
    from django.db.backends.postgresql.client import DatabaseClient

    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    return args[1:], {**os.environ, **(env or {})}


def _tool_version(path: str) -> str:
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return result.stdout.strip()


def _stderr_tail(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return text[-2000:] if text else "(keine Ausgabe)"


# --- backup -----------------------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """What the backup read from one consistent state of the database."""

    dump: Path
    tables: TableSums
    migrations: dict[str, str]
    referenced: set[str]
    tool: str


@contextmanager
def _postgresql_snapshot(workdir: Path) -> Iterator[Snapshot]:
    connection = separate_connection()
    try:
        connection.ensure_connection()
        connection.set_autocommit(False)
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
        pg_dump = _tool("pg_dump")
        dump = workdir / DUMP_NAMES["postgresql"]
        args, env = _pg_args_env(connection.settings_dict)
        errors = workdir / "pg_dump.stderr"
        with errors.open("wb") as err:
            result = subprocess.run(  # noqa: S603
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    f"--file={dump}",
                    *(f"--exclude-table-data={table}" for table in sorted(cache_tables())),
                    *args,
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
                check=False,
            )
        if result.returncode != 0:
            raise BackupError(f"pg_dump ist gescheitert (Exit-Code {result.returncode}): {_stderr_tail(errors)}")
        yield Snapshot(
            dump=dump,
            tables=table_checksums(connection),
            migrations=_migration_state(connection),
            referenced=_referenced_files(connection),
            tool=_tool_version(pg_dump),
        )
    finally:
        if connection.connection is not None:
            connection.rollback()
        connection.close()


@contextmanager
def _sqlite_snapshot(workdir: Path) -> Iterator[Snapshot]:
    source = separate_connection()
    dump = workdir / DUMP_NAMES["sqlite"]
    try:
        source.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            source.connection.backup(target)
            existing = {name for (name,) in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in sorted(cache_tables() & existing):
                target.execute(f'DELETE FROM "{table}"')  # noqa: S608 - the configured cache table
            target.commit()
        finally:
            target.close()
    finally:
        source.close()
    copy = separate_connection(NAME=str(dump))
    try:
        copy.ensure_connection()
        yield Snapshot(
            dump=dump,
            tables=table_checksums(copy),
            migrations=_migration_state(copy),
            referenced=_referenced_files(copy),
            tool=f"sqlite3 {sqlite3.sqlite_version}",
        )
    finally:
        copy.close()


@dataclass
class BackupReport:
    path: Path
    vendor: str
    tables: int
    rows: int
    files: int
    bytes: int
    seconds: float
    missing: list[str] = field(default_factory=list)


def backup_create(target: Path, *, overwrite: bool = False, allow_missing: bool = False) -> BackupReport:
    """Write the backup of the configured database and ``MEDIA_ROOT`` to ``target`` (a temporary file in the same
    folder, renamed at the end: a failed backup leaves no file). ``BackupError`` (German) if it is refused."""
    started = time.monotonic()
    vendor = connections["default"].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Sicherungen gibt es nur für PostgreSQL und SQLite, nicht für „{vendor}“.")
    target = target.absolute()
    if target.exists() and not overwrite:
        raise BackupError(f"Die Datei „{target}“ gibt es schon; nichts geschrieben. Mit --force wird sie ersetzt.")
    if not target.parent.is_dir():
        raise BackupError(f"Den Ordner „{target.parent}“ gibt es nicht; nichts geschrieben.")
    media_root = Path(settings.MEDIA_ROOT)
    snapshot_context = _postgresql_snapshot if vendor == "postgresql" else _sqlite_snapshot
    handle, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        with tempfile.TemporaryDirectory(prefix="werkstatt-backup-") as work, snapshot_context(Path(work)) as snap:
            on_disk = {
                path.relative_to(media_root).as_posix(): path
                for path in (sorted(media_root.rglob("*")) if media_root.is_dir() else [])
                if path.is_file()
                and not path.is_symlink()
                and not any(part.startswith(STAGING_PREFIX) for part in path.relative_to(media_root).parts)
            }
            missing = sorted(name for name in snap.referenced if name not in on_disk)
            if missing and not allow_missing:
                shown = ", ".join(f"„{name}“" for name in missing[:10])
                more = f" und {len(missing) - 10} weitere" if len(missing) > 10 else ""
                raise BackupError(
                    f"Die Datenbank verweist auf {len(missing)} Datei(en), die in MEDIA_ROOT ({media_root}) fehlen: "
                    f"{shown}{more}. Die Sicherung wäre so nicht vollständig wiederherstellbar; nichts geschrieben. "
                    "Mit --allow-missing wird sie trotzdem geschrieben und die fehlenden Dateien im Manifest genannt."
                )
            files: dict[str, dict[str, Any]] = {}
            with _open_for_writing(partial, target) as tar:
                for name, path in on_disk.items():
                    files[name] = {**_add_file(tar, path, MEDIA_PREFIX + name), "referenced": name in snap.referenced}
                dump_entry = {"name": snap.dump.name, **_add_file(tar, snap.dump, snap.dump.name)}
                manifest = {
                    "format": FORMAT_NAME,
                    "version": FORMAT_VERSION,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "database": {
                        "vendor": vendor,
                        "tool": snap.tool,
                        "dump": dump_entry,
                        "migrations": snap.migrations,
                        "tables": snap.tables,
                    },
                    "files": files,
                    "missing_files": missing,
                }
                data = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size = len(data)
                info.mtime = int(time.time())
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(
        path=target,
        vendor=vendor,
        tables=len(snap.tables),
        rows=sum(entry["rows"] for entry in snap.tables.values()),
        files=len(files),
        bytes=target.stat().st_size,
        seconds=time.monotonic() - started,
        missing=missing,
    )


# --- verification ------------------------------------------------------------------------------------------


@dataclass
class VerifiedArchive:
    path: Path
    manifest: dict[str, Any]
    dump: Path  # extracted into a temporary folder

    @property
    def vendor(self) -> str:
        return str(self.manifest["database"]["vendor"])


def _damaged(path: Path, detail: str) -> BackupError:
    return BackupError(f"Die Sicherung „{path}“ ist beschädigt: {detail} Nichts wurde verändert.")


def _foreign(path: Path, detail: str) -> BackupError:
    return BackupError(f"„{path}“ ist keine Werkstatt-Sicherung: {detail} Nichts wurde verändert.")


def _check_manifest(path: Path, data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise _damaged(path, "manifest.json ist kein gültiges JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise _foreign(path, f"manifest.json nennt nicht das Format „{FORMAT_NAME}“.")
    version = manifest.get("version")
    if version not in SUPPORTED_VERSIONS:
        supported = ", ".join(str(v) for v in sorted(SUPPORTED_VERSIONS))
        raise BackupError(
            f"Die Sicherung „{path}“ hat die Formatversion {version!r}; dieser Programmstand liest nur Version "
            f"{supported}. Nichts wurde verändert."
        )
    database = manifest.get("database")
    files = manifest.get("files")
    if (
        not isinstance(database, dict)
        or database.get("vendor") not in DUMP_NAMES
        or not isinstance(database.get("dump"), dict)
        or database["dump"].get("name") != DUMP_NAMES[database["vendor"]]
        or not isinstance(database.get("tables"), dict)
        or not isinstance(database.get("migrations"), dict)
        or not isinstance(files, dict)
    ):
        raise _damaged(path, "manifest.json ist unvollständig.")
    return manifest


def archive_verify(path: Path, workdir: Path) -> VerifiedArchive:
    """Read the whole archive once: manifest of our format and version, every member expected and intact (SHA-256
    as in the manifest), nothing missing. The dump is extracted into ``workdir``. ``BackupError`` otherwise."""
    if not path.exists():
        raise BackupError(f"Die Datei „{path}“ gibt es nicht. Nichts wurde verändert.")
    if not path.is_file():
        raise BackupError(f"„{path}“ ist keine Datei. Nichts wurde verändert.")
    digests: dict[str, tuple[int, str]] = {}
    manifest_data: bytes | None = None
    unexpected: list[str] = []
    extracted: dict[str, Path] = {}
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed below
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        raise _foreign(path, "Die Datei ist kein lesbares tar-Archiv.") from None
    try:
        for member in tar:
            name = member.name
            if name == MANIFEST_NAME and member.isfile():
                manifest_data = _member_reader(tar, member).read()
                continue
            if not member.isfile() or (name not in DUMP_NAMES.values() and safe_media_name(name) is None):
                unexpected.append(name)
                continue
            if name in digests:
                raise _damaged(path, f"Der Eintrag „{name}“ kommt doppelt vor.")
            handle = _member_reader(tar, member)
            digest = hashlib.sha256()
            out = (workdir / name).open("wb") if name in DUMP_NAMES.values() else None
            try:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    if out is not None:
                        out.write(chunk)
            finally:
                if out is not None:
                    out.close()
                    extracted[name] = workdir / name
            digests[name] = (member.size, digest.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        raise _damaged(path, "Das Archiv ist unvollständig oder fehlerhaft (abgeschnitten?).") from None
    finally:
        tar.close()
    if manifest_data is None and digests:
        raise _damaged(path, "Die manifest.json fehlt (abgeschnitten?).")
    if manifest_data is None:
        raise _foreign(path, "Das Archiv enthält keine manifest.json.")
    manifest = _check_manifest(path, manifest_data)
    if unexpected:
        shown = ", ".join(f"„{name}“" for name in unexpected[:5])
        raise _damaged(path, f"Das Archiv enthält Einträge, die nicht dazugehören: {shown}.")
    dump_entry = manifest["database"]["dump"]
    expected = {dump_entry["name"]: dump_entry} | {MEDIA_PREFIX + name: e for name, e in manifest["files"].items()}
    for name, entry in expected.items():
        is_dump = name == dump_entry["name"]
        if name not in digests:
            what = "Die Datenbanksicherung" if is_dump else f"Die Datei „{name.removeprefix(MEDIA_PREFIX)}“"
            raise _damaged(path, f"{what} steht im Manifest, fehlt aber im Archiv.")
        size, sha256 = digests[name]
        if (size, sha256) != (entry.get("size"), entry.get("sha256")):
            what = "der Datenbanksicherung" if is_dump else f"der Datei „{name.removeprefix(MEDIA_PREFIX)}“"
            raise _damaged(path, f"Die Prüfsumme {what} stimmt nicht mit dem Manifest überein.")
    extra = sorted(set(digests) - set(expected))
    if extra:
        raise _damaged(path, f"„{extra[0]}“ ist im Archiv, steht aber nicht im Manifest.")
    return VerifiedArchive(path=path, manifest=manifest, dump=extracted[dump_entry["name"]])


# --- restore -------------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    vendor: str
    tables: int
    rows: int
    files: int
    replaced: bool
    seconds: float
    created_at: str
    pending_migrations: list[str] = field(default_factory=list)


def _unknown_migrations(migrations: dict[str, str]) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known)


def _pending_migrations(migrations: dict[str, str]) -> list[str]:
    """The newest migration of each app whose restored state is older (``migrate`` is due after the restore)."""
    from django.db.migrations.loader import MigrationLoader

    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    return sorted(f"{app}.{name}" for app, name in leaves if migrations.get(app) != name)


def _restore_postgresql(archive: VerifiedArchive, connection: BaseDatabaseWrapper, *, replace: bool) -> None:
    """Database from the dump in ONE transaction: pg_restore writes SQL, psql runs it between BEGIN and COMMIT,
    after dropping the schema ``public`` if ``replace``. COMMIT is sent only if pg_restore succeeded."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    args, env = _pg_args_env(connection.settings_dict)
    workdir = archive.dump.parent
    restore_errors, psql_errors = workdir / "pg_restore.stderr", workdir / "psql.stderr"
    with restore_errors.open("wb") as restore_err, psql_errors.open("wb") as psql_err:
        reader = subprocess.Popen(  # noqa: S603
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(archive.dump)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
        )
        writer = subprocess.Popen(  # noqa: S603
            [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        if reader.stdout is None or writer.stdin is None:  # pragma: no cover - both are pipes
            raise BackupError("pg_restore oder psql ließ sich nicht starten. Nichts wurde verändert.")
        try:
            writer.stdin.write(b"BEGIN;\n")
            if replace:
                writer.stdin.write(b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n")
            shutil.copyfileobj(reader.stdout, writer.stdin, CHUNK)
            if reader.wait() == 0:
                writer.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            reader.kill()
            reader.wait()
        finally:
            with suppress(BrokenPipeError):
                writer.stdin.close()
            writer.wait()
    if reader.returncode != 0:
        raise BackupError(
            f"pg_restore ist gescheitert (Exit-Code {reader.returncode}); die Datenbank ist unverändert: "
            f"{_stderr_tail(restore_errors)}"
        )
    if writer.returncode != 0:
        raise BackupError(
            f"Die Wiederherstellung ist gescheitert (psql, Exit-Code {writer.returncode}); die Transaktion wurde "
            f"zurückgerollt, die Datenbank ist unverändert: {_stderr_tail(psql_errors)}"
        )


def _restore_sqlite(archive: VerifiedArchive, connection: BaseDatabaseWrapper) -> None:
    """The copy replaces the target's content in one step of the backup API (one write transaction)."""
    source = sqlite3.connect(archive.dump)
    try:
        (result,) = source.execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise BackupError(f"Die SQLite-Datei der Sicherung ist fehlerhaft ({result}). Nichts wurde verändert.")
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _stage_media(archive: VerifiedArchive, media_root: Path) -> Path:
    """Write the archive's files into a hidden folder inside ``MEDIA_ROOT`` (same file system: moved in later by
    renaming), checking each SHA-256 again on the way."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    files = archive.manifest["files"]
    with tarfile.open(archive.path, "r:*") as tar:
        for member in tar:
            relative = safe_media_name(member.name)
            if relative is None:
                continue
            handle = _member_reader(tar, member)
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with destination.open("wb") as out:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != files[relative]["sha256"]:
                raise _damaged(archive.path, f"Die Datei „{relative}“ hat sich beim Lesen verändert.")
            os.utime(destination, (member.mtime, member.mtime))
    return staging


def _move_media_in(staging: Path, media_root: Path) -> None:
    for child in media_root.iterdir():
        if child == staging:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in staging.iterdir():
        os.replace(child, media_root / child.name)
    staging.rmdir()


def database_is_empty(connection: BaseDatabaseWrapper) -> bool:
    """Empty means: no tables at all (a new database; for SQLite also a file that does not exist yet)."""
    return not table_names(connection)


def backup_restore(path: Path, *, force: bool = False) -> RestoreReport:
    """Restore database and media files from the archive at ``path`` (see the module's docstring). Refusals
    change nothing; ``BackupError`` carries the German message."""
    started = time.monotonic()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="werkstatt-restore-") as work:
        archive = archive_verify(path, Path(work))
        manifest = archive.manifest
        vendor = connections["default"].vendor
        if archive.vendor != vendor:
            raise BackupError(
                f"Die Sicherung stammt aus einer {vendor_label(archive.vendor)}-Datenbank, eingerichtet ist "
                f"{vendor_label(vendor)}. Eine Sicherung lässt sich nur in dieselbe Datenbankart wiederherstellen. "
                "Nichts wurde verändert."
            )
        unknown = _unknown_migrations(manifest["database"]["migrations"])
        if unknown:
            raise BackupError(
                "Die Sicherung stammt von einem neueren Programmstand; diese Migrationen kennt dieser Stand nicht: "
                f"{', '.join(unknown[:5])}. Bitte mit dem Programmstand der Sicherung wiederherstellen. "
                "Nichts wurde verändert."
            )
        connection = separate_connection()
        try:
            connection.ensure_connection()
            tables = table_names(connection)
            connection.close()
            if tables and not force:
                raise BackupError(
                    f"Die Datenbank ist nicht leer ({len(tables)} Tabellen). Wiederhergestellt wird nur in eine "
                    "leere Datenbank (ohne Tabellen, auch ohne migrate). Mit --force wird sie vollständig ersetzt: "
                    "alles, was jetzt darin steht, geht verloren. Nichts wurde verändert."
                )
            if _has_files(media_root) and not force:
                raise BackupError(
                    f"MEDIA_ROOT ({media_root}) enthält schon Dateien. Mit --force wird der Ordner vollständig "
                    "ersetzt. Nichts wurde verändert."
                )
            if vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
                raise BackupError("In eine SQLite-Datenbank im Arbeitsspeicher wird nicht wiederhergestellt.")
            created_root = not media_root.exists()
            media_root.mkdir(parents=True, exist_ok=True)
            staging: Path | None = None
            try:
                staging = _stage_media(archive, media_root)
                if vendor == "postgresql":
                    _restore_postgresql(archive, connection, replace=bool(tables))
                else:
                    _restore_sqlite(archive, connection)
            except BaseException:
                if staging is not None:
                    shutil.rmtree(staging, ignore_errors=True)
                if created_root:
                    shutil.rmtree(media_root, ignore_errors=True)
                raise
            _move_media_in(staging, media_root)
            connection.ensure_connection()
            restored = table_checksums(connection)
        finally:
            connection.close()
    expected: TableSums = manifest["database"]["tables"]
    differing = sorted(name for name in set(expected) | set(restored) if expected.get(name) != restored.get(name))
    if differing:
        raise BackupError(
            "Die Datenbank wurde wiederhergestellt, aber diese Tabellen stimmen nicht mit der Sicherung überein: "
            f"{', '.join(differing[:10])}. Bitte die Wiederherstellung prüfen."
        )
    listing = media_listing(media_root)
    wrong = sorted(
        name for name, entry in manifest["files"].items() if listing.get(name, {}).get("sha256") != entry["sha256"]
    )
    if wrong:
        raise BackupError(f"Diese Dateien stimmen nach der Wiederherstellung nicht: {', '.join(wrong[:10])}.")
    # Pages cached before the restore (in a cache outside the database) show other data: none is served again.
    from werkstatt.core import pagecache

    pagecache.new_generation()
    return RestoreReport(
        vendor=vendor,
        tables=len(restored),
        rows=sum(entry["rows"] for entry in restored.values()),
        files=len(manifest["files"]),
        replaced=bool(tables),
        seconds=time.monotonic() - started,
        created_at=str(manifest.get("created_at", "")),
        pending_migrations=_pending_migrations(manifest["database"]["migrations"]),
    )

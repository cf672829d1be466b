"""Helpers of the backup tests: scratch databases, the command in its own process, damaged and foreign archives."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

from werkstatt.core.backup import MANIFEST_NAME, media_listing, separate_connection, table_checksums

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Scratch:
    """A second database of the same vendor: its URL for a subprocess and its NAME for ``separate_connection``."""

    url: str
    name: str

    def checksums(self) -> dict[str, Any]:
        other = separate_connection(NAME=self.name)
        try:
            other.ensure_connection()
            return table_checksums(other)
        finally:
            other.close()

    def execute(self, sql: str) -> None:
        other = separate_connection(NAME=self.name)
        try:
            with other.cursor() as cursor:
                cursor.execute(sql)
            if not other.get_autocommit():
                other.commit()
        finally:
            other.close()


def _postgres_url(settings_dict: dict[str, Any], name: str) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{name}"


@contextmanager
def scratch_database(folder: Path) -> Iterator[Scratch]:
    """An empty database (no tables) next to the test database, dropped afterwards. PostgreSQL: a new database
    ``test_backup_restore_<random>`` on the same server; SQLite: a new file in ``folder``."""
    if connection.vendor == "sqlite":
        path = folder / "restored.sqlite3"
        yield Scratch(url=f"sqlite:///{path}", name=str(path))
        return
    name = f"test_backup_restore_{uuid.uuid4().hex[:10]}"
    admin = separate_connection(NAME="postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield Scratch(url=_postgres_url(connection.settings_dict, name), name=name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def werkstatt(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess[str]:
    """``bin/werkstatt ARGS`` in its own process against another database and media folder."""
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )


def state(media_root: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """What must not change after a refused restore: every table (count, checksum) and every file (size, sha256)."""
    return table_checksums(connection), media_listing(media_root)


# --- archives made damaged or foreign -----------------------------------------------------------------------


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:*") as tar:
        result = {}
        for member in tar:
            handle = tar.extractfile(member)
            assert handle is not None
            result[member.name] = handle.read()
        return result


def write_tar(path: Path, contents: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz" if path.name.endswith(".gz") else "w") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def with_manifest(archive: Path, target: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of ``archive`` whose manifest ``change`` edited in place (everything else as it was)."""
    contents = members(archive)
    manifest = json.loads(contents[MANIFEST_NAME])
    change(manifest)
    contents[MANIFEST_NAME] = json.dumps(manifest).encode()
    return write_tar(target, contents)


def with_member_byte_flipped(archive: Path, target: Path, name: str) -> Path:
    """A copy of an uncompressed ``archive`` with one byte in the middle of member ``name`` inverted."""
    with tarfile.open(archive, "r:") as tar:
        member = tar.getmember(name)
        offset = member.offset_data + member.size // 2
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0xFF
    target.write_bytes(bytes(data))
    return target

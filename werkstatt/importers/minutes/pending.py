"""Uploaded minutes waiting for the office's decision, between the upload and the import.

The bytes go to the default storage under ``minutes-import/<user pk>/<token>/<file name>``; the
user's session keeps only the list of tokens with the file names and the workshop hint, never the
content. A token names a folder of one user, so nobody sees another user's pending files: the
path is built from the logged-in user and a token from that user's own session, never from a path
sent by the browser. Files older than ``MAX_AGE`` are deleted whenever the user comes back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.documents.validators import base_name, max_upload_bytes, max_upload_mb

PREFIX = "minutes-import"
SESSION_KEY = "werkstatt_minutes_import"
MAX_AGE = dt.timedelta(hours=24)
TOKEN_PATTERN = r"[A-Za-z0-9_-]{22}"  # noqa: S105 (a pattern, no secret): secrets.token_urlsafe(16)
_TOKEN_RE = re.compile(rf"^{TOKEN_PATTERN}$")
_FALLBACK_NAME = "dokument"
_MAX_NAME = 120


@dataclass(frozen=True)
class PendingDocument:
    token: str
    file_name: str  # as the browser sent it, without folders
    workshop_number: int | None  # the hint chosen at the upload
    uploaded_at: dt.datetime


def _file_name(sent: str) -> str:
    """The name without folders, never "." or "..", short enough for any file system."""
    name = base_name(sent)
    if not name.strip("."):
        return _FALLBACK_NAME
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        short_extension = dot and len(extension) < 10
        name = f"{stem[: _MAX_NAME - len(extension) - 1]}.{extension}" if short_extension else name[:_MAX_NAME]
    return name


def is_token(value: str) -> bool:
    return bool(_TOKEN_RE.match(value or ""))


class PendingStore:
    """The pending documents of one user in one session."""

    def __init__(self, session: SessionBase, user: Any) -> None:
        if not getattr(user, "pk", None):
            raise ValueError("Only a logged-in user has pending documents.")
        self.session = session
        self.user_pk = int(user.pk)

    # --- paths ----------------------------------------------------------------------------------

    @property
    def root(self) -> str:
        return f"{PREFIX}/{self.user_pk}"

    def _folder(self, token: str) -> str:
        if not is_token(token):
            raise ValueError(f"Not a token: {token!r}")
        return f"{self.root}/{token}"

    def _stored_files(self, token: str) -> list[str]:
        folder = self._folder(token)
        try:
            return [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]
        except FileNotFoundError:
            return []

    # --- the session's list -----------------------------------------------------------------------

    def _entries(self) -> list[dict[str, Any]]:
        entries = self.session.get(SESSION_KEY)
        return [entry for entry in entries if is_token(entry.get("token", ""))] if isinstance(entries, list) else []

    def _save_entries(self, entries: list[dict[str, Any]]) -> None:
        if entries:
            self.session[SESSION_KEY] = entries
        else:
            self.session.pop(SESSION_KEY, None)
        self.session.modified = True

    @staticmethod
    def _document(entry: dict[str, Any]) -> PendingDocument:
        workshop = entry.get("workshop")
        try:
            uploaded_at = dt.datetime.fromisoformat(str(entry.get("at")))
        except ValueError:
            uploaded_at = timezone.now()
        return PendingDocument(
            token=entry["token"],
            file_name=str(entry.get("name") or _FALLBACK_NAME),
            workshop_number=workshop if isinstance(workshop, int) else None,
            uploaded_at=uploaded_at,
        )

    # --- what the views use -------------------------------------------------------------------------

    def add(self, upload: UploadedFile, *, workshop_number: int | None = None) -> PendingDocument:
        """Store ``upload`` and list it in the session; a file over the upload limit is refused, not stored."""
        name = _file_name(upload.name or "")
        if (upload.size or 0) > max_upload_bytes():
            raise ValidationError(
                _("„%(name)s“ ist größer als %(limit)s MB und wurde nicht übernommen.")
                % {"name": name, "limit": max_upload_mb()},
                code="file_too_large",
            )
        if not upload.size:
            raise ValidationError(
                _("„%(name)s“ ist leer und wurde nicht übernommen.") % {"name": name}, code="file_empty"
            )
        token = secrets.token_urlsafe(16)
        upload.seek(0)
        default_storage.save(f"{self._folder(token)}/{name}", upload)
        entry = {"token": token, "name": name, "workshop": workshop_number, "at": timezone.now().isoformat()}
        self._save_entries([*self._entries(), entry])
        return self._document(entry)

    def documents(self) -> list[PendingDocument]:
        """The pending documents in the order of their upload; entries whose file is gone are dropped."""
        entries = self._entries()
        kept = [entry for entry in entries if self._stored_files(entry["token"])]
        if len(kept) != len(self.session.get(SESSION_KEY) or []):
            self._save_entries(kept)
        return [self._document(entry) for entry in kept]

    def get(self, token: str) -> PendingDocument | None:
        if not is_token(token):
            return None
        for entry in self._entries():
            if entry["token"] == token and self._stored_files(token):
                return self._document(entry)
        return None

    def content(self, document: PendingDocument) -> bytes:
        files = self._stored_files(document.token)
        if not files:
            raise FileNotFoundError(document.token)
        with default_storage.open(files[0], "rb") as stored:
            data: bytes = stored.read()
        return data

    def remove(self, token: str) -> PendingDocument | None:
        """Delete the file of ``token`` and take it off the list; returns what was removed, if anything."""
        if not is_token(token):
            return None
        removed = None
        entries = []
        for entry in self._entries():
            if entry["token"] == token:
                removed = self._document(entry)
            else:
                entries.append(entry)
        self._delete_folder(token)
        self._save_entries(entries)
        return removed

    def purge_expired(self, *, now: dt.datetime | None = None) -> int:
        """Delete this user's pending files older than ``MAX_AGE`` (from any session); returns how many."""
        limit = (now or timezone.now()) - MAX_AGE
        try:
            folders = default_storage.listdir(self.root)[0]
        except FileNotFoundError:
            return 0
        purged = 0
        for token in folders:
            if not is_token(token):
                continue
            files = self._stored_files(token)
            if not files or all(default_storage.get_modified_time(path) < limit for path in files):
                self._delete_folder(token)
                purged += len(files)
        if purged:
            self.documents()  # drops the session's entries of deleted files
        return purged

    def _delete_folder(self, token: str) -> None:
        for path in self._stored_files(token):
            default_storage.delete(path)
        with contextlib.suppress(OSError):
            default_storage.delete(self._folder(token))  # the file system storage removes the empty folder

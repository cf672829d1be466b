"""Uploads are checked by what they contain, not by what they are called.

Allowed are PDF, DOCX, PPTX, XLSX, ODT, ODP, ODS, PNG and JPEG up to ``WERKSTATT_MAX_UPLOAD_MB``.
The name's ending says what a file claims to be; its first bytes (for the zip-based office formats:
the package's ``[Content_Types].xml`` or ``mimetype`` entry) must agree, else the upload is refused
with a German message. The stored MIME type comes from this check, never from the browser.
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MEGABYTE = 1024 * 1024
# Entries of a zip package read for the check; a manifest is a few kilobytes, never megabytes.
_MAX_MANIFEST_BYTES = 1024 * 1024


def max_upload_mb() -> int:
    return int(getattr(settings, "WERKSTATT_MAX_UPLOAD_MB", 50))


def max_upload_bytes() -> int:
    return max_upload_mb() * MEGABYTE


def _starts_with(signature: bytes) -> Callable[[IO[bytes]], bool]:
    def check(stream: IO[bytes]) -> bool:
        stream.seek(0)
        return stream.read(len(signature)) == signature

    return check


def _zip_entry(stream: IO[bytes], entry: str) -> bytes | None:
    """The content of one small entry of a zip package, or None if the stream is no such package."""
    stream.seek(0)
    if stream.read(4) != b"PK\x03\x04":
        return None
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as package:
            info = package.getinfo(entry)
            if info.file_size > _MAX_MANIFEST_BYTES:
                return None
            return package.read(info)
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return None


def _office_open_xml(main_content_type: str) -> Callable[[IO[bytes]], bool]:
    needle = main_content_type.encode("ascii")

    def check(stream: IO[bytes]) -> bool:
        manifest = _zip_entry(stream, "[Content_Types].xml")
        return manifest is not None and needle in manifest

    return check


def _open_document(mime_type: str) -> Callable[[IO[bytes]], bool]:
    def check(stream: IO[bytes]) -> bool:
        entry = _zip_entry(stream, "mimetype")
        return entry is not None and entry.strip() == mime_type.encode("ascii")

    return check


@dataclass(frozen=True)
class FileType:
    label: str
    mime_type: str
    extensions: tuple[str, ...]
    matches: Callable[[IO[bytes]], bool]
    mismatch: Promise  # "Die Datei ist kein PDF, obwohl sie so heißt."


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

FILE_TYPES: tuple[FileType, ...] = (
    FileType(
        "PDF",
        "application/pdf",
        (".pdf",),
        _starts_with(b"%PDF-"),
        gettext_lazy("Die Datei ist kein PDF, obwohl sie so heißt."),
    ),
    FileType(
        "DOCX",
        _OOXML + "wordprocessingml.document",
        (".docx",),
        _office_open_xml(_OOXML + "wordprocessingml.document.main+xml"),
        gettext_lazy("Die Datei ist kein Word-Dokument (DOCX), obwohl sie so heißt."),
    ),
    FileType(
        "PPTX",
        _OOXML + "presentationml.presentation",
        (".pptx",),
        _office_open_xml(_OOXML + "presentationml.presentation.main+xml"),
        gettext_lazy("Die Datei ist keine PowerPoint-Präsentation (PPTX), obwohl sie so heißt."),
    ),
    FileType(
        "XLSX",
        _OOXML + "spreadsheetml.sheet",
        (".xlsx",),
        _office_open_xml(_OOXML + "spreadsheetml.sheet.main+xml"),
        gettext_lazy("Die Datei ist keine Excel-Tabelle (XLSX), obwohl sie so heißt."),
    ),
    FileType(
        "ODT",
        _ODF + "text",
        (".odt",),
        _open_document(_ODF + "text"),
        gettext_lazy("Die Datei ist kein OpenDocument-Text (ODT), obwohl sie so heißt."),
    ),
    FileType(
        "ODP",
        _ODF + "presentation",
        (".odp",),
        _open_document(_ODF + "presentation"),
        gettext_lazy("Die Datei ist keine OpenDocument-Präsentation (ODP), obwohl sie so heißt."),
    ),
    FileType(
        "ODS",
        _ODF + "spreadsheet",
        (".ods",),
        _open_document(_ODF + "spreadsheet"),
        gettext_lazy("Die Datei ist keine OpenDocument-Tabelle (ODS), obwohl sie so heißt."),
    ),
    FileType(
        "PNG",
        "image/png",
        (".png",),
        _starts_with(b"\x89PNG\r\n\x1a\n"),
        gettext_lazy("Die Datei ist kein PNG-Bild, obwohl sie so heißt."),
    ),
    FileType(
        "JPEG",
        "image/jpeg",
        (".jpg", ".jpeg"),
        _starts_with(b"\xff\xd8\xff"),
        gettext_lazy("Die Datei ist kein JPEG-Bild, obwohl sie so heißt."),
    ),
)
_BY_EXTENSION = {extension: file_type for file_type in FILE_TYPES for extension in file_type.extensions}
# For <input type="file" accept="...">: a hint to the browser's file picker, not a check.
ACCEPT = ",".join(sorted(_BY_EXTENSION))


def allowed_labels() -> str:
    """``PDF, DOCX, … und JPEG``"""
    return _("%(first)s und %(last)s") % {
        "first": ", ".join(t.label for t in FILE_TYPES[:-1]),
        "last": FILE_TYPES[-1].label,
    }


def base_name(name: str) -> str:
    """The file name without any folder a browser may send along (``C:\\Users\\...\\a.pdf`` → ``a.pdf``)."""
    return PureWindowsPath(PurePosixPath(name or "").name).name.strip()


def validate_upload(upload: UploadedFile) -> FileType:
    """Return the checked type of ``upload`` or raise a ``ValidationError`` with a German message."""
    size = upload.size or 0
    if size > max_upload_bytes():
        raise ValidationError(
            _("Die Datei ist größer als %(limit)s MB.") % {"limit": max_upload_mb()}, code="file_too_large"
        )
    if size == 0:
        raise ValidationError(_("Die Datei ist leer."), code="file_empty")
    name = base_name(upload.name or "")
    extension = PurePosixPath(name.lower()).suffix
    file_type = _BY_EXTENSION.get(extension)
    if file_type is None:
        what = (
            _("Dateien mit der Endung „%(extension)s“") % {"extension": extension}
            if extension
            else _("Dateien ohne Endung")
        )
        raise ValidationError(
            _("%(what)s können nicht hochgeladen werden. Erlaubt sind %(allowed)s.")
            % {"what": what, "allowed": allowed_labels()},
            code="file_type_not_allowed",
        )
    stream: IO[bytes] = upload
    try:
        matches = file_type.matches(stream)
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(str(file_type.mismatch), code="file_content_mismatch")
    return file_type

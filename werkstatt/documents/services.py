import hashlib
import mimetypes
import secrets
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.documents.models import File
from werkstatt.documents.validators import base_name, validate_upload


def file_create(
    *,
    actor: object | None,
    name: str,
    content: bytes | None = None,
    file_name: str = "",
    mime_type: str = "",
    public: bool = True,
    text: str = "",
) -> File:
    """Store a document; without ``content`` it records an attachment known by name only.

    ``text`` is the document's extracted text, where the caller has it (e.g. an imported minutes file).
    """
    document = File(name=normalise_text(name), public=public, file_name=file_name, text=text)
    if content is not None:
        if not file_name:
            raise ValidationError({"file_name": _("Eine hochgeladene Datei braucht einen Dateinamen.")})
        document.mime_type = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        document.size = len(content)
        document.sha512 = hashlib.sha512(content).hexdigest()
        # Like uploads: an unguessable folder, so the address of a non-public file cannot be guessed.
        document.file.save(f"{secrets.token_urlsafe(12)}/{file_name}", ContentFile(content), save=False)
    try:
        return save_validated(document, actor=actor)
    except BaseException:
        if content is not None:
            document.file.delete(save=False)
        raise


class HasFiles(Protocol):
    """Anything with a ``files`` many-to-many to File: a session, an agenda item, later a project."""

    @property
    def files(self) -> Any: ...


def fit_name(value: str, limit: int = 250) -> str:
    """Shorten a name to ``limit`` characters, keeping its ending (``….pdf``)."""
    if len(value) <= limit:
        return value
    path = PurePosixPath(value)
    suffix = path.suffix[:20]
    return path.stem[: limit - len(suffix)] + suffix


def file_upload(
    *,
    actor: object | None,
    upload: UploadedFile,
    name: str = "",
    public: bool = True,
    attach_to: Sequence[HasFiles] = (),
) -> File:
    """Check an uploaded file by its content and size, store it and attach it, all or nothing.

    The check comes before anything is written. The stored file gets an unguessable folder, so the
    address of a non-public file cannot be guessed; the office serves those only through a view
    that asks the rules. If the database write fails, the stored file is removed again.
    """
    file_type = validate_upload(upload)
    original = fit_name(base_name(upload.name or ""), 250)
    digest = hashlib.sha512()
    for chunk in upload.chunks():
        digest.update(chunk)
    document = File(
        name=fit_name(normalise_text(name) or PurePosixPath(original).stem, 250),
        file_name=original,
        mime_type=file_type.mime_type,
        size=upload.size,
        sha512=digest.hexdigest(),
        public=public,
    )
    document.file.save(f"{secrets.token_urlsafe(12)}/{original}", upload, save=False)
    try:
        with transaction.atomic():
            save_validated(document, actor=actor)
            for target in attach_to:
                target.files.add(document)
    except BaseException:
        document.file.delete(save=False)
        raise
    return document

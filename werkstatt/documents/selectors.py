"""Reading stored files back."""

import hashlib
import logging

from werkstatt.documents.models import File

logger = logging.getLogger(__name__)


def file_content(document: File) -> bytes | None:
    """The stored bytes of ``document``, checked against its size and SHA-512; ``None`` if they are gone or differ.

    A caller that promises fixed bytes (a published document with its checksum) falls back to something else
    rather than hand out a file that is not the one recorded; the log says which file is damaged.
    """
    if not document.has_content:
        return None
    try:
        with document.file.open("rb") as stream:
            content = stream.read()
    except OSError:
        logger.error("Die gespeicherte Datei %s (%s) ist nicht mehr vorhanden.", document.pk, document.file.name)
        return None
    if (document.size is not None and len(content) != document.size) or (
        document.sha512 and hashlib.sha512(content).hexdigest() != document.sha512
    ):
        logger.error(
            "Die gespeicherte Datei %s (%s) stimmt nicht mit ihrer Prüfsumme überein.", document.pk, document.file.name
        )
        return None
    return bytes(content)

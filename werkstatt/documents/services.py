import hashlib
import mimetypes

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.documents.models import File


def file_create(
    *,
    actor: object | None,
    name: str,
    content: bytes | None = None,
    file_name: str = "",
    mime_type: str = "",
    public: bool = True,
) -> File:
    """Store a document; without ``content`` it records an attachment known by name only."""
    document = File(name=normalise_text(name), public=public, file_name=file_name)
    if content is not None:
        if not file_name:
            raise ValidationError({"file_name": _("Eine hochgeladene Datei braucht einen Dateinamen.")})
        document.mime_type = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        document.size = len(content)
        document.sha512 = hashlib.sha512(content).hexdigest()
        document.file.save(file_name, ContentFile(content), save=False)
    return save_validated(document, actor=actor)

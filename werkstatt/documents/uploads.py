"""The first upload handler: a file larger than the limit is not stored, only measured.

Django parses a multipart request before any view runs (the CSRF check reads the form), so a
200 MB upload would otherwise land in a temporary file first. This handler sits in front of
Django's own handlers (``FILE_UPLOAD_HANDLERS``): once a file passes ``WERKSTATT_MAX_UPLOAD_MB``
it swallows the remaining chunks, and hands the form an empty ``OversizeUpload`` that knows the
size, so the validator can refuse it with "Die Datei ist größer als 50 MB."
"""

import io
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from werkstatt.documents.validators import max_upload_bytes


class OversizeUpload(UploadedFile):
    """Stands in for a file that was too large to keep: its name and size, no content."""

    def __init__(self, *, name: str, size: int, content_type: str | None) -> None:
        super().__init__(file=io.BytesIO(), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > self.limit:
            return OversizeUpload(name=self.file_name or "", size=self.received, content_type=self.content_type)
        return None  # the next handler (memory or temporary file) returns the real file

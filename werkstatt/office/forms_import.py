"""Forms of the project import: the CSV upload, and the confirmation that commits the checked file."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkstatt.documents.validators import max_upload_bytes, max_upload_mb
from werkstatt.office.forms import KernFormMixin


class ProjectImportForm(KernFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV-Datei"),
        help_text=gettext_lazy(
            "Spalten wie im Export des Projektregisters, Semikolon als Trennzeichen, höchstens %(limit)s MB"
        ),
        error_messages={
            "required": gettext_lazy("Bitte wählen Sie eine CSV-Datei aus."),
            "empty": gettext_lazy("Die Datei ist leer."),
            "invalid": gettext_lazy("Das ist keine Datei. Bitte wählen Sie eine CSV-Datei aus."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = str(field.help_text) % {"limit": max_upload_mb()}
        field.widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > max_upload_bytes():
            raise forms.ValidationError(_("Die Datei ist größer als %(limit)s MB.") % {"limit": max_upload_mb()})
        return upload

    @property
    def content(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        return b"".join(upload.chunks())

    @property
    def file_name(self) -> str:
        upload: UploadedFile = self.cleaned_data["file"]
        return str(upload.name or "")


class ProjectImportCommitForm(forms.Form):
    """Names the checked file by its SHA-256; the file itself waits in the session."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)

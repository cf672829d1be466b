"""Forms of the minutes import: the upload of one or many files, and the buttons on the preview."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkstatt.documents.validators import base_name, max_upload_bytes, max_upload_mb
from werkstatt.importers.minutes.pending import TOKEN_PATTERN
from werkstatt.office.forms import KernFormMixin
from werkstatt.organizations.models import Workshop

# A hint to the browser's file picker, not a check: the readers look at the content.
ACCEPT = ",".join(
    (
        ".txt",
        ".docx",
        ".pdf",
        "text/plain",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes every file of ``<input type="file" multiple>`` and cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # refused per file by the form, with the file's name
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = [upload for upload in data if upload] if isinstance(data, list | tuple) else [data] if data else []
        if not uploads:
            super().clean(None, initial)  # "required" in the field's words
            return []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class WorkshopNumberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        workshop: Workshop = obj
        return f"{workshop.label}: {workshop.title}"


class MinutesUploadForm(KernFormMixin, forms.Form):
    dateien = MultipleFileField(
        label=gettext_lazy("Protokolle"),
        help_text=gettext_lazy(
            "Eine oder mehrere Dateien auf einmal: Text (.txt), Word (.docx) oder PDF mit Textebene, "
            "je höchstens %(limit)s MB"
        ),
        error_messages={
            "required": gettext_lazy("Bitte wählen Sie mindestens eine Datei aus."),
            "invalid": gettext_lazy("Das ist keine Datei. Bitte wählen Sie eine Datei aus."),
        },
    )
    workshop = WorkshopNumberField(
        label=gettext_lazy("Werkstatt"),
        queryset=Workshop.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=gettext_lazy("– aus dem Protokoll erkennen –"),
        help_text=gettext_lazy("Nur nötig, wenn ein Protokoll seine Werkstatt nicht nennt."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dateien"]
        field.help_text = str(field.help_text) % {"limit": max_upload_mb()}
        field.widget.attrs["accept"] = ACCEPT
        # Files refused one by one (too large, empty), as German sentences naming the file.
        self.refused: list[str] = []

    def clean_dateien(self) -> list[UploadedFile]:
        accepted = []
        for upload in self.cleaned_data["dateien"]:
            name = base_name(upload.name or "")
            if (upload.size or 0) > max_upload_bytes():
                self.refused.append(
                    _("„%(name)s“ ist größer als %(limit)s MB und wurde nicht übernommen.")
                    % {"name": name, "limit": max_upload_mb()}
                )
            elif not upload.size:
                self.refused.append(_("„%(name)s“ ist leer und wurde nicht übernommen.") % {"name": name})
            else:
                accepted.append(upload)
        if not accepted:
            raise forms.ValidationError(self.refused)
        return accepted

    @property
    def workshop_number(self) -> int | None:
        workshop: Workshop | None = self.cleaned_data.get("workshop")
        return workshop.number if workshop else None


class PendingForm(forms.Form):
    """Names one pending document by its token (the buttons "Importieren" and "Verwerfen")."""

    token = forms.RegexField(regex=rf"^{TOKEN_PATTERN}$", widget=forms.HiddenInput)


class CommitForm(forms.Form):
    """Either one pending document (``token``) or all of them (``alle``)."""

    token = forms.RegexField(regex=rf"^{TOKEN_PATTERN}$", widget=forms.HiddenInput, required=False)
    alle = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("token") and not data.get("alle"):
            raise forms.ValidationError(_("Es wurde kein Dokument ausgewählt."))
        return data

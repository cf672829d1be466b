"""Forms of the back office: they parse and check input; the services write."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from werkstatt.documents.validators import ACCEPT, max_upload_mb
from werkstatt.geo.models import Location
from werkstatt.organizations.models import Person


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        org = person.organization.display_name if person.organization else ""
        return f"{person.name} ({org})" if org else person.name


class KernFormMixin:
    """Give every widget KERN's class; error state is shown by the form template."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "kern-form-check__checkbox"
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select):
                css = "kern-form-input__select"
            else:
                css = "kern-form-input__input"
            widget.attrs.setdefault("class", css)


class MeetingPlanForm(KernFormMixin, forms.Form):
    number = forms.IntegerField(label=_("Sitzungsnummer"), min_value=1, max_value=999)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Beginn"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        label=_("Ende"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    location = forms.ModelChoiceField(
        label=_("Bekannter Ort"),
        queryset=Location.objects.order_by("locality", "description"),
        required=False,
        empty_label=_("– neuer Ort, siehe unten –"),
    )
    description = forms.CharField(
        label=_("Gebäude"), required=False, max_length=200, help_text=_("z. B. Bürgerzentrum")
    )
    street_address = forms.CharField(label=_("Straße und Hausnummer"), required=False, max_length=200)
    postal_code = forms.RegexField(
        label=_("Postleitzahl"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Eine Postleitzahl hat fünf Ziffern.")},
    )
    locality = forms.CharField(label=_("Ort"), required=False, max_length=100)
    chair = PersonChoiceField(
        label=_("Sitzungsleitung"),
        queryset=Person.objects.select_related("organization").order_by("family_name", "given_name"),
        required=False,
    )
    chair_function = forms.CharField(
        label=_("Funktion der Sitzungsleitung"), required=False, max_length=250, help_text=_("z. B. Werkstattsprecher")
    )
    minute_taker = PersonChoiceField(
        label=_("Protokollant/in"),
        queryset=Person.objects.select_related("organization").order_by("family_name", "given_name"),
        required=False,
    )
    minute_taker_function = forms.CharField(
        label=_("Funktion der Protokollführung"),
        required=False,
        max_length=250,
        help_text=_("z. B. Projektmanager, Wirtschaftsregion Lausitz"),
    )

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date < timezone.localdate() - dt.timedelta(days=365 * 30):
            raise forms.ValidationError(_("Bitte prüfen Sie das Jahr."))
        return date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende der Sitzung muss nach ihrem Beginn liegen."))
        return data


# --- the minutes -----------------------------------------------------------------------------


class ResultForm(forms.Form):
    """The result of one agenda item as the editor sends it: HTML, cleaned by the service."""

    result = forms.CharField(label=_("Ergebnis"), required=False, strip=False, max_length=500_000)
    based_on_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # "mine" when the writer chose their own text after a conflict: the whole editor comes back.
    take_over = forms.CharField(required=False, widget=forms.HiddenInput)


class MinutesCommentForm(KernFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Ihre Anmerkung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte schreiben Sie Ihre Anmerkung.")},
    )
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ErratumForm(KernFormMixin, forms.Form):
    agenda_item = forms.TypedChoiceField(label=_("Betrifft"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(
        label=_("Berichtigung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Was im bestätigten Protokoll wie zu lesen ist, z. B. „In TOP 3 muss es 12 statt 21 heißen.“"),
        error_messages={"required": _("Bitte schreiben Sie, was berichtigt wird.")},
    )

    def __init__(self, *args: Any, items: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["agenda_item"])
        field.choices = [("", _("das ganze Protokoll"))] + [
            (item.pk, _("TOP %(number)s %(title)s") % {"number": item.number, "title": item.title}) for item in items
        ]

    def clean_text(self) -> str:
        # Typed as plain text: paragraphs become <p>, anything that looks like HTML is shown as text.
        return linebreaks(self.cleaned_data["text"], autoescape=True)


class FileKind(models.TextChoices):
    PRESENTATION = "presentation", _("Präsentation")
    ATTENDANCE = "attendance", _("Anwesenheitsliste")
    OTHER = "other", _("sonstige Anlage")


class Visibility(models.TextChoices):
    USUAL = "usual", _("wie üblich: Anwesenheitslisten nur intern, alles andere öffentlich")
    PUBLIC = "public", _("öffentlich, auch auf der öffentlichen Sitzungsseite")
    INTERNAL = "internal", _("nur intern, für die Mitglieder der Werkstatt")


class FileUploadForm(KernFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("PDF, DOCX, PPTX, XLSX, ODT, ODP, ODS, PNG oder JPEG, höchstens %(limit)s MB"),
        error_messages={
            "required": _("Bitte wählen Sie eine Datei aus."),
            "empty": _("Die Datei ist leer."),
            "invalid": _("Das ist keine Datei. Bitte wählen Sie eine Datei aus."),
        },
    )
    kind = forms.ChoiceField(label=_("Art"), choices=FileKind.choices, initial=FileKind.PRESENTATION)
    name = forms.CharField(
        label=_("Bezeichnung"),
        required=False,
        max_length=250,
        help_text=_("z. B. „Präsentation der ILB“; leer gelassen: der Dateiname"),
    )
    visibility = forms.ChoiceField(label=_("Sichtbarkeit"), choices=Visibility.choices, initial=Visibility.USUAL)
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, for_item: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        file_field = self.fields["file"]
        file_field.help_text = str(file_field.help_text) % {"limit": max_upload_mb()}
        file_field.widget.attrs["accept"] = ACCEPT
        if for_item:
            # An attendance list belongs to the session, not to one item.
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                c for c in FileKind.choices if c[0] != FileKind.ATTENDANCE
            ]

    @property
    def public(self) -> bool:
        visibility = self.cleaned_data["visibility"]
        if visibility == Visibility.USUAL:
            return bool(self.cleaned_data["kind"] != FileKind.ATTENDANCE)
        return bool(visibility == Visibility.PUBLIC)

    @property
    def file_name(self) -> str:
        """The name given, else "Liste der Teilnehmenden" for attendance lists, else the service takes the file's."""
        if self.cleaned_data["name"]:
            return str(self.cleaned_data["name"])
        return str(_("Liste der Teilnehmenden")) if self.cleaned_data["kind"] == FileKind.ATTENDANCE else ""

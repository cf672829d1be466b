"""Forms of the back office: they parse and check input; the services write."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from werkstatt.core.dates import format_date
from werkstatt.documents.validators import ACCEPT, max_upload_mb
from werkstatt.geo.models import Location
from werkstatt.geo.services import LocationInput
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting, agenda_number_validator
from werkstatt.meetings.services import PresenterInput
from werkstatt.organizations.models import Organization, Person


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


# The fields of a new address in the planning forms (geo.services.LocationInput).
ADDRESS_FIELDS = ("description", "street_address", "postal_code", "locality")


class MeetingPlanForm(KernFormMixin, forms.Form):
    number = forms.IntegerField(label=_("Sitzungsnummer"), min_value=1, max_value=999)
    # Date and time inputs take and show ISO values, whatever the page's language.
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Beginn"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(
        label=_("Ende"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
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
        if data.get("location") and any(data.get(name) for name in ADDRESS_FIELDS):
            self.add_error(
                "location",
                _(
                    "Bitte wählen Sie entweder einen bekannten Ort oder geben Sie eine neue Anschrift ein, "
                    "nicht beides."
                ),
            )
        return data

    def address(self) -> LocationInput:
        data = self.cleaned_data
        return LocationInput(**{name: data.get(name) or "" for name in ADDRESS_FIELDS})


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


# --- planning: editing a session, its agenda, presenters and attendance ------------------------


def form_add_service_errors(form: forms.Form, error: ValidationError, field_name: str | None = None) -> None:
    """Show a service's refusal on the form: per field where the field is on the form, else at
    ``field_name`` (above the form when that is None)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else field_name, errors)
    else:
        form.add_error(field_name, error.messages)


class MeetingEditForm(MeetingPlanForm):
    """The planning form for a session that exists: its number stays; the start may be unknown for old sessions."""

    number = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_time"].required = False
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)  # noqa: S101 - declared above
        location.empty_label = _("– kein bekannter Ort: neue Anschrift unten oder noch offen –")

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        return {
            "date": meeting.date,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "location": meeting.location_id,
            "chair": meeting.chair_id,
            "chair_function": meeting.chair_function,
            "minute_taker": meeting.minute_taker_id,
            "minute_taker_function": meeting.minute_taker_function,
        }


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        meeting: Meeting = obj
        return _("%(title)s vom %(date)s") % {"title": meeting.title, "date": format_date(meeting.date)}


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organization: Organization = obj
        return organization.display_name


class OrganizationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        organization: Organization = obj
        return organization.display_name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return PersonChoiceField.label_from_instance(self, obj)  # type: ignore[arg-type]


class AgendaItemForm(KernFormMixin, forms.Form):
    number = forms.CharField(
        label=_("TOP-Nummer"),
        max_length=20,
        validators=[agenda_number_validator],
        help_text=_("z. B. „4“, oder „4.1“ für einen Unterpunkt von TOP 4"),
        error_messages={"required": _("Bitte geben Sie die TOP-Nummer an.")},
    )
    title = forms.CharField(
        label=_("Titel"), max_length=500, error_messages={"required": _("Bitte geben Sie einen Titel an.")}
    )
    note = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ergänzung unter dem Titel, z. B. Schwerpunkte"),
    )
    kind = forms.ChoiceField(label=_("Art"), choices=AgendaItemKind.choices, initial=AgendaItemKind.ORDINARY)
    approves_meeting = MeetingChoiceField(
        label=_("Protokoll der Sitzung"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("– keine –"),
        help_text=_("Nur für die Art „Bestätigung des Protokolls“: die Sitzung, deren Protokoll bestätigt wird"),
    )
    public = forms.BooleanField(
        label=_("öffentlich"),
        required=False,
        initial=True,
        help_text=_("Nicht öffentliche Punkte sehen nur die Mitglieder der Werkstatt."),
    )

    def __init__(self, *args: Any, approvable: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["approves_meeting"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = approvable

    @staticmethod
    def initial_for(item: AgendaItem) -> dict[str, Any]:
        return {
            "number": item.number,
            "title": item.title,
            "note": item.note,
            "kind": item.kind,
            "approves_meeting": item.approves_meeting_id,
            "public": item.public,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == AgendaItemKind.MINUTES_APPROVAL:
            if data.get("approves_meeting") is None:
                self.add_error(
                    "approves_meeting", _("Bitte wählen Sie die Sitzung, deren Protokoll hier bestätigt wird.")
                )
        else:
            # Without JavaScript the choice is always shown: it only counts for the approval of minutes.
            data["approves_meeting"] = None
        return data


def _organization_fields() -> tuple[OrganizationChoiceField, forms.CharField]:
    return (
        OrganizationChoiceField(
            label=_("Organisation"),
            queryset=Organization.objects.none(),
            required=False,
            empty_label=_("– keine aus der Liste –"),
        ),
        forms.CharField(
            label=_("Organisation, wie genannt"),
            required=False,
            max_length=250,
            help_text=_(
                "So steht sie im Protokoll, z. B. „LAG Elbe-Elster“; leer: der Name der gewählten Organisation"
            ),
        ),
    )


class _PresenterFormBase(KernFormMixin, forms.Form):
    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared by every subclass
        field.queryset = organizations

    def _organization_as_stated(self, organization: Organization | None) -> str:
        typed: str = self.cleaned_data.get("organization_name") or ""
        return typed or (organization.display_name if organization else "")


class PresenterPersonForm(_PresenterFormBase):
    """(a) A person who is already known, with function and organisation as stated for this item."""

    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        empty_label=_("– bitte wählen –"),
        error_messages={"required": _("Bitte wählen Sie eine Person aus.")},
    )
    function = forms.CharField(
        label=_("Funktion (damals)"),
        required=False,
        max_length=250,
        help_text=_("Leer lassen, um die hinterlegte Funktion der Person zu übernehmen"),
    )
    organization, organization_name = _organization_fields()

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = persons
        self.fields["organization"].help_text = _(
            "Leer lassen, um die hinterlegte Organisation der Person zu übernehmen"
        )

    def presenter(self) -> PresenterInput:
        data = self.cleaned_data
        person: Person = data["person"]
        organization = data["organization"] or person.organization
        return PresenterInput(
            person=person,
            function=data["function"] or person.function,
            organization=organization,
            organization_name=self._organization_as_stated(organization),
        )


class PresenterNewPersonForm(_PresenterFormBase):
    """(b) A person who is not yet known, created on the spot."""

    title = forms.CharField(
        label=_("Akademischer Titel"), required=False, max_length=50, help_text=_("z. B. Prof. Dr.-Ing.")
    )
    given_name = forms.CharField(
        label=_("Vorname"),
        max_length=100,
        error_messages={"required": _("Bitte geben Sie den Vornamen der vortragenden Person an.")},
    )
    family_name = forms.CharField(
        label=_("Nachname"),
        max_length=100,
        error_messages={"required": _("Bitte geben Sie den Nachnamen der vortragenden Person an.")},
    )
    function = forms.CharField(
        label=_("Funktion"), required=False, max_length=250, help_text=_("z. B. Geschäftsführer")
    )
    organization, organization_name = _organization_fields()

    def person_data(self) -> dict[str, Any]:
        """Keyword arguments for ``presenter_add_new_person``."""
        data = self.cleaned_data
        organization = data["organization"]
        return {
            "title": data["title"],
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "function": data["function"],
            "organization": organization,
            "organization_name": self._organization_as_stated(organization),
        }


class PresenterGroupForm(KernFormMixin, forms.Form):
    """(c) A group instead of a person, such as "Alle Werkstattmitglieder"."""

    group_label = forms.CharField(
        label=_("Gruppe"),
        max_length=200,
        help_text=_("z. B. „Alle Werkstattmitglieder“"),
        error_messages={"required": _("Bitte geben Sie die Gruppe an, z. B. „Alle Werkstattmitglieder“.")},
    )

    def presenter(self) -> PresenterInput:
        return PresenterInput(group_label=self.cleaned_data["group_label"])


class AttendanceForm(KernFormMixin, forms.Form):
    persons = PersonMultipleChoiceField(
        label=_("Anwesende Personen"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
    )
    organizations = OrganizationMultipleChoiceField(
        label=_("Anwesende Organisationen"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
    )

    def __init__(
        self,
        *args: Any,
        persons: QuerySet[Person],
        organizations: QuerySet[Organization],
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("persons", persons), ("organizations", organizations)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
            field.queryset = queryset
            field.disabled = disabled

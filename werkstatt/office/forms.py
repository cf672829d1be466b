"""Forms of the back office: they parse and check input; the services write."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        return data

"""The little GET form above the status report: which workshop, confirmed since when, which year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkstatt.office.forms import KernFormMixin
from werkstatt.organizations.models import Workshop
from werkstatt.projects.report import DEFAULT_SINCE

ALL = "alle"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Bitte geben Sie ein Datum wie 01.03.2021 an.")},
    )


class StatusReportForm(KernFormMixin, forms.Form):
    """Empty fields mean the defaults; a malformed value gets a German message and its default is used."""

    werkstatt = forms.ChoiceField(label=_("Werkstatt"), required=False)
    bestaetigt_seit = _date_field(_("Bestätigt seit"), _("Zählt die Bestätigungen durch die IMAG ab diesem Tag."))
    jahr = forms.IntegerField(
        label=_("Jahr der Meilensteine"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Bitte geben Sie ein Jahr wie 2024 an."),
            "min_value": _("Bitte geben Sie ein Jahr ab 2000 an."),
            "max_value": _("Bitte geben Sie ein Jahr bis 2100 an."),
        },
    )
    aenderungen_seit = _date_field(
        _("Änderungen seit"), _("Leer lassen: seit der letzten durchgeführten Sitzung der Werkstatt.")
    )

    def __init__(self, query: Mapping[str, str], *, workshops: Sequence[Workshop], allow_all: bool) -> None:
        choices = [(ALL, str(_("Alle Werkstätten")))] if allow_all else []
        choices += [(str(w.number), f"{w.label}: {w.title}") for w in workshops]
        defaults = {
            "werkstatt": ALL if allow_all else (choices[0][0] if choices else ""),
            "bestaetigt_seit": DEFAULT_SINCE.isoformat(),
            "jahr": str(timezone.localdate().year),
        }
        # Always bound: the inputs show the values in force, and an emptied field falls back to its default.
        given = {name: query[name].strip() for name in self.base_fields if query.get(name, "").strip()}
        super().__init__({**defaults, **given})
        werkstatt = self.fields["werkstatt"]
        assert isinstance(werkstatt, forms.ChoiceField)  # noqa: S101 - declared above
        werkstatt.choices = choices
        werkstatt.error_messages["invalid_choice"] = _("Diese Werkstatt gibt es nicht.")
        self.workshops = {str(w.number): w for w in workshops}
        self.default_scope = defaults["werkstatt"]

    def value(self, name: str) -> Any:
        """The cleaned value of ``name``, or its default when it is empty or was refused."""
        cleaned = getattr(self, "cleaned_data", {}).get(name)
        if cleaned not in (None, ""):
            return cleaned
        return {
            "werkstatt": self.default_scope,
            "bestaetigt_seit": DEFAULT_SINCE,
            "jahr": timezone.localdate().year,
            "aenderungen_seit": None,
        }[name]

    @property
    def workshop(self) -> Workshop | None:
        return self.workshops.get(self.value("werkstatt"))

    def query(self) -> dict[str, str]:
        """The values in force, for the PDF link."""
        changes: dt.date | None = self.value("aenderungen_seit")
        query = {
            "werkstatt": str(self.value("werkstatt")),
            "bestaetigt_seit": self.value("bestaetigt_seit").isoformat(),
            "jahr": str(self.value("jahr")),
        }
        if changes is not None:
            query["aenderungen_seit"] = changes.isoformat()
        return query

"""The session list of all workshops as CSV (for Excel) and JSON: one row per session.

Rows come from ``meetings.selectors.meeting_list_entries`` (every session, what the session page shows
this user: a download URL only where the session page offers that document). The columns are
``FIELDS``: the CSV writes their German headers with German formats (``24.01.2024``, ``14:10``,
``ja``/``nein``) through ``exports.csv_excel``, the JSON their keys with ISO dates, ``HH:MM`` times,
booleans and ``null``. Documented in ``docs/open-data.md`` (a test keeps the two in step).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.exports.csv_excel import csv_bytes, escape_row
from werkstatt.exports.json_stream import json_document
from werkstatt.exports.licence import data_licence
from werkstatt.meetings.selectors import MeetingListEntry, MeetingListFilter, meeting_list_entries
from werkstatt.projects import csv_format as fmt

RECORDS_KEY = "meetings"


@dataclass(frozen=True)
class Field:
    key: str  # JSON key
    header: str  # CSV column


FIELDS: tuple[Field, ...] = (
    Field("workshop_number", "Werkstatt"),
    Field("workshop_title", "Titel der Werkstatt"),
    Field("number", "Sitzungsnummer"),
    Field("date", "Datum"),
    Field("start_time", "Beginn"),
    Field("end_time", "Ende"),
    Field("place", "Ort"),
    Field("state_label", "Status"),
    Field("state", "Status (Code)"),
    Field("minutes_published", "Protokoll veröffentlicht"),
    Field("agenda_item_count", "Tagesordnungspunkte"),
    Field("url", "Sitzungsseite"),
    Field("minutes_pdf_url", "Ergebnisprotokoll (PDF)"),
    Field("agenda_pdf_url", "Tagesordnung (PDF)"),
    Field("ics_url", "Kalendereintrag (iCal)"),
)
HEADERS: tuple[str, ...] = tuple(f.header for f in FIELDS)
# Only in the JSON, before the fields: the session's id, and room for its OParl id (null until the API exists).
JSON_ONLY = ("id", "oparl_id")

Url = Callable[[str, int], str]
"""``url(url_name, pk)``: the absolute URL of a session's page or download."""


def export_filename(extension: str) -> str:
    return f"sitzungen-{timezone.localdate():%Y-%m-%d}.{extension}"


def meeting_values(entry: MeetingListEntry, url: Url) -> dict[str, Any]:
    """The fields of one session as Python values (None where there is nothing)."""
    meeting = entry.meeting
    pk = meeting.pk
    return {
        "workshop_number": meeting.workshop.number,
        "workshop_title": meeting.workshop.title,
        "number": meeting.number,
        "date": meeting.date,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "place": meeting.location.address_line if meeting.location is not None else None,
        "state_label": meeting.get_state_display(),
        "state": meeting.state,
        "minutes_published": meeting.minutes_are_public,
        "agenda_item_count": entry.agenda_item_count,
        "url": url("portal:meeting-detail", pk),
        "minutes_pdf_url": url("exports:minutes-pdf", pk) if entry.show_minutes else None,
        "agenda_pdf_url": url("exports:agenda-pdf", pk) if entry.show_agenda else None,
        "ics_url": url("exports:meeting-ics", pk),
    }


# --- CSV -----------------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return fmt.format_bool(value)
    if isinstance(value, dt.date):
        return fmt.format_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def meeting_rows(user: Any, filters: MeetingListFilter, url: Url) -> Iterator[list[str]]:
    """The header, then one row per session, every cell escaped against formulas."""
    yield list(HEADERS)
    for entry in meeting_list_entries(user, filters):
        values = meeting_values(entry, url)
        yield escape_row(_csv_cell(values[f.key]) for f in FIELDS)


def meetings_csv(user: Any, filters: MeetingListFilter, url: Url) -> Iterator[bytes]:
    return csv_bytes(meeting_rows(user, filters, url))


# --- JSON ----------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def meeting_record(entry: MeetingListEntry, url: Url) -> dict[str, Any]:
    values = meeting_values(entry, url)
    record: dict[str, Any] = {"id": entry.meeting.pk, "oparl_id": None}
    record.update((f.key, _json_value(values[f.key])) for f in FIELDS)
    return record


def meetings_json(user: Any, filters: MeetingListFilter, url: Url, *, source: str) -> Iterator[bytes]:
    head = {
        "title": _("Sitzungen der Werkstätten"),
        "source": source,
        "generated": timezone.localtime().isoformat(timespec="seconds"),
        "licence": data_licence().as_json(),
        "filters": filters.as_query(),
        "messages": list(filters.errors),
    }
    records = (meeting_record(entry, url) for entry in meeting_list_entries(user, filters))
    return json_document(head, RECORDS_KEY, records)

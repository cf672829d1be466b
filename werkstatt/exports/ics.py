"""A session as an iCalendar object (RFC 5545), for invitations and the calendar download.

One VEVENT per session with a stable UID ``werkstatt-meeting-<pk>@<WERKSTATT_ICAL_DOMAIN>``: a
calendar that imported the session replaces it when a later file has the same UID and a higher
SEQUENCE, and removes it on METHOD:CANCEL / STATUS:CANCELLED (RFC 5546). Times are local times
with TZID=Europe/Berlin and the matching VTIMEZONE; a session without a start time is an all-day
event (VALUE=DATE), one without an end time has no DTEND (it takes no time, RFC 5545 3.6.1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress

from werkstatt.meetings.models import AgendaItem, Meeting

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8; method=REQUEST"
ICS_CANCEL_CONTENT_TYPE = "text/calendar; charset=utf-8; method=CANCEL"
ICS_EXTENSION = "ics"
# Document name in the download's file name: 2024-01-24_Werkstatt-4_16-Sitzung_Termin.ics
APPOINTMENT = "Termin"


def ics_content_type(*, cancelled: bool = False) -> str:
    """The MIME type with the iTIP method, as mail clients expect it on an invitation."""
    return ICS_CANCEL_CONTENT_TYPE if cancelled else ICS_CONTENT_TYPE


def meeting_uid(meeting: Meeting) -> str:
    return f"werkstatt-meeting-{meeting.pk}@{settings.WERKSTATT_ICAL_DOMAIN}"


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, year: int) -> bytes:
    """The VTIMEZONE for the years around a session (generating it takes a while: cached)."""
    zone = Timezone.from_tzid(tzid, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 2, 1, 1))
    return bytes(zone.to_ical())


def _agenda_text(agenda_items: Sequence[AgendaItem]) -> str:
    """``Tagesordnung:`` and one line per item, ``TOP 1 Begrüßung der Gäste``."""
    if not agenda_items:
        return ""
    lines = [_("Tagesordnung") + ":"]
    lines += [f"{_('TOP')} {item.number} {item.title}" for item in agenda_items]
    return "\n".join(lines)


def meeting_ics(
    meeting: Meeting,
    *,
    sequence: int,
    cancelled: bool = False,
    agenda_items: Sequence[AgendaItem] = (),
    url: str = "",
) -> bytes:
    """The session as a VCALENDAR with METHOD:REQUEST, or METHOD:CANCEL when ``cancelled``.

    ``sequence`` must grow with every change the recipients should see (a cancellation included).
    ``agenda_items`` are the items the recipient may see (``MeetingPage.agenda_items``); they become the
    DESCRIPTION. ``url`` is the absolute address of the session page.
    """
    tzid = settings.TIME_ZONE
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WERKSTATT_BODY_NAME}//Werkstatt//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", dt.datetime.now(tz=dt.UTC).replace(microsecond=0))
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", meeting.title)
    if meeting.start_time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    else:
        zone = ZoneInfo(tzid)
        event.add("dtstart", dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone))
        if meeting.end_time is not None:
            event.add("dtend", dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone))
        calendar.add_component(Timezone.from_ical(_vtimezone(tzid, meeting.date.year)))
    if meeting.location is not None:
        event.add("location", meeting.location.address_line)
    description = _agenda_text(agenda_items)
    if url:
        event.add("url", url)
        description = f"{description}\n\n{url}" if description else url
    if description:
        event.add("description", description)
    # iTIP wants an ORGANIZER on REQUEST and CANCEL: the office's sender address.
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = settings.WERKSTATT_BODY_NAME
    event.add("organizer", organizer)
    event.add("last-modified", meeting.modified.astimezone(dt.UTC).replace(microsecond=0))
    calendar.add_component(event)
    return bytes(calendar.to_ical())

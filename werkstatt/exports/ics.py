"""Sessions as iCalendar objects (RFC 5545): one session for invitations and the calendar download,
all sessions of one or every workshop as a calendar to subscribe to.

One VEVENT per session with a stable UID ``werkstatt-meeting-<pk>@<WERKSTATT_ICAL_DOMAIN>``: a
calendar that imported the session replaces it when a later file has the same UID and a higher
SEQUENCE, and removes it on METHOD:CANCEL / STATUS:CANCELLED (RFC 5546). Times are local times
with TZID=Europe/Berlin and the matching VTIMEZONE; a session without a start time is an all-day
event (VALUE=DATE), one without an end time has no DTEND (it takes no time, RFC 5545 3.6.1).

A calendar to subscribe to (``calendar_ics``) is METHOD:PUBLISH (RFC 5546 3.2.1): the same UID and
SEQUENCE per session as in the invitations, so a calendar that holds both sees one appointment; a
cancelled session stays in it with STATUS:CANCELLED. REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL
tell the calendar how often to fetch it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration

from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.meetings.workflow import MeetingState

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8; method=REQUEST"
ICS_CANCEL_CONTENT_TYPE = "text/calendar; charset=utf-8; method=CANCEL"
# A calendar to subscribe to: published, not an invitation.
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often a subscribed calendar fetches the feed again (RFC 7986 REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH_INTERVAL = dt.timedelta(hours=6)
ICS_EXTENSION = "ics"
# Document name in the download's file name: 2024-01-24_Werkstatt-4_16-Sitzung_Termin.ics
APPOINTMENT = "Termin"


def ics_content_type(*, cancelled: bool = False) -> str:
    """The MIME type with the iTIP method, as mail clients expect it on an invitation."""
    return ICS_CANCEL_CONTENT_TYPE if cancelled else ICS_CONTENT_TYPE


def meeting_uid(meeting: Meeting) -> str:
    return f"werkstatt-meeting-{meeting.pk}@{settings.WERKSTATT_ICAL_DOMAIN}"


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE for the years around the sessions (from the year before the first to two years after the
    last; cached)."""
    zone = Timezone.from_tzid(tzid, first_date=dt.date(first_year - 1, 1, 1), last_date=dt.date(last_year + 2, 1, 1))
    return bytes(zone.to_ical())


def _now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def _organizer() -> vCalAddress:
    """The office's sender address: iTIP wants an ORGANIZER on REQUEST, CANCEL and PUBLISH."""
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = settings.WERKSTATT_BODY_NAME
    return organizer


def _new_calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WERKSTATT_BODY_NAME}//Werkstatt//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(
    meeting: Meeting,
    *,
    sequence: int,
    cancelled: bool,
    description: str,
    url: str,
    dtstamp: dt.datetime,
    summary: str = "",
) -> Event:
    """The VEVENT of a session; the same UID, times and place in an invitation and in a subscribed calendar."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", dtstamp)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", summary or meeting.title)
    if meeting.start_time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    else:
        zone = ZoneInfo(settings.TIME_ZONE)
        event.add("dtstart", dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone))
        if meeting.end_time is not None:
            event.add("dtend", dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=zone))
    if meeting.location is not None:
        event.add("location", meeting.location.address_line)
    if url:
        event.add("url", url)
        description = f"{description}\n\n{url}" if description else url
    if description:
        event.add("description", description)
    event.add("organizer", _organizer())
    event.add("last-modified", meeting.modified.astimezone(dt.UTC).replace(microsecond=0))
    return event


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
    calendar = _new_calendar("CANCEL" if cancelled else "REQUEST")
    if meeting.start_time is not None:
        year = meeting.date.year
        calendar.add_component(Timezone.from_ical(_vtimezone(settings.TIME_ZONE, year, year)))
    event = _event(
        meeting,
        sequence=sequence,
        cancelled=cancelled,
        description=_agenda_text(agenda_items),
        url=url,
        dtstamp=_now(),
    )
    calendar.add_component(event)
    return bytes(calendar.to_ical())


@dataclass(frozen=True)
class CalendarEntry:
    """A session in a calendar to subscribe to, with what the public session page shows of it."""

    meeting: Meeting
    agenda_items: Sequence[AgendaItem]  # the public agenda (empty before the invitation)
    url: str  # absolute address of the session page
    minutes_url: str = ""  # absolute address of the minutes PDF, when the minutes are published

    @property
    def cancelled(self) -> bool:
        return self.meeting.state == MeetingState.CANCELLED

    @property
    def description(self) -> str:
        parts = []
        if self.cancelled:
            parts.append(_("Diese Sitzung wurde abgesagt."))
        if self.agenda_items:
            parts.append(_agenda_text(self.agenda_items))
        elif not self.cancelled and not self.meeting.agenda_is_public:
            parts.append(_("Die Tagesordnung wird mit der Einladung veröffentlicht."))
        if self.minutes_url:
            parts.append(_("Ergebnisprotokoll (PDF)") + f": {self.minutes_url}")
        return "\n\n".join(parts)


def calendar_ics(entries: Iterable[CalendarEntry], *, name: str, description: str, source_url: str) -> bytes:
    """A calendar to subscribe to (METHOD:PUBLISH) with one VEVENT per session.

    Each VEVENT has the UID and SEQUENCE of the session's invitations (``meeting_uid``,
    ``Meeting.ics_sequence``); a cancelled session is listed with STATUS:CANCELLED and „Abgesagt:“ before
    its title. ``name`` becomes NAME and X-WR-CALNAME, ``source_url`` (the calendar's own address) SOURCE.
    """
    entries = list(entries)
    calendar = _new_calendar("PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    calendar.add("source", source_url, parameters={"VALUE": "URI"})
    years = [entry.meeting.date.year for entry in entries if entry.meeting.start_time is not None]
    if years:
        calendar.add_component(Timezone.from_ical(_vtimezone(settings.TIME_ZONE, min(years), max(years))))
    dtstamp = _now()
    for entry in entries:
        meeting = entry.meeting
        calendar.add_component(
            _event(
                meeting,
                sequence=meeting.ics_sequence,
                cancelled=entry.cancelled,
                description=entry.description,
                url=entry.url,
                dtstamp=dtstamp,
                summary=_("Abgesagt: %(title)s") % {"title": meeting.title} if entry.cancelled else "",
            )
        )
    return bytes(calendar.to_ical())

"""Calendars to subscribe to: every session of one or all workshops as METHOD:PUBLISH, read back with icalendar.

The calendar is the public view whoever fetches it; a session keeps the UID and SEQUENCE of its invitations,
a cancelled one stays listed as cancelled, the agenda is what the public session page shows.
"""

import datetime as dt
import email
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from tests.factories import MembershipFactory, PersonFactory
from tests.pages import visible_text
from werkstatt.exports import ics
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.services import (
    agenda_item_create,
    meeting_cancel,
    meeting_create,
    meeting_invite,
    meeting_plan,
    meeting_transition,
)
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import MembershipRole, Workshop

pytestmark = pytest.mark.django_db

BERLIN = "Europe/Berlin"


def _fetch(client: Client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, Any]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _workshop_url(number: int) -> str:
    return reverse("exports:calendar-workshop", args=[number])


def _uid(meeting: Meeting) -> str:
    return f"werkstatt-meeting-{meeting.pk}@werkstatt.localhost"


def _invited_session(workshop: Workshop, number: int, date: dt.date, *, items: int = 2) -> Meeting:
    meeting = meeting_create(
        actor=None, workshop=workshop, number=number, date=date, start_time=dt.time(10), end_time=dt.time(12)
    )
    for n in range(1, items + 1):
        agenda_item_create(actor=None, meeting=meeting, number=str(n), title=f"Öffentlicher Punkt {n}")
    agenda_item_create(actor=None, meeting=meeting, number=str(items + 1), title="Vertrauliches", public=False)
    return meeting_transition(actor=None, meeting=meeting, target=MeetingState.INVITED)


# --- the calendar itself -----------------------------------------------------------------------------


def test_workshop_calendar_is_published_with_name_timezone_and_refresh(demo, client):
    response = client.get(_workshop_url(4))
    assert response["Content-Disposition"] == 'inline; filename="Werkstatt-4_Termine.ics"'
    assert "public" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    assert calendar["X-WR-CALNAME"] == "Werkstatt 4 – Sitzungstermine"
    assert calendar["NAME"] == "Werkstatt 4 – Sitzungstermine"
    assert calendar["X-WR-TIMEZONE"] == BERLIN
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=6)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT6H"
    assert calendar["SOURCE"] == "http://testserver/werkstaetten/4/termine.ics"
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == BERLIN


def test_workshop_calendar_lists_every_session_of_the_workshop_with_the_invitation_uid(demo, client, anonymous):
    events = _events(_fetch(client, _workshop_url(4)))
    session_15 = Meeting.objects.get(workshop__number=4, number=15)
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    assert set(events) == {_uid(session_15), _uid(session_16)}
    # The same UID as the session's own calendar download (and the invitations, which use the same function).
    download = Calendar.from_ical(client.get(reverse("exports:meeting-ics", args=[session_16.pk])).content)
    (downloaded,) = download.walk("VEVENT")
    event = events[_uid(session_16)]
    assert event["UID"] == downloaded["UID"] == ics.meeting_uid(session_16)
    assert event["SEQUENCE"] == session_16.ics_sequence == downloaded["SEQUENCE"]
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "16. Sitzung der Werkstatt 4"
    assert event["LOCATION"] == "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)"
    assert event["URL"] == f"http://testserver/sitzungen/{session_16.pk}/"
    assert event["ORGANIZER"].params["CN"] == "Strukturentwicklung Lausitz"


def test_times_are_local_times_in_berlin_winter_and_summer(demo, client):
    summer = _invited_session(Workshop.objects.get(number=4), 17, dt.date(2024, 7, 3))
    events = _events(_fetch(client, _workshop_url(4)))
    session_16 = events[_uid(Meeting.objects.get(workshop__number=4, number=16))]
    assert session_16["DTSTART"].params["TZID"] == BERLIN
    start, end = session_16.decoded("DTSTART"), session_16.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (14, 10, 16, 30)
    assert (str(start.tzinfo), start.utcoffset()) == (BERLIN, dt.timedelta(hours=1))
    july = events[_uid(summer)].decoded("DTSTART")
    assert (july.hour, str(july.tzinfo), july.utcoffset()) == (10, BERLIN, dt.timedelta(hours=2))
    # A session without a start time is an all-day event.
    session_15 = events[_uid(Meeting.objects.get(workshop__number=4, number=15))]
    assert session_15.decoded("DTSTART") == dt.date(2023, 11, 21)
    assert not isinstance(session_15.decoded("DTSTART"), dt.datetime)


def test_uids_are_stable_across_fetches(demo, client):
    first = _fetch(client, reverse("exports:calendar-all"))
    second = _fetch(client, reverse("exports:calendar-all"))
    assert list(_events(first)) == list(_events(second))
    assert len(_events(first)) == Meeting.objects.count() == 3


def test_calendar_of_all_workshops_has_the_sessions_of_every_workshop(demo, client):
    calendar = _fetch(client, reverse("exports:calendar-all"))
    assert calendar["X-WR-CALNAME"] == "Werkstätten – Sitzungstermine"
    assert calendar["METHOD"] == "PUBLISH"
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert summaries == [
        "15. Sitzung der Werkstatt 4",
        "16. Sitzung der Werkstatt 4",
        "Sitzung der Werkstatt 2 vom 16.01.2024",
    ]
    workshop2_only = _events(_fetch(client, _workshop_url(2)))
    assert list(workshop2_only) == [_uid(Meeting.objects.get(workshop__number=2))]


# --- what the description shows ------------------------------------------------------------------------


def test_description_is_the_public_agenda_and_never_a_non_public_item(demo, client, office_user):
    invited = _invited_session(Workshop.objects.get(number=4), 17, dt.date(2024, 3, 20))
    planned = meeting_create(actor=None, workshop=Workshop.objects.get(number=4), number=18, date=dt.date(2024, 6, 5))
    agenda_item_create(actor=None, meeting=planned, number="1", title="Noch geheimer Entwurf")
    for logged_in in (False, True):  # the calendar is the public view, also for the office
        if logged_in:
            client.force_login(office_user)
        events = _events(_fetch(client, _workshop_url(4)))
        description = str(events[_uid(invited)]["DESCRIPTION"])
        assert description.splitlines()[:3] == [
            "Tagesordnung:",
            "TOP 1 Öffentlicher Punkt 1",
            "TOP 2 Öffentlicher Punkt 2",
        ]
        assert "Vertrauliches" not in description
        assert description.endswith(f"http://testserver/sitzungen/{invited.pk}/")
        planned_text = str(events[_uid(planned)]["DESCRIPTION"])
        assert "Noch geheimer Entwurf" not in planned_text
        assert planned_text.startswith("Die Tagesordnung wird mit der Einladung veröffentlicht.")


def test_description_links_the_minutes_only_when_they_are_published(demo, client):
    events = _events(_fetch(client, _workshop_url(4)))
    session_16 = Meeting.objects.get(workshop__number=4, number=16)
    session_15 = Meeting.objects.get(workshop__number=4, number=15)  # minutes approved, not published
    assert f"Ergebnisprotokoll (PDF): http://testserver/sitzungen/{session_16.pk}/ergebnisprotokoll.pdf" in str(
        events[_uid(session_16)]["DESCRIPTION"]
    )
    assert "Ergebnisprotokoll" not in str(events[_uid(session_15)]["DESCRIPTION"])
    assert "TOP 8 Sonstiges" in str(events[_uid(session_16)]["DESCRIPTION"])


# --- invitations, changes and cancellations -------------------------------------------------------------


def _invitation_event(message: Any) -> Any:
    parsed = email.message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    return event


def test_invited_then_cancelled_session_matches_the_mails_and_stays_listed_as_cancelled(
    demo, client, office_user, django_capture_on_commit_callbacks
):
    workshop = Workshop.objects.get(number=4)
    MembershipFactory(
        person=PersonFactory(body=workshop.body, email="mitglied@example.org"),
        workshop=workshop,
        role=MembershipRole.DELEGATE,
    )
    meeting = meeting_plan(
        actor=None, workshop=workshop, date=dt.date(2030, 5, 8), start_time=dt.time(14), end_time=dt.time(16)
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(actor=office_user, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(actor=office_user, meeting=Meeting.objects.get(pk=meeting.pk))
    invitation, cancellation = (_invitation_event(message) for message in mail.outbox)
    meeting.refresh_from_db()

    events = _events(_fetch(client, _workshop_url(4)))
    listed = events[_uid(meeting)]
    assert listed["UID"] == invitation["UID"] == cancellation["UID"]
    assert listed["SEQUENCE"] == cancellation["SEQUENCE"] == meeting.ics_sequence > invitation["SEQUENCE"]
    assert listed["STATUS"] == "CANCELLED"
    assert listed["SUMMARY"] == f"Abgesagt: {meeting.title}"
    assert str(listed["DESCRIPTION"]).startswith("Diese Sitzung wurde abgesagt.")
    # The agenda of a cancelled session is no longer public, in the calendar as on the page.
    assert "Tagesordnung:" not in str(listed["DESCRIPTION"])
    assert len(events) == Meeting.objects.filter(workshop=workshop).count()
    all_events = _events(_fetch(client, reverse("exports:calendar-all")))
    assert all_events[_uid(meeting)]["STATUS"] == "CANCELLED"


# --- errors and cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [9, 0, 99999])
def test_unknown_workshop_is_404(demo, client, number):
    response = client.get(_workshop_url(number))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in visible_text(response.content.decode())


def test_only_get_and_head_are_allowed(demo, client):
    assert client.post(reverse("exports:calendar-all")).status_code == 405
    assert client.post(_workshop_url(4)).status_code == 405
    assert client.head(_workshop_url(4)).status_code == 200


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_query_count_does_not_grow_with_sessions_and_agendas(demo, client):
    urls = [reverse("exports:calendar-all"), _workshop_url(4), _workshop_url(2)]
    before = [_count(client, url) for url in urls]
    for n, number in enumerate((4, 4, 2, 2, 3)):
        workshop = Workshop.objects.get(number=number)
        _invited_session(workshop, 30 + n, dt.date(2024 + n, 1 + n, 10), items=3 + n)
        cancelled = meeting_create(actor=None, workshop=workshop, number=40 + n, date=dt.date(2019 + n, 9, 1))
        meeting_cancel(actor=None, meeting=cancelled)
    after = [_count(client, url) for url in urls]
    assert after == before
    assert max(before) <= 3, before
    assert len(_fetch(client, urls[0]).walk("VEVENT")) == Meeting.objects.count() == 13

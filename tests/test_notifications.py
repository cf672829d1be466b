"""Mail about sessions, captured and parsed back as real MIME messages: invitation, update, cancellation."""

import datetime as dt
import email
import io
from email.message import Message

import pdfplumber
import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from tests.factories import MembershipFactory, PersonFactory, UserFactory
from werkstatt.accounts.models import Role
from werkstatt.meetings import services
from werkstatt.meetings.models import Meeting
from werkstatt.organizations.models import MembershipRole, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return UserFactory(role=Role.OFFICE)


@pytest.fixture
def session_17(demo):
    workshop = Workshop.objects.get(number=4)
    for n, role in enumerate([MembershipRole.SPEAKER, MembershipRole.DELEGATE, MembershipRole.DELEGATE]):
        MembershipFactory(
            person=PersonFactory(body=workshop.body, email=f"mitglied{n}@example.org"), workshop=workshop, role=role
        )
    # A former delegate and a guest get nothing.
    MembershipFactory(
        person=PersonFactory(body=workshop.body, email="frueher@example.org"),
        workshop=workshop,
        end_date=dt.date(2020, 1, 1),
    )
    MembershipFactory(
        person=PersonFactory(body=workshop.body, email="gast@example.org"), workshop=workshop, role="guest"
    )
    return services.meeting_plan(
        actor=None,
        workshop=workshop,
        date=timezone.localdate() + dt.timedelta(days=30),
        start_time=dt.time(14, 10),
        end_time=dt.time(16, 30),
    )


def _parsed(message) -> Message:
    return email.message_from_bytes(message.message().as_bytes())


def _parts(parsed: Message, content_type: str) -> list[Message]:
    return [part for part in parsed.walk() if part.get_content_type() == content_type]


def _calendar(parsed: Message) -> tuple[Message, Calendar]:
    (part,) = _parts(parsed, "text/calendar")
    return part, Calendar.from_ical(part.get_payload(decode=True))


def _event(calendar: Calendar):
    return next(c for c in calendar.walk("VEVENT"))


def test_invitation_goes_to_current_members_with_calendar_and_agenda_pdf(
    session_17, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=office, meeting=session_17)
    (message,) = mail.outbox
    assert sorted(message.bcc) == ["mitglied0@example.org", "mitglied1@example.org", "mitglied2@example.org"]
    assert message.subject == f"Einladung: 17. Sitzung der Werkstatt 4 am {session_17.date:%d.%m.%Y}"
    assert "Bestätigung des Protokolls der 16. Sitzung vom 24.01.2024 und der Tagesordnung" in message.body
    assert f"{session_17.date:%d.%m.%Y}, 14:10 Uhr – 16:30 Uhr" in message.body
    parsed = _parsed(message)
    part, calendar = _calendar(parsed)
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    event = _event(calendar)
    assert event["SEQUENCE"] == 0
    assert event["UID"].startswith(f"werkstatt-meeting-{session_17.pk}@")
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (14, 10, "Europe/Berlin")
    (pdf_part,) = _parts(parsed, "application/pdf")
    assert pdf_part.get_filename() == f"{session_17.date:%Y-%m-%d}_Werkstatt-4_17-Sitzung_Tagesordnung.pdf"
    with pdfplumber.open(io.BytesIO(pdf_part.get_payload(decode=True))) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Aktueller Sachstand der Projekte der Werkstatt 4" in text


def test_changed_and_cancelled_invitations_keep_the_uid_and_raise_the_sequence(
    session_17, office, django_capture_on_commit_callbacks
):
    # Each service call is its own transaction: its mail goes out when it commits.
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(actor=office, meeting=session_17)
    meeting = Meeting.objects.get(pk=session_17.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=office,
            meeting=meeting,
            date=meeting.date + dt.timedelta(days=1),
            start_time=meeting.start_time,
            end_time=meeting.end_time,
            location=meeting.location,
            chair=None,
            chair_function="",
            minute_taker=None,
            minute_taker_function="",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=office, meeting=meeting)
    invitation, update, cancellation = mail.outbox
    assert update.subject.startswith("Geänderte Einladung: 17. Sitzung der Werkstatt 4")
    assert cancellation.subject.startswith("Abgesagt: 17. Sitzung der Werkstatt 4")
    events = [_event(_calendar(_parsed(m))[1]) for m in (invitation, update, cancellation)]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [e["SEQUENCE"] for e in events] == [0, 1, 2]
    part, calendar = _calendar(_parsed(cancellation))
    assert (part.get_param("method"), calendar["METHOD"], _event(calendar)["STATUS"]) == (
        "CANCEL",
        "CANCEL",
        "CANCELLED",
    )
    assert _parts(_parsed(cancellation), "application/pdf") == []


def test_a_refused_invitation_sends_nothing(session_17, office, django_capture_on_commit_callbacks):
    Meeting.objects.filter(pk=session_17.pk).update(date=dt.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="Vergangenheit"):
        services.meeting_invite(actor=office, meeting=Meeting.objects.get(pk=session_17.pk))
    assert mail.outbox == []


def test_circulated_minutes_reach_the_members_with_a_link(session_17, office, django_capture_on_commit_callbacks):
    services.meeting_mark_held(actor=office, meeting=session_17)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_circulate(actor=office, meeting=session_17)
    (message,) = mail.outbox
    assert message.subject == "Protokollentwurf zur Durchsicht: 17. Sitzung der Werkstatt 4"
    assert f"/office/sitzungen/{session_17.pk}/" in message.body
    assert len(message.bcc) == 3

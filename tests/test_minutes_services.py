"""The services of a session's life: planning, agenda editing, invitation, minutes, approval, errata."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import MeetingFactory, PersonFactory, UserFactory, WorkshopFactory
from werkstatt.accounts.models import Role
from werkstatt.meetings import services
from werkstatt.meetings.models import AgendaItemKind, Erratum, Meeting, MinutesComment
from werkstatt.meetings.workflow import MeetingState, MinutesState

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return UserFactory(role=Role.OFFICE)


@pytest.fixture
def workshop(db):
    return WorkshopFactory(number=7)


def _future(days=14):
    return timezone.localdate() + dt.timedelta(days=days)


def _held_with_minutes(workshop, number, state=MinutesState.DRAFT):
    meeting = services.meeting_plan(actor=None, workshop=workshop, number=number, date=dt.date(2024, 1, number))
    services.meeting_mark_held(actor=None, meeting=meeting)
    if state != MinutesState.DRAFT:
        services.minutes_circulate(actor=None, meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk)


def test_first_session_has_no_minutes_to_approve(office, workshop):
    meeting = services.meeting_plan(actor=office, workshop=workshop, date=_future())
    assert meeting.number == 1
    titles = list(meeting.agenda_items.order_by("order").values_list("title", "kind"))
    assert titles == [
        ("Begrüßung", AgendaItemKind.ORDINARY),
        ("Bestätigung der Tagesordnung", AgendaItemKind.ORDINARY),
        ("Aktueller Sachstand der Projekte der Werkstatt 7", AgendaItemKind.PROJECT_REPORT),
        ("Sonstiges", AgendaItemKind.ORDINARY),
    ]
    assert meeting.history.first().history_user == office


def test_later_session_approves_the_previous_one_skipping_cancelled(office, workshop):
    first = services.meeting_plan(actor=office, workshop=workshop, date=dt.date(2024, 3, 1))
    cancelled = services.meeting_plan(actor=office, workshop=workshop, date=dt.date(2024, 4, 1))
    services.meeting_cancel(actor=office, meeting=cancelled)
    third = services.meeting_plan(actor=office, workshop=workshop, date=_future())
    approval = third.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
    assert approval.approves_meeting == first
    assert approval.title == "Bestätigung des Protokolls der 1. Sitzung vom 01.03.2024 und der Tagesordnung"


def test_moving_an_item_swaps_it_with_its_neighbour(office, workshop):
    meeting = services.meeting_plan(actor=office, workshop=workshop, date=_future())
    items = list(meeting.agenda_items.order_by("order"))
    services.agenda_item_move(actor=office, item=items[3], offset=-1)
    assert list(meeting.agenda_items.order_by("order").values_list("title", flat=True))[2:] == [
        "Sonstiges",
        "Aktueller Sachstand der Projekte der Werkstatt 7",
    ]
    # At the edge nothing moves.
    services.agenda_item_move(actor=office, item=items[0], offset=-1)
    assert meeting.agenda_items.order_by("order").first().title == "Begrüßung"


def test_deleting_an_item_removes_its_presenters_too(office, workshop):
    meeting = services.meeting_plan(actor=office, workshop=workshop, date=_future())
    item = meeting.agenda_items.get(number="1")
    services.presenter_add(actor=office, item=item, presenter=services.PresenterInput(group_label="Alle"))
    services.agenda_item_delete(actor=office, item=item)
    assert not meeting.agenda_items.filter(number="1").exists()


def test_invitation_to_a_past_session_is_refused_and_nothing_changes(office, workshop):
    meeting = services.meeting_plan(actor=office, workshop=workshop, date=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.meeting_invite(actor=office, meeting=meeting)
    assert "Zu einer Sitzung in der Vergangenheit kann nicht eingeladen werden." in str(error.value)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_invitation_sends_mail_after_commit(office, workshop, django_capture_on_commit_callbacks):
    meeting = services.meeting_plan(actor=office, workshop=workshop, date=_future())
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_invite(actor=office, meeting=meeting)
    assert len(callbacks) == 1
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.INVITED
    assert meeting.ics_sequence == 0


def test_changing_an_invited_session_raises_the_sequence(office, workshop, django_capture_on_commit_callbacks):
    meeting = services.meeting_plan(actor=office, workshop=workshop, date=_future(), start_time=dt.time(10))
    services.meeting_transition(actor=office, meeting=meeting, target=MeetingState.INVITED)
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_update(
            actor=office,
            meeting=meeting,
            date=_future(21),
            start_time=dt.time(10),
            end_time=None,
            location=None,
            chair=None,
            chair_function="",
            minute_taker=None,
            minute_taker_function="",
        )
    meeting.refresh_from_db()
    assert meeting.ics_sequence == 1
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_cancel(actor=office, meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.ics_sequence, len(callbacks)) == (MeetingState.CANCELLED, 2, 1)


def test_a_cancelled_session_cannot_be_replanned(office, workshop):
    meeting = services.meeting_plan(actor=office, workshop=workshop, date=_future())
    services.meeting_cancel(actor=office, meeting=meeting)
    with pytest.raises(ValidationError, match="abgesagte Sitzung"):
        services.agenda_item_update(actor=office, item=meeting.agenda_items.first(), number="1", title="Neu")


def test_attendance_is_recorded_with_the_actor(office, workshop):
    meeting = _held_with_minutes(workshop, 1)
    person = PersonFactory()
    services.meeting_set_attendance(actor=office, meeting=meeting, persons=[person], organizations=[])
    assert list(meeting.attendees.all()) == [person]
    assert meeting.history.first().history_user == office


def test_second_save_on_the_same_version_is_a_conflict_that_keeps_the_first_text(office, workshop):
    item = _held_with_minutes(workshop, 1).agenda_items.get(number="4")
    services.agenda_item_save_result(actor=office, item=item, result="<p>Erste Fassung</p>", based_on_version=0)
    with pytest.raises(services.ResultConflict) as conflict:
        services.agenda_item_save_result(actor=office, item=item, result="<p>Zweite Fassung</p>", based_on_version=0)
    assert conflict.value.item.result == "<p>Erste Fassung</p>"
    assert conflict.value.submitted == "<p>Zweite Fassung</p>"
    assert "von jemand anderem geändert" in conflict.value.messages[0]
    item.refresh_from_db()
    assert (item.result, item.result_version) == ("<p>Erste Fassung</p>", 1)


def test_result_is_sanitised_on_the_way_in(office, workshop):
    item = _held_with_minutes(workshop, 1).agenda_items.get(number="4")
    item = services.agenda_item_save_result(
        actor=office,
        item=item,
        result='<p onclick="x()">Text<script>alert(1)</script> <a href="javascript:alert(1)">Link</a></p>',
        based_on_version=0,
    )
    assert "onclick" not in item.result and "script" not in item.result and "javascript" not in item.result
    assert "Text" in item.result and "Link" in item.result


def test_comments_only_on_circulated_minutes(office, workshop):
    draft = _held_with_minutes(workshop, 1)
    with pytest.raises(ValidationError, match="nur zu einem versandten Protokollentwurf"):
        services.minutes_comment_add(actor=office, meeting=draft, text="Bitte ergänzen")
    circulated = _held_with_minutes(workshop, 2, MinutesState.CIRCULATED)
    comment = services.minutes_comment_add(actor=office, meeting=circulated, text="Bitte ergänzen")
    assert MinutesComment.objects.get() == comment


def test_approval_in_the_next_session_locks_the_minutes_and_says_so(office, workshop):
    first = _held_with_minutes(workshop, 1, MinutesState.CIRCULATED)
    second = services.meeting_plan(actor=office, workshop=workshop, date=dt.date(2024, 2, 1))
    services.meeting_mark_held(actor=office, meeting=second)
    approval_item = second.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
    services.minutes_approve(actor=office, approval_item=approval_item)
    first.refresh_from_db()
    approval_item.refresh_from_db()
    assert first.minutes_state == MinutesState.APPROVED
    assert approval_item.result == "<p>Das Protokoll der 1. Sitzung wird bestätigt.</p>"
    latest = first.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        office,
        "Bestätigt in: 2. Sitzung der Werkstatt 7, TOP 2",
    )
    with pytest.raises(ValidationError, match="bereits bestätigt"):
        services.minutes_approve(actor=office, approval_item=approval_item)
    with pytest.raises(ValidationError, match="bestätigt und kann nicht mehr geändert werden"):
        services.agenda_item_save_result(
            actor=office, item=first.agenda_items.first(), result="<p>Nachträglich</p>", based_on_version=0
        )


def test_approval_in_a_session_not_yet_held_is_refused(office, workshop):
    _held_with_minutes(workshop, 1, MinutesState.CIRCULATED)
    second = services.meeting_plan(actor=office, workshop=workshop, date=_future())
    with pytest.raises(ValidationError, match="noch nicht stattgefunden"):
        services.minutes_approve(
            actor=office, approval_item=second.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
        )


def test_draft_minutes_must_be_circulated_before_approval(office, workshop):
    first = _held_with_minutes(workshop, 1)
    second = _held_with_minutes(workshop, 2)
    with pytest.raises(ValidationError, match="zuerst an die Mitglieder versandt"):
        services.minutes_approve(
            actor=office, approval_item=second.agenda_items.get(kind=AgendaItemKind.MINUTES_APPROVAL)
        )
    first.refresh_from_db()
    assert first.minutes_state == MinutesState.DRAFT


def test_approving_minutes_of_a_session_that_was_not_held_is_refused(office, workshop):
    meeting = MeetingFactory(workshop=workshop, state=MeetingState.INVITED)
    with pytest.raises(ValidationError, match="erst, wenn die Sitzung durchgeführt wurde"):
        services.meeting_minutes_transition(actor=office, meeting=meeting, target=MinutesState.APPROVED)


def test_errata_only_for_approved_minutes_and_never_empty(office, workshop):
    first = _held_with_minutes(workshop, 1)
    with pytest.raises(ValidationError, match="nicht durch ein Erratum"):
        services.erratum_add(actor=office, meeting=first, text="<p>Korrektur</p>")
    services.minutes_circulate(actor=office, meeting=first)
    services.meeting_minutes_transition(actor=office, meeting=first, target=MinutesState.APPROVED)
    with pytest.raises(ValidationError, match="braucht einen Text"):
        services.erratum_add(actor=office, meeting=first, text="<script>x</script>")
    erratum = services.erratum_add(actor=office, meeting=first, text="<p>In TOP 4 muss es 73 heißen.</p>")
    assert Erratum.objects.get() == erratum
    assert erratum.history.first().history_user == office
    services.minutes_publish(actor=office, meeting=first)
    first.refresh_from_db()
    assert first.minutes_state == MinutesState.PUBLISHED

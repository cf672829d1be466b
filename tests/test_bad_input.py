"""Bad input gets a clear German error message and changes nothing.

Every refusal is checked twice: the ValidationError carries the German text, and no row of any
Werkstatt table (history tables and child rows included) was added or changed.
"""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from tests.factories import AgendaItemFactory, MeetingFactory, OrganizationFactory, PersonFactory
from werkstatt.documents.services import file_create
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter, Meeting
from werkstatt.meetings.services import (
    PresenterInput,
    agenda_item_create,
    agenda_item_set_result,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState, MinutesState
from werkstatt.organizations.models import FocusArea, Workshop
from werkstatt.organizations.services import workshop_create

pytestmark = pytest.mark.django_db

MSG_WORKSHOP_NUMBER = "Eine Werkstatt braucht eine Nummer."
MSG_END_BEFORE_START = "Das Ende der Sitzung muss nach ihrem Beginn liegen."
MSG_DUPLICATE_MEETING = "Diese Werkstatt hat schon eine Sitzung mit dieser Nummer."
MSG_AGENDA_NUMBER = "Eine TOP-Nummer besteht aus Zahlen, getrennt durch einzelne Punkte, z. B. „4“ oder „4.1“."
MSG_MINUTES_LOCKED = "Das Protokoll dieser Sitzung ist bestätigt und kann nicht mehr geändert werden."
MSG_APPROVAL_WITHOUT_MEETING = (
    "Ein TOP zur Bestätigung eines Protokolls nennt die Sitzung, deren Protokoll er bestätigt."
)
MSG_PRESENTER = "Vortragende sind entweder eine Person oder eine Gruppe."


def test_row_counts_cover_history_and_child_tables(row_counts):
    labels = row_counts().keys()
    assert {
        "organizations.HistoricalWorkshop",
        "organizations.FocusArea",
        "organizations.HistoricalFocusArea",
        "meetings.AgendaItemPresenter",
        "meetings.HistoricalAgendaItemPresenter",
        "meetings.Meeting_files",
    } <= labels


def refused(call, message: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert message in excinfo.value.messages
    return excinfo.value


# --- a workshop without a number --------------------------------------------------------------------


def test_workshop_without_number_is_refused_and_leaves_no_focus_areas(office_user, body, row_counts):
    before = row_counts()

    error = refused(
        lambda: workshop_create(
            actor=office_user, body=body, number=None, title="Ohne Nummer", focus_areas=["Gesundheit", "Wärme"]
        ),
        MSG_WORKSHOP_NUMBER,
    )

    assert error.message_dict == {"number": [MSG_WORKSHOP_NUMBER]}
    assert row_counts() == before
    assert not Workshop.objects.filter(title="Ohne Nummer").exists()
    assert not FocusArea.objects.exists()


# --- a meeting whose end is before its start ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [(dt.time(16, 30), dt.time(14, 10)), (dt.time(14, 10), dt.time(14, 10))],
    ids=["end-before-start", "end-equals-start"],
)
def test_meeting_ending_before_it_starts_is_refused(office_user, workshop4, start, end, row_counts):
    attachment = file_create(actor=office_user, name="Präsentation")
    before = row_counts()

    refused(
        lambda: meeting_create(
            actor=office_user,
            workshop=workshop4,
            number=16,
            date=dt.date(2024, 1, 24),
            start_time=start,
            end_time=end,
            files=[attachment],
        ),
        MSG_END_BEFORE_START,
    )

    assert row_counts() == before
    assert not Meeting.objects.exists()


def test_meeting_with_end_but_no_start_is_refused(office_user, workshop4, row_counts):
    before = row_counts()

    refused(
        lambda: meeting_create(
            actor=office_user, workshop=workshop4, number=16, date=dt.date(2024, 1, 24), end_time=dt.time(16, 30)
        ),
        "Ohne Beginn kann kein Ende angegeben werden.",
    )

    assert row_counts() == before


# --- two meetings of one workshop with the same number -----------------------------------------------


def test_second_meeting_with_the_same_number_is_refused(office_user, workshop4, row_counts):
    first = meeting_create(actor=office_user, workshop=workshop4, number=16, date=dt.date(2024, 1, 24))
    attachment = file_create(actor=office_user, name="Präsentation")
    before = row_counts()

    refused(
        lambda: meeting_create(
            actor=office_user, workshop=workshop4, number=16, date=dt.date(2024, 5, 20), files=[attachment]
        ),
        MSG_DUPLICATE_MEETING,
    )

    assert row_counts() == before
    assert list(Meeting.objects.all()) == [first]


def test_the_same_session_number_in_another_workshop_is_fine(office_user, workshop4, workshop2):
    meeting_create(actor=office_user, workshop=workshop4, number=16, date=dt.date(2024, 1, 24))

    meeting = meeting_create(actor=office_user, workshop=workshop2, number=16, date=dt.date(2024, 1, 24))

    assert meeting.pk is not None


# --- agenda item numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["4..1", "4.", ".1", "a", "4 .1", "4.a", "", "4,1"])
def test_malformed_agenda_item_number_is_refused_with_its_presenters(office_user, number, row_counts):
    meeting = MeetingFactory()
    person = PersonFactory()
    before = row_counts()

    error = refused(
        lambda: agenda_item_create(
            actor=office_user,
            meeting=meeting,
            number=number,
            title="Aktueller Sachstand",
            presenters=[PresenterInput(person=person, function="Leiter Lausitz-Büro")],
        ),
        MSG_AGENDA_NUMBER if number else "Dieses Feld darf nicht leer sein.",
    )

    assert "number" in error.message_dict
    assert row_counts() == before


@pytest.mark.parametrize("number", ["4", "4.1", "10.2.3"])
def test_well_formed_agenda_item_numbers_are_accepted(office_user, number):
    item = agenda_item_create(actor=office_user, meeting=MeetingFactory(), number=number, title="Punkt")

    assert AgendaItem.objects.get(pk=item.pk).number == number


def test_duplicate_agenda_item_number_in_one_meeting_is_refused(office_user, row_counts):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, number="4", order=1)
    before = row_counts()

    refused(
        lambda: agenda_item_create(actor=office_user, meeting=meeting, number="4", title="Noch einmal 4"),
        "Diese TOP-Nummer gibt es in der Sitzung schon.",
    )

    assert row_counts() == before


# --- scripts and event handlers in results ----------------------------------------------------------------


UNSAFE_RESULTS = [
    ("<p>Empfehlung zur Weiterleitung</p><script>alert('x')</script>", "<p>Empfehlung zur Weiterleitung</p>"),
    ('<p onclick="alert(1)">Empfehlung zur Weiterleitung</p>', "<p>Empfehlung zur Weiterleitung</p>"),
    ('<ul><li onmouseover="x()">Zwei neue Mitarbeiterinnen</li></ul>', "<ul><li>Zwei neue Mitarbeiterinnen</li></ul>"),
    ('<p>Vorher<SCRIPT src="https://evil.example/x.js"></SCRIPT> nachher</p>', "<p>Vorher nachher</p>"),
]


@pytest.mark.parametrize(("written", "stored"), UNSAFE_RESULTS)
def test_result_is_stored_without_script_or_event_handler(office_user, written, stored):
    item = agenda_item_create(actor=office_user, meeting=MeetingFactory(), number="6", title="Projekt", result=written)

    result = AgendaItem.objects.get(pk=item.pk).result
    assert result == stored
    assert "script" not in result.lower()
    assert not re.search(r"\son\w+\s*=", result, re.IGNORECASE)


@pytest.mark.parametrize(("written", "stored"), UNSAFE_RESULTS)
def test_result_set_later_is_stored_without_script_or_event_handler(office_user, written, stored):
    item = AgendaItemFactory()

    agenda_item_set_result(actor=office_user, item=item, result=written)

    assert AgendaItem.objects.get(pk=item.pk).result == stored
    assert item.history.first().result == stored


# --- approved minutes never change --------------------------------------------------------------------------


@pytest.fixture(params=sorted(LOCKED_MINUTES_STATES))
def locked_item(request):
    """An agenda item whose meeting's minutes are approved (or already published)."""
    meeting = MeetingFactory(state=MeetingState.HELD, minutes_state=request.param)
    return AgendaItemFactory(meeting=meeting, result="<p>Bestätigtes Ergebnis</p>")


def test_result_of_approved_minutes_cannot_be_changed(office_user, locked_item, row_counts):
    item = AgendaItem.objects.get(pk=locked_item.pk)
    before = row_counts()

    refused(lambda: agenda_item_set_result(actor=office_user, item=item, result="<p>Neu</p>"), MSG_MINUTES_LOCKED)

    assert AgendaItem.objects.get(pk=item.pk).result == "<p>Bestätigtes Ergebnis</p>"
    assert row_counts() == before


def test_no_agenda_item_can_be_added_to_approved_minutes(office_user, locked_item, row_counts):
    meeting = Meeting.objects.get(pk=locked_item.meeting_id)
    before = row_counts()

    refused(
        lambda: agenda_item_create(
            actor=office_user,
            meeting=meeting,
            number="9",
            title="Nachtrag",
            presenters=[PresenterInput(group_label="Alle Werkstattmitglieder")],
        ),
        MSG_MINUTES_LOCKED,
    )

    assert row_counts() == before


def test_approved_minutes_refuse_changes_through_objects_loaded_before_the_approval(office_user, workshop4, row_counts):
    """The lock is checked against the database, not against a copy of the meeting read before it was approved."""
    meeting = meeting_create(actor=office_user, workshop=workshop4, number=16, date=dt.date(2024, 1, 24))
    meeting_transition(actor=office_user, meeting=meeting, target=MeetingState.HELD)
    item = agenda_item_create(actor=office_user, meeting=meeting, number="3", title="Schwerpunkte", result="<p>Alt</p>")
    for step in (MinutesState.CIRCULATED, MinutesState.APPROVED):
        meeting_minutes_transition(actor=office_user, meeting=meeting, target=step)
    before = row_counts()

    refused(lambda: agenda_item_set_result(actor=office_user, item=item, result="<p>Neu</p>"), MSG_MINUTES_LOCKED)
    refused(lambda: agenda_item_create(actor=office_user, meeting=meeting, number="9", title="X"), MSG_MINUTES_LOCKED)

    assert AgendaItem.objects.get(pk=item.pk).result == "<p>Alt</p>"
    assert row_counts() == before


# --- invalid transitions ------------------------------------------------------------------------------------


def test_invalid_meeting_transition_is_refused_in_german(office_user, row_counts):
    meeting = MeetingFactory(state=MeetingState.HELD)
    before = row_counts()

    error = refused(
        lambda: meeting_transition(actor=office_user, meeting=meeting, target=MeetingState.PLANNED),
        "Eine Sitzung im Zustand „durchgeführt“ kann nicht in den Zustand „terminiert“ wechseln.",
    )

    assert error.code == "invalid_transition"
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.HELD
    assert row_counts() == before


def test_invalid_minutes_transition_is_refused_in_german(office_user, row_counts):
    meeting = MeetingFactory(state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED)
    before = row_counts()

    refused(
        lambda: meeting_minutes_transition(actor=office_user, meeting=meeting, target=MinutesState.DRAFT),
        "Ein Protokoll im Zustand „veröffentlicht“ kann nicht in den Zustand „Entwurf“ wechseln.",
    )

    assert Meeting.objects.get(pk=meeting.pk).minutes_state == MinutesState.PUBLISHED
    assert row_counts() == before


def test_minutes_of_a_meeting_not_yet_held_cannot_move(office_user, row_counts):
    meeting = MeetingFactory(state=MeetingState.INVITED)
    before = row_counts()

    refused(
        lambda: meeting_minutes_transition(actor=office_user, meeting=meeting, target=MinutesState.CIRCULATED),
        "Ein Protokoll gibt es erst, wenn die Sitzung durchgeführt wurde.",
    )

    assert Meeting.objects.get(pk=meeting.pk).minutes_state == MinutesState.DRAFT
    assert row_counts() == before


def test_unknown_target_state_is_refused_in_german(office_user, row_counts):
    """A state name from a form or the API that does not exist is bad input, not a server error."""
    meeting = MeetingFactory()
    before = row_counts()

    refused(
        lambda: meeting_transition(actor=office_user, meeting=meeting, target="vertagt"),
        "Eine Sitzung im Zustand „terminiert“ kann nicht in den Zustand „vertagt“ wechseln.",
    )

    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.PLANNED
    assert row_counts() == before


# --- minutes approval without the meeting it approves ----------------------------------------------------------


def test_minutes_approval_item_without_approved_meeting_is_refused(office_user, row_counts):
    meeting = MeetingFactory()
    before = row_counts()

    error = refused(
        lambda: agenda_item_create(
            actor=office_user,
            meeting=meeting,
            number="2",
            title="Bestätigung des Protokolls der letzten Sitzung",
            kind=AgendaItemKind.MINUTES_APPROVAL,
        ),
        MSG_APPROVAL_WITHOUT_MEETING,
    )

    assert error.message_dict == {"approves_meeting": [MSG_APPROVAL_WITHOUT_MEETING]}
    assert row_counts() == before


def test_ordinary_item_pointing_at_a_meeting_is_refused(office_user, row_counts):
    meeting = MeetingFactory()
    other = MeetingFactory(workshop=meeting.workshop)
    before = row_counts()

    refused(
        lambda: agenda_item_create(actor=office_user, meeting=meeting, number="2", title="X", approves_meeting=other),
        "Nur ein TOP zur Bestätigung eines Protokolls verweist auf eine Sitzung.",
    )

    assert row_counts() == before


def test_meeting_cannot_approve_its_own_minutes(office_user, row_counts):
    meeting = MeetingFactory()
    before = row_counts()

    refused(
        lambda: agenda_item_create(
            actor=office_user,
            meeting=meeting,
            number="2",
            title="Bestätigung",
            kind=AgendaItemKind.MINUTES_APPROVAL,
            approves_meeting=meeting,
        ),
        "Eine Sitzung kann nicht ihr eigenes Protokoll bestätigen.",
    )

    assert row_counts() == before


# --- presenters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["neither", "both"])
def test_presenter_must_be_a_person_or_a_group_and_the_whole_item_is_rolled_back(office_user, case, row_counts):
    meeting = MeetingFactory()
    person = PersonFactory()
    organization = OrganizationFactory()
    bad = (
        PresenterInput(function="Geschäftsführer", organization=organization)
        if case == "neither"
        else PresenterInput(person=person, group_label="Alle Werkstattmitglieder")
    )
    before = row_counts()

    refused(
        lambda: agenda_item_create(
            actor=office_user,
            meeting=meeting,
            number="3",
            title="Ausführungen zu den Schwerpunkten",
            presenters=[PresenterInput(person=person, function="Werkstattsprecher"), bad],
        ),
        MSG_PRESENTER,
    )

    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    assert not AgendaItemPresenter.objects.exists()
    assert row_counts() == before

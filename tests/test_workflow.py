"""The session and minutes state tables: every allowed step works, every other step is refused.

The cases are generated from the tables themselves, so a new state or a changed row is tested
without touching this file; the few design rules at the end pin what the tables must keep.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError

from tests.factories import MeetingFactory
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.services import meeting_minutes_transition, meeting_transition
from werkstatt.meetings.workflow import (
    LOCKED_MINUTES_STATES,
    MEETING_TRANSITIONS,
    MINUTES_TRANSITIONS,
    MeetingState,
    MinutesState,
    check_meeting_transition,
    check_minutes_transition,
)


def pairs(states):
    return list(itertools.product(states, repeat=2))


def case_id(pair):
    return f"{pair[0]}->{pair[1]}"


MEETING_ALLOWED = [(c, t) for c, t in pairs(MeetingState) if t in MEETING_TRANSITIONS[c]]
MEETING_REFUSED = [(c, t) for c, t in pairs(MeetingState) if t not in MEETING_TRANSITIONS[c]]
MINUTES_ALLOWED = [(c, t) for c, t in pairs(MinutesState) if t in MINUTES_TRANSITIONS[c]]
MINUTES_REFUSED = [(c, t) for c, t in pairs(MinutesState) if t not in MINUTES_TRANSITIONS[c]]
NOT_HELD = [s for s in MeetingState if s != MeetingState.HELD]


def test_tables_name_every_state():
    assert set(MEETING_TRANSITIONS) == set(MeetingState)
    assert set(MINUTES_TRANSITIONS) == set(MinutesState)
    assert all(targets <= set(MeetingState) for targets in MEETING_TRANSITIONS.values())
    assert all(targets <= set(MinutesState) for targets in MINUTES_TRANSITIONS.values())


# --- the check functions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), MEETING_ALLOWED, ids=map(case_id, MEETING_ALLOWED))
def test_allowed_meeting_transition_passes_the_check(current, target):
    check_meeting_transition(current, target)


@pytest.mark.parametrize(("current", "target"), MEETING_REFUSED, ids=map(case_id, MEETING_REFUSED))
def test_refused_meeting_transition_fails_the_check_in_german(current, target):
    with pytest.raises(ValidationError) as excinfo:
        check_meeting_transition(current, target)

    assert excinfo.value.code == "invalid_transition"
    assert excinfo.value.messages == [
        f"Eine Sitzung im Zustand „{MeetingState(current).label}“ kann nicht in den Zustand "
        f"„{MeetingState(target).label}“ wechseln."
    ]


@pytest.mark.parametrize(("current", "target"), MINUTES_ALLOWED, ids=map(case_id, MINUTES_ALLOWED))
def test_allowed_minutes_transition_passes_the_check(current, target):
    check_minutes_transition(current, target, meeting_state=MeetingState.HELD)


@pytest.mark.parametrize(("current", "target"), MINUTES_REFUSED, ids=map(case_id, MINUTES_REFUSED))
def test_refused_minutes_transition_fails_the_check_in_german(current, target):
    with pytest.raises(ValidationError) as excinfo:
        check_minutes_transition(current, target, meeting_state=MeetingState.HELD)

    assert excinfo.value.code == "invalid_transition"
    assert excinfo.value.messages == [
        f"Ein Protokoll im Zustand „{MinutesState(current).label}“ kann nicht in den Zustand "
        f"„{MinutesState(target).label}“ wechseln."
    ]


@pytest.mark.parametrize("meeting_state", NOT_HELD)
@pytest.mark.parametrize(("current", "target"), MINUTES_ALLOWED, ids=map(case_id, MINUTES_ALLOWED))
def test_minutes_do_not_move_before_the_meeting_was_held(current, target, meeting_state):
    with pytest.raises(ValidationError) as excinfo:
        check_minutes_transition(current, target, meeting_state=meeting_state)

    assert excinfo.value.code == "meeting_not_held"
    assert excinfo.value.messages == ["Ein Protokoll gibt es erst, wenn die Sitzung durchgeführt wurde."]


# --- through the services -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), MEETING_ALLOWED, ids=map(case_id, MEETING_ALLOWED))
def test_meeting_transition_service_performs_every_allowed_step(office_user, current, target):
    meeting = MeetingFactory(state=current)
    history_before = meeting.history.count()

    returned = meeting_transition(actor=office_user, meeting=meeting, target=target)

    stored = Meeting.objects.get(pk=meeting.pk)
    assert returned.state == stored.state == target
    assert meeting.history.count() == history_before + 1
    assert meeting.history.first().history_user == office_user
    assert meeting.history.first().state == target


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), MEETING_REFUSED, ids=map(case_id, MEETING_REFUSED))
def test_meeting_transition_service_refuses_every_other_step(office_user, current, target):
    meeting = MeetingFactory(state=current)
    history_before = meeting.history.count()

    with pytest.raises(ValidationError):
        meeting_transition(actor=office_user, meeting=meeting, target=target)

    assert Meeting.objects.get(pk=meeting.pk).state == current
    assert meeting.history.count() == history_before


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), MINUTES_ALLOWED, ids=map(case_id, MINUTES_ALLOWED))
def test_minutes_transition_service_performs_every_allowed_step(office_user, current, target):
    meeting = MeetingFactory(state=MeetingState.HELD, minutes_state=current)
    history_before = meeting.history.count()

    returned = meeting_minutes_transition(actor=office_user, meeting=meeting, target=target)

    stored = Meeting.objects.get(pk=meeting.pk)
    assert returned.minutes_state == stored.minutes_state == target
    assert meeting.history.count() == history_before + 1
    assert meeting.history.first().history_user == office_user


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), MINUTES_REFUSED, ids=map(case_id, MINUTES_REFUSED))
def test_minutes_transition_service_refuses_every_other_step(office_user, current, target):
    meeting = MeetingFactory(state=MeetingState.HELD, minutes_state=current)
    history_before = meeting.history.count()

    with pytest.raises(ValidationError):
        meeting_minutes_transition(actor=office_user, meeting=meeting, target=target)

    assert Meeting.objects.get(pk=meeting.pk).minutes_state == current
    assert meeting.history.count() == history_before


@pytest.mark.django_db
@pytest.mark.parametrize("meeting_state", NOT_HELD)
def test_minutes_transition_service_refuses_before_the_meeting_was_held(office_user, meeting_state):
    meeting = MeetingFactory(state=meeting_state)

    with pytest.raises(ValidationError):
        meeting_minutes_transition(actor=office_user, meeting=meeting, target=MinutesState.CIRCULATED)

    assert Meeting.objects.get(pk=meeting.pk).minutes_state == MinutesState.DRAFT


# --- what the design says the tables must keep ---------------------------------------------------------------


def test_a_meeting_is_cancelled_only_before_it_was_held():
    assert {c for c, t in MEETING_ALLOWED if t == MeetingState.CANCELLED} == {
        MeetingState.PLANNED,
        MeetingState.INVITED,
    }


def test_held_and_cancelled_meetings_are_final():
    assert MEETING_TRANSITIONS[MeetingState.HELD] == frozenset()
    assert MEETING_TRANSITIONS[MeetingState.CANCELLED] == frozenset()


def test_minutes_are_approved_only_after_circulation_and_published_only_after_approval():
    assert {c for c, t in MINUTES_ALLOWED if t == MinutesState.APPROVED} == {MinutesState.CIRCULATED}
    assert {c for c, t in MINUTES_ALLOWED if t == MinutesState.PUBLISHED} == {MinutesState.APPROVED}


def test_approved_minutes_never_return_to_an_editable_state():
    assert {MinutesState.APPROVED, MinutesState.PUBLISHED} <= LOCKED_MINUTES_STATES
    for state in LOCKED_MINUTES_STATES:
        assert MINUTES_TRANSITIONS[state] <= LOCKED_MINUTES_STATES

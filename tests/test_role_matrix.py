"""Every role × every staff action, as one table: the table is the specification of accounts/rules.py.

Columns are the questions the back office asks about a session of Werkstatt 4 whose minutes are
in the state the column needs; rows are the kinds of people of DESIGN.md section 1.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import MeetingFactory, MembershipFactory, PersonFactory, UserFactory, WorkshopFactory
from werkstatt.accounts import rules
from werkstatt.accounts.models import Role
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import MembershipRole

pytestmark = pytest.mark.django_db

# The session's state for each question: (meeting state, minutes state).
STATE_FOR = {
    "use_office": None,
    "plan_meeting": None,
    "edit_meeting": (MeetingState.PLANNED, MinutesState.DRAFT),
    "invite": (MeetingState.PLANNED, MinutesState.DRAFT),
    "mark_held": (MeetingState.INVITED, MinutesState.DRAFT),
    "cancel_meeting": (MeetingState.INVITED, MinutesState.DRAFT),
    "record_minutes": (MeetingState.HELD, MinutesState.DRAFT),
    "circulate_minutes": (MeetingState.HELD, MinutesState.DRAFT),
    "comment_minutes": (MeetingState.HELD, MinutesState.CIRCULATED),
    "publish_minutes": (MeetingState.HELD, MinutesState.APPROVED),
    "add_erratum": (MeetingState.HELD, MinutesState.PUBLISHED),
    "view_internal": (MeetingState.PLANNED, MinutesState.DRAFT),
    "view_draft_minutes": (MeetingState.HELD, MinutesState.DRAFT),
    "view_circulated_minutes": (MeetingState.HELD, MinutesState.CIRCULATED),
}
QUESTIONS = list(STATE_FOR)

# fmt: off
#                        office plan  edit   invite held   cancel record circ   comment publ  errat  intern draft  circd
MATRIX = {
    "anonymous":         (0,    0,    0,     0,     0,     0,     0,     0,     0,      0,    0,     0,     0,     0),
    "member_elsewhere":  (0,    0,    0,     0,     0,     0,     0,     0,     0,      0,    0,     0,     0,     0),
    "delegate_w4":       (1,    0,    0,     0,     0,     0,     0,     0,     1,      0,    0,     1,     0,     1),
    "speaker_w4":        (1,    1,    1,     1,     1,     1,     1,     1,     1,      0,    0,     1,     1,     1),
    "deputy_w4":         (1,    1,    1,     1,     1,     1,     1,     1,     1,      0,    0,     1,     1,     1),
    "minute_taker":      (1,    0,    0,     0,     0,     0,     1,     1,     0,      0,    0,     1,     1,     1),
    "speaker_w2":        (1,    0,    0,     0,     0,     0,     0,     0,     0,      0,    0,     0,     0,     0),
    "bank":              (1,    0,    0,     0,     0,     0,     0,     0,     0,      0,    0,     1,     1,     1),
    "chancellery":       (1,    0,    0,     0,     0,     0,     0,     0,     0,      0,    0,     1,     1,     1),
    "office":            (1,    1,    1,     1,     1,     1,     1,     1,     1,      1,    1,     1,     1,     1),
    "admin":             (1,    1,    1,     1,     1,     1,     1,     1,     1,      1,    1,     1,     1,     1),
}
# fmt: on


def _member(workshop, role):
    user = UserFactory()
    MembershipFactory(person=PersonFactory(body=workshop.body, user=user), workshop=workshop, role=role)
    return user


@pytest.fixture
def world():
    workshop4 = WorkshopFactory(number=4)
    workshop2 = WorkshopFactory(number=2, body=workshop4.body)
    minute_taker = UserFactory()
    people = {
        "anonymous": AnonymousUser(),
        "member_elsewhere": UserFactory(role=Role.MEMBER),
        "delegate_w4": _member(workshop4, MembershipRole.DELEGATE),
        "speaker_w4": _member(workshop4, MembershipRole.SPEAKER),
        "deputy_w4": _member(workshop4, MembershipRole.DEPUTY),
        "minute_taker": minute_taker,
        "speaker_w2": _member(workshop2, MembershipRole.SPEAKER),
        "bank": UserFactory(role=Role.BANK),
        "chancellery": UserFactory(role=Role.CHANCELLERY),
        "office": UserFactory(role=Role.OFFICE),
        "admin": UserFactory(role=Role.ADMIN),
    }
    taker_person = PersonFactory(body=workshop4.body, user=minute_taker)
    return workshop4, taker_person, people


def _ask(question, user, workshop, meeting):
    if question == "use_office":
        return rules.can_use_office(user)
    if question == "plan_meeting":
        return rules.can_plan_meeting(user, workshop)
    if question == "view_internal":
        return rules.can_view_internal(user, meeting)
    if question in ("view_draft_minutes", "view_circulated_minutes"):
        return rules.can_view_minutes(user, meeting)
    return getattr(rules, f"can_{question}")(user, meeting)


@pytest.mark.parametrize("person", list(MATRIX))
def test_role_matrix(world, person):
    workshop, taker_person, people = world
    user = people[person]
    answers = {}
    # The minute-taker is named in an open session, which is what gives them a place in the office.
    MeetingFactory(workshop=workshop, state=MeetingState.PLANNED, minute_taker=taker_person)
    for question in QUESTIONS:
        states = STATE_FOR[question]
        meeting = None
        if states is not None:
            meeting = MeetingFactory(
                workshop=workshop, state=states[0], minutes_state=states[1], minute_taker=taker_person
            )
        answers[question] = int(_ask(question, user, workshop, meeting))
    assert answers == dict(zip(QUESTIONS, MATRIX[person], strict=True))


@pytest.mark.parametrize("locked", [MinutesState.APPROVED, MinutesState.PUBLISHED])
def test_nobody_edits_or_records_once_minutes_are_approved(world, locked):
    workshop, taker_person, people = world
    meeting = MeetingFactory(
        workshop=workshop, state=MeetingState.HELD, minutes_state=locked, minute_taker=taker_person
    )
    for user in people.values():
        assert not rules.can_edit_meeting(user, meeting)
        assert not rules.can_record_minutes(user, meeting)


def test_a_cancelled_session_cannot_be_edited(world):
    workshop, _taker, people = world
    meeting = MeetingFactory(workshop=workshop, state=MeetingState.CANCELLED)
    assert not rules.can_edit_meeting(people["office"], meeting)


def test_inactive_users_have_no_rights(world):
    workshop, _taker, people = world
    office = people["office"]
    office.is_active = False
    assert not rules.can_use_office(office)
    assert not rules.can_plan_meeting(office, workshop)


def test_an_ended_membership_gives_no_rights(world):
    workshop, _taker, _people = world
    import datetime as dt

    user = UserFactory()
    MembershipFactory(
        person=PersonFactory(body=workshop.body, user=user),
        workshop=workshop,
        role=MembershipRole.SPEAKER,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 1, 1),
    )
    assert not rules.can_plan_meeting(user, workshop)
    assert not rules.can_use_office(user)

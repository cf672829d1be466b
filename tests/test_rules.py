"""Who may see what: the rules in accounts/rules.py, per role and per persona."""

import pytest

from tests.factories import AgendaItemFactory, MeetingFactory, NewsItemFactory, UserFactory
from werkstatt.accounts.models import Role
from werkstatt.accounts.rules import can_view_minutes, can_view_unpublished_minutes, is_office
from werkstatt.meetings.selectors import agenda_items_visible_to, meeting_get_for_user
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.selectors import news_items_visible_to

pytestmark = pytest.mark.django_db

OFFICE_ROLES = {Role.OFFICE, Role.ADMIN}
PERSONAS = ["anonymous", "office_user", "speaker_w4", "delegate_w2"]
UNPUBLISHED = [s for s in MinutesState if s != MinutesState.PUBLISHED]


@pytest.fixture(params=PERSONAS)
def persona(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("role", list(Role))
def test_is_office_for_each_role(role):
    user = UserFactory(role=role)

    assert is_office(user) is (role in OFFICE_ROLES)


def test_superuser_counts_as_office_whatever_the_role():
    assert is_office(UserFactory(role=Role.MEMBER, is_superuser=True))


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_is_office_for_each_persona(request, persona_name):
    assert is_office(request.getfixturevalue(persona_name)) is (persona_name == "office_user")


def test_none_is_not_office():
    assert not is_office(None)


@pytest.mark.parametrize("minutes_state", UNPUBLISHED)
def test_anonymous_cannot_see_unpublished_minutes(anonymous, workshop4, minutes_state):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=minutes_state)

    assert not can_view_unpublished_minutes(anonymous)
    assert not can_view_minutes(anonymous, meeting)


@pytest.mark.parametrize("minutes_state", UNPUBLISHED)
def test_office_can_see_unpublished_minutes(office_user, workshop4, minutes_state):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=minutes_state)

    assert can_view_unpublished_minutes(office_user)
    assert can_view_minutes(office_user, meeting)


@pytest.mark.parametrize("minutes_state", UNPUBLISHED)
def test_delegate_of_another_workshop_cannot_see_unpublished_minutes(delegate_w2, workshop4, minutes_state):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=minutes_state)

    assert not can_view_minutes(delegate_w2, meeting)


def test_published_minutes_are_visible_to_everyone(persona, workshop4):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED)

    assert can_view_minutes(persona, meeting)


# --- the selectors ask the rules --------------------------------------------------------------------------------


def test_meeting_page_hides_unpublished_minutes_from_anonymous(anonymous, workshop4):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.APPROVED)
    AgendaItemFactory(meeting=meeting)

    page = meeting_get_for_user(anonymous, meeting.pk)

    assert page.show_agenda
    assert not page.show_minutes


def test_meeting_page_shows_unpublished_minutes_to_the_office(office_user, workshop4):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.CIRCULATED)

    assert meeting_get_for_user(office_user, meeting.pk).show_minutes


def test_meeting_page_shows_published_minutes_to_everyone(persona, workshop4):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED)

    page = meeting_get_for_user(persona, meeting.pk)

    assert page.show_agenda
    assert page.show_minutes


def test_agenda_of_a_planned_meeting_is_for_the_office_only(anonymous, office_user, workshop4):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.PLANNED)
    item = AgendaItemFactory(meeting=meeting)

    assert not meeting_get_for_user(anonymous, meeting.pk).show_agenda
    assert list(agenda_items_visible_to(anonymous)) == []
    assert list(agenda_items_visible_to(office_user)) == [item]


def test_non_public_agenda_items_are_hidden_from_the_public(anonymous, office_user, workshop4):
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED)
    public = AgendaItemFactory(meeting=meeting)
    internal = AgendaItemFactory(meeting=meeting, public=False)

    assert meeting_get_for_user(anonymous, meeting.pk).agenda_items == [public]
    assert meeting_get_for_user(office_user, meeting.pk).agenda_items == [public, internal]


def test_unpublished_news_are_for_the_office_only(anonymous, office_user):
    published = NewsItemFactory(published=True)
    draft = NewsItemFactory(published=False)

    assert list(news_items_visible_to(anonymous)) == [published]
    assert set(news_items_visible_to(office_user)) == {published, draft}


def test_who_moderates_comments(office_user, speaker_w4, delegate_w2, workshop4, workshop2, anonymous):
    """The office everywhere, a speaker for the own workshop, nobody else; a project without a lead workshop
    is the office's."""
    from werkstatt.accounts import rules

    assert [rules.moderates_comments(u) for u in (office_user, speaker_w4, delegate_w2, anonymous)] == [
        True,
        True,
        False,
        False,
    ]
    assert rules.can_moderate_comments(office_user, None) and rules.can_moderate_comments(office_user, workshop2.pk)
    assert rules.can_moderate_comments(speaker_w4, workshop4.pk)
    assert not rules.can_moderate_comments(speaker_w4, workshop2.pk)
    assert not rules.can_moderate_comments(speaker_w4, None)
    assert not rules.can_moderate_comments(delegate_w2, workshop2.pk)
    assert not rules.can_moderate_comments(anonymous, workshop4.pk)

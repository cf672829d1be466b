"""The planning half of the back office: editing a session, its agenda, presenters and attendance.

Realistic data: the demo (Werkstatt 4 with its 15th and 16th session) and a 17th session planned
through ``meeting_plan`` with the standing agenda. The personas are created before the demo so that
the demo's Werkstatt 2 and 4 are theirs.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from werkstatt.accounts.models import Role
from werkstatt.geo.services import LocationInput
from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.meetings.services import (
    agenda_item_add,
    meeting_plan,
    meeting_update,
    presenter_add_new_person,
)
from werkstatt.organizations.models import Organization, Person, Workshop

pytestmark = pytest.mark.django_db

MSG_LOCKED = "Das Protokoll dieser Sitzung ist bestätigt: Tagesordnung und Planung können nicht mehr geändert werden."
MSG_NUMBER = "Eine TOP-Nummer besteht aus Zahlen, getrennt durch einzelne Punkte, z. B. „4“ oder „4.1“."


def _future(days: int = 30) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def w4(speaker_w4, delegate_w2, office_user, demo) -> Workshop:
    """The demo's Werkstatt 4; the personas exist first, so the demo's workshops are theirs."""
    return Workshop.objects.get(number=4)


@pytest.fixture
def session17(w4, office_user) -> Meeting:
    """The next session of Werkstatt 4, planned as the office plans it: standing agenda, place, chair."""
    persons = {p.family_name: p for p in Person.objects.filter(family_name__in=["Guntermann", "Amende"])}
    return meeting_plan(
        actor=office_user,
        workshop=w4,
        date=_future(),
        start_time=dt.time(14),
        end_time=dt.time(16, 30),
        address=LocationInput(
            description="Bürgerzentrum",
            street_address="Uferstraße 6",
            postal_code="04916",
            locality="Herzberg (Elster)",
        ),
        chair=persons["Guntermann"],
        chair_function="Werkstattsprecher",
        minute_taker=persons["Amende"],
        minute_taker_function="Projektmanager, Wirtschaftsregion Lausitz",
    )


@pytest.fixture
def session16(w4) -> Meeting:
    """Held, minutes published: locked for ever."""
    return Meeting.objects.get(workshop=w4, number=16)


@pytest.fixture
def bank_user(db):
    return UserFactory(username="ilb-lausitz", role=Role.BANK)


@pytest.fixture
def speaker_w2_session(w4, delegate_w2) -> Meeting:
    """The demo's session of Werkstatt 2 has no number and is held; this one is planned."""
    return meeting_plan(actor=None, workshop=Workshop.objects.get(number=2), date=_future(40), start_time=dt.time(10))


def _numbers(meeting: Meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("order").values_list("number", flat=True))


def _item(meeting: Meeting, number: str) -> AgendaItem:
    return meeting.agenda_items.get(number=number)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


# --- services --------------------------------------------------------------------------------------


def test_meeting_update_takes_a_new_address_in_the_same_transaction(session17, office_user):
    meeting = meeting_update(
        actor=office_user,
        meeting=session17,
        date=session17.date,
        start_time=dt.time(10),
        end_time=dt.time(12),
        location=None,
        address=LocationInput(description="Kulturhaus", street_address="Markt 1", locality="Spremberg"),
        chair=session17.chair,
        chair_function="Werkstattsprecher",
        minute_taker=session17.minute_taker,
        minute_taker_function="Projektmanager",
    )
    assert meeting.location is not None
    assert meeting.location.address_line == "Kulturhaus, Markt 1, Spremberg"
    assert meeting.history.first().history_user == office_user


def test_meeting_update_with_a_bad_address_changes_nothing(session17, office_user, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        meeting_update(
            actor=office_user,
            meeting=session17,
            date=session17.date,
            start_time=dt.time(10),
            end_time=dt.time(12),
            location=None,
            address=LocationInput(description="Kulturhaus", postal_code="123"),
            chair=None,
            chair_function="",
            minute_taker=None,
            minute_taker_function="",
        )
    assert "Eine Postleitzahl hat fünf Ziffern." in str(error.value)
    assert row_counts() == before
    session17.refresh_from_db()
    assert session17.start_time == dt.time(14)


def test_agenda_item_add_places_an_item_after_the_next_lower_number(session17, office_user):
    assert _numbers(session17) == ["1", "2", "3", "4"]
    agenda_item_add(actor=office_user, meeting=session17, number="3.1", title="Projekt A")
    agenda_item_add(actor=office_user, meeting=session17, number="4.1", title="Nachtrag")
    agenda_item_add(actor=office_user, meeting=session17, number="3.2", title="Projekt B")
    agenda_item_add(actor=office_user, meeting=session17, number="0", title="Vorab")
    assert _numbers(session17) == ["0", "1", "2", "3", "3.1", "3.2", "4", "4.1"]
    orders = list(session17.agenda_items.values_list("order", flat=True))
    assert len(set(orders)) == len(orders)


def test_agenda_item_add_refuses_a_malformed_number_and_changes_nothing(session17, office_user, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        agenda_item_add(actor=office_user, meeting=session17, number="4..1", title="Kaputt")
    assert error.value.message_dict == {"number": [MSG_NUMBER]}
    assert row_counts() == before


def test_agenda_item_add_refuses_a_duplicate_number_without_moving_anything(session17, office_user, row_counts):
    orders = dict(session17.agenda_items.values_list("number", "order"))
    before = row_counts()
    with pytest.raises(ValidationError, match="Diese TOP-Nummer gibt es in der Sitzung schon"):
        agenda_item_add(actor=office_user, meeting=session17, number="3", title="Noch einmal 3")
    assert row_counts() == before
    assert dict(session17.agenda_items.values_list("number", "order")) == orders


def test_presenter_add_new_person_writes_person_and_presenter_with_the_actor(session17, office_user):
    item = _item(session17, "3")
    ilb = Organization.objects.get(short_name="ILB")
    presenter = presenter_add_new_person(
        actor=office_user,
        item=item,
        title="Dr.",
        given_name="Anna",
        family_name="Neumann",
        function="Referentin",
        organization=ilb,
        organization_name="Investitionsbank des Landes Brandenburg",
    )
    person = presenter.person
    assert person is not None
    assert (person.name, person.function, person.organization) == ("Dr. Anna Neumann", "Referentin", ilb)
    assert presenter.display == "Dr. Anna Neumann, Referentin, Investitionsbank des Landes Brandenburg"
    assert person.history.first().history_user == office_user
    assert presenter.history.first().history_user == office_user


@pytest.mark.parametrize(("given", "family"), [("Anna", "  "), ("", "Neumann"), ("", "")])
def test_presenter_without_a_name_is_refused_and_nothing_is_written(session17, office_user, given, family, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        presenter_add_new_person(actor=office_user, item=_item(session17, "3"), given_name=given, family_name=family)
    assert "Bitte geben Sie den" in str(error.value)
    assert row_counts() == before


def test_presenter_for_approved_minutes_leaves_no_person_behind(session16, office_user, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError, match="Das Protokoll dieser Sitzung ist bestätigt"):
        presenter_add_new_person(
            actor=office_user, item=session16.agenda_items.first(), given_name="Anna", family_name="Neumann"
        )
    assert row_counts() == before
    assert not Person.objects.filter(family_name="Neumann").exists()

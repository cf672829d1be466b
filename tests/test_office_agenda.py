"""The planning half of the back office: editing a session, its agenda, presenters and attendance.

Realistic data: the demo (Werkstatt 4 with its 15th and 16th session) and a 17th session planned
through ``meeting_plan`` with the standing agenda. The personas are created before the demo so that
the demo's Werkstatt 2 and 4 are theirs.
"""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, MembershipFactory, PersonFactory, UserFactory
from tests.pages import count_queries, visible_text
from werkstatt.accounts.models import Role
from werkstatt.geo.services import LocationInput
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter, Meeting
from werkstatt.meetings.services import (
    PresenterInput,
    agenda_item_add,
    agenda_item_create,
    meeting_create,
    meeting_invite,
    meeting_plan,
    meeting_set_attendance,
    meeting_transition,
    meeting_update,
    presenter_add_new_person,
)
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import MembershipRole, Organization, Person, Workshop
from werkstatt.organizations.services import membership_create, organization_create, workshop_add_member

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


# --- pages: who may open them ---------------------------------------------------------------------------

PAGES = ["meeting-edit", "agenda", "agenda-item", "agenda-item-delete", "attendance"]


def _url(name: str, meeting: Meeting) -> str:
    if name in ("agenda-item", "agenda-item-delete"):
        return reverse(f"office:{name}", args=[meeting.pk, _item(meeting, "3").pk])
    return reverse(f"office:{name}", args=[meeting.pk])


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(session17, client, name):
    url = _url(name, session17)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", PAGES)
def test_a_delegate_of_another_workshop_gets_403_in_german(session17, client, delegate_w2, name):
    response = _login(client, delegate_w2).get(_url(name, session17))
    assert response.status_code == 403
    assert "Diese Seite oder Aktion ist Ihnen nicht freigegeben." in visible_text(response.content.decode())


@pytest.mark.parametrize(
    ("name", "status"),
    [("meeting-edit", 403), ("agenda-item", 403), ("agenda-item-delete", 403), ("agenda", 200), ("attendance", 200)],
)
def test_the_bank_reads_agenda_and_attendance_but_edits_nothing(session17, client, bank_user, name, status):
    response = _login(client, bank_user).get(_url(name, session17))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Nur zum Lesen" in visible_text(html)
        assert "nach unten" not in html
        assert "Speichern" not in visible_text(html)


@pytest.mark.parametrize("name", PAGES)
def test_the_speaker_plans_their_own_workshop_only(session17, speaker_w2_session, client, speaker_w4, name):
    _login(client, speaker_w4)
    assert client.get(_url(name, session17)).status_code == 200
    assert client.get(_url(name, speaker_w2_session)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_the_office_opens_every_page(session17, client, office_user, name):
    assert _login(client, office_user).get(_url(name, session17)).status_code == 200


@pytest.mark.parametrize("persona", ["bank_user", "delegate_w2"])
def test_writes_by_readers_are_refused_with_403_and_change_nothing(session17, client, persona, request, row_counts):
    _login(client, request.getfixturevalue(persona))
    item = _item(session17, "2")
    before = row_counts()
    posts = [
        (reverse("office:agenda-item-move", args=[session17.pk, item.pk]), {"richtung": "runter"}),
        (reverse("office:agenda-item-delete", args=[session17.pk, item.pk]), {}),
        (reverse("office:agenda", args=[session17.pk]), {"neu-number": "5", "neu-title": "X", "neu-kind": "ordinary"}),
        (_url("agenda-item", session17), {"aktion": "gruppe", "gruppe-group_label": "Alle"}),
        (_url("meeting-edit", session17), {"date": _future().isoformat(), "start_time": "10:00"}),
        (_url("attendance", session17), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert row_counts() == before


def test_the_speaker_cannot_change_another_workshops_agenda(speaker_w2_session, client, speaker_w4, row_counts):
    item = speaker_w2_session.agenda_items.get(number="1")
    before = row_counts()
    response = _login(client, speaker_w4).post(
        reverse("office:agenda-item-move", args=[speaker_w2_session.pk, item.pk]), {"richtung": "runter"}
    )
    assert response.status_code == 403
    assert row_counts() == before


def test_anonymous_posts_go_to_the_login_and_change_nothing(session17, client, row_counts):
    item = _item(session17, "2")
    before = row_counts()
    response = client.post(reverse("office:agenda-item-move", args=[session17.pk, item.pk]), {"richtung": "runter"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert row_counts() == before


def test_an_item_of_another_session_is_not_found(session17, session16, client, office_user):
    foreign = session16.agenda_items.first()
    _login(client, office_user)
    assert client.get(reverse("office:agenda-item", args=[session17.pk, foreign.pk])).status_code == 404
    move = reverse("office:agenda-item-move", args=[session17.pk, foreign.pk])
    assert client.post(move, {"richtung": "hoch"}).status_code == 404


# --- the overview links the planning pages ------------------------------------------------------------


def test_session_overview_links_planning_agenda_and_attendance(session17, client, office_user):
    html = _login(client, office_user).get(reverse("office:meeting-detail", args=[session17.pk])).content.decode()
    text = visible_text(html)
    assert "Planung Anwesend: 0 Personen, 0 Organisationen" in text
    assert reverse("office:meeting-edit", args=[session17.pk]) in html
    assert reverse("office:agenda", args=[session17.pk]) in html
    assert reverse("office:attendance", args=[session17.pk]) in html
    assert "Tagesordnung bearbeiten" in text
    assert "Anwesenheit ansehen" in text  # planned: recorded from the invitation on


def test_session_overview_of_locked_minutes_offers_reading_only(session16, client, office_user):
    html = _login(client, office_user).get(reverse("office:meeting-detail", args=[session16.pk])).content.decode()
    text = visible_text(html)
    assert "Tagesordnung mit Vortragenden ansehen" in text
    assert reverse("office:meeting-edit", args=[session16.pk]) not in html


# --- the agenda ------------------------------------------------------------------------------------


def test_agenda_lists_number_title_kind_public_flag_and_presenters(session17, client, office_user):
    item = _item(session17, "3")
    lewerenz = Person.objects.get(family_name="Lewerenz")
    AgendaItemPresenter.objects.create(
        agenda_item=item, person=lewerenz, function="Leiter Lausitz-Büro", organization_name="ILB", order=1
    )
    agenda_item_add(actor=office_user, meeting=session17, number="3.1", title="Personalien", public=False)
    html = _login(client, office_user).get(_url("agenda", session17)).content.decode()
    text = visible_text(html)
    assert "5 Tagesordnungspunkte" in text
    assert (
        "2 Bestätigung des Protokolls der 16. Sitzung vom 24.01.2024 und der Tagesordnung "
        "Protokoll der 16. Sitzung der Werkstatt 4 vom 24.01.2024 Bestätigung des Protokolls ja"
    ) in text
    assert "3 Aktueller Sachstand der Projekte der Werkstatt 4 Sachstand der Projekte ja Jan Lewerenz, Leiter" in text
    assert "3.1 Personalien Tagesordnungspunkt nein" in text
    # Real buttons in forms: the first item cannot move up, the last cannot move down.
    assert html.count('value="hoch"') == 4
    assert html.count('value="runter"') == 4
    assert f'id="top-{item.pk}"' in html


def test_adding_a_sub_item_puts_it_after_its_parent_and_says_so(session17, client, office_user):
    response = _login(client, office_user).post(
        _url("agenda", session17),
        {"neu-number": "3.1", "neu-title": "Projektvorstellung Telemedizin", "neu-kind": "project_presentation",
         "neu-public": "on"},
    )  # fmt: skip
    item = _item(session17, "3.1")
    assert response.status_code == 302
    assert response.url == f"{_url('agenda', session17)}#top-{item.pk}"
    assert _numbers(session17) == ["1", "2", "3", "3.1", "4"]
    assert (item.kind, item.public) == (AgendaItemKind.PROJECT_PRESENTATION, True)
    page = client.get(response.url)
    assert _messages(page) == ["TOP 3.1 „Projektvorstellung Telemedizin“ ist hinzugefügt."]
    assert "Erledigt" in visible_text(page.content.decode())


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4..1", MSG_NUMBER),
        ("4.", MSG_NUMBER),
        ("", "Bitte geben Sie die TOP-Nummer an."),
        ("4", "Diese TOP-Nummer gibt es in der Sitzung schon."),
    ],
)
def test_a_bad_number_is_refused_in_german_and_changes_nothing(session17, client, office_user, number, message,
                                                                row_counts):  # fmt: skip
    before = row_counts()
    response = _login(client, office_user).post(
        _url("agenda", session17), {"neu-number": number, "neu-title": "Neu", "neu-kind": "ordinary"}
    )
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Bitte prüfen Sie Ihre Eingaben" in text
    assert message in text
    assert row_counts() == before


def test_an_approval_item_names_an_earlier_session_of_the_workshop(session17, session16, client, office_user):
    _login(client, office_user)
    html = client.get(_url("agenda", session17)).content.decode()
    assert "16. Sitzung der Werkstatt 4 vom 24.01.2024" in html
    assert "15. Sitzung der Werkstatt 4 vom 21.11.2023" in html
    assert f"17. Sitzung der Werkstatt 4 vom {session17.date:%d.%m.%Y}" not in html
    data = {
        "neu-number": "2.1",
        "neu-title": "Bestätigung des Protokolls der 15. Sitzung",
        "neu-kind": "minutes_approval",
    }
    response = client.post(_url("agenda", session17), data)
    assert "Bitte wählen Sie die Sitzung, deren Protokoll hier bestätigt wird." in visible_text(
        response.content.decode()
    )
    session15 = Meeting.objects.get(workshop=session17.workshop, number=15)
    response = client.post(_url("agenda", session17), {**data, "neu-approves_meeting": session15.pk})
    assert response.status_code == 302
    assert _item(session17, "2.1").approves_meeting == session15


def test_a_session_of_another_workshop_cannot_be_approved(session17, client, office_user, row_counts):
    other = Meeting.objects.get(workshop__number=2, number__isnull=True)
    before = row_counts()
    response = _login(client, office_user).post(
        _url("agenda", session17),
        {"neu-number": "2.1", "neu-title": "Fremd", "neu-kind": "minutes_approval", "neu-approves_meeting": other.pk},
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in visible_text(response.content.decode())
    assert row_counts() == before


def test_moving_down_swaps_with_the_next_item_and_keeps_the_focus_on_the_button(session17, client, office_user):
    item = _item(session17, "2")
    response = _login(client, office_user).post(
        reverse("office:agenda-item-move", args=[session17.pk, item.pk]), {"richtung": "runter"}
    )
    assert response.status_code == 302
    assert response.url == f"{_url('agenda', session17)}?fokus={item.pk}-runter"
    assert _numbers(session17) == ["1", "3", "2", "4"]
    page = client.get(response.url)
    assert _messages(page) == [
        "TOP 2 „Bestätigung des Protokolls der 16. Sitzung vom 24.01.2024 und der Tagesordnung“ "
        "ist eine Stelle nach unten verschoben."
    ]
    html = page.content.decode()
    assert html.count("autofocus") == 1
    assert f'action="{reverse("office:agenda-item-move", args=[session17.pk, item.pk])}"' in html


def test_moving_the_first_item_up_changes_nothing_and_says_why(session17, client, office_user, row_counts):
    first = _item(session17, "1")
    before = row_counts()
    response = _login(client, office_user).post(
        reverse("office:agenda-item-move", args=[session17.pk, first.pk]), {"richtung": "hoch"}, follow=True
    )
    assert _messages(response) == ["TOP 1 „Begrüßung“ steht schon an erster Stelle."]
    assert row_counts() == before


def test_an_unknown_direction_is_a_bad_request(session17, client, office_user):
    item = _item(session17, "2")
    url = reverse("office:agenda-item-move", args=[session17.pk, item.pk])
    assert _login(client, office_user).post(url, {"richtung": "seitwärts"}).status_code == 400
    assert client.get(url).status_code == 405


def test_many_moves_keep_a_stable_unique_order(session17, client, office_user):
    for number, title in [("3.1", "A"), ("3.2", "B"), ("3.3", "C"), ("4.1", "D")]:
        agenda_item_add(actor=office_user, meeting=session17, number=number, title=title)
    _login(client, office_user)
    expected = _numbers(session17)
    rng = random.Random(17)  # a fixed walk
    for _ in range(25):
        number = rng.choice(expected)
        direction = rng.choice(["hoch", "runter"])
        index = expected.index(number)
        target = index + (-1 if direction == "hoch" else 1)
        if 0 <= target < len(expected):
            expected[index], expected[target] = expected[target], expected[index]
        item = _item(session17, number)
        client.post(reverse("office:agenda-item-move", args=[session17.pk, item.pk]), {"richtung": direction})
        assert _numbers(session17) == expected
    orders = list(session17.agenda_items.values_list("order", flat=True))
    assert len(orders) == len(set(orders)) == 8
    # The page shows the same order as the database.
    text = visible_text(client.get(_url("agenda", session17)).content.decode())
    positions = [text.index(f" {n} {t}") for n, t in _titles_in_order(session17)]
    assert positions == sorted(positions)


def _titles_in_order(meeting: Meeting) -> list[tuple[str, str]]:
    return list(meeting.agenda_items.order_by("order").values_list("number", "title"))


def test_deleting_asks_first_without_javascript_then_deletes(session17, client, office_user):
    item = _item(session17, "3")
    agenda_item_create(actor=None, meeting=session17, number="3.5", title="Mit Vortrag",
                       presenters=[PresenterInput(group_label="Alle Werkstattmitglieder")])  # fmt: skip
    url = reverse("office:agenda-item-delete", args=[session17.pk, item.pk])
    confirm = _login(client, office_user).get(url)
    text = visible_text(confirm.content.decode())
    assert "TOP 3 löschen?" in text
    assert "Ja, löschen" in text
    assert "Abbrechen" in text
    assert _numbers(session17) == ["1", "2", "3", "4", "3.5"]
    response = client.post(url)
    assert response.url == f"{_url('agenda', session17)}#tagesordnung"
    assert _numbers(session17) == ["1", "2", "4", "3.5"]
    assert _messages(client.get(response.url)) == [
        "TOP 3 „Aktueller Sachstand der Projekte der Werkstatt 4“ ist gelöscht."
    ]
    assert item.history.first().history_type == "-"


# --- one item and its presenters -------------------------------------------------------------------


def test_item_page_is_prefilled_and_saves_through_the_service(session17, client, office_user):
    item = _item(session17, "4")
    url = _url("agenda-item", session17).replace(str(_item(session17, "3").pk), str(item.pk))
    html = _login(client, office_user).get(url).content.decode()
    assert 'value="Sonstiges"' in html
    response = client.post(
        url,
        {"aktion": "speichern", "top-number": "5", "top-title": "Verschiedenes", "top-note": "Termine",
         "top-kind": "ordinary"},
    )  # fmt: skip
    assert response.url == f"{_url('agenda', session17)}#top-{item.pk}"
    item.refresh_from_db()
    assert (item.number, item.title, item.note, item.public) == ("5", "Verschiedenes", "Termine", False)
    assert item.history.first().history_user == office_user
    assert _messages(client.get(response.url)) == ["TOP 5 „Verschiedenes“ ist gespeichert."]


def test_item_edit_with_a_bad_number_changes_nothing(session17, client, office_user, row_counts):
    before = row_counts()
    response = _login(client, office_user).post(
        _url("agenda-item", session17),
        {"aktion": "speichern", "top-number": "4..1", "top-title": "X", "top-kind": "ordinary"},
    )
    assert response.status_code == 200
    assert MSG_NUMBER in visible_text(response.content.decode())
    assert row_counts() == before


def test_a_known_person_is_added_with_function_and_organisation_as_stored(session17, client, office_user):
    lewerenz = Person.objects.get(family_name="Lewerenz")
    url = _url("agenda-item", session17)
    response = _login(client, office_user).post(url, {"aktion": "person", "person-person": lewerenz.pk})
    assert response.url == f"{url}#vortragende"
    presenter = _item(session17, "3").presenters.get()
    assert presenter.display == "Jan Lewerenz, Leiter Lausitz-Büro, Investitionsbank des Landes Brandenburg (ILB)"
    assert presenter.organization == lewerenz.organization
    assert _messages(client.get(response.url)) == [f"„{presenter.display}“ ist als Vortragende/r eingetragen."]


def test_a_known_person_is_added_as_stated_then(session17, client, office_user):
    lewerenz = Person.objects.get(family_name="Lewerenz")
    _login(client, office_user).post(
        _url("agenda-item", session17),
        {"aktion": "person", "person-person": lewerenz.pk, "person-function": "Leiter",
         "person-organization_name": "ILB Lausitz-Büro"},
    )  # fmt: skip
    assert _item(session17, "3").presenters.get().display == "Jan Lewerenz, Leiter, ILB Lausitz-Büro"


def test_a_new_person_is_created_on_the_spot(session17, client, office_user):
    cit = Organization.objects.get(short_name="CIT")
    url = _url("agenda-item", session17)
    response = _login(client, office_user).post(
        url,
        {"aktion": "neu", "neu-title": "Dr.", "neu-given_name": "Anna", "neu-family_name": "Neumann",
         "neu-function": "Referentin Innovation", "neu-organization": cit.pk},
    )  # fmt: skip
    assert response.status_code == 302
    person = Person.objects.get(family_name="Neumann")
    assert (person.function, person.organization) == ("Referentin Innovation", cit)
    presenter = _item(session17, "3").presenters.get()
    assert presenter.person == person
    assert presenter.display == (
        "Dr. Anna Neumann, Referentin Innovation, Centrum für Innovation und Technologie GmbH (CIT)"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"neu-given_name": "Anna", "neu-family_name": "   "},
            "Bitte geben Sie den Nachnamen der vortragenden Person an.",
        ),
        (
            {"neu-given_name": "", "neu-family_name": "Neumann"},
            "Bitte geben Sie den Vornamen der vortragenden Person an.",
        ),
    ],
)
def test_a_new_presenter_without_a_name_is_refused(session17, client, office_user, data, message, row_counts):
    before = row_counts()
    response = _login(client, office_user).post(_url("agenda-item", session17), {"aktion": "neu", **data})
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Bitte prüfen Sie Ihre Eingaben" in text
    assert message in text
    assert row_counts() == before


def test_a_group_is_added_and_an_empty_group_is_refused(session17, client, office_user, row_counts):
    url = _url("agenda-item", session17)
    _login(client, office_user)
    before = row_counts()
    response = client.post(url, {"aktion": "gruppe", "gruppe-group_label": "  "})
    assert "Bitte geben Sie die Gruppe an, z. B. „Alle Werkstattmitglieder“." in visible_text(response.content.decode())
    assert row_counts() == before
    client.post(url, {"aktion": "gruppe", "gruppe-group_label": "Alle Werkstattmitglieder"})
    assert _item(session17, "3").presenters.get().display == "Alle Werkstattmitglieder"


def test_a_presenter_is_removed(session17, client, office_user):
    item = _item(session17, "3")
    presenter = AgendaItemPresenter.objects.create(agenda_item=item, group_label="Alle Werkstattmitglieder")
    html = _login(client, office_user).get(_url("agenda-item", session17)).content.decode()
    remove = reverse("office:presenter-remove", args=[session17.pk, item.pk, presenter.pk])
    assert remove in html
    response = client.post(remove)
    assert not item.presenters.exists()
    assert _messages(client.get(response.url)) == [
        "„Alle Werkstattmitglieder“ ist nicht mehr als Vortragende/r eingetragen."
    ]


def test_an_unknown_action_is_a_bad_request(session17, client, office_user):
    assert _login(client, office_user).post(_url("agenda-item", session17), {"aktion": "x"}).status_code == 400


# --- approved minutes: read, never change --------------------------------------------------------------


def test_agenda_of_approved_minutes_is_shown_read_only(session16, client, office_user):
    html = _login(client, office_user).get(_url("agenda", session16)).content.decode()
    text = visible_text(html)
    assert MSG_LOCKED in text
    assert "Jan Lewerenz" in text
    assert "nach unten" not in html
    assert "Tagesordnungspunkt hinzufügen" not in text


def test_every_change_to_approved_minutes_is_refused_in_german(session16, client, office_user, row_counts):
    _login(client, office_user)
    item = session16.agenda_items.order_by("order")[1]
    presenter = session16.agenda_items.filter(presenters__isnull=False).first().presenters.first()
    item_url = reverse("office:agenda-item", args=[session16.pk, item.pk])
    before = row_counts()
    posts = [
        (reverse("office:agenda-item-move", args=[session16.pk, item.pk]), {"richtung": "runter"}),
        (reverse("office:agenda-item-delete", args=[session16.pk, item.pk]), {}),
        (_url("agenda", session16), {"neu-number": "9", "neu-title": "Nachtrag", "neu-kind": "ordinary"}),
        (item_url, {"aktion": "speichern", "top-number": "2", "top-title": "Geändert", "top-kind": "ordinary"}),
        (item_url, {"aktion": "neu", "neu-given_name": "Anna", "neu-family_name": "Neumann"}),
        (reverse("office:presenter-remove", args=[session16.pk, presenter.agenda_item_id, presenter.pk]), {}),
        (_url("meeting-edit", session16), {"date": "2024-01-25", "start_time": "10:00"}),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
        assert _messages(response) == [MSG_LOCKED], url
    assert row_counts() == before
    # Opening an edit page of a locked session leads back with the reason, too.
    response = client.get(item_url, follow=True)
    assert response.redirect_chain[-1][0] == f"{_url('agenda', session16)}#top-{item.pk}"
    assert _messages(response) == [MSG_LOCKED]


# --- editing the session ---------------------------------------------------------------------------


def test_meeting_edit_is_prefilled_and_saves_a_new_address(session17, client, office_user):
    url = _url("meeting-edit", session17)
    html = _login(client, office_user).get(url).content.decode()
    assert f'value="{session17.date.isoformat()}"' in html
    assert 'value="Werkstattsprecher"' in html
    assert 'name="number"' not in html
    amende = session17.minute_taker
    response = client.post(
        url,
        {"date": _future(35).isoformat(), "start_time": "10:00", "end_time": "12:30", "description": "Kulturhaus",
         "street_address": "Markt 1", "postal_code": "03130", "locality": "Spremberg",
         "chair": session17.chair_id, "chair_function": "Werkstattsprecher", "minute_taker": amende.pk,
         "minute_taker_function": "Projektmanager"},
    )  # fmt: skip
    assert response.url == reverse("office:meeting-detail", args=[session17.pk])
    session17.refresh_from_db()
    assert (session17.date, session17.start_time, session17.end_time) == (_future(35), dt.time(10), dt.time(12, 30))
    assert session17.location.address_line == "Kulturhaus, Markt 1, 03130 Spremberg"
    assert session17.minute_taker_function == "Projektmanager"
    assert _messages(client.get(response.url)) == ["Die Planung ist gespeichert."]


def test_meeting_edit_keeps_a_known_location(session17, client, office_user):
    location = session17.location
    _login(client, office_user).post(
        _url("meeting-edit", session17),
        {"date": session17.date.isoformat(), "start_time": "14:00", "location": location.pk},
    )
    session17.refresh_from_db()
    assert session17.location == location
    assert session17.end_time is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start_time": "16:00", "end_time": "14:00"}, "Das Ende der Sitzung muss nach ihrem Beginn liegen."),
        ({"start_time": "", "end_time": "14:00"}, "Ohne Beginn kann kein Ende angegeben werden."),
        ({"location": "KNOWN", "locality": "Cottbus"}, "Bitte wählen Sie entweder einen bekannten Ort"),
        ({"date": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_meeting_edit_refuses_bad_input_in_german(session17, client, office_user, data, message, row_counts):
    data = {"date": session17.date.isoformat(), "start_time": "14:00", **data}
    if data.get("location") == "KNOWN":
        data["location"] = session17.location_id
    before = row_counts()
    response = _login(client, office_user).post(_url("meeting-edit", session17), data)
    assert response.status_code == 200
    assert message in visible_text(response.content.decode())
    assert row_counts() == before


def test_changing_the_date_of_an_invited_session_updates_the_invitation(session17, client, office_user):
    session17 = meeting_invite(actor=office_user, meeting=session17)
    response = _login(client, office_user).post(
        _url("meeting-edit", session17),
        {"date": _future(31).isoformat(), "start_time": "14:00", "location": session17.location_id},
        follow=True,
    )
    assert _messages(response) == [
        "Die Planung ist gespeichert. Die geänderte Einladung wird an die Mitglieder versandt."
    ]
    session17.refresh_from_db()
    assert session17.ics_sequence == 1


# --- attendance ----------------------------------------------------------------------------------------


def test_attendance_offers_members_presenters_and_member_organisations(session17, client, office_user, w4):
    meeting_invite(actor=office_user, meeting=session17)
    AgendaItemPresenter.objects.create(
        agenda_item=_item(session17, "3"), person=Person.objects.get(family_name="Lewerenz"), order=1
    )
    response = _login(client, office_user).get(_url("attendance", session17))
    html = response.content.decode()
    text = visible_text(html)
    for name in ("Sven Guntermann", "Sven Sprecher", "Tobias Amende", "Jan Lewerenz"):
        assert name in text
    assert "Heiko Jahn" not in text  # no member, no role in this session
    assert "Ministerium für Infrastruktur und Landesplanung (MIL)" in text
    offered = set(response.context["form"].fields["organizations"].queryset)
    assert Organization.objects.get(short_name="ILB") not in offered  # presents, but is no member of Werkstatt 4
    assert offered == {link.organization for link in w4.member_links.all()}
    assert html.count('type="checkbox"') == 4 + w4.member_links.count()
    assert "Anwesenheit speichern" in text


def test_attendance_is_saved_and_counted_on_the_overview(session17, client, office_user):
    meeting_invite(actor=office_user, meeting=session17)
    persons = Person.objects.filter(family_name__in=["Guntermann", "Amende"])
    orgs = Organization.objects.filter(short_name__in=["MIL", "LAG Elbe-Elster", "CIT"])
    assert orgs.count() == 3
    response = _login(client, office_user).post(
        _url("attendance", session17),
        {"persons": [p.pk for p in persons], "organizations": [o.pk for o in orgs]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("office:meeting-detail", args=[session17.pk]) + "#planung"
    assert _messages(response) == ["Die Anwesenheit ist gespeichert: 2 Personen, 3 Organisationen."]
    assert "Anwesend: 2 Personen, 3 Organisationen" in visible_text(response.content.decode())
    assert set(session17.attendees.all()) == set(persons)
    assert session17.history.first().history_change_reason == "Anwesenheit erfasst"
    # The boxes come back ticked.
    html = client.get(_url("attendance", session17)).content.decode()
    assert html.count("checked") == 5


def test_attendance_of_a_planned_session_is_refused_in_german(session17, client, office_user, row_counts):
    guntermann = Person.objects.get(family_name="Guntermann")
    _login(client, office_user)
    text = visible_text(client.get(_url("attendance", session17)).content.decode())
    assert "Die Anwesenheit wird ab der Einladung zur Sitzung erfasst." in text
    before = row_counts()
    response = client.post(_url("attendance", session17), {"persons": [guntermann.pk]})
    assert "Anwesenheit wird erst für eine eingeladene Sitzung erfasst." in visible_text(response.content.decode())
    assert row_counts() == before


def test_the_minute_taker_records_attendance_but_the_bank_only_reads_it(session17, client, bank_user, row_counts):
    session17 = meeting_invite(actor=None, meeting=session17)
    taker_login = UserFactory(username="amende")
    Person.objects.filter(pk=session17.minute_taker_id).update(user=taker_login)
    # A guest of the workshop: reaches the back office without reading its internal material.
    MembershipFactory(person=session17.minute_taker, workshop=session17.workshop, role=MembershipRole.GUEST)
    guntermann = Person.objects.get(family_name="Guntermann")
    html = _login(client, bank_user).get(_url("attendance", session17)).content.decode()
    assert "disabled" in html
    assert "Anwesenheit speichern" not in html
    before = row_counts()
    assert client.post(_url("attendance", session17), {"persons": [guntermann.pk]}).status_code == 403
    assert row_counts() == before
    taker = Client()
    taker.force_login(taker_login)
    response = taker.post(_url("attendance", session17), {"persons": [guntermann.pk]})
    assert response.status_code == 302
    assert list(session17.attendees.all()) == [guntermann]


# --- query counts ---------------------------------------------------------------------------------------


def _session_with(workshop: Workshop, number: int, items: int) -> Meeting:
    """A session with ``items`` items, each with a person and a group presenting; some approve earlier minutes."""
    meeting = meeting_create(
        actor=None, workshop=workshop, number=number, date=_future(60 + number), start_time=dt.time(14)
    )
    org = Organization.objects.get(short_name="LAG Elbe-Elster")
    earlier = Meeting.objects.get(workshop=workshop, number=16)
    for n in range(1, items + 1):
        person = PersonFactory(body=workshop.body, organization=org)
        approval = n % 3 == 0
        agenda_item_create(
            actor=None,
            meeting=meeting,
            number=str(n),
            title=f"Punkt {n}",
            kind=AgendaItemKind.MINUTES_APPROVAL if approval else AgendaItemKind.PROJECT_PRESENTATION,
            approves_meeting=earlier if approval else None,
            public=n % 2 == 0,
            presenters=[
                PresenterInput(person=person, function="Referent/in", organization=org, organization_name="LAG"),
                PresenterInput(group_label="Alle Werkstattmitglieder"),
            ],
        )
    return meeting_invite(actor=None, meeting=meeting)


def _grow_workshop(workshop: Workshop, meeting: Meeting) -> None:
    """More members, member organisations, persons and recorded attendance than before."""
    persons = []
    for n in range(10):
        org = organization_create(actor=None, body=workshop.body, name=f"Zusatzorganisation {n}", short_name=f"Z{n}")
        workshop_add_member(actor=None, workshop=workshop, organization=org)
        person = PersonFactory(body=workshop.body, organization=org)
        membership_create(actor=None, person=person, workshop=workshop, role=MembershipRole.DELEGATE, on_behalf_of=org)
        persons.append(person)
    meeting_set_attendance(
        actor=None, meeting=meeting, persons=persons, organizations=[p.organization for p in persons]
    )


def _planning_urls(meeting: Meeting) -> dict[str, str]:
    first = meeting.agenda_items.order_by("order").first()
    assert first is not None
    return {
        "meeting-detail": reverse("office:meeting-detail", args=[meeting.pk]),
        "meeting-edit": reverse("office:meeting-edit", args=[meeting.pk]),
        "agenda": reverse("office:agenda", args=[meeting.pk]),
        "agenda-item": reverse("office:agenda-item", args=[meeting.pk, first.pk]),
        "agenda-item-delete": reverse("office:agenda-item-delete", args=[meeting.pk, first.pk]),
        "attendance": reverse("office:attendance", args=[meeting.pk]),
    }


# Measured: office 6 (delete confirmation) to 10 (item page, attendance); a speaker one more (their roles).
QUERY_BUDGET = 12


@pytest.mark.parametrize("persona", ["office_user", "speaker_w4"])
def test_planning_pages_cost_the_same_queries_for_2_or_12_items(w4, client, persona, request):
    _login(client, request.getfixturevalue(persona))
    small = _session_with(w4, 30, items=2)
    before = {name: count_queries(client, url) for name, url in _planning_urls(small).items()}
    big = _session_with(w4, 31, items=12)
    _grow_workshop(w4, big)
    after = {name: count_queries(client, url) for name, url in _planning_urls(big).items()}
    assert after == before
    assert max(before.values()) <= QUERY_BUDGET, before


# --- in a real browser ----------------------------------------------------------------------------------


def _log_in(page: Page, base_url: str, username: str) -> None:
    """Through the real German login page, as a person would."""
    page.goto(base_url + reverse("login"))
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Arbeitsbereich")


def _invited(meeting: Meeting) -> Meeting:
    # The state alone: the invitation mail belongs to another test.
    return meeting_transition(actor=None, meeting=meeting, target=MeetingState.INVITED)


@pytest.mark.parametrize("state", ["planned", "invited"])
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_planning_pages_have_no_accessibility_violations(session17, office_user, live_server, page: Page, axe, state):
    if state == "invited":
        session17 = _invited(session17)
    _log_in(page, live_server.url, office_user.username)
    for url in _planning_urls(session17).values():
        page.goto(live_server.url + url)
        expect(page.locator("h1")).to_have_count(1)
        axe(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_planning_pages_with_messages_errors_and_read_only_have_no_violations(
    session17, session16, office_user, live_server, page: Page, axe
):
    _log_in(page, live_server.url, office_user.username)
    base = live_server.url
    # A refusal with the error summary on the item page.
    page.goto(base + _url("agenda-item", session17))
    page.get_by_label("Vorname").fill("Anna")
    page.get_by_role("button", name="Person anlegen und eintragen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie den Nachnamen der vortragenden Person an.")
    axe(page)
    # A success message after adding a group.
    page.get_by_label("Gruppe", exact=True).fill("Alle Werkstattmitglieder")
    page.get_by_role("button", name="Gruppe eintragen").click()
    expect(page.get_by_role("status")).to_contain_text("„Alle Werkstattmitglieder“ ist als Vortragende/r eingetragen.")
    axe(page)
    # Bad input on the planning form.
    page.goto(base + _url("meeting-edit", session17))
    page.get_by_label("Beginn").fill("16:00")
    page.get_by_label("Ende").fill("14:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_contain_text("Das Ende der Sitzung muss nach ihrem Beginn liegen.")
    axe(page)
    # Approved minutes: read only.
    page.goto(base + _url("agenda", session16))
    expect(page.get_by_role("note")).to_contain_text("Das Protokoll dieser Sitzung ist bestätigt")
    axe(page)
    page.goto(base + _url("attendance", session16))
    axe(page)


def _tab_to_move_button(page: Page, row_id: str, direction: str, limit: int = 120) -> None:
    """Press Tab until the move button ``direction`` in the row ``row_id`` has the focus."""
    script = "([row, dir]) => { const el = document.activeElement;"
    script += " return !!el && el.value === dir && !!el.closest('tr') && el.closest('tr').id === row; }"
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(script, [row_id, direction]):
            return
    raise AssertionError(f"Button „{direction}“ in {row_id} not reachable by keyboard within {limit} Tab presses")


def _row_numbers(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("tbody th[scope=row]").all_inner_texts()]


def _focus(page: Page) -> list[str]:
    return page.evaluate("() => [document.activeElement.closest('tr')?.id, document.activeElement.value]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agenda_item_is_moved_down_by_keyboard_alone(session17, office_user, live_server, page: Page):
    item = _item(session17, "2")
    row = f"top-{item.pk}"
    _log_in(page, live_server.url, office_user.username)
    page.goto(live_server.url + _url("agenda", session17))
    assert _row_numbers(page) == ["1", "2", "3", "4"]
    _tab_to_move_button(page, row, "runter")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("TOP 2 „Bestätigung des Protokolls")
    expect(page.get_by_role("status")).to_contain_text("ist eine Stelle nach unten verschoben.")
    assert _row_numbers(page) == ["1", "3", "2", "4"]
    # The focus stays on the button just used: Enter again moves the item further.
    assert _focus(page) == [row, "runter"]
    page.keyboard.press("Enter")
    expect(page.locator("tbody th[scope=row]").last).to_have_text("2")
    assert _row_numbers(page) == ["1", "3", "4", "2"]
    # At the bottom there is no "nach unten" any more: the focus is on "nach oben" of the same item.
    assert _focus(page) == [row, "hoch"]
    assert _numbers(session17) == ["1", "3", "4", "2"]

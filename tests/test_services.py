"""The services create what they should, normalise text on the way in and leave a history row with the actor."""

import datetime as dt
import unicodedata

import pytest

from tests.factories import OrganizationFactory, PersonFactory
from werkstatt.documents.services import file_create
from werkstatt.meetings.models import AgendaItem, AgendaItemKind
from werkstatt.meetings.services import (
    PresenterInput,
    agenda_item_create,
    agenda_item_set_result,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.services import news_item_create
from werkstatt.organizations.models import FocusArea, MembershipRole, WorkshopMember
from werkstatt.organizations.services import (
    membership_create,
    organization_create,
    person_create,
    workshop_add_member,
    workshop_create,
    workshop_update,
)

pytestmark = pytest.mark.django_db

COTTBUS = "Stadtverwaltung Cottbus/Chóśebuz"


def decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def latest_history(obj):
    return obj.history.first()


# --- organisations, workshops, persons -----------------------------------------------------------------


def test_organization_create_stores_nfc_and_records_the_actor(office_user, body):
    name = decomposed(COTTBUS)
    assert name != COTTBUS

    organization = organization_create(actor=office_user, body=body, name=name, short_name="  ", kind="municipality")

    organization.refresh_from_db()
    assert organization.name == COTTBUS
    assert unicodedata.is_normalized("NFC", organization.name)
    assert organization.short_name == ""
    assert latest_history(organization).history_type == "+"
    assert latest_history(organization).history_user == office_user


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Stadtverwaltung Cottbus/Chósebus", COTTBUS),
        ("Stadtverwaltung Cottbus/Chosebuz", COTTBUS),
        ("Stadtverwaltung   Cottbus/Chóśebuz ", COTTBUS),
    ],
)
def test_organization_create_corrects_known_variants_of_cottbus(office_user, body, written, stored):
    organization = organization_create(actor=office_user, body=body, name=written)

    organization.refresh_from_db()
    assert organization.name == stored


def test_workshop_create_stores_focus_areas_in_the_given_order_with_history(office_user, body):
    areas = ["Verbesserung der Lebensbedingungen", "IUC-Modellregion Gesundheit", "Wärmeversorgung (Modellprojekte)"]

    workshop = workshop_create(
        actor=office_user,
        body=body,
        number=4,
        title="Daseinsvorsorge,  ländliche Entwicklung",
        mission=decomposed("Für die Menschen in Cottbus/Chóśebuz."),
        focus_areas=areas,
        next_session_date=dt.date(2025, 5, 20),
    )

    workshop.refresh_from_db()
    assert workshop.number == 4
    assert workshop.title == "Daseinsvorsorge, ländliche Entwicklung"
    assert workshop.mission == "Für die Menschen in Cottbus/Chóśebuz."
    assert workshop.next_session_date == dt.date(2025, 5, 20)
    assert [(a.order, a.title) for a in workshop.focus_areas.all()] == list(enumerate(areas, start=1))
    assert latest_history(workshop).history_user == office_user
    for area in FocusArea.objects.filter(workshop=workshop):
        assert latest_history(area).history_user == office_user


def test_workshop_update_records_actor_and_reason(office_user, speaker_w4, body):
    workshop = workshop_create(actor=office_user, body=body, number=7, title="Alt")

    workshop_update(actor=speaker_w4, workshop=workshop, title="Neu", next_session_date=dt.date(2025, 9, 1))

    workshop.refresh_from_db()
    assert workshop.title == "Neu"
    assert workshop.next_session_date == dt.date(2025, 9, 1)
    record = latest_history(workshop)
    assert record.history_type == "~"
    assert record.history_user == speaker_w4
    assert record.history_change_reason == "Werkstatt geändert"
    assert workshop.history.count() == 2


def test_workshop_update_can_clear_the_next_session_date(office_user, body):
    workshop = workshop_create(actor=office_user, body=body, number=7, title="W", next_session_date=dt.date(2025, 1, 1))

    workshop_update(actor=office_user, workshop=workshop, clear_next_session_date=True)

    workshop.refresh_from_db()
    assert workshop.next_session_date is None


def test_history_row_names_the_actor_of_each_change_not_an_earlier_one(office_user, body):
    """A change without a logged-in actor (e.g. a command) must not be credited to the previous actor."""
    workshop = workshop_create(actor=office_user, body=body, number=7, title="Alt")

    workshop_update(actor=None, workshop=workshop, title="Neu")

    assert workshop.history.count() == 2
    assert latest_history(workshop).history_user is None


def test_workshop_add_member_appends_members_in_order(office_user, workshop4):
    organizations = [OrganizationFactory(body=workshop4.body) for _ in range(3)]

    links = [workshop_add_member(actor=office_user, workshop=workshop4, organization=o) for o in organizations]

    assert [link.order for link in links] == [1, 2, 3]
    assert [link.organization for link in workshop4.member_links.all()] == organizations
    assert list(workshop4.members.order_by("workshop_links__order")) == organizations
    for link in links:
        assert latest_history(link).history_user == office_user


def test_workshop_add_member_continues_after_the_highest_order(office_user, workshop4):
    first = workshop_add_member(actor=office_user, workshop=workshop4, organization=OrganizationFactory())
    WorkshopMember.objects.filter(pk=first.pk).update(order=10)

    later = workshop_add_member(actor=office_user, workshop=workshop4, organization=OrganizationFactory())

    assert later.order == 11


def test_workshop_add_member_numbers_each_workshop_on_its_own(office_user, workshop4, workshop2):
    workshop_add_member(actor=office_user, workshop=workshop4, organization=OrganizationFactory())
    workshop_add_member(actor=office_user, workshop=workshop4, organization=OrganizationFactory())

    link = workshop_add_member(actor=office_user, workshop=workshop2, organization=OrganizationFactory())

    assert link.order == 1


def test_person_create_corrects_the_speaker_typo_and_links_the_organisation(office_user, body):
    organization = OrganizationFactory(body=body)

    person = person_create(
        actor=office_user,
        body=body,
        given_name=" Sven ",
        family_name="Guntermann",
        qualification="Diplom-Ingenieur",
        function="Werkstattprecher",
        organization=organization,
    )

    person.refresh_from_db()
    assert person.given_name == "Sven"
    assert person.function == "Werkstattsprecher"
    assert person.organization == organization
    assert latest_history(person).history_user == office_user


def test_person_create_corrects_the_female_form_of_the_speaker_typo(office_user, body):
    person = person_create(
        actor=office_user, body=body, given_name="Erika", family_name="Muster", function="Werkstattprecherin"
    )

    assert person.function == "Werkstattsprecherin"


def test_membership_create_stores_role_organisation_and_normalised_statement(office_user, workshop4):
    person = PersonFactory(body=workshop4.body)
    organization = OrganizationFactory(body=workshop4.body)

    membership = membership_create(
        actor=office_user,
        person=person,
        workshop=workshop4,
        role=MembershipRole.SPEAKER,
        on_behalf_of=organization,
        statement=decomposed("„Ohne die Menschen in Cottbus/Chósebus gelingt es nicht.“ "),
    )

    membership.refresh_from_db()
    assert membership.role == MembershipRole.SPEAKER
    assert membership.on_behalf_of == organization
    assert membership.statement == "„Ohne die Menschen in Cottbus/Chóśebuz gelingt es nicht.“"
    assert latest_history(membership).history_user == office_user


# --- meetings ----------------------------------------------------------------------------------------


def test_meeting_create_stores_the_session_with_attachments_and_history(office_user, workshop4):
    chair = PersonFactory(body=workshop4.body)
    attachments = [file_create(actor=office_user, name="Liste der Teilnehmenden")]

    meeting = meeting_create(
        actor=office_user,
        workshop=workshop4,
        number=16,
        date=dt.date(2024, 1, 24),
        start_time=dt.time(14, 10),
        end_time=dt.time(16, 30),
        chair=chair,
        chair_function="Werkstattprecher",
        minute_taker_function="Projektmanager,  Wirtschaftsregion Lausitz",
        files=attachments,
    )

    meeting.refresh_from_db()
    assert meeting.title == "16. Sitzung der Werkstatt 4"
    assert meeting.state == MeetingState.PLANNED
    assert meeting.minutes_state == MinutesState.DRAFT
    assert meeting.chair == chair
    assert meeting.chair_function == "Werkstattsprecher"
    assert meeting.minute_taker_function == "Projektmanager, Wirtschaftsregion Lausitz"
    assert list(meeting.files.all()) == attachments
    assert latest_history(meeting).history_user == office_user


def test_meeting_create_without_number_is_titled_by_its_date(office_user, workshop2):
    meeting = meeting_create(actor=office_user, workshop=workshop2, date=dt.date(2024, 1, 16))

    assert meeting.number is None
    assert meeting.title == "Sitzung der Werkstatt 2 vom 16.01.2024"


def test_meeting_transition_follows_planned_invited_held_and_records_each_step(office_user, speaker_w4, workshop4):
    meeting = meeting_create(actor=office_user, workshop=workshop4, number=1, date=dt.date(2024, 1, 24))

    meeting = meeting_transition(actor=office_user, meeting=meeting, target=MeetingState.INVITED)
    meeting = meeting_transition(actor=speaker_w4, meeting=meeting, target=MeetingState.HELD)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    records = list(meeting.history.order_by("history_date", "history_id"))
    assert [r.state for r in records] == ["planned", "invited", "held"]
    assert [r.history_user for r in records] == [office_user, office_user, speaker_w4]
    assert [r.history_change_reason for r in records[1:]] == ["Status: eingeladen", "Status: durchgeführt"]


def test_meeting_can_be_cancelled_after_the_invitation(office_user, workshop4):
    meeting = meeting_create(actor=office_user, workshop=workshop4, number=1, date=dt.date(2024, 1, 24))
    meeting = meeting_transition(actor=office_user, meeting=meeting, target=MeetingState.INVITED)

    meeting = meeting_transition(actor=office_user, meeting=meeting, target=MeetingState.CANCELLED)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert latest_history(meeting).history_change_reason == "Status: abgesagt"


def test_meeting_minutes_transition_runs_draft_to_published_with_history(office_user, speaker_w4, workshop4):
    meeting = meeting_create(actor=office_user, workshop=workshop4, number=1, date=dt.date(2024, 1, 24))
    meeting = meeting_transition(actor=office_user, meeting=meeting, target=MeetingState.HELD)

    meeting = meeting_minutes_transition(actor=office_user, meeting=meeting, target=MinutesState.CIRCULATED)
    meeting = meeting_minutes_transition(actor=speaker_w4, meeting=meeting, target=MinutesState.APPROVED)
    meeting = meeting_minutes_transition(actor=office_user, meeting=meeting, target=MinutesState.PUBLISHED)

    meeting.refresh_from_db()
    assert meeting.minutes_state == MinutesState.PUBLISHED
    assert meeting.minutes_are_public
    records = list(meeting.history.order_by("history_date", "history_id"))[-3:]
    assert [r.minutes_state for r in records] == ["circulated", "approved", "published"]
    assert [r.history_user for r in records] == [office_user, speaker_w4, office_user]
    assert [r.history_change_reason for r in records] == [
        "Protokoll: an Mitglieder versandt",
        "Protokoll: bestätigt",
        "Protokoll: veröffentlicht",
    ]


def test_circulated_minutes_can_go_back_to_draft(office_user, workshop4):
    meeting = meeting_create(actor=office_user, workshop=workshop4, number=1, date=dt.date(2024, 1, 24))
    meeting = meeting_transition(actor=office_user, meeting=meeting, target=MeetingState.HELD)
    meeting = meeting_minutes_transition(actor=office_user, meeting=meeting, target=MinutesState.CIRCULATED)

    meeting = meeting_minutes_transition(actor=office_user, meeting=meeting, target=MinutesState.DRAFT)

    meeting.refresh_from_db()
    assert meeting.minutes_state == MinutesState.DRAFT


# --- agenda items --------------------------------------------------------------------------------------


@pytest.fixture
def meeting(office_user, workshop4):
    return meeting_create(actor=office_user, workshop=workshop4, number=16, date=dt.date(2024, 1, 24))


def test_agenda_item_order_increments_automatically(office_user, meeting):
    items = [
        agenda_item_create(actor=office_user, meeting=meeting, number=number, title=f"Punkt {number}")
        for number in ("1", "2", "2.1", "3")
    ]

    assert [item.order for item in items] == [1, 2, 3, 4]
    assert list(meeting.agenda_items.values_list("number", flat=True)) == ["1", "2", "2.1", "3"]


def test_agenda_item_explicit_order_is_kept_and_the_next_one_follows_it(office_user, meeting):
    agenda_item_create(actor=office_user, meeting=meeting, number="1", title="Begrüßung")
    placed = agenda_item_create(actor=office_user, meeting=meeting, number="8", title="Sonstiges", order=10)

    following = agenda_item_create(actor=office_user, meeting=meeting, number="9", title="Nachtrag")

    assert placed.order == 10
    assert following.order == 11


def test_agenda_order_is_counted_per_meeting(office_user, meeting, workshop4):
    agenda_item_create(actor=office_user, meeting=meeting, number="1", title="Begrüßung")
    other = meeting_create(actor=office_user, workshop=workshop4, number=17, date=dt.date(2024, 5, 20))

    item = agenda_item_create(actor=office_user, meeting=other, number="1", title="Begrüßung")

    assert item.order == 1


def test_agenda_item_presenters_are_stored_in_the_given_order(office_user, meeting):
    speaker = PersonFactory(body=meeting.workshop.body, given_name="Sven", family_name="Guntermann")
    guest = PersonFactory(body=meeting.workshop.body, given_name="Ingolf", family_name="Zellmann")
    cottbus = OrganizationFactory(body=meeting.workshop.body, name=COTTBUS)

    item = agenda_item_create(
        actor=office_user,
        meeting=meeting,
        number="6",
        title="Vorstellung Investitionsprojekt",
        kind=AgendaItemKind.PROJECT_PRESENTATION,
        presenters=[
            PresenterInput(person=guest, function="Servicebereichsleiter", organization=cottbus,
                           organization_name="Stadtverwaltung Cottbus/Chósebus"),
            PresenterInput(person=speaker, function="Werkstattprecher"),
            PresenterInput(group_label="Alle  Werkstattmitglieder"),
        ],
    )  # fmt: skip

    presenters = list(item.presenters.all())
    assert [p.order for p in presenters] == [1, 2, 3]
    assert [p.display for p in presenters] == [
        f"Ingolf Zellmann, Servicebereichsleiter, {COTTBUS}",
        "Sven Guntermann, Werkstattsprecher",
        "Alle Werkstattmitglieder",
    ]
    assert presenters[0].organization == cottbus
    for presenter in presenters:
        assert latest_history(presenter).history_user == office_user


def test_agenda_item_create_normalises_title_and_turns_bullets_into_a_list(office_user, meeting):
    item = agenda_item_create(
        actor=office_user,
        meeting=meeting,
        number=" 8 ",
        title=decomposed("Sonstiges  in Cottbus/Chóśebuz"),
        result='<ul style="list-style-type: none"> • Herr Guntermann (Werkstattprecher) gibt einen Ausblick. • Ende',
    )

    item.refresh_from_db()
    assert item.number == "8"
    assert item.title == "Sonstiges in Cottbus/Chóśebuz"
    assert item.result == "<ul><li>Herr Guntermann (Werkstattsprecher) gibt einen Ausblick.</li><li>Ende</li></ul>"
    assert latest_history(item).history_user == office_user


def test_minutes_approval_item_points_at_the_meeting_it_approves(office_user, meeting, workshop4):
    previous = meeting_create(actor=office_user, workshop=workshop4, number=15, date=dt.date(2023, 11, 21))

    item = agenda_item_create(
        actor=office_user,
        meeting=meeting,
        number="2",
        title="Bestätigung des Protokolls der 15. Sitzung",
        kind=AgendaItemKind.MINUTES_APPROVAL,
        approves_meeting=previous,
    )

    item.refresh_from_db()
    assert item.kind == AgendaItemKind.MINUTES_APPROVAL
    assert item.approves_meeting == previous
    assert list(previous.approved_by_items.all()) == [item]


def test_agenda_item_set_result_sanitises_and_records_actor_and_reason(office_user, speaker_w4, meeting):
    item = agenda_item_create(actor=office_user, meeting=meeting, number="3", title="Schwerpunkte")

    agenda_item_set_result(
        actor=speaker_w4, item=item, result='<p onclick="steal()">Insgesamt 72 Projekte</p><script>x()</script>'
    )

    item = AgendaItem.objects.get(pk=item.pk)
    assert item.result == "<p>Insgesamt 72 Projekte</p>"
    record = latest_history(item)
    assert record.history_user == speaker_w4
    assert record.history_change_reason == "Ergebnis geändert"
    assert record.result == "<p>Insgesamt 72 Projekte</p>"


def test_service_without_logged_in_actor_records_no_user(anonymous, body):
    organization = organization_create(actor=anonymous, body=body, name="Lausitzrunde")

    assert latest_history(organization).history_user is None


# --- news ----------------------------------------------------------------------------------------------


def test_news_item_create_sanitises_text_and_links_workshops(office_user, body, workshop4):
    item = news_item_create(
        actor=office_user,
        body=body,
        title=decomposed("Özdemir:  Leuchtturm der Forschung für die Lausitz"),
        date=dt.date(2025, 3, 6),
        teaser="BMBF fördert  Forschung in Cottbus/Chósebus",
        text='<p style="color:red" onmouseover="x()">Forschung</p><script>alert(1)</script>'
        '<a href="javascript:alert(2)">Link</a><ul> • eins • zwei</ul>',
        workshops=[workshop4],
        published=True,
    )

    item.refresh_from_db()
    assert item.title == "Özdemir: Leuchtturm der Forschung für die Lausitz"
    assert unicodedata.is_normalized("NFC", item.title)
    assert item.teaser == "BMBF fördert Forschung in Cottbus/Chóśebuz"
    assert item.text == '<p>Forschung</p><a rel="noopener noreferrer">Link</a><ul><li>eins</li><li>zwei</li></ul>'
    assert list(item.workshops.all()) == [workshop4]
    assert item.published
    assert latest_history(item).history_user == office_user


def test_news_item_create_keeps_safe_links(office_user, body):
    item = news_item_create(
        actor=office_user,
        body=body,
        title="Kulturplan Lausitz",
        date=dt.date(2025, 3, 17),
        text='<p><a href="https://www.example.org/kultur" title="Quelle">Mehr</a></p>',
    )

    assert item.text == (
        '<p><a href="https://www.example.org/kultur" title="Quelle" rel="noopener noreferrer">Mehr</a></p>'
    )
    assert not item.published


def test_a_long_change_reason_is_shortened_to_what_the_history_column_holds(office_user):
    from werkstatt.core.services import REASON_MAX_LENGTH, save_validated

    organization = OrganizationFactory()
    organization.name = "Neuer Name"
    save_validated(organization, actor=office_user, reason="Begründung " * 20)
    reason = organization.history.latest().history_change_reason
    assert len(reason) == REASON_MAX_LENGTH
    assert reason.startswith("Begründung Begründung") and reason.endswith("…")

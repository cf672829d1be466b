"""The demo loader: both seed documents become records, and loading again changes nothing."""

import datetime as dt

import pytest

from werkstatt.core.richtext import html_to_lines
from werkstatt.demo import data
from werkstatt.demo.loader import demo_load
from werkstatt.meetings.models import AgendaItemKind, Meeting
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.models import NewsItem
from werkstatt.organizations.models import MembershipRole, Organization, Person, Workshop

pytestmark = pytest.mark.django_db

COTTBUS = "Stadtverwaltung Cottbus/Chóśebuz"


@pytest.fixture
def w4(demo):
    return Workshop.objects.get(number=4)


@pytest.fixture
def session16(w4):
    return Meeting.objects.get(workshop=w4, number=16)


def items_of(meeting):
    return list(meeting.agenda_items.order_by("order"))


def test_first_load_reports_what_it_created(demo):
    assert demo.created == {
        "Organisationen": len(data.ORGANIZATIONS),
        "Förderperioden": 3,
        "Werkstätten": 5,
        "Mitgliedsorganisationen": 26,
        "Personen": len(data.PERSONS),
        "Mitgliedschaften": 1,
        "Neuigkeiten": 3,
        "Sitzungen": 3,
        "Projekte": 2,
    }
    assert demo.total == sum(demo.created.values())


def test_five_workshops_with_their_titles(demo):
    assert list(Workshop.objects.values_list("number", "title")) == data.WORKSHOPS


def test_workshop_4_has_mission_focus_areas_and_next_session(w4):
    assert w4.mission.startswith("Das vorrangige Ziel der Werkstatt 4 ist es")
    assert list(w4.focus_areas.values_list("title", flat=True)) == data.WORKSHOP_4_FOCUS_AREAS
    assert w4.next_session_date == dt.date(2025, 5, 20)


def test_workshop_4_has_26_member_organisations_in_page_order(w4):
    names = [link.organization.name for link in w4.member_links.select_related("organization")]

    assert len(names) == 26
    assert names == [data.ORGANIZATIONS[key][0] for key in data.WORKSHOP_4_MEMBERS]
    assert names[0] == "Staatskanzlei Brandenburg, Büro des Lausitz-Beauftragten des Ministerpräsidenten"
    assert names[-1] == "Kinder- und Jugendbeteiligung Brandenburg"


def test_the_speaker_of_workshop_4_is_sven_guntermann(w4):
    speaker = w4.memberships.get(role=MembershipRole.SPEAKER)

    assert speaker.person.name == "Sven Guntermann"
    assert speaker.person.qualification == "Diplom-Ingenieur"
    assert speaker.on_behalf_of.name == "Lokale Aktionsgruppe Elbe-Elster"
    assert speaker.statement.startswith("Die Schaffung von Arbeitsplätzen")


def test_three_published_news_of_workshop_4(w4):
    news = list(NewsItem.objects.order_by("-date"))

    assert [(n.date, n.published) for n in news] == [
        (dt.date(2025, 3, 24), True),
        (dt.date(2025, 3, 17), True),
        (dt.date(2025, 3, 6), True),
    ]
    assert all(list(n.workshops.all()) == [w4] for n in news)


def test_session_16_as_in_the_minutes(session16):
    assert session16.title == "16. Sitzung der Werkstatt 4"
    assert (session16.date, session16.start_time, session16.end_time) == (
        dt.date(2024, 1, 24),
        dt.time(14, 10),
        dt.time(16, 30),
    )
    assert session16.location.address_line == "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)"
    assert session16.location.municipality is not None
    assert (session16.chair.name, session16.chair_function) == ("Sven Guntermann", "Werkstattsprecher")
    assert (session16.minute_taker.name, session16.minute_taker_function) == (
        "Tobias Amende",
        "Projektmanager, Wirtschaftsregion Lausitz",
    )
    assert sorted(session16.files.values_list("name", flat=True)) == ["Liste der Teilnehmenden", "Präsentation(en)"]
    assert session16.state == MeetingState.HELD


def test_session_16_has_eight_numbered_items_in_order(session16):
    items = items_of(session16)

    assert [(i.order, i.number) for i in items] == [(n, str(n)) for n in range(1, 9)]
    assert items[0].title == "Begrüßung der Gäste"
    assert items[7].title == "Sonstiges"
    assert [i.kind for i in items] == [
        AgendaItemKind.ORDINARY,
        AgendaItemKind.MINUTES_APPROVAL,
        AgendaItemKind.ORDINARY,
        AgendaItemKind.PROJECT_REPORT,
        AgendaItemKind.PROJECT_PRESENTATION,
        AgendaItemKind.PROJECT_PRESENTATION,
        AgendaItemKind.ORDINARY,
        AgendaItemKind.ORDINARY,
    ]


def test_session_16_presenters_as_stated_then(session16):
    presenters = {i.number: [p.display for p in i.presenters.all()] for i in items_of(session16)}

    assert presenters == {
        "1": [
            "Sven Guntermann, Werkstattsprecher",
            "Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)",
        ],
        "2": ["Sven Guntermann, Werkstattsprecher"],
        "3": ["Heiko Jahn, Geschäftsführer, Wirtschaftsregion Lausitz"],
        "4": ["Jan Lewerenz, Leiter Lausitz-Büro, Investitionsbank des Landes Brandenburg"],
        "5": ["Prof. Dr.-Ing. Eckart Kramer, Hochschule für nachhaltige Entwicklung Eberswalde"],
        "6": [f"Ingolf Zellmann, Servicebereichsleiter Leitstelle/Rettungsdienst/Katastrophenschutz, {COTTBUS}"],
        "7": ["Alle Werkstattmitglieder"],
        "8": [],
    }


def test_session_15_minutes_are_approved_and_item_2_approves_them(w4, session16):
    session15 = Meeting.objects.get(workshop=w4, number=15)
    approval = session16.agenda_items.get(number="2")

    assert session15.date == dt.date(2023, 11, 21)
    assert session15.state == MeetingState.HELD
    assert session15.minutes_state == MinutesState.APPROVED
    assert approval.kind == AgendaItemKind.MINUTES_APPROVAL
    assert approval.approves_meeting == session15


def test_session_16_minutes_are_published(session16):
    assert session16.minutes_state == MinutesState.PUBLISHED
    assert session16.minutes_are_public


def test_session_16_results_are_real_lists(session16):
    results = {i.number: i.result for i in items_of(session16) if i.result}

    assert set(results) == {"3", "4", "6", "8"}
    for result in results.values():
        assert result.startswith("<ul><li>")
        assert result.endswith("</li></ul>")
        assert "•" not in result
        assert "style" not in result
    assert html_to_lines(results["4"]) == [
        "Dieser Tagesordnungspunkt wird nunmehr in allen Werkstätten aufgeführt.",
        "Seit 01.01.2024 unterstützen zwei neue Mitarbeiterinnen bei der ILB (Investitionsbank des Landes "
        "Brandenburg) das Lausitz-Büro von Potsdam aus.",
        "2024 stehen vier Inbetriebnahmen und drei Grundsteinlegungen an.",
        "Am 11.01.2024 wurden Innungsobermeistern in der Handwerkskammer Cottbus die aktuellen "
        "Strukturwandelprojekte und die jeweiligen Meilensteine vorgestellt, sodass die Unternehmen an den "
        "Projektumsetzungen durch Aufträge partizipieren können.",
    ]
    assert results["8"] == "<ul><li>Herr Guntermann gibt einen Ausblick auf die nächsten Termine.</li></ul>"


def test_workshop_2_session_of_16_january_2024_recommends_the_telemedicine_project(demo):
    meeting = Meeting.objects.get(workshop__number=2, date=dt.date(2024, 1, 16))
    (item,) = items_of(meeting)

    assert meeting.number is None
    assert meeting.state == MeetingState.HELD
    assert item.title == data.TELEMEDICINE_TITLE
    assert item.kind == AgendaItemKind.PROJECT_PRESENTATION
    assert [p.person.name for p in item.presenters.all()] == ["Ingolf Zellmann"]
    assert item.result == (
        "<p>Konsensuale Empfehlung für die Weiterleitung des Projektes an die Staatskanzlei Brandenburg "
        "(federführende Werkstatt).</p>"
    )


def test_typos_of_the_seed_are_corrected_on_the_way_in(demo):
    assert Organization.objects.filter(name=COTTBUS).exists()
    assert not Person.objects.filter(function__contains="Werkstattprecher").exists()
    assert not Meeting.objects.filter(chair_function__contains="Werkstattprecher").exists()


def test_loading_twice_creates_nothing_new(demo, row_counts):
    """Same rows in every table, history tables included: unchanged records are not saved again."""
    before = row_counts()

    second = demo_load()

    assert second.created == {}
    assert second.total == 0
    assert row_counts() == before


def test_loading_twice_leaves_the_approved_minutes_unchanged(session16):
    results = {i.pk: (i.result, i.modified) for i in items_of(session16)}

    demo_load()

    assert {i.pk: (i.result, i.modified) for i in items_of(session16)} == results

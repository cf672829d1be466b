"""Public pages through the test client: content, visibility rules, and fixed query counts."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.pages import count_queries, demo_page_urls, query_counts, visible_text
from werkstatt.meetings.models import AgendaItemKind, Meeting
from werkstatt.meetings.services import (
    PresenterInput,
    agenda_item_create,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.services import news_item_create
from werkstatt.organizations.models import MembershipRole, Workshop
from werkstatt.organizations.services import (
    membership_create,
    organization_create,
    person_create,
    workshop_add_member,
    workshop_create,
)

pytestmark = pytest.mark.django_db


def _published_meeting(workshop: Workshop, number: int, items: int) -> Meeting:
    meeting = meeting_create(
        actor=None, workshop=workshop, number=number, date=dt.date(2022, 1, 1) + dt.timedelta(days=number)
    )
    meeting_transition(actor=None, meeting=meeting, target=MeetingState.HELD)
    speaker = person_create(actor=None, body=workshop.body, given_name="Erika", family_name=f"Muster{number}")
    for n in range(1, items + 1):
        agenda_item_create(
            actor=None,
            meeting=meeting,
            number=str(n),
            title=f"Punkt {n}",
            kind=AgendaItemKind.PROJECT_PRESENTATION if n % 2 else AgendaItemKind.ORDINARY,
            result=f"<ul><li>Ergebnis {n}</li></ul>",
            presenters=[PresenterInput(person=speaker, function="Referentin"), PresenterInput(group_label="Alle")],
        )
    for step in (MinutesState.CIRCULATED, MinutesState.APPROVED, MinutesState.PUBLISHED):
        meeting_minutes_transition(actor=None, meeting=meeting, target=step)
    return meeting


def _grow(workshop: Workshop, *, start: int) -> None:
    """Add sessions, items, members, persons, memberships and news to the demo."""
    body = workshop.body
    for n in range(start, start + 4):
        _published_meeting(workshop, number=n, items=6)
        org = organization_create(actor=None, body=body, name=f"Zusatzorganisation {n}", short_name=f"ZO{n}")
        workshop_add_member(actor=None, workshop=workshop, organization=org)
        person = person_create(actor=None, body=body, given_name="Max", family_name=f"Delegiert{n}", organization=org)
        membership_create(actor=None, person=person, workshop=workshop, role=MembershipRole.DELEGATE, on_behalf_of=org)
        news_item_create(
            actor=None, body=body, title=f"Meldung {n}", date=dt.date(2024, 2, n % 28 + 1), published=True,
            workshops=[workshop],
        )  # fmt: skip
    workshop_create(actor=None, body=body, number=start, title=f"Werkstatt {start}", focus_areas=["A", "B", "C"])


@pytest.mark.parametrize("as_office", [False, True], ids=["anonymous", "office"])
def test_every_page_costs_the_same_number_of_queries_however_much_data(demo, office_user, as_office):
    client = Client()
    if as_office:
        client.force_login(office_user)
    urls = demo_page_urls()
    before = query_counts(client, urls)
    _grow(Workshop.objects.get(number=4), start=20)
    after = query_counts(client, urls)
    assert after == before
    # Guard the absolute size too, so an N+1 that is already present in the demo cannot hide.
    assert max(before.values()) <= 12, before


def test_session_page_query_count_does_not_depend_on_agenda_length(demo):
    workshop = Workshop.objects.get(number=4)
    short = _published_meeting(workshop, number=40, items=1)
    long = _published_meeting(workshop, number=41, items=15)
    client = Client()
    assert count_queries(client, reverse("portal:meeting-detail", args=[short.pk])) == count_queries(
        client, reverse("portal:meeting-detail", args=[long.pk])
    )


def test_session_page_shows_the_minutes_in_the_layout_of_the_seed(demo, client):
    text = visible_text(client.get(demo_page_urls()["meeting-detail"]).content.decode())
    assert text.index("Allgemeines") < text.index("Tagesordnung") < text.index("Ergebnisse")
    assert "Datum & Uhrzeit 24.01.2024, 14:10 Uhr – 16:30 Uhr" in text
    assert "Sitzungsleitung Sven Guntermann, Werkstattsprecher" in text
    assert "Werkstattprecher" not in text


def test_bilingual_names_mark_the_lower_sorbian_part(demo, client):
    html = client.get(demo_page_urls()["meeting-detail"]).content.decode()
    assert 'Stadtverwaltung Cottbus/<span lang="dsb">Chóśebuz</span>' in html
    assert "Chósebus" not in html


def test_unpublished_minutes_are_not_visible_to_the_public(demo, client, office_user):
    session_15 = Meeting.objects.get(workshop__number=4, number=15)
    assert session_15.minutes_state == MinutesState.APPROVED
    workshop2_session = Meeting.objects.get(workshop__number=2)
    result_line = "Konsensuale Empfehlung für die Weiterleitung"
    url = reverse("portal:meeting-detail", args=[workshop2_session.pk])
    public = visible_text(client.get(url).content.decode())
    assert "Das Ergebnisprotokoll dieser Sitzung ist noch nicht veröffentlicht." in public
    assert result_line not in public
    # The agenda of a held session stays public; only the results are withheld.
    assert "Telemedizinische Einbindung von Notärzten" in public
    client.force_login(office_user)
    internal = visible_text(client.get(url).content.decode())
    assert result_line in internal
    assert "noch nicht veröffentlicht" in internal


def test_planned_session_shows_no_agenda_to_the_public(demo, client):
    workshop = Workshop.objects.get(number=4)
    meeting = meeting_create(actor=None, workshop=workshop, number=17, date=dt.date(2025, 5, 20))
    agenda_item_create(actor=None, meeting=meeting, number="1", title="Geheimer Entwurfspunkt")
    text = visible_text(client.get(reverse("portal:meeting-detail", args=[meeting.pk])).content.decode())
    assert "Die Tagesordnung wird mit der Einladung veröffentlicht." in text
    assert "Geheimer Entwurfspunkt" not in text


def test_non_public_agenda_item_is_hidden_from_the_public(demo, client, office_user):
    workshop = Workshop.objects.get(number=4)
    meeting = meeting_create(actor=None, workshop=workshop, number=18, date=dt.date(2025, 6, 1))
    agenda_item_create(actor=None, meeting=meeting, number="1", title="Öffentlicher Punkt")
    agenda_item_create(actor=None, meeting=meeting, number="2", title="Personalangelegenheit", public=False)
    meeting_transition(actor=None, meeting=meeting, target=MeetingState.INVITED)
    url = reverse("portal:meeting-detail", args=[meeting.pk])
    public = visible_text(client.get(url).content.decode())
    assert "Öffentlicher Punkt" in public
    assert "Personalangelegenheit" not in public
    client.force_login(office_user)
    assert "Personalangelegenheit" in visible_text(client.get(url).content.decode())


def test_unpublished_news_is_not_found_by_the_public(demo, client, office_user):
    workshop = Workshop.objects.get(number=4)
    item = news_item_create(actor=None, body=workshop.body, title="Entwurf einer Meldung", date=dt.date(2025, 4, 1))
    assert client.get(reverse("portal:news-detail", args=[item.pk])).status_code == 404
    assert "Entwurf einer Meldung" not in client.get(reverse("portal:news-list")).content.decode()
    client.force_login(office_user)
    assert client.get(reverse("portal:news-detail", args=[item.pk])).status_code == 200


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("portal:workshop-detail", [99]),
        ("portal:meeting-detail", [999999]),
        ("portal:news-detail", [999999]),
        ("portal:organization-detail", [999999]),
        ("portal:person-detail", [999999]),
    ],
)
def test_unknown_objects_answer_404_in_german(db, client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_organization_page_lists_its_workshops(demo, client):
    text = visible_text(client.get(demo_page_urls()["organization-detail"]).content.decode())
    assert "Lokale Aktionsgruppe Elbe-Elster" in text
    assert "Werkstatt 4: Daseinsvorsorge, ländliche Entwicklung & “smart regions”" in text
    assert "Sven Guntermann" in text


def test_person_page_lists_roles_and_presentations(demo, client):
    text = visible_text(client.get(demo_page_urls()["person-detail"]).content.decode())
    assert "Werkstattsprecher/in – Werkstatt 4 (für LAG Elbe-Elster)" in text
    assert "TOP 1: Begrüßung der Gäste" in text
    assert "TOP 2: Bestätigung des Protokolls der 15. Sitzung vom 21.11.2023 und der Tagesordnung" in text


def test_home_shows_workshops_next_sessions_and_news(demo, client):
    text = visible_text(client.get(reverse("portal:home")).content.decode())
    for number in range(1, 6):
        assert f"Werkstatt {number}" in text
    assert "Werkstatt 4: Die nächste Werkstattsitzung findet am 20.05.2025 statt." in text
    assert "Özdemir: Leuchtturm der Forschung für die Lausitz" in text


def test_pages_send_a_content_security_policy_without_inline_scripts(demo, client):
    response = client.get(reverse("portal:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()

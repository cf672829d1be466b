"""Open data: the project register as JSON, the session list as CSV and JSON, and the page "Offene Daten".

Files are read back with the csv and json modules and compared with what the selectors give the same
user (the public view for an anonymous user, more for the office and for members); money only where it is
published; filters and bad filter values; query counts that do not grow with the data; every entry of the
catalogue answers for an anonymous user; the documentation names every column.
"""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.demo_personas import client_as, delegate_w2, workshop2, workshop4  # noqa: F401 (fixtures, see tests/demo_personas.py)
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
)
from tests.pages import count_queries, visible_text
from werkstatt.exports import catalogue, meetings_list, projects_json
from werkstatt.exports.register import register_entries
from werkstatt.geo import source as geo_source
from werkstatt.geo.models import Location
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import MeetingListFilter, meeting_get_for_user, meeting_list_entries
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import FocusArea, Workshop
from werkstatt.projects import csv_format
from werkstatt.projects.selectors import ProjectFilter, project_register
from werkstatt.projects.workflow import ProjectState

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
REGISTER_CSV = "/projekte/export.csv"
REGISTER_JSON = "/projekte/export.json"
MEETINGS_CSV = "/sitzungen/export.csv"
MEETINGS_JSON = "/sitzungen/export.json"
OPEN_DATA = "/offene-daten/"
TELEMEDICINE = "Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz"
MONEY_COLUMNS = (("total_cost", "Gesamtkosten"), ("eligible_cost", "Förderfähige Kosten"), ("grant", "Zuwendung"))
NUMBER_MESSAGE = "Der Filter „Werkstatt“ erwartet eine Nummer; er wurde ignoriert."


# --- fixtures and helpers -------------------------------------------------------------------------------


def _user_of(request: Any, persona: str) -> Any:
    return AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)


def _client_of(request: Any, persona: str) -> Client:
    return client_as(None if persona == "anonymous" else request.getfixturevalue(persona))


def _get(client: Client, url: str, status: int = 200) -> tuple[Any, bytes]:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def _json(client: Client, url: str) -> dict[str, Any]:
    response, content = _get(client, url)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document: dict[str, Any] = json.loads(content.decode("utf-8"))
    return document


def _csv_rows(content: bytes, headers: tuple[str, ...]) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 mit BOM erwartet"
    assert content.replace(b"\r\n", b"").count(b"\n") == 0, "CRLF erwartet"
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";")
    assert tuple(reader.fieldnames or ()) == headers
    return list(reader)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        _get(client, url)
    return len(context.captured_queries)


def _session(number: int) -> Meeting:
    return Meeting.objects.get(workshop__number=4, number=number)


# --- the register as JSON ---------------------------------------------------------------------------------


def test_register_json_is_typed_with_iso_dates_codes_labels_and_the_project_url(demo):
    response, content = _get(client_as(), REGISTER_JSON)
    assert response["Content-Disposition"] == f'inline; filename="projektregister-{timezone.localdate():%Y-%m-%d}.json"'
    assert "private" in response["Cache-Control"]
    document = json.loads(content)
    assert document["title"] == "Projektregister"
    assert document["source"] == "http://testserver/projekte/export.json"
    assert document["licence"] == {
        "name": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "url": "https://www.govdata.de/dl-de/by-2-0",
        "attribution": "Strukturentwicklung Lausitz",
    }
    assert (document["filters"], document["messages"], document["count"]) == ({}, [], len(document["projects"]))
    dt.datetime.fromisoformat(document["generated"])
    telemedicine = next(p for p in document["projects"] if p["title"] == TELEMEDICINE)
    assert telemedicine == {
        "id": telemedicine["id"],
        "url": f"http://testserver/projekte/{telemedicine['id']}/",
        "oparl_id": None,
        "title": TELEMEDICINE,
        "sponsor": "Stadt Cottbus/Chóśebuz",
        "lead_workshop": 2,
        "other_workshops": [4],
        "instrument": "invkg_arm1",
        "instrument_label": "InvKG Arm 1 (Land, über die ILB)",
        "funding_area": "3",
        "funding_area_label": "3 – Öffentliche Fürsorge (Gesundheit, Bildung, Betreuung)",
        "state": "approved",
        "state_label": "bewilligt (Zuwendungsbescheid)",
        "municipality": "12052000",
        "municipality_name": "Cottbus",
        "district": "12052",
        "district_name": "Cottbus",
        "total_cost": "716000.00",
        "eligible_cost": "716000.00",
        "grant": "644400.00",
        "description": telemedicine["description"],
        "expected_effect": "",
        "expected_jobs": None,
        "focus_areas": ["IUC-Modellregion Gesundheit"],
        "planned_start": None,
        "planned_end": None,
        "confirmed_on": "2024-03-06",
        "approved_on": "2024-07-15",
        "latitude": None,
        "longitude": None,
        "public": True,
        "public_finances": True,
    }
    assert telemedicine["description"].startswith("Notärztinnen und Notärzte")
    # The project page it names is the one the register links.
    assert client_as().get(telemedicine["url"].removeprefix("http://testserver")).status_code == 200


def test_register_json_keys_follow_the_csv_columns():
    keys = [projects_json.KEYS.get(column.field, column.field) for column in csv_format.COLUMNS]
    assert keys[0] == "id" and len(set(keys)) == len(csv_format.COLUMNS)


@pytest.mark.parametrize("persona", ["anonymous", "office_user", "delegate_w2", "bank_user"])
def test_register_json_and_csv_have_the_rows_of_the_register_for_each_user(request, demo, workshop2, persona):
    ProjectFactory(title="Intern Werkstatt 2", public=False, lead_workshop=workshop2)
    ProjectFactory(title="Intern anderswo", public=False)
    ProjectFactory(title="Öffentlich", public=True)
    user, client = _user_of(request, persona), _client_of(request, persona)
    expected = [(p.pk, p.title) for p in project_register(user, ProjectFilter())]
    document = _json(client, REGISTER_JSON)
    assert [(p["id"], p["title"]) for p in document["projects"]] == expected
    rows = _csv_rows(_get(client, REGISTER_CSV)[1], csv_format.HEADERS)
    assert [(int(r["Nr."]), r["Titel"]) for r in rows] == expected
    titles = {title for _pk, title in expected}
    assert "Öffentlich" in titles
    assert ("Intern Werkstatt 2" in titles) == (persona != "anonymous")
    assert ("Intern anderswo" in titles) == (persona in ("office_user", "bank_user"))


@pytest.mark.parametrize("persona", ["anonymous", "office_user"])
def test_money_is_null_exactly_where_the_csv_leaves_it_empty(request, demo, persona):
    money = {"total_cost": Decimal("500000"), "eligible_cost": Decimal("400001"), "grant": Decimal("360000.50")}
    ProjectFactory(title="Beantragt", state=ProjectState.APPLIED, **money)
    ProjectFactory(title="Bewilligt, nicht freigegeben", state=ProjectState.APPROVED, **money)
    ProjectFactory(title="Bewilligt und freigegeben", state=ProjectState.APPROVED, public_finances=True, **money)
    ProjectFactory(title="Intern", public=False, **money)
    client = _client_of(request, persona)
    records = {p["title"]: p for p in _json(client, REGISTER_JSON)["projects"]}
    rows = {r["Titel"]: r for r in _csv_rows(_get(client, REGISTER_CSV)[1], csv_format.HEADERS)}
    assert records.keys() == rows.keys()
    for title, record in records.items():
        for key, header in MONEY_COLUMNS:
            cell = rows[title][header]
            assert record[key] == (cell.replace(",", ".") if cell else None), (title, key)
    public = records["Bewilligt und freigegeben"]
    assert (public["total_cost"], public["eligible_cost"], public["grant"]) == ("500000.00", "400001.00", "360000.50")
    hidden = records["Bewilligt, nicht freigegeben"]
    if persona == "anonymous":
        assert (hidden["total_cost"], hidden["eligible_cost"], hidden["grant"]) == (None, None, None)
        assert records["Beantragt"]["grant"] is None
        assert "Intern" not in records
    else:
        assert hidden["grant"] == "360000.50" and records["Intern"]["total_cost"] == "500000.00"
    # The rule is the register's, asked once per project for both files.
    for entry in register_entries(_user_of(request, persona), ProjectFilter()):
        grant = entry.project.grant
        expected = f"{grant:.2f}" if entry.show_finances and grant is not None else None
        assert records[entry.project.title]["grant"] == expected, entry.project.title


def test_register_json_applies_the_register_filters_and_names_what_it_ignored(demo, office_user):
    client = client_as(office_user)

    def titles(query: str) -> set[str]:
        return {p["title"] for p in _json(client, REGISTER_JSON + query)["projects"]}

    assert titles("?werkstatt=2") == {TELEMEDICINE}
    assert titles("?stand=presented") == titles("?foerderung=stark") == {"WerteGesellschaft Lausitz"}
    assert titles("?gemeinde=12052000") == titles("?kreis=12052") == {TELEMEDICINE}
    assert _json(client, REGISTER_JSON + "?werkstatt=2&stand=approved")["filters"] == {
        "werkstatt": "2",
        "stand": "approved",
    }
    # Values the register would ignore with a message: ignored here too (200, all rows), the message in "messages".
    document = _json(client, REGISTER_JSON + "?werkstatt=zwei&kreis=1&stand=fertig&sortierung=quer")
    assert len(document["projects"]) == 2 and document["filters"] == {}
    assert document["messages"] == [
        NUMBER_MESSAGE,
        "Den Wert „fertig“ gibt es für „Stand“ nicht; er wurde ignoriert.",
        "„Landkreis“ erwartet einen amtlichen Schlüssel mit 5 Ziffern; der Filter wurde ignoriert.",
        "Die Sortierung „quer“ gibt es nicht; sortiert wird nach Titel.",
    ]
    # The CSV answers the same bad values the same way: 200 with every row.
    assert len(_csv_rows(_get(client, REGISTER_CSV + "?werkstatt=zwei&kreis=1")[1], csv_format.HEADERS)) == 2


def test_register_json_keeps_quotes_line_breaks_and_markup_as_text(demo, office_user):
    title = 'Ein "Projekt" </script><b>fett</b> \\ mit Umlauten: Łužyca'
    ProjectFactory(title=title, description="Zeile 1\nZeile 2\r\n\t=SUMME(A1)", public=True)
    records = {p["title"]: p for p in _json(client_as(), REGISTER_JSON)["projects"]}
    assert records[title]["description"] == "Zeile 1\nZeile 2\r\n\t=SUMME(A1)"


def _portfolio(count: int, workshops: list[Workshop]) -> None:
    areas = list(FocusArea.objects.filter(workshop__in=workshops))
    for _ in range(count):
        project = ProjectFactory(lead_workshop=workshops[0], total_cost=Decimal("100000"))
        project.other_workshops.add(workshops[1])
        project.focus_areas.add(*areas[:1])


@pytest.mark.parametrize("persona", ["anonymous", "office_user", "delegate_w2"])
def test_register_json_costs_the_same_queries_for_5_and_for_50_projects(request, demo, persona):
    client = _client_of(request, persona)
    workshops = [Workshop.objects.get(number=4), Workshop.objects.get(number=2)]
    _portfolio(3, workshops)
    small = _queries(client, REGISTER_JSON)
    _portfolio(45, workshops)
    large = _queries(client, REGISTER_JSON)
    assert len(_json(client, REGISTER_JSON)["projects"]) >= 50
    assert small == large, (small, large)
    assert large == _queries(client, REGISTER_CSV)  # the same reads as the CSV
    assert large <= 6, large


# --- the session list -------------------------------------------------------------------------------------


@pytest.fixture
def sessions(workshop4: Workshop, workshop2: Workshop) -> dict[str, Meeting]:
    """Besides the demo's three held sessions: a planned one with an agenda, an invited one with a non-public
    item, a cancelled one, each in a place."""
    place = Location.objects.create(
        description="=Rathaus", street_address="Markt 1", postal_code="03046", locality="Cottbus"
    )
    planned = MeetingFactory(workshop=workshop4, number=17, date=dt.date(2024, 3, 20), location=place)
    AgendaItemFactory(meeting=planned, title="Begrüßung")
    invited = MeetingFactory(
        workshop=workshop2, number=9, date=dt.date(2024, 4, 10), state=MeetingState.INVITED,
        start_time=dt.time(9, 30), end_time=dt.time(12), location=place,
    )  # fmt: skip
    AgendaItemFactory(meeting=invited, title="Öffentlich")
    AgendaItemFactory(meeting=invited, title="Vertraulich", public=False)
    cancelled = MeetingFactory(workshop=workshop4, number=18, date=dt.date(2024, 5, 2), state=MeetingState.CANCELLED)
    return {"planned": planned, "invited": invited, "cancelled": cancelled}


def test_meetings_csv_is_excel_csv_with_a_row_per_session(demo, sessions):
    response, content = _get(client_as(), MEETINGS_CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="sitzungen-{timezone.localdate():%Y-%m-%d}.csv"'
    assert "private" in response["Cache-Control"]
    rows = _csv_rows(content, meetings_list.HEADERS)
    assert [(r["Werkstatt"], r["Sitzungsnummer"], r["Datum"]) for r in rows] == [
        ("2", "", "16.01.2024"),
        ("2", "9", "10.04.2024"),
        ("4", "15", "21.11.2023"),
        ("4", "16", "24.01.2024"),
        ("4", "17", "20.03.2024"),
        ("4", "18", "02.05.2024"),
    ]
    session_16 = rows[3]
    pk = _session(16).pk
    assert session_16 == {
        "Werkstatt": "4",
        "Titel der Werkstatt": Workshop.objects.get(number=4).title,
        "Sitzungsnummer": "16",
        "Datum": "24.01.2024",
        "Beginn": "14:10",
        "Ende": "16:30",
        "Ort": "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)",
        "Status": "durchgeführt",
        "Status (Code)": "held",
        "Protokoll veröffentlicht": "ja",
        "Tagesordnungspunkte": "8",
        "Sitzungsseite": f"http://testserver/sitzungen/{pk}/",
        "Ergebnisprotokoll (PDF)": f"http://testserver/sitzungen/{pk}/ergebnisprotokoll.pdf",
        "Tagesordnung (PDF)": f"http://testserver/sitzungen/{pk}/tagesordnung.pdf",
        "Kalendereintrag (iCal)": f"http://testserver/sitzungen/{pk}/termin.ics",
    }
    session_15, planned, invited, cancelled = rows[2], rows[4], rows[1], rows[5]
    assert (session_15["Protokoll veröffentlicht"], session_15["Ergebnisprotokoll (PDF)"]) == ("nein", "")
    assert (planned["Status"], planned["Tagesordnungspunkte"], planned["Tagesordnung (PDF)"]) == ("terminiert", "0", "")
    assert planned["Ort"] == "'=Rathaus, Markt 1, 03046 Cottbus"  # a formula is escaped
    assert (invited["Status (Code)"], invited["Beginn"], invited["Ende"]) == ("invited", "09:30", "12:00")
    assert invited["Tagesordnungspunkte"] == "1"  # the public item only
    assert invited["Tagesordnung (PDF)"].endswith(f"/sitzungen/{sessions['invited'].pk}/tagesordnung.pdf")
    assert (cancelled["Status"], cancelled["Status (Code)"], cancelled["Ort"]) == ("abgesagt", "cancelled", "")


def test_every_url_of_the_public_session_list_answers_the_public(demo, sessions):
    client = client_as()
    rows = _csv_rows(_get(client, MEETINGS_CSV)[1], meetings_list.HEADERS)
    urls = [r[h] for r in rows for h in meetings_list.HEADERS if r[h].startswith("http")]
    assert len(urls) == 6 * 2 + 4 + 1  # page and calendar each; agendas of invited and held; one published
    for url in urls:
        _get(client, url.removeprefix("http://testserver"))


def test_meetings_json_has_the_rows_of_the_csv_with_iso_dates_and_typed_values(demo, sessions):
    client = client_as()
    document = _json(client, MEETINGS_JSON)
    assert document["title"] == "Sitzungen der Werkstätten"
    assert (document["filters"], document["messages"], document["count"]) == ({}, [], 6)
    rows = _csv_rows(_get(client, MEETINGS_CSV)[1], meetings_list.HEADERS)
    records = document["meetings"]
    assert [str(r["workshop_number"]) for r in records] == [row["Werkstatt"] for row in rows]
    session_16 = records[3]
    assert list(session_16) == [*meetings_list.JSON_ONLY, *(f.key for f in meetings_list.FIELDS)]
    assert session_16["id"] == _session(16).pk and session_16["oparl_id"] is None
    assert (session_16["date"], session_16["start_time"], session_16["end_time"]) == ("2024-01-24", "14:10", "16:30")
    assert (session_16["minutes_published"], session_16["agenda_item_count"]) == (True, 8)
    assert (session_16["state"], session_16["state_label"]) == ("held", "durchgeführt")
    planned = records[4]
    assert (planned["start_time"], planned["agenda_pdf_url"], planned["minutes_pdf_url"]) == (None, None, None)
    assert planned["place"] == "=Rathaus, Markt 1, 03046 Cottbus"  # JSON is data: no escaping for spreadsheets
    assert records[5]["place"] is None
    for record, row in zip(records, rows, strict=True):
        for field in meetings_list.FIELDS:
            value = record[field.key]
            cell = row[field.header].removeprefix("'")
            if value is None:
                assert cell == ""
            elif isinstance(value, bool):
                assert cell == ("ja" if value else "nein")
            elif field.key == "date":
                assert cell == dt.date.fromisoformat(value).strftime("%d.%m.%Y")
            else:
                assert cell == str(value), (field.key, value, cell)


@pytest.mark.parametrize("persona", ["anonymous", "office_user", "delegate_w2", "speaker_w4"])
def test_session_list_shows_each_user_what_the_session_page_shows_them(request, demo, sessions, persona):
    user, client = _user_of(request, persona), _client_of(request, persona)
    records = _json(client, MEETINGS_JSON)["meetings"]
    entries = list(meeting_list_entries(user, MeetingListFilter()))
    assert (
        [r["id"] for r in records]
        == [e.meeting.pk for e in entries]
        == list(Meeting.objects.order_by("workshop__number", "date").values_list("pk", flat=True))
    )
    for record in records:
        page = meeting_get_for_user(user, record["id"])
        assert record["agenda_item_count"] == len(page.agenda_items)
        assert (record["agenda_pdf_url"] is not None) == page.show_agenda
        assert (record["minutes_pdf_url"] is not None) == page.show_minutes
        assert record["minutes_published"] == page.meeting.minutes_are_public
    invited = next(r for r in records if r["id"] == sessions["invited"].pk)
    planned = next(r for r in records if r["id"] == sessions["planned"].pk)
    # Werkstatt 2's delegate and the office see the confidential item; the public and Werkstatt 4's speaker do not.
    assert invited["agenda_item_count"] == (2 if persona in ("office_user", "delegate_w2") else 1)
    assert (planned["agenda_pdf_url"] is not None) == (persona in ("office_user", "speaker_w4"))


def test_session_list_filters_by_workshop_and_names_a_bad_value(demo, sessions):
    client = client_as()
    only_4 = _json(client, MEETINGS_JSON + "?werkstatt=4")
    assert {r["workshop_number"] for r in only_4["meetings"]} == {4} and only_4["count"] == 4
    assert only_4["filters"] == {"werkstatt": "4"} and only_4["messages"] == []
    rows_2 = _csv_rows(_get(client, MEETINGS_CSV + "?werkstatt=2")[1], meetings_list.HEADERS)
    assert [r["Sitzungsnummer"] for r in rows_2] == ["", "9"]
    assert _json(client, MEETINGS_JSON + "?werkstatt=99")["meetings"] == []
    # Like the register: a value that is no number is ignored (200, every session) with a German message.
    for bad in ("zwei", "-4", "4.0", "٤", "9" * 12):
        document = _json(client, MEETINGS_JSON + "?werkstatt=" + bad)
        assert document["count"] == 6 and document["filters"] == {}, bad
        assert document["messages"] == [NUMBER_MESSAGE], bad
        assert len(_csv_rows(_get(client, MEETINGS_CSV + "?werkstatt=" + bad)[1], meetings_list.HEADERS)) == 6


def test_exports_answer_only_get_and_head(demo):
    client = client_as()
    for url in (REGISTER_JSON, MEETINGS_CSV, MEETINGS_JSON):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200


def _more_sessions(workshop: Workshop, start: int, count: int) -> None:
    taker = PersonFactory(body=workshop.body)
    for number in range(start, start + count):
        place = Location.objects.create(description=f"Saal {number}", locality="Cottbus")
        meeting = MeetingFactory(
            workshop=workshop, number=number, date=dt.date(2025, 1, 1) + dt.timedelta(days=number),
            state=MeetingState.HELD, minutes_state=MinutesState.PUBLISHED, location=place, minute_taker=taker,
        )  # fmt: skip
        AgendaItemFactory(meeting=meeting)
        AgendaItemFactory(meeting=meeting, public=False)


@pytest.mark.parametrize("persona", ["anonymous", "office_user", "delegate_w2", "speaker_w4"])
@pytest.mark.parametrize("url", [MEETINGS_CSV, MEETINGS_JSON])
def test_session_list_costs_the_same_queries_for_3_and_for_43_sessions(request, demo, persona, url):
    client = _client_of(request, persona)
    small = _queries(client, url)
    _more_sessions(Workshop.objects.get(number=4), start=100, count=20)
    _more_sessions(Workshop.objects.get(number=2), start=100, count=20)
    large = _queries(client, url)
    assert _json(client, MEETINGS_JSON)["count"] == 43
    assert small == large, (small, large)
    assert large <= 4, large


# --- the page "Offene Daten" -----------------------------------------------------------------------------


def test_open_data_page_lists_every_entry_with_format_url_and_licence(demo):
    response = client_as().get(OPEN_DATA)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert "Offene Daten" in text and "Brotkrumennavigation" in html
    session_16 = _session(16)
    for entry in catalogue.ENTRIES:
        assert str(entry.title) in text and str(entry.format) in text
    for shown in catalogue.catalogue(lambda path: "http://testserver" + path):
        assert str(shown.group.title) in text
        for item in shown.entries:
            if item.url:
                # The URL is shown as text and is the link.
                assert f'<a class="kern-link open-data__url" href="{item.url}">{item.url}</a>' in html
    for name in ("minutes-pdf", "minutes-docx", "agenda-pdf", "meeting-ics"):
        assert f"http://testserver{reverse(f'exports:{name}', args=[session_16.pk])}" in text
    assert "16. Sitzung der Werkstatt 4 am 24.01.2024" in text
    assert (
        'href="https://www.govdata.de/dl-de/by-2-0">Datenlizenz Deutschland – Namensnennung – Version 2.0</a>' in html
    )
    assert "Quellenangabe: „Strukturentwicklung Lausitz“" in text
    assert "Sie sind angemeldet" not in text
    assert "<script" not in html.split("</head>")[1] and "style=" not in html


def test_every_catalogue_entry_answers_an_anonymous_user(demo):
    client = client_as()
    paths = []
    for entry in catalogue.ENTRIES:
        path, _example = catalogue.entry_path(entry, {})
        assert bool(path) == bool(entry.url_name), entry.title
        if path:
            paths.append(path)
            _get(client, path)
    assert {
        "/projekte/export.csv",
        "/projekte/export.json",
        "/sitzungen/export.csv",
        "/sitzungen/export.json",
        "/oparl/v1.1/",
        "/termine.ics",
        "/neuigkeiten/feed.atom",
        "/protokolle/feed.atom",
        "/meilensteine/feed.atom",
        "/karte/projekte.geojson",
        "/karte/landkreise.geojson",
        "/karte/gemeinden.geojson",
    } <= set(paths)
    assert len(paths) == len([e for e in catalogue.ENTRIES if e.url_name]) == 23
    assert {entry.group for entry in catalogue.ENTRIES} <= {group.key for group in catalogue.GROUPS}


def test_geodata_are_attributed_exactly_as_their_source_note_asks(demo):
    html = client_as().get(OPEN_DATA).content.decode()
    assert '<a class="kern-link" href="https://www.bkg.bund.de">© GeoBasis-DE / BKG (2021), Daten verändert</a>' in html
    assert f'<a class="kern-link" href="{geo_source.DATASET_URL}">{geo_source.DATASET}</a>' in html
    note = (ROOT / "werkstatt" / "geo" / "data" / "SOURCE.md").read_text(encoding="utf-8")
    for text in (geo_source.ATTRIBUTION, geo_source.ATTRIBUTION_URL, geo_source.LICENCE_NAME, geo_source.LICENCE_URL):
        assert text in note, text
    assert geo_source.DATASET in note and geo_source.DATASET_URL in note


def test_licence_and_attribution_come_from_the_settings(demo, settings):
    settings.WERKSTATT_DATA_LICENCE_NAME = "Creative Commons Namensnennung 4.0 International"
    settings.WERKSTATT_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.de"
    settings.WERKSTATT_DATA_ATTRIBUTION = "Staatskanzlei Brandenburg, Lausitz-Beauftragter"
    html = client_as().get(OPEN_DATA).content.decode()
    assert (
        '<a class="kern-link" href="https://creativecommons.org/licenses/by/4.0/deed.de">'
        "Creative Commons Namensnennung 4.0 International</a>"
    ) in html
    assert "Quellenangabe: „Staatskanzlei Brandenburg, Lausitz-Beauftragter“" in visible_text(html)
    # The geodata (the keys and the two shape files) keep their own licence.
    geodata = [entry for entry in catalogue.ENTRIES if entry.licence is catalogue.GEODATA_LICENCE]
    assert len(geodata) == 3
    assert html.count('href="https://www.govdata.de/dl-de/by-2-0"') == len(geodata)
    for url in (REGISTER_JSON, MEETINGS_JSON):
        assert _json(client_as(), url)["licence"] == {
            "name": "Creative Commons Namensnennung 4.0 International",
            "url": "https://creativecommons.org/licenses/by/4.0/deed.de",
            "attribution": "Staatskanzlei Brandenburg, Lausitz-Beauftragter",
        }


def test_attribution_defaults_to_the_body_name():
    from django.conf import settings

    assert settings.WERKSTATT_DATA_ATTRIBUTION == settings.WERKSTATT_BODY_NAME


def test_open_data_page_tells_a_logged_in_user_that_their_exports_are_not_the_public_ones(demo, office_user):
    text = visible_text(client_as(office_user).get(OPEN_DATA).content.decode())
    assert "Sie sind angemeldet" in text and "abgemeldet" in text


def test_open_data_page_without_published_minutes_says_there_is_no_example_yet(db):
    text = visible_text(client_as().get(OPEN_DATA).content.decode())
    assert text.count("Noch kein Beispiel vorhanden.") == 4
    assert "http://testserver/projekte/export.csv" in text


@pytest.mark.parametrize("persona", ["anonymous", "office_user"])
def test_open_data_page_costs_the_same_queries_however_many_sessions(request, demo, persona):
    client = _client_of(request, persona)
    before = count_queries(client, OPEN_DATA)
    _more_sessions(Workshop.objects.get(number=4), start=100, count=10)
    after = count_queries(client, OPEN_DATA)
    assert before == after, (before, after)
    assert after <= 3 if persona == "anonymous" else after <= 5
    # The newest session with published minutes is now the example.
    newest = Meeting.objects.get(workshop__number=4, number=109)
    assert f"/sitzungen/{newest.pk}/ergebnisprotokoll.pdf" in client.get(OPEN_DATA).content.decode()


# --- links --------------------------------------------------------------------------------------------------


def test_every_page_links_the_open_data_page_in_its_footer(demo):
    for url in ("/", "/werkstaetten/", "/projekte/"):
        footer = client_as().get(url).content.decode().split('<footer class="site-footer">')[1]
        assert f'href="{OPEN_DATA}">Offene Daten</a>' in footer


def test_register_links_json_next_to_csv_with_the_filters_in_effect(demo):
    page = client_as().get("/projekte/?werkstatt=2&stand=approved&kreis=1&seite=1").content.decode()
    assert 'href="/projekte/export.csv?werkstatt=2&amp;stand=approved" download>Als CSV herunterladen</a>' in page
    assert 'href="/projekte/export.json?werkstatt=2&amp;stand=approved" download>Als JSON herunterladen</a>' in page


def test_workshop_pages_link_the_session_list(demo):
    detail = client_as().get("/werkstaetten/4/").content.decode()
    assert 'href="/sitzungen/export.csv?werkstatt=4" download>Sitzungsliste als CSV</a>' in detail
    assert 'href="/sitzungen/export.json?werkstatt=4" download>Sitzungsliste als JSON</a>' in detail
    overview = client_as().get("/werkstaetten/").content.decode()
    assert 'href="/sitzungen/export.csv" download>Sitzungsliste als CSV</a>' in overview
    assert 'href="/sitzungen/export.json" download>Sitzungsliste als JSON</a>' in overview


# --- documentation --------------------------------------------------------------------------------------------


def _exports_section() -> str:
    text = (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
    assert "\n## Exporte\n" in text
    section = text.split("\n## Exporte\n", 1)[1]
    return re.split(r"\n## ", section, maxsplit=1)[0]


def test_docs_name_every_field_of_the_exports(demo):
    section = _exports_section()
    register = _json(client_as(), REGISTER_JSON)
    for key in [*register, *register["projects"][0]]:
        assert f"`{key}`" in section, key
    meetings = _json(client_as(), MEETINGS_JSON)
    for key in [*meetings, *meetings["meetings"][0]]:
        assert f"`{key}`" in section, key
    for header in meetings_list.HEADERS:
        assert f"| {header} |" in section, header
    for name in ("project-register-json", "meetings-csv", "meetings-json", "portal:open-data"):
        assert name in section, name
    assert "open-data.md" in (ROOT / "docs" / "csv.md").read_text(encoding="utf-8")

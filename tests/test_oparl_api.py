"""The OParl 1.1 API: entry, lists, filters, deleted objects, conditional requests, bad input and query counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
)
from werkstatt.meetings.models import AgendaItem, Meeting
from werkstatt.meetings.services.planning import agenda_item_delete
from werkstatt.meetings.workflow import MeetingState
from werkstatt.oparl.selectors import BODY_LISTS
from werkstatt.organizations.models import Body
from werkstatt.projects.models import Milestone, MilestoneKind, Project
from werkstatt.projects.services import milestone_save, project_update

API = "/oparl/v1.1/"
ERROR = "https://schema.oparl.org/1.1/Error"
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$")


def path_of(url: str) -> str:
    base = settings.WERKSTATT_BASE_URL
    assert url.startswith(base), url
    return url[len(base) :]


def get(client: Any, url: str, **headers: str) -> Any:
    return client.get(path_of(url) if url.startswith("http") else url, headers=headers)


def get_json(client: Any, url: str) -> dict[str, Any]:
    response = get(client, url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    data: dict[str, Any] = json.loads(response.content)
    return data


def body_url(client: Any) -> str:
    system = get_json(client, API)
    bodies = get_json(client, system["body"])
    return str(bodies["data"][0]["id"])


def sublist(client: Any, name: str, query: str = "") -> dict[str, Any]:
    body = get_json(client, body_url(client))
    return get_json(client, body[name] + query)


def all_pages(client: Any, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = get_json(client, next_url)
        items += page["data"]
        next_url = page["links"].get("next")
    return items


def assert_error(response: Any, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["type"] == ERROR
    assert set(data) == {"type", "message"}
    message: str = data["message"]
    assert message
    return message


# --- entry and lists --------------------------------------------------------------------------------------------


def test_system_leads_to_the_body_and_every_list(demo, client):
    system = get_json(client, API)
    assert system["id"] == settings.WERKSTATT_BASE_URL + API
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    body = get_json(client, body_url(client))
    assert body["id"].endswith(f"/oparl/v1.1/body/{Body.objects.get().pk}")
    assert body["system"] == system["id"]
    assert [t["name"] for t in body["legislativeTerm"]] == [
        "1. Förderperiode (2020–2026)",
        "2. Förderperiode (2027–2032)",
        "3. Förderperiode (2033–2038)",
    ]
    for name in BODY_LISTS:
        page = get_json(client, body[name])
        assert set(page) == {"data", "pagination", "links"}, name
        assert page["pagination"]["totalElements"] == len(all_pages(client, body[name])), name


def test_every_object_id_is_the_url_it_is_served_from_with_local_dates(demo, client):
    body = get_json(client, body_url(client))
    seen = 0
    for name in BODY_LISTS:
        for item in all_pages(client, body[name]):
            served = get_json(client, item["id"])
            assert served["id"] == item["id"]
            assert served == item, item["id"]
            assert DATETIME.match(served["created"]) and DATETIME.match(served["modified"]), served["id"]
            assert served["modified"] >= served["created"]
            seen += 1
    assert seen > 60


def test_workshops_and_institutions_are_organizations_of_their_kind(demo, client):
    organizations = all_pages(client, get_json(client, body_url(client))["organization"])
    by_name = {o["name"]: o for o in organizations}
    w4 = next(o for o in organizations if o.get("shortName") == "Werkstatt 4")
    assert (w4["organizationType"], w4["classification"]) == ("Gremium", "Werkstatt")
    assert w4["id"].endswith("/organization/werkstatt-" + str(w4["id"].rsplit("-", 1)[1]))
    chancellery = next(o for o in organizations if o["name"].startswith("Staatskanzlei Brandenburg"))
    assert chancellery["organizationType"] == "Verwaltungsbereich"
    ihk = by_name["Industrie- und Handelskammer Cottbus"]
    assert ihk["organizationType"] == "Institution"
    assert ihk["id"] in {m["organization"] for m in w4["werkstatt:memberOrganizations"]}
    meetings = all_pages(client, w4["meeting"])
    assert {m["name"] for m in meetings} == {"15. Sitzung der Werkstatt 4", "16. Sitzung der Werkstatt 4"}


def test_session_16_as_oparl_meeting(demo, client):
    meeting = Meeting.objects.get(workshop__number=4, number=16)
    data = get_json(client, f"{API}meeting/{meeting.pk}")
    assert data["start"] == "2024-01-24T14:10:00+01:00"
    assert data["end"].startswith("2024-01-24T") and data["end"].endswith("+01:00")
    assert data["location"]["postalCode"] == "04916"
    assert data["location"]["geojson"]["geometry"]["type"] == "Point"
    items = data["agendaItem"]
    assert [i["order"] for i in items] == sorted(i["order"] for i in items)
    assert all("meeting" not in i for i in items)  # embedded: implied by the meeting
    approval = next(i for i in items if i["werkstatt:kind"] == "minutes_approval")
    assert approval["result"] == "Protokoll bestätigt"
    assert any("konsensuale Empfehlung" in i.get("resolutionText", "") for i in items)
    assert data["participant"], "published minutes name chair and minute-taker"
    for url in data["participant"]:
        assert get_json(client, url)["type"] == "https://schema.oparl.org/1.1/Person"


def test_paper_carries_state_money_and_milestones_as_vendor_fields(demo, client):
    project = Project.objects.get(title__startswith="Telemedizinische Einbindung")
    data = get_json(client, f"{API}paper/{project.pk}")
    assert data["paperType"] == "Investitionsprojekt"
    assert data["werkstatt:status"] == project.state
    lead = [c for c in data["consultation"] if c["authoritative"]]
    assert len(lead) == 1 and lead[0]["organization"] == data["underDirectionOf"]
    if project.finances_are_public:
        assert data["werkstatt:finances"]["grant"] == f"{project.grant:.2f}"
    else:
        assert "werkstatt:finances" not in data
    assert "werkstatt:contact" not in data or project.public_contact


# --- what is not public -----------------------------------------------------------------------------------------


def _all_text(client: Any, query: str = "") -> str:
    body = get_json(client, body_url(client))
    texts = [json.dumps(body, ensure_ascii=False)]
    for name in BODY_LISTS:
        texts += [json.dumps(i, ensure_ascii=False) for i in all_pages(client, body[name] + query)]
    return "\n".join(texts)


def test_non_public_project_never_appears_anywhere(demo, client):
    body = Body.objects.get()
    secret = ProjectFactory(body=body, title="Geheimes Vorhaben Nordflügel", public=False)
    everything = _all_text(client) + _all_text(client, "?modified_since=2000-01-01T00:00:00%2B01:00")
    assert "Geheimes Vorhaben" not in everything
    assert f'/paper/{secret.pk}"' not in everything
    message = assert_error(client.get(f"{API}paper/{secret.pk}"), 404)
    assert "Geheimes" not in message
    assert_error(client.get(f"{API}location/projekt-{secret.pk}"), 404)


def test_internal_agenda_item_and_its_result_stay_hidden(demo, client):
    meeting = Meeting.objects.get(workshop__number=4, number=16)
    hidden = AgendaItemFactory(meeting=meeting, order=99, number="99", title="Interne Personalfrage", public=False)
    assert "Interne Personalfrage" not in _all_text(client)
    assert_error(client.get(f"{API}agenda-item/{hidden.pk}"), 404)


def test_withdrawn_project_is_served_as_deleted_and_listed_only_with_modified_since(demo, client, office_user):
    project = Project.objects.get(title__startswith="Telemedizinische Einbindung")
    before = timezone.now() - dt.timedelta(seconds=1)
    project_update(actor=office_user, project=project, public=False, public_finances=False, public_contact=False)
    data = get_json(client, f"{API}paper/{project.pk}")
    assert data["deleted"] is True
    assert set(data) == {"id", "type", "created", "modified", "deleted"}
    listed = all_pages(client, get_json(client, body_url(client))["paper"])
    assert data["id"] not in {p["id"] for p in listed}
    since = before.astimezone(timezone.get_current_timezone()).replace(microsecond=0).isoformat().replace("+", "%2B")
    changed = sublist(client, "paper", f"?modified_since={since}")["data"]
    assert [p for p in changed if p["id"] == data["id"]] == [data]
    assert "Telemedizinische" not in json.dumps(changed, ensure_ascii=False)


def test_deleted_agenda_item_stays_as_deleted_object(db, client, office_user, workshop4):
    meeting = MeetingFactory(
        workshop=workshop4, state=MeetingState.INVITED, date=timezone.localdate() + dt.timedelta(days=10)
    )
    item = AgendaItemFactory(meeting=meeting, title="Wird gestrichen")
    url = f"{API}agenda-item/{item.pk}"
    assert get_json(client, url)["name"] == "Wird gestrichen"
    agenda_item_delete(actor=office_user, item=AgendaItem.objects.get(pk=item.pk))
    gone = get_json(client, url)
    assert gone["deleted"] is True and set(gone) == {"id", "type", "created", "modified", "deleted"}
    assert gone["id"] not in {i["id"] for i in sublist(client, "agendaItem")["data"]}
    with_deleted = sublist(client, "agendaItem", "?modified_since=2000-01-01T00:00:00%2B01:00")["data"]
    assert gone in with_deleted
    # The session's own modified moved with the deletion of its item.
    assert get_json(client, f"{API}meeting/{meeting.pk}")["modified"] == gone["modified"]


# --- filters and pagination --------------------------------------------------------------------------------------


def test_filters_are_applied_and_kept_in_every_link(demo, client):
    filters = "created_since=2000-01-01T00:00:00%2B01:00&modified_until=2100-01-01T00:00:00%2B01:00"
    page = sublist(client, "organization", f"?{filters}&limit=5")
    assert page["pagination"]["totalPages"] > 1
    for name, link in page["links"].items():
        assert "created_since=2000-01-01T00%3A00%3A00%2B01%3A00" in link, name
        assert "modified_until=2100-01-01T00%3A00%3A00%2B01%3A00" in link, name
        assert "limit=5" in link, name
    future = sublist(client, "organization", "?created_since=2100-01-01T00:00:00%2B01:00")
    assert future["data"] == [] and future["pagination"]["totalElements"] == 0 and "next" not in future["links"]
    # An unencoded "+" arrives as a space and is still read as the offset.
    assert sublist(client, "organization", "?modified_until=2000-01-01T00:00:00+01:00")["data"] == []


def test_pages_are_stable_and_complete(demo, client):
    body = get_json(client, body_url(client))
    whole = get_json(client, body["organization"] + "?limit=500")["data"]
    paged = all_pages(client, body["organization"] + "?limit=7")
    assert [o["id"] for o in paged] == [o["id"] for o in whole]
    assert len({o["id"] for o in whole}) == len(whole)


def test_modified_follows_embedded_changes(demo, client, office_user):
    project = Project.objects.get(title__startswith="Telemedizinische Einbindung")
    before = get_json(client, f"{API}paper/{project.pk}")
    milestone_save(actor=office_user, project=project, kind=MilestoneKind.OPENING, planned_date=dt.date(2030, 5, 1))
    after = get_json(client, f"{API}paper/{project.pk}")
    assert after["modified"] >= before["modified"]
    assert any(m["kind"] == "opening" for m in after["werkstatt:milestones"])
    since = sublist(client, "paper", "?modified_since=" + after["modified"].replace("+", "%2B"))["data"]
    assert project.pk in {int(p["id"].rsplit("/", 1)[1]) for p in since}


# --- conditional requests, CORS, methods ----------------------------------------------------------------------


def test_etag_and_last_modified_give_304(demo, client):
    url = f"{API}person/{demo and PersonFactory._meta.model.objects.order_by('pk').first().pk}"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*" and again["ETag"] == first["ETag"]
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    other = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    listing = client.get(f"{API}body/{Body.objects.get().pk}/person")
    assert (
        client.get(f"{API}body/{Body.objects.get().pk}/person", headers={"If-None-Match": listing["ETag"]}).status_code
        == 304
    )


def test_preflight_and_read_only_methods(demo, client):
    options = client.options(API)
    assert options.status_code == 204 and options["Access-Control-Allow-Origin"] == "*"
    assert "GET" in options["Access-Control-Allow-Methods"]
    message = assert_error(client.post(API, {}), 405)
    assert "nur gelesen" in message


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "status", "words"),
    [
        ("body/{body}/meeting?sort=name", 400, "Unbekannter Parameter „sort“"),
        ("body/{body}/meeting?modified_since=gestern", 400, "ISO 8601"),
        ("body/{body}/meeting?created_until=2024-13-45T99:00:00", 400, "ISO 8601"),
        ("body/{body}/meeting?page=999", 404, "Seite 999 gibt es nicht"),
        ("body/{body}/meeting?page=0", 400, "„page“"),
        ("body/{body}/meeting?page=-1", 400, "„page“"),
        ("body/{body}/meeting?limit=-5", 400, "„limit“"),
        ("body/{body}/meeting?limit=0", 400, "zwischen 1 und 500"),
        ("body/{body}/meeting?limit=1000000", 400, "zwischen 1 und 500"),
        ("body/{body}/meeting?limit=zehn", 400, "„limit“"),
        ("body/{body}/sitzung", 404, "keinen Objekttyp „sitzung“"),
        ("body/999999", 404, "Body"),
        ("body/999999/meeting", 404, "Körperschaft"),
        ("meeting/999999", 404, "Meeting"),
        ("meeting/007", 404, "Meeting"),
        ("meeting/abc", 404, "Meeting"),
        ("organization/werkstatt-999999", 404, "Organization"),
        ("organization/999999/meeting", 404, "Werkstatt"),
        ("file/999999/download", 404, "Datei"),
        ("meeting/1?foo=bar", 400, "Unbekannter Parameter „foo“"),
        ("gibt/es/nicht", 404, "kein OParl-Objekt"),
    ],
)
def test_bad_requests_get_oparl_error_objects(demo, client, suffix, status, words):
    url = API + suffix.format(body=Body.objects.get().pk)
    message = assert_error(client.get(url), status)
    assert words in message, message


# --- files ----------------------------------------------------------------------------------------------------


def test_public_file_of_a_public_project_is_served_with_checksum(demo, client, office_user):
    from werkstatt.documents.services import file_create

    project = Project.objects.get(title__startswith="Telemedizinische Einbindung")
    content = b"%PDF-1.4\n% Projektsteckbrief\n"
    document = file_create(
        actor=office_user, name="Projektsteckbrief", content=content, file_name="steckbrief.pdf", text="Steckbrief"
    )
    project.files.add(document)
    secret = file_create(actor=office_user, name="Interne Kalkulation", content=b"x", file_name="k.pdf", public=False)
    project.files.add(secret)
    files = sublist(client, "file")["data"]
    assert [f["name"] for f in files] == ["Projektsteckbrief"]
    data = files[0]
    assert data["paper"] == [get_json(client, f"{API}paper/{project.pk}")["id"]]
    download = get(client, data["downloadUrl"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Security-Policy"].startswith("sandbox")
    assert download["X-Content-Type-Options"] == "nosniff"
    import hashlib

    assert data["sha512Checksum"] == hashlib.sha512(content).hexdigest()
    assert get(client, data["accessUrl"]).status_code == 200
    assert_error(client.get(f"{API}file/{secret.pk}"), 404)
    assert_error(client.get(f"{API}file/{secret.pk}/download"), 404)


# --- query counts -------------------------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries)


def _grow(body: Body) -> None:
    workshop = body.workshops.order_by("number").first()
    for n in range(6):
        project = ProjectFactory(body=body, lead_workshop=workshop)
        Milestone.objects.create(project=project, kind=MilestoneKind.OPENING, planned_date=dt.date(2030, 1, n + 1))
        meeting = MeetingFactory(workshop=workshop, state=MeetingState.HELD, date=dt.date(2022, 1, n + 1))
        AgendaItemFactory(meeting=meeting)
        AgendaItemFactory(meeting=meeting)
        person = PersonFactory(body=body)
        MembershipFactory(person=person, workshop=workshop)


@pytest.mark.parametrize("name", sorted(BODY_LISTS))
def test_a_list_page_costs_the_same_whatever_the_page_size_and_data(demo, client, name):
    body = Body.objects.get()
    url = get_json(client, body_url(client))[name]
    small = _queries(client, url + "?limit=1")
    big = _queries(client, url + "?limit=500")
    with_deleted = _queries(client, url + "?limit=500&modified_since=2000-01-01T00:00:00%2B01:00")
    _grow(body)
    assert _queries(client, url + "?limit=500") == big
    assert _queries(client, url + "?limit=1") == small
    assert _queries(client, url + "?limit=500&modified_since=2000-01-01T00:00:00%2B01:00") == with_deleted
    assert big <= 12, big

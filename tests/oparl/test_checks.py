"""The OParl toolkit checked on its own: the spec's examples, hand-made bad objects and a fake server in memory."""

from __future__ import annotations

import copy
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.http import FileResponse, JsonResponse
from django.urls import path

from tests.oparl import checks
from tests.oparl.checks import (
    OPARL,
    conditional_problems,
    crawl,
    datetime_problem,
    django_client_get,
    list_problems,
    load_example,
    response_problems,
    rule_problems,
    urllib_get,
    validate,
    walk_list,
)
from tests.oparl.fake import BASE, CREATED, FILES, MODIFIED, FakeServer, json_headers, world

EXAMPLES = sorted(path.stem for path in checks.EXAMPLES_DIR.glob("*.json"))
TYPES = [
    "AgendaItem",
    "Body",
    "Consultation",
    "File",
    "LegislativeTerm",
    "Location",
    "Meeting",
    "Membership",
    "Organization",
    "Paper",
    "Person",
    "System",
]


def meeting(**changes: Any) -> dict[str, Any]:
    """A correct Meeting with an embedded AgendaItem and File, changed by ``changes`` (None removes a key)."""
    obj: dict[str, Any] = {
        "id": BASE + "meeting/3",
        "type": OPARL + "Meeting",
        "name": "3. Sitzung",
        "start": "2024-03-05T10:00:00+01:00",
        "end": "2024-03-31T12:00:00+02:00",
        "agendaItem": [
            {
                "id": BASE + "agendaitem/7",
                "type": OPARL + "AgendaItem",
                "order": 1,
                "name": "Begrüßung",
                "created": CREATED,
                "modified": MODIFIED,
            }
        ],
        "invitation": {
            "id": BASE + "file/9",
            "type": OPARL + "File",
            "accessUrl": FILES + "invitation.pdf",
            "date": "2024-02-20",
            "created": CREATED,
            "modified": MODIFIED,
        },
        "created": CREATED,
        "modified": MODIFIED,
    }
    for key, value in changes.items():
        if value is None:
            obj.pop(key, None)
        else:
            obj[key] = value
    return obj


def page(**changes: Any) -> dict[str, Any]:
    data = [meeting()]
    obj: dict[str, Any] = {
        "data": data,
        "pagination": {"totalElements": 3, "elementsPerPage": 1, "currentPage": 1, "totalPages": 3},
        "links": {"first": BASE + "body/1/meeting", "next": BASE + "body/1/meeting?page=2"},
    }
    obj.update(changes)
    return obj


# ---------------------------------------------------------------------------------------------------- schemas


def test_every_type_has_its_schema_registered_under_its_id_and_file_name():
    assert sorted(checks.schemas()) == TYPES
    registry = checks.registry()
    for name in TYPES:
        assert registry.contents(f"{OPARL}{name}")["$id"] == OPARL + name
        assert registry.contents(f"{OPARL}{name}.json")["$id"] == OPARL + name


@pytest.mark.parametrize("name", [name for name in EXAMPLES if name != "Meeting-01"])
def test_the_specifications_examples_validate(name):
    assert validate(load_example(name)) == []


def test_the_known_defect_of_the_meeting_example_is_reported():
    assert validate(load_example("Meeting-01")) == [
        "Meeting https://oparl.example.org/meeting/281: agendaItem[0]: 'order' is a required property"
    ]


def test_the_rules_find_the_other_defects_of_the_examples():
    found = {name: rule_problems(load_example(name)) for name in EXAMPLES}
    assert found == {
        "Body-01": [
            "Body https://oparl.example.org/body/0: licenseValidSince: '2014-01-01T00:00:00+02:00' has the offset "
            "+02:00, but Europe/Berlin is at +01:00 at that moment"
        ],
        "File-01": [],
        "Location-01": [
            "Location https://oparl.example.org/location/0: created: missing (created and modified are required on "
            "every object)",
            "Location https://oparl.example.org/location/0: modified: missing (created and modified are required on "
            "every object)",
        ],
        "Meeting-01": [],
        "Organization-01": [],
        "Paper-01": [],
        "Person-01": [],
        "System-01": [],
    }


def test_embedded_objects_are_validated_through_their_ref():
    bad = meeting()
    del bad["invitation"]["accessUrl"]
    bad["agendaItem"][0]["public"] = "ja"
    bad["agendaItem"].append({"id": BASE + "agendaitem/8", "type": OPARL + "File", "order": 2})
    paper = load_example("Paper-01")
    paper["consultation"][0]["authoritative"] = "yes"
    paper["location"][0]["geojson"] = "Rathaus"
    assert validate(bad) == [
        "Meeting https://oparl.example.org/meeting/3: agendaItem[0].public: 'ja' is not of type 'boolean'".replace(
            "https://oparl.example.org/", BASE
        ),
        f"Meeting {BASE}meeting/3: agendaItem[1].type: '{OPARL}AgendaItem' was expected",
        f"Meeting {BASE}meeting/3: invitation: 'accessUrl' is a required property",
    ]
    assert validate(paper) == [
        "Paper https://oparl.example.org/paper/749: consultation[0].authoritative: 'yes' is not of type 'boolean'",
        "Paper https://oparl.example.org/paper/749: location[0].geojson: 'Rathaus' is not of type 'object'",
    ]


def test_a_body_with_its_main_organization_validates_despite_the_schema_files_stray_ref():
    with (checks.SCHEMA_DIR / "Body.json").open(encoding="utf-8") as handle:
        published = json.load(handle)
    assert published["properties"]["mainOrganization"]["$ref"] == "Organization"  # the defect mended in memory
    body = load_example("Body-01")
    body["mainOrganization"] = "https://oparl.example.org/organization/1"
    assert validate(body) == []
    body["mainOrganization"] = {"id": "x"}
    assert validate(body) == [
        "Body https://oparl.example.org/body/0: mainOrganization: {'id': 'x'} is not of type 'string'"
    ]


def test_an_object_without_an_oparl_type_is_reported():
    assert validate({"id": BASE + "x", "type": "https://schema.oparl.org/1.0/Meeting"}) == [
        f"https://schema.oparl.org/1.0/Meeting {BASE}x: no OParl 1.1 type: 'https://schema.oparl.org/1.0/Meeting'"
    ]


# ---------------------------------------------------------------------------------------------------- rules


def test_a_correct_object_passes_the_rules():
    assert rule_problems(meeting(), served_from=BASE + "meeting/3") == []


def test_null_empty_string_and_empty_list_are_caught():
    bad = meeting(name="", keyword=[])
    bad["web"] = None
    bad["agendaItem"][0]["number"] = None
    bad["agendaItem"][0]["keyword"] = ["Radweg", ""]
    assert rule_problems(bad) == [
        f'Meeting {BASE}meeting/3: name: is "" (leave the field out instead)',
        f"Meeting {BASE}meeting/3: keyword: is [] (leave the field out instead)",
        f"Meeting {BASE}meeting/3: web: is null",
        f"Meeting {BASE}meeting/3: agendaItem[0].number: is null",
        f'Meeting {BASE}meeting/3: agendaItem[0].keyword[1]: is "" (leave the field out instead)',
    ]


def test_a_required_list_may_be_empty():
    body = load_example("Body-01")
    body["legislativeTerm"] = []
    body["licenseValidSince"] = "2014-01-01T00:00:00+01:00"
    assert rule_problems(body) == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2024-01-24T14:10:00+01:00", None),
        ("2024-07-01T09:30:00+02:00", None),
        ("2024-10-27T02:30:00+02:00", None),  # the hour that happens twice, before the clocks go back
        ("2024-10-27T02:30:00+01:00", None),  # … and after
        ("2024-01-24T13:10:00Z", "'2024-01-24T13:10:00Z' is in UTC ('Z'), not with the Europe/Berlin offset"),
        ("2024-01-24T13:10:00+00:00", "'2024-01-24T13:10:00+00:00' has the offset +00:00, not Europe/Berlin's"),
        ("2024-01-24T14:10:00+02:00", "Europe/Berlin is at +01:00 at that moment"),
        ("2024-07-01T09:30:00+01:00", "Europe/Berlin is at +02:00 at that moment"),
        ("2024-03-31T02:30:00+01:00", "Europe/Berlin is at +02:00 at that moment"),  # a time that does not exist
        ("2024-01-24T14:10+01:00", "is not in the format yyyy-mm-ddThh:mm:ss±hh:mm"),
        ("2024-01-24T14:10:00.123+01:00", "is not in the format yyyy-mm-ddThh:mm:ss±hh:mm"),
        ("2024-01-24 14:10:00+01:00", "is not in the format yyyy-mm-ddThh:mm:ss±hh:mm"),
        ("2024-01-24T14:10:00", "is not in the format yyyy-mm-ddThh:mm:ss±hh:mm"),
        ("24.01.2024, 14:10 Uhr", "is not in the format yyyy-mm-ddThh:mm:ss±hh:mm"),
        ("2024-02-30T14:10:00+01:00", "is not a valid date-time"),
    ],
)
def test_date_times_need_the_berlin_offset_of_their_moment(value, problem):
    found = datetime_problem(value)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_wrong_date_and_date_time_formats_are_caught_everywhere():
    bad = meeting(start="2024-03-05T09:00:00Z", created="2024-01-24T14:10:00", end="05.03.2024")
    bad["invitation"]["date"] = "2024-02-20T00:00:00+01:00"
    bad["agendaItem"][0]["modified"] = "2024-02-31T10:00:00+01:00"
    assert rule_problems(bad) == [
        f"Meeting {BASE}meeting/3: start: '2024-03-05T09:00:00Z' is in UTC ('Z'), not with the Europe/Berlin offset "
        "(+01:00 or +02:00)",
        f"Meeting {BASE}meeting/3: end: '05.03.2024' is not in the format yyyy-mm-ddThh:mm:ss±hh:mm",
        f"Meeting {BASE}meeting/3: created: '2024-01-24T14:10:00' is not in the format yyyy-mm-ddThh:mm:ss±hh:mm",
        f"Meeting {BASE}meeting/3: invitation.date: '2024-02-20T00:00:00+01:00' is not in the format yyyy-mm-dd",
        f"Meeting {BASE}meeting/3: agendaItem[0].modified: '2024-02-31T10:00:00+01:00' is not a valid date-time",
    ]


def test_created_and_modified_are_required_on_embedded_objects_too():
    bad = meeting(modified=None)
    del bad["invitation"]["created"]
    assert rule_problems(bad) == [
        f"Meeting {BASE}meeting/3: modified: missing (created and modified are required on every object)",
        f"Meeting {BASE}meeting/3: invitation.created: missing (created and modified are required on every object)",
    ]


def test_unknown_keys_need_a_vendor_prefix():
    ok = meeting(**{"werkstatt:number": 3})
    bad = meeting(number=3)
    bad["invitation"]["checksum"] = "abc"
    assert rule_problems(ok) == []
    assert rule_problems(bad) == [
        f"Meeting {BASE}meeting/3: number: unknown field without a vendor prefix (such as 'werkstatt:')",
        f"Meeting {BASE}meeting/3: invitation.checksum: unknown field without a vendor prefix (such as 'werkstatt:')",
    ]


def test_urls_must_be_absolute():
    bad = meeting(organization=["/oparl/v1.1/organization/1"], web="web.test/sitzung/3")
    assert rule_problems(bad) == [
        f"Meeting {BASE}meeting/3: organization[0]: '/oparl/v1.1/organization/1' is not an absolute http(s) URL",
        f"Meeting {BASE}meeting/3: web: 'web.test/sitzung/3' is not an absolute http(s) URL",
    ]


def test_a_deleted_object_carries_only_id_type_created_modified_and_deleted():
    gone = {"id": BASE + "meeting/4", "type": OPARL + "Meeting", "created": CREATED, "modified": MODIFIED}
    assert rule_problems({**gone, "deleted": True}) == []
    assert rule_problems({**gone, "deleted": True, "name": "4. Sitzung", "werkstatt:x": 1}) == [
        f"Meeting {BASE}meeting/4: deleted object carries name, werkstatt:x (only created, deleted, id, modified, "
        "type allowed)"
    ]
    assert rule_problems({**gone, "deleted": True, "created": None}) == [f"Meeting {BASE}meeting/4: created: is null"]


def test_the_id_must_be_the_url_the_object_was_served_from():
    assert rule_problems(meeting(), served_from=BASE + "meeting/03") == [
        f"Meeting {BASE}meeting/3: id: is not the URL it was served from ({BASE}meeting/03)"
    ]


# ---------------------------------------------------------------------------------------------------- lists


def test_a_correct_list_page_passes():
    assert list_problems(page(), served_from=BASE + "body/1/meeting", item_type="Meeting") == []


def test_a_page_that_is_not_the_last_needs_links_next():
    bad = page(links={"first": BASE + "body/1/meeting"})
    assert list_problems(bad, served_from=BASE + "body/1/meeting") == [
        f"list {BASE}body/1/meeting: links.next missing on page 1 of 3"
    ]


def test_the_last_page_has_no_next_and_the_first_no_prev():
    last = page(
        pagination={"totalElements": 3, "elementsPerPage": 1, "currentPage": 3, "totalPages": 3},
        links={"prev": BASE + "body/1/meeting?page=2", "next": BASE + "body/1/meeting?page=4"},
    )
    first = page(links={"prev": BASE + "x", "next": BASE + "body/1/meeting?page=2"})
    assert list_problems(last, served_from=BASE + "body/1/meeting?page=3") == [
        f"list {BASE}body/1/meeting?page=3: links.next present on the last page (3 of 3)"
    ]
    assert list_problems(first, served_from=BASE + "body/1/meeting") == [
        f"list {BASE}body/1/meeting: links.prev present on the first page"
    ]


def test_every_link_keeps_the_filters_of_the_request():
    served = (
        BASE + "body/1/meeting"
        "?modified_since=2024-01-01T00%3A00%3A00%2B01%3A00&created_until=2024-12-31T00%3A00%3A00%2B01%3A00"
    )
    bad = page(
        links={
            "first": served,
            "next": BASE + "body/1/meeting?page=2&modified_since=2024-01-01T00%3A00%3A00%2B01%3A00",
            "last": BASE + "body/1/meeting?page=3&modified_since=2024-01-01T00:00:00+01:00"
            "&created_until=2024-12-31T00%3A00%3A00%2B01%3A00&created_since=2020-01-01T00%3A00%3A00%2B01%3A00",
        }
    )
    assert list_problems(bad, served_from=served) == [
        f"list {served}: links.next drops the filter created_until=2024-12-31T00:00:00+01:00",
        f"list {served}: links.last adds the filter created_since=2020-01-01T00:00:00+01:00 not given in the request",
        f"list {served}: links.last changes the filter modified_since=2024-01-01T00:00:00+01:00 to "
        "2024-01-01T00:00:00 01:00",
    ]


def test_the_filters_can_be_given_explicitly_for_later_pages():
    served = BASE + "body/1/meeting?page=2"
    filters = {"modified_since": "2024-01-01T00:00:00+01:00"}
    second = page(
        pagination={"totalElements": 3, "elementsPerPage": 1, "currentPage": 2, "totalPages": 3},
        links={"prev": BASE + "body/1/meeting?modified_since=2024-01-01T00%3A00%3A00%2B01%3A00", "next": BASE + "n"},
    )
    assert list_problems(second, served_from=served, filters=filters) == [
        f"list {served}: links.next drops the filter modified_since=2024-01-01T00:00:00+01:00",
    ]


def test_the_listed_objects_must_match_the_filters_and_be_checked():
    served = BASE + "body/1/meeting?created_since=2024-02-01T00%3A00%3A00%2B01%3A00"
    bad = page(
        data=[meeting(name=None, number=3)],
        links={"next": BASE + "body/1/meeting?page=2&created_since=2024-02-01T00%3A00%3A00%2B01%3A00"},
    )
    assert list_problems(bad, served_from=served, item_type="Paper") == [
        f"list {served}: data[0]: {BASE}meeting/3 has the type {OPARL}Meeting, not {OPARL}Paper",
        f"list {served}: data[0]: {BASE}meeting/3: created 2024-01-24T14:10:00+01:00 is before "
        "created_since=2024-02-01T00:00:00+01:00",
        f"Meeting {BASE}meeting/3: number: unknown field without a vendor prefix (such as 'werkstatt:')",
    ]


def test_deleted_objects_are_listed_only_with_modified_since():
    gone = {"id": BASE + "meeting/4", "type": OPARL + "Meeting", "created": CREATED, "modified": MODIFIED}
    listed = page(data=[{**gone, "deleted": True}])
    assert list_problems(listed, served_from=BASE + "body/1/meeting") == [
        f"list {BASE}body/1/meeting: data[0]: deleted object {BASE}meeting/4 listed without modified_since"
    ]
    since = BASE + "body/1/meeting?modified_since=2024-01-01T00%3A00%3A00%2B01%3A00"
    listed["links"] = {"next": since + "&page=2"}
    assert list_problems(listed, served_from=since) == []


def test_the_pagination_must_add_up():
    bad = page(
        data=[meeting(), meeting(id=BASE + "meeting/5")],
        pagination={"totalElements": 3, "elementsPerPage": 1, "currentPage": 1, "totalPages": 2, "pages": 2},
    )
    assert list_problems(bad, served_from=BASE + "body/1/meeting") == [
        f"list {BASE}body/1/meeting: pagination.pages: unknown field",
        f"list {BASE}body/1/meeting: data has 2 objects, more than elementsPerPage 1",
        f"list {BASE}body/1/meeting: pagination.totalPages is 2, but 3 elements at 1 per page make 3",
        f"list {BASE}body/1/meeting: page 1 of 2 has 2 objects, not elementsPerPage 1",
    ]


def test_a_page_needs_data_pagination_and_links():
    assert list_problems({"data": {}, "items": []}, served_from=BASE + "l") == [
        f"list {BASE}l: pagination: missing",
        f"list {BASE}l: links: missing",
        f"list {BASE}l: items: unknown field without a vendor prefix",
        f"list {BASE}l: data: dict, not a JSON array",
    ]


# ---------------------------------------------------------------------------------------------------- responses


def answer(status: int = 200, body: Any = None, **headers: str) -> checks.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body if body is not None else meeting()).encode()
    base = json_headers(raw)
    base.update({key.replace("_", "-"): value for key, value in headers.items()})
    return checks.response(BASE + "meeting/3", (status, {k: v for k, v in base.items() if v}, raw))


def test_a_correct_answer_passes():
    assert response_problems(answer()) == []
    assert response_problems(answer(404, {"type": OPARL + "Error", "message": "Nicht gefunden.", "debug": "x"})) == []


def test_answers_need_cors_json_and_an_etag():
    assert response_problems(answer(**{"Access_Control_Allow_Origin": "https://web.test", "ETag": ""})) == [
        f"200 {BASE}meeting/3: Access-Control-Allow-Origin is 'https://web.test', not '*'",
        f"200 {BASE}meeting/3: no ETag",
    ]
    assert response_problems(answer(Content_Type="text/html; charset=utf-8")) == [
        f"200 {BASE}meeting/3: Content-Type is 'text/html; charset=utf-8', not application/json"
    ]
    assert response_problems(answer(Content_Type="application/json; charset=iso-8859-1")) == [
        f"200 {BASE}meeting/3: charset is iso-8859-1, not UTF-8"
    ]


def test_the_body_must_be_strict_json():
    for raw, reason in [
        (b"{'id': 1}", "Expecting property name"),
        (b'{"a": 1, "a": 2}', "duplicate keys a"),
        (b'{"a": NaN}', "NaN is not JSON"),
        (b'\xef\xbb\xbf{"a": 1}', "byte order mark"),
    ]:
        [problem] = response_problems(answer(body=raw))
        assert problem.startswith(f"200 {BASE}meeting/3: body is not valid JSON: ") and reason in problem


def test_errors_are_oparl_errors_and_never_500():
    assert response_problems(answer(404, {"detail": "Not found"})) == [
        f"404 {BASE}meeting/3: error body is not of type {OPARL}Error",
        f"404 {BASE}meeting/3: error body without a message",
        f"404 {BASE}meeting/3: error body has unknown fields detail",
    ]
    assert response_problems(answer(500, {"type": OPARL + "Error", "message": "Fehler"})) == [
        f"500 {BASE}meeting/3: server error"
    ]
    assert response_problems(answer(200, {"type": OPARL + "Error", "message": "Fehler"})) == [
        f"200 {BASE}meeting/3: an Error body with status 200"
    ]


def test_a_304_needs_no_cors_header_and_no_body():
    assert response_problems(checks.response(BASE + "meeting/3", (304, {"ETag": '"a"'}, b""))) == []


def test_a_conditional_request_gives_304():
    server = world()
    assert conditional_problems(server, BASE + "meeting/1") == []
    server.ignore_if_none_match = True
    [problem] = conditional_problems(server, BASE + "meeting/1")
    assert problem.startswith(f"{BASE}meeting/1: If-None-Match ") and problem.endswith(" answers 200, not 304")


# ---------------------------------------------------------------------------------------------------- lists walked


def test_a_list_is_walked_page_by_page_with_its_filters():
    server = world()
    url = BASE + "body/1/meeting?created_since=2024-01-01T00%3A00%3A00%2B01%3A00"
    walk = walk_list(server, url, item_type="Meeting")
    assert walk.problems == []
    assert walk.ids == [BASE + "meeting/1", BASE + "meeting/2"]
    assert len(walk.pages) == 2
    server.drop_filters_in_links = True
    walk = walk_list(server, url, item_type="Meeting")
    assert walk.problems == [
        f"list {url}: links.first drops the filter created_since=2024-01-01T00:00:00+01:00",
        f"list {url}: links.last drops the filter created_since=2024-01-01T00:00:00+01:00",
        f"list {url}: links.next drops the filter created_since=2024-01-01T00:00:00+01:00",
        f"list {BASE}body/1/meeting?page=2: links.first drops the filter created_since=2024-01-01T00:00:00+01:00",
        f"list {BASE}body/1/meeting?page=2: links.last drops the filter created_since=2024-01-01T00:00:00+01:00",
        f"list {BASE}body/1/meeting?page=2: links.prev drops the filter created_since=2024-01-01T00:00:00+01:00",
    ]


def test_an_unstable_order_is_noticed():
    server = world()

    def shuffling(url, headers=None):
        if url.endswith("page=2"):  # the order changes between the first and the second page
            server.lists[BASE + "body/1/meeting"].reverse()
        return server(url, headers)

    walk = walk_list(shuffling, BASE + "body/1/meeting")
    assert walk.ids == [BASE + "meeting/1", BASE + "meeting/1"]
    assert walk.problems == [
        f"list {BASE}body/1/meeting: {BASE}meeting/1 appears 2 times (order not stable?)",
        f"list {BASE}body/1/meeting: the first page lists other objects or another order when fetched again",
    ]


# ---------------------------------------------------------------------------------------------------- crawling


def test_the_crawler_finds_nothing_wrong_with_a_correct_server():
    server = world()
    result = crawl(server, BASE, conditional=True)
    assert result.problems == []
    assert result.objects == {name: 2 if name == "Meeting" else 1 for name in TYPES}
    assert result.requests == len(server.requests)
    assert set(result.lists) == {BASE + "body", *(url for url in server.lists if url != BASE + "body")}
    # every object was fetched at its own URL, the files were downloaded, the conditional requests were made
    assert set(server.objects) <= set(result.fetched)
    assert {FILES + "minutes.pdf", FILES + "minutes.pdf?download=1"} <= set(server.requests)
    assert server.requests.count(BASE + "meeting/1") == 3  # fetched, If-None-Match with the ETag, with another


def test_the_crawler_finds_a_dangling_reference():
    server = world()
    server.objects[BASE + "meeting/2"]["organization"].append(BASE + "organization/99")
    result = crawl(server, BASE)
    assert f"Meeting {BASE}meeting/2: organization[1]: refers to {BASE}organization/99, which answers 404" in (
        result.problems
    )
    assert result.problems == [
        f"Meeting {BASE}meeting/2: organization[1]: refers to {BASE}organization/99, which answers 404"
    ]


def test_the_crawler_finds_an_id_that_differs_from_its_url():
    server = world()
    person = server.objects.pop(BASE + "person/1")
    server.objects[BASE + "person/1"] = {**person, "id": BASE + "person/01"}
    result = crawl(server, BASE)
    assert result.problems == [
        f"Person {BASE}person/01: id: is not the URL it was served from ({BASE}person/1)",
        f"list {BASE}body/1/person: data: refers to {BASE}person/01, which answers 404",
    ]


def test_the_crawler_finds_an_object_missing_from_its_body_list():
    server = world()
    server.lists[BASE + "body/1/agendaItem"].clear()
    result = crawl(server, BASE)
    assert result.problems == [
        f"AgendaItem {BASE}agendaitem/1: not in the list agendaItem ({BASE}body/1/agendaItem)",
    ]


def test_the_crawler_finds_a_reference_to_an_object_of_another_type():
    server = world()
    server.objects[BASE + "agendaitem/1"]["consultation"] = BASE + "paper/1"
    result = crawl(server, BASE)
    wrong = f"refers to {BASE}paper/1, which is a {OPARL}Paper, not a {OPARL}Consultation"
    assert result.problems == [
        f"Meeting {BASE}meeting/1: agendaItem[0].consultation: {wrong}",  # embedded in the meeting
        f"AgendaItem {BASE}agendaitem/1: consultation: {wrong}",  # at its own URL
    ]


def test_the_crawler_checks_embedded_objects_at_their_own_url():
    server = world()
    del server.objects[BASE + "file/1"]
    server.lists[BASE + "body/1/file"].clear()
    result = crawl(server, BASE)
    assert f"Meeting {BASE}meeting/1: resultsProtocol.id: refers to {BASE}file/1, which answers 404" in result.problems
    assert f"File {BASE}file/1: not in the list file ({BASE}body/1/file)" in result.problems


def test_the_crawler_compares_a_listed_object_with_the_one_at_its_url():
    server = world()
    changed = {**server.objects[BASE + "paper/1"], "name": "Projekt Radweg (neu)"}

    def get(url, headers=None):
        return server.answer(changed, headers) if url == BASE + "paper/1" else server(url, headers)

    result = crawl(get, BASE)
    assert result.problems == [f"Paper {BASE}paper/1: the list shows it otherwise than its own URL"]


def test_the_crawler_downloads_files_and_checks_them():
    server = world()
    file = server.objects[BASE + "file/1"]
    file["sha512Checksum"] = "0" * 128
    file["size"] = 1
    server.files[FILES + "minutes.pdf?download=1"][1].pop("Content-Disposition")
    del server.files[FILES + "minutes.pdf"]
    result = crawl(server, BASE)
    where = f"File {BASE}file/1: downloadUrl {FILES}minutes.pdf?download=1"
    assert result.problems == [
        f"File {BASE}file/1: accessUrl {FILES}minutes.pdf answers 404",
        f"{where}: the content does not match sha512Checksum",
        f"{where}: 17 bytes, size says 1",
        f"{where}: Content-Disposition '', not attachment; filename",
    ]


def test_the_crawler_finds_a_deleted_object_through_modified_since_only():
    server = world()
    gone = {
        "id": BASE + "meeting/3",
        "type": OPARL + "Meeting",
        "created": CREATED,
        "modified": "2024-08-01T12:00:00+02:00",
        "deleted": True,
    }
    server.add(gone)
    server.lists[BASE + "body/1/meeting"].append(gone["id"])
    server.objects[BASE + "consultation/1"]["meeting"] = gone["id"]
    result = crawl(server, BASE)
    assert result.problems == []
    filtered = BASE + "body/1/meeting?modified_since=2024-08-01T12%3A00%3A00%2B02%3A00"
    assert result.lists[filtered].ids == [gone["id"]]
    server.lists[BASE + "body/1/meeting"].remove(gone["id"])
    result = crawl(server, BASE)
    assert result.problems == [f"Meeting {BASE}meeting/3: not in the list meeting ({BASE}body/1/meeting)"]


def test_the_crawler_reports_a_body_missing_from_the_system_list_and_a_bad_start():
    server = world()
    server.add({**server.objects[BASE + "body/1"], "id": BASE + "body/2", "name": "Nachbarstadt"})
    server.objects[BASE + "organization/1"]["externalBody"] = BASE + "body/2"
    result = crawl(server, BASE)
    assert result.problems == [f"Body {BASE}body/2: not in the list System.body ({BASE}body)"]
    assert crawl(server, BASE + "nothing").problems == [
        f"{BASE}nothing: answers 404, not with a System object",
    ]


def test_the_crawler_opens_the_web_pages_when_asked():
    server = world()
    assert crawl(server, BASE, check_web=True).problems == [f"System {BASE}: web https://web.test/ answers 404"]
    server.files["https://web.test/"] = (b"<!doctype html>", {"Content-Type": "text/html"})
    assert crawl(server, BASE, check_web=True).problems == []
    assert "https://web.test/" in server.requests


def test_the_crawler_stops_at_its_request_limit():
    result = crawl(world(), BASE, max_requests=5)
    assert result.requests == 5
    assert result.problems[-1] == "crawl stopped after 5 requests"


def test_the_fake_server_serves_what_the_crawler_reads():
    server = FakeServer()
    server.add({"id": BASE + "a", "type": OPARL + "System"})
    status, headers, body = server(BASE + "a")
    assert (status, json.loads(body)["id"]) == (200, BASE + "a")
    assert server(BASE + "a", {"If-None-Match": headers["ETag"]})[0] == 304
    assert server(BASE + "b")[0] == 404
    assert copy.deepcopy(server.requests) == [BASE + "a", BASE + "a", BASE + "b"]


# ---------------------------------------------------------------------------------------------------- adapters


def json_view(request):
    answer = JsonResponse({"type": OPARL + "Error", "message": "Nicht gefunden.", "debug": request.GET.get("q")})
    answer.status_code = 404
    answer["Access-Control-Allow-Origin"] = "*"
    answer["X-If-None-Match"] = request.headers.get("If-None-Match", "")
    return answer


def file_view(request):
    return FileResponse(io.BytesIO(b"%PDF-1.4"), content_type="application/pdf", as_attachment=True, filename="a.pdf")


urlpatterns = [path("json", json_view), path("file", file_view)]


def test_the_django_adapter_fetches_through_the_test_client(client, settings):
    settings.ROOT_URLCONF = __name__
    get = django_client_get(client)
    status, headers, body = get("http://testserver/json?q=x", {"If-None-Match": '"a"'})
    assert (status, headers["X-If-None-Match"]) == (404, '"a"')
    assert json.loads(body)["debug"] == "x"
    assert response_problems(client.get("/json")) == []
    status, headers, body = get("http://testserver/file")
    assert (status, body, headers["Content-Disposition"]) == (200, b"%PDF-1.4", 'attachment; filename="a.pdf"')
    assert response_problems(client.get("/file")) == [
        "200 http://testserver/file: Access-Control-Allow-Origin is None, not '*'",
        "200 http://testserver/file: Content-Type is 'application/pdf', not application/json",
        "200 http://testserver/file: body is not valid JSON: Expecting value: line 1 column 1 (char 0)",
    ]
    assert get("https://elsewhere.test/json") == (0, {}, b"")


@pytest.fixture
def live_fake() -> Iterator[tuple[str, FakeServer]]:
    """The fake world behind a real HTTP server on a free local port."""
    holder: dict[str, FakeServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = holder["server"](origin + self.path, dict(self.headers.items()))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    base = origin + "/oparl/"
    holder["server"] = world(base, base + "files/")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield base, holder["server"]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_the_urllib_adapter_crawls_a_live_server(live_fake):
    base, server = live_fake
    get = urllib_get(timeout=5)
    status, _, body = get(base + "nothing")
    assert status == 404
    assert json.loads(body) == {"type": OPARL + "Error", "message": "Nicht gefunden."}
    result = crawl(get, base, conditional=True)
    assert result.problems == []
    assert result.requests == len(server.requests) - 1  # all but the request for "nothing"
    assert result.objects["Meeting"] == 2
    with pytest.raises(ValueError, match="not an http"):
        get("file:///etc/hostname")

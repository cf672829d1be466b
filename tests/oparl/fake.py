"""A tiny OParl server in memory for the toolkit's own tests: URL → object, lists served page by page.

It behaves as the specification wants (filters kept in every link, deleted objects listed only with
``modified_since``, ETag and 304, OParl errors); tests then break one thing at a time.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from tests.oparl.checks import FILTERS, OPARL

BASE = "https://oparl.test/v1.1/"
FILES = "https://files.test/"
CREATED = "2024-01-24T14:10:00+01:00"
MODIFIED = "2024-07-01T09:30:00+02:00"


def json_headers(body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": "*",
        "ETag": '"' + hashlib.sha256(body).hexdigest()[:16] + '"',
    }


class FakeServer:
    """``server(url, headers=None) -> (status, headers, body)``, the ``get`` of ``checks.crawl``."""

    def __init__(self, *, per_page: int = 2) -> None:
        self.per_page = per_page
        self.objects: dict[str, dict[str, Any]] = {}
        self.lists: dict[str, list[str]] = {}  # list URL → object URLs in their stable order
        self.files: dict[str, tuple[bytes, dict[str, str]]] = {}
        self.requests: list[str] = []
        self.drop_filters_in_links = False
        self.ignore_if_none_match = False

    def add(self, obj: dict[str, Any], url: str | None = None) -> dict[str, Any]:
        self.objects[url or obj["id"]] = obj
        return obj

    def __call__(self, url: str, headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        self.requests.append(url)
        if url in self.files:
            content, file_headers = self.files[url]
            return 200, {"Access-Control-Allow-Origin": "*", **file_headers}, content
        parts = urlsplit(url)
        bare = urlunsplit(parts._replace(query=""))
        if bare in self.lists:
            return self.answer(self.list_page(bare, parse_qs(parts.query)), headers)
        if url in self.objects:
            return self.answer(self.objects[url], headers)
        return self.error(404, "Nicht gefunden.")

    def answer(self, data: Any, headers: Mapping[str, str] | None) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps(data, ensure_ascii=False).encode()
        out = json_headers(body)
        asked = {name.lower(): value for name, value in (headers or {}).items()}.get("if-none-match")
        if not self.ignore_if_none_match and asked == out["ETag"]:
            return 304, {"Access-Control-Allow-Origin": "*", "ETag": out["ETag"]}, b""
        return 200, out, body

    def error(self, status: int, message: str) -> tuple[int, dict[str, str], bytes]:
        body = json.dumps({"type": OPARL + "Error", "message": message}).encode()
        return status, {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}, body

    def list_page(self, url: str, query: dict[str, list[str]]) -> dict[str, Any]:
        filters = {name: query[name][0] for name in FILTERS if name in query}
        items = [copy.deepcopy(self.objects[item]) for item in self.lists[url]]
        items = [item for item in items if self.matches(item, filters)]
        page = int(query.get("page", ["1"])[0])
        pages = max(1, -(-len(items) // self.per_page))
        kept = {} if self.drop_filters_in_links else filters

        def link(number: int) -> str:
            return url + "?" + urlencode({**kept, "page": number})

        links = {"first": link(1), "last": link(pages)}
        if page > 1:
            links["prev"] = link(page - 1)
        if page < pages:
            links["next"] = link(page + 1)
        return {
            "data": items[(page - 1) * self.per_page : page * self.per_page],
            "pagination": {
                "totalElements": len(items),
                "elementsPerPage": self.per_page,
                "currentPage": page,
                "totalPages": pages,
            },
            "links": links,
        }

    @staticmethod
    def matches(item: dict[str, Any], filters: dict[str, str]) -> bool:
        if item.get("deleted") and "modified_since" not in filters:
            return False
        for name, value in filters.items():
            field, _, side = name.partition("_")
            own = datetime.fromisoformat(item[field])
            bound = datetime.fromisoformat(value)
            if (side == "since" and own < bound) or (side == "until" and own > bound):
                return False
        return True


def stamp(obj: dict[str, Any]) -> dict[str, Any]:
    return {**obj, "created": CREATED, "modified": MODIFIED}


def world(base: str = BASE, files: str = FILES) -> FakeServer:
    """A small correct OParl server: one Body with one of everything, two meetings, lists of two per page."""
    server = FakeServer(per_page=1)
    body = base + "body/1"
    lists = {
        "organization": body + "/organization",
        "person": body + "/person",
        "meeting": body + "/meeting",
        "paper": body + "/paper",
        "agendaItem": body + "/agendaItem",
        "consultation": body + "/consultation",
        "file": body + "/file",
        "locationList": body + "/location",
        "legislativeTermList": body + "/legislativeTerm",
        "membership": body + "/membership",
    }
    content = b"%PDF-1.4 minutes\n"
    server.files[files + "minutes.pdf"] = (content, {"Content-Type": "application/pdf"})
    server.files[files + "minutes.pdf?download=1"] = (
        content,
        {"Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="minutes.pdf"'},
    )
    location = stamp({"id": base + "location/1", "type": OPARL + "Location", "description": "Rathaus, Saal 1"})
    term = stamp(
        {
            "id": base + "legislativeterm/1",
            "type": OPARL + "LegislativeTerm",
            "body": body,
            "name": "2024–2029",
            "startDate": "2024-06-09",
        }
    )
    file = stamp(
        {
            "id": base + "file/1",
            "type": OPARL + "File",
            "name": "Ergebnisprotokoll",
            "fileName": "minutes.pdf",
            "mimeType": "application/pdf",
            "size": len(content),
            "sha512Checksum": hashlib.sha512(content).hexdigest(),
            "accessUrl": files + "minutes.pdf",
            "downloadUrl": files + "minutes.pdf?download=1",
            "date": "2024-01-24",
        }
    )
    organization = stamp(
        {
            "id": base + "organization/1",
            "type": OPARL + "Organization",
            "body": body,
            "name": "Werkstatt 1",
            "classification": "Werkstatt",
            "location": location,
        }
    )
    membership = stamp(
        {
            "id": base + "membership/1",
            "type": OPARL + "Membership",
            "person": base + "person/1",
            "organization": organization["id"],
            "role": "Sprecherin",
            "startDate": "2024-01-01",
        }
    )
    person = stamp(
        {
            "id": base + "person/1",
            "type": OPARL + "Person",
            "body": body,
            "name": "Anna Beispiel",
            "membership": [membership],
        }
    )
    agenda_item = stamp(
        {
            "id": base + "agendaitem/1",
            "type": OPARL + "AgendaItem",
            "meeting": base + "meeting/1",
            "number": "1",
            "order": 1,
            "name": "Vorstellung",
            "public": True,
            "consultation": base + "consultation/1",
        }
    )
    meetings = [
        stamp(
            {
                "id": base + "meeting/1",
                "type": OPARL + "Meeting",
                "name": "1. Sitzung",
                "start": "2024-01-24T14:10:00+01:00",
                "end": "2024-01-24T16:00:00+01:00",
                "location": location,
                "organization": [organization["id"]],
                "resultsProtocol": file,
                "agendaItem": [agenda_item],
            }
        ),
        stamp(
            {
                "id": base + "meeting/2",
                "type": OPARL + "Meeting",
                "name": "2. Sitzung",
                "start": "2024-07-03T10:00:00+02:00",
                "organization": [organization["id"]],
            }
        ),
    ]
    consultation = stamp(
        {
            "id": base + "consultation/1",
            "type": OPARL + "Consultation",
            "paper": base + "paper/1",
            "agendaItem": agenda_item["id"],
            "meeting": base + "meeting/1",
            "organization": [organization["id"]],
            "authoritative": True,
            "role": "Vorstellung",
        }
    )
    paper = stamp(
        {
            "id": base + "paper/1",
            "type": OPARL + "Paper",
            "body": body,
            "name": "Projekt Radweg",
            "reference": "P-2024-1",
            "date": "2024-01-10",
            "consultation": [consultation],
        }
    )
    server.add(
        stamp(
            {
                "id": base,
                "type": OPARL + "System",
                "oparlVersion": OPARL,
                "body": base + "body",
                "name": "Testsystem",
                "web": "https://web.test/",
            }
        )
    )
    server.add(
        stamp(
            {
                "id": body,
                "type": OPARL + "Body",
                "system": base,
                "name": "Teststadt",
                "legislativeTerm": [term],
                "location": location,
                **lists,
            }
        )
    )
    for obj in (location, term, file, organization, membership, person, agenda_item, *meetings, consultation, paper):
        server.add(obj)
    server.lists[base + "body"] = [body]
    members = {
        "organization": [organization],
        "person": [person],
        "meeting": meetings,
        "paper": [paper],
        "agendaItem": [agenda_item],
        "consultation": [consultation],
        "file": [file],
        "locationList": [location],
        "legislativeTermList": [term],
        "membership": [membership],
    }
    for key, objs in members.items():
        server.lists[lists[key]] = [obj["id"] for obj in objs]
    server.lists[organization["id"] + "/meeting"] = [meeting["id"] for meeting in meetings]
    organization["meeting"] = organization["id"] + "/meeting"
    return server

"""Checks of an OParl 1.1 server, done the way an independent client would do them.

Nothing here knows how this project builds its API: the checks read the draft-07 schemas copied into
``tests/oparl/schema/`` (see ``tests/oparl/SOURCE.md``) and the rules of the specification the schemas leave out.
Every check returns a list of readable problems; an empty list means the check passed.

- ``validate(obj)``: the object and all its embedded objects against the schema of ``obj["type"]``;
- ``rule_problems(obj, served_from=...)``: the rules the schema does not check (date formats and the Europe/Berlin
  offset, ``id`` equal to the URL, no ``null``/``""``/``[]``, deleted objects, vendor prefixes, absolute URLs);
- ``list_problems(page, served_from=...)``: one page of an external object list;
- ``response_problems(response)``: the HTTP answer (CORS, JSON, ETag, error body);
- ``conditional_problems(get, url)``: a conditional request answers 304;
- ``walk_list(get, url)``: all pages of a list, with their order, counts and filters;
- ``crawl(get, start_url)``: everything reachable from the System object, as a client mirroring the server would.

``get(url, headers=None) -> (status, headers, body)`` is injected: ``django_client_get(client)`` adapts Django's
test client, ``urllib_get()`` talks HTTP to a live server.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
import urllib.error
import urllib.request
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

HERE = Path(__file__).resolve().parent
SCHEMA_DIR = HERE / "schema"
EXAMPLES_DIR = HERE / "examples"

OPARL = "https://schema.oparl.org/1.1/"
ERROR_TYPE = OPARL + "Error"
BERLIN = ZoneInfo("Europe/Berlin")

#: The list filters every external object list must support and keep in all its ``links``.
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
#: What a deleted object may still carry (specification, chapter "Gelöschte Objekte").
DELETED_KEYS = frozenset({"id", "type", "created", "modified", "deleted"})
PAGINATION_KEYS = frozenset({"totalElements", "elementsPerPage", "currentPage", "totalPages"})
LINK_KEYS = frozenset({"first", "prev", "self", "next", "last", "web"})
ERROR_KEYS = frozenset({"type", "message", "debug"})

DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
VENDOR_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_]")

Headers = Mapping[str, str]
Reply = tuple[int, Headers, bytes]
#: ``get(url)`` or ``get(url, {"If-None-Match": etag})`` → ``(status, headers, body)``.
Get = Callable[..., Reply]


# --------------------------------------------------------------------------------------------------------------
# Schemas


@dataclass(frozen=True)
class FieldInfo:
    """What the schema says about one property of an OParl type."""

    name: str
    array: bool  # the value is a JSON array (of embedded objects, URLs, strings …)
    embedded: str | None  # the type of the embedded object(s), e.g. "File"
    format: str | None  # "url", "date", "date-time" of the value or of each item
    references: str | None  # the type a URL refers to, or "externalList"
    list_of: str | None  # for an external list: the type of its items


@dataclass(frozen=True)
class TypeInfo:
    name: str
    schema: dict[str, Any]
    required: frozenset[str]
    fields: dict[str, FieldInfo]


def _ref_type(ref: str) -> str:
    """``"File.json"`` or ``"https://schema.oparl.org/1.1/File"`` → ``"File"``."""
    return ref.rsplit("/", 1)[-1].removesuffix(".json")


def _field_info(name: str, prop: dict[str, Any]) -> FieldInfo:
    array = prop.get("type") == "array"
    items = prop.get("items", {}) if isinstance(prop.get("items"), dict) else {}
    value_schema = items if array else prop
    references = prop.get("references") or (items.get("references") if array else None)
    list_of = _ref_type(items["$ref"]) if references == "externalList" and "$ref" in items else None
    embedded = _ref_type(value_schema["$ref"]) if "$ref" in value_schema else None
    return FieldInfo(
        name=name,
        array=array,
        embedded=embedded,
        format=value_schema.get("format"),
        references=references,
        list_of=list_of,
    )


def _corrected(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with the known defects of the copied files mended in memory (the files stay as published).

    ``Body.mainOrganization`` is a URL (``type: string, format: url``) but also carries ``"$ref": "Organization"``;
    in draft-07 a ``$ref`` replaces its siblings, so every URL there would fail as "not of type 'object'".
    """
    schema = copy.deepcopy(schema)
    if name == "Body":
        schema["properties"]["mainOrganization"].pop("$ref", None)
    return schema


@cache
def schemas() -> dict[str, dict[str, Any]]:
    """Type name → schema (as corrected by ``_corrected``), from ``tests/oparl/schema/``."""
    loaded = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        loaded[path.stem] = _corrected(path.stem, schema)
    return loaded


@cache
def registry() -> Registry[Any]:
    """Every schema under its ``$id`` (``https://schema.oparl.org/1.1/<Type>``) and under ``<Type>.json``.

    The files refer to embedded types as ``"$ref": "File.json"``, which resolves against the ``$id`` to
    ``https://schema.oparl.org/1.1/File.json``: both names must lead to the schema. Nothing is fetched from the net.
    """
    resources = []
    for schema in schemas().values():
        resource = Resource.from_contents(schema, default_specification=DRAFT7)
        resources += [(schema["$id"], resource), (schema["$id"] + ".json", resource)]
    return Registry().with_resources(resources)


@cache
def types() -> dict[str, TypeInfo]:
    """Type name → what its schema says about each property."""
    return {
        name: TypeInfo(
            name=name,
            schema=schema,
            required=frozenset(schema.get("required", ())),
            fields={key: _field_info(key, prop) for key, prop in schema["properties"].items()},
        )
        for name, schema in schemas().items()
    }


@cache
def _validator(type_name: str) -> Draft7Validator:
    return Draft7Validator(schemas()[type_name], registry=registry())


@cache
def body_list_fields() -> dict[str, str]:
    """Item type → the Body property with the URL of its external list, e.g. ``"Location": "locationList"``."""
    return {info.list_of: name for name, info in types()["Body"].fields.items() if info.list_of}


def type_name_of(obj: Any) -> str | None:
    """``"Meeting"`` for an object of type ``https://schema.oparl.org/1.1/Meeting``, else None."""
    if isinstance(obj, dict) and isinstance(obj.get("type"), str) and obj["type"].startswith(OPARL):
        name = obj["type"].removeprefix(OPARL)
        if name in types():
            return name
    return None


def load_example(name: str) -> dict[str, Any]:
    """One of the specification's examples, e.g. ``load_example("Meeting-01")``."""
    data: dict[str, Any] = json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return data


# --------------------------------------------------------------------------------------------------------------
# Objects


def _path(parts: Iterator[str | int] | tuple[str | int, ...] | list[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _label(obj: Any) -> str:
    if isinstance(obj, dict):
        name = type_name_of(obj) or str(obj.get("type", "object without type"))
        return f"{name} {obj.get('id', '(no id)')}"
    return f"{type(obj).__name__} value"


def _problem(label: str, path: str, message: str) -> str:
    return f"{label}: {path}: {message}" if path else f"{label}: {message}"


def validate(obj: Any) -> list[str]:
    """Schema problems of ``obj`` and of every embedded object, e.g.
    ``"Meeting https://…/meeting/3: agendaItem[0]: 'order' is a required property"``."""
    label = _label(obj)
    name = type_name_of(obj)
    if name is None:
        found = obj.get("type") if isinstance(obj, dict) else None
        return [_problem(label, "", f"no OParl 1.1 type: {found!r}")]
    errors = sorted(
        _validator(name).iter_errors(obj), key=lambda error: [(isinstance(p, str), p) for p in error.absolute_path]
    )
    return [_problem(label, _path(list(error.absolute_path)), error.message) for error in errors]


def datetime_problem(value: Any) -> str | None:
    """None if ``value`` is ``yyyy-mm-ddThh:mm:ss±hh:mm`` with the Europe/Berlin offset of that instant."""
    if not isinstance(value, str):
        return f"{value!r} is not a date-time string"
    if value.endswith(("Z", "z")):
        return f"{value!r} is in UTC ('Z'), not with the Europe/Berlin offset (+01:00 or +02:00)"
    if not DATETIME_RE.fullmatch(value):
        return f"{value!r} is not in the format yyyy-mm-ddThh:mm:ss±hh:mm"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a valid date-time"
    offset = value[-6:]
    if offset not in ("+01:00", "+02:00"):
        return f"{value!r} has the offset {offset}, not Europe/Berlin's (+01:00 or +02:00)"
    berlin = moment.astimezone(BERLIN).utcoffset()
    if berlin != moment.utcoffset():
        hours = int((berlin or timedelta()).total_seconds() // 3600)
        return f"{value!r} has the offset {offset}, but Europe/Berlin is at +0{hours}:00 at that moment"
    return None


def date_problem(value: Any) -> str | None:
    """None if ``value`` is a valid ``yyyy-mm-dd``."""
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        return f"{value!r} is not in the format yyyy-mm-dd"
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a valid date"
    return None


def url_problem(value: Any) -> str | None:
    """None if ``value`` is an absolute http(s) URL."""
    if not isinstance(value, str):
        return f"{value!r} is not a URL string"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        return f"{value!r} is not an absolute http(s) URL"
    return None


FORMAT_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "date-time": datetime_problem,
    "date": date_problem,
    "url": url_problem,
}


def embedded_objects(
    obj: dict[str, Any], type_name: str, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[str, dict[str, Any], tuple[str | int, ...]]]:
    """``(type name, object, path)`` for ``obj`` itself and, recursively, every object embedded in it."""
    yield type_name, obj, path
    for key, info in types()[type_name].fields.items():
        if info.embedded is None or key not in obj:
            continue
        value = obj[key]
        if info.array and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from embedded_objects(item, info.embedded, (*path, key, index))
        elif not info.array and isinstance(value, dict):
            yield from embedded_objects(value, info.embedded, (*path, key))


def _empty_problem(value: Any, *, required: bool) -> str | None:
    if value is None:
        return "is null"
    if value == "":
        return 'is "" (leave the field out instead)'
    if value == [] and not required:
        return "is [] (leave the field out instead)"
    if value == {}:
        return "is {} (leave the field out instead)"
    return None


def _own_rule_problems(type_name: str, obj: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(relative path, message)`` for the rules on one object, not descending into embedded objects."""
    info = types()[type_name]
    for key in ("created", "modified"):
        if key not in obj:
            yield key, "missing (created and modified are required on every object)"
    if obj.get("deleted") is True:
        extra = sorted(set(obj) - DELETED_KEYS)
        if extra:
            yield "", f"deleted object carries {', '.join(extra)} (only {', '.join(sorted(DELETED_KEYS))} allowed)"
    for key, value in obj.items():
        known = info.fields.get(key)
        if known is None and not VENDOR_KEY_RE.match(key):
            yield key, "unknown field without a vendor prefix (such as 'werkstatt:')"
        empty = _empty_problem(value, required=key in info.required)
        if empty:
            yield key, empty
            continue
        if isinstance(value, list):
            for index, item in enumerate(value):
                item_empty = _empty_problem(item, required=True)
                if item_empty:
                    yield f"{key}[{index}]", item_empty
        if known is None or known.format not in FORMAT_CHECKS:
            continue
        check = FORMAT_CHECKS[known.format]
        values: list[tuple[int | None, Any]] = (
            list(enumerate(value)) if known.array and isinstance(value, list) else [(None, value)]
        )
        for position, item in values:
            if item is None or item == "":
                continue
            problem = check(item)
            if problem:
                yield (key if position is None else f"{key}[{position}]"), problem


def rule_problems(obj: Any, *, served_from: str | None = None) -> list[str]:
    """The rules of the specification the schema does not check, on ``obj`` and every embedded object.

    ``served_from``: the URL the object was fetched from; its ``id`` must equal it (None for list items and
    objects not fetched on their own).
    """
    label = _label(obj)
    name = type_name_of(obj)
    if name is None:
        return [_problem(label, "", "no OParl 1.1 type, rules not checked")]
    problems = []
    if served_from is not None and obj.get("id") != served_from:
        problems.append(_problem(label, "id", f"is not the URL it was served from ({served_from})"))
    for type_name, part, path in embedded_objects(obj, name):
        prefix = _path(path)
        for relative, message in _own_rule_problems(type_name, part):
            full = f"{prefix}.{relative}" if prefix and relative else prefix or relative
            problems.append(_problem(label, full, message))
    return problems


def object_problems(obj: Any, *, served_from: str | None = None) -> list[str]:
    """``validate`` and ``rule_problems`` together."""
    return validate(obj) + (rule_problems(obj, served_from=served_from) if type_name_of(obj) else [])


# --------------------------------------------------------------------------------------------------------------
# Lists


def query_filters(url: str) -> dict[str, str]:
    """The four list filters given in ``url``'s query string (decoded)."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return {name: values[0] for name, values in query.items() if name in FILTERS and values}


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to (or replacing those in) its query string."""
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _filter_value_problems(item: dict[str, Any], filters: Mapping[str, str]) -> Iterator[str]:
    for name, wanted in filters.items():
        if name not in FILTERS:
            continue
        key = name.split("_", 1)[0]
        bound = _parse_datetime(wanted)
        value = _parse_datetime(item.get(key))
        if bound is None or value is None:
            continue
        if name.endswith("_since") and value < bound:
            yield f"{key} {item[key]} is before {name}={wanted}"
        if name.endswith("_until") and value > bound:
            yield f"{key} {item[key]} is after {name}={wanted}"


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int_field(pagination: dict[str, Any], key: str) -> int | None:
    value = pagination.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pagination_problems(page: dict[str, Any], pagination: dict[str, Any], links: dict[str, Any]) -> Iterator[str]:
    for key in sorted(set(pagination) - PAGINATION_KEYS):
        yield f"pagination.{key}: unknown field"
    for key in sorted(PAGINATION_KEYS & set(pagination)):
        if _int_field(pagination, key) is None or pagination[key] < 0:
            yield f"pagination.{key}: {pagination[key]!r} is not a non-negative integer"
    total = _int_field(pagination, "totalElements")
    per_page = _int_field(pagination, "elementsPerPage")
    current = _int_field(pagination, "currentPage")
    pages = _int_field(pagination, "totalPages")
    count = len(page["data"]) if isinstance(page.get("data"), list) else 0
    if per_page is not None and count > per_page:
        yield f"data has {count} objects, more than elementsPerPage {per_page}"
    if total is not None and per_page:
        expected = math.ceil(total / per_page)
        if pages is not None and pages != expected and not (total == 0 and pages == 1):
            yield f"pagination.totalPages is {pages}, but {total} elements at {per_page} per page make {expected}"
    if current is not None and current < 1:
        yield f"pagination.currentPage {current} is below 1"
    if current is not None and pages is not None and current > max(pages, 1):
        yield f"pagination.currentPage {current} is beyond totalPages {pages}"
    if current is not None and pages is not None:
        if current < pages and "next" not in links:
            yield f"links.next missing on page {current} of {pages}"
        if current >= pages and "next" in links:
            yield f"links.next present on the last page ({current} of {pages})"
        if current < pages and per_page is not None and count != per_page:
            yield f"page {current} of {pages} has {count} objects, not elementsPerPage {per_page}"
        if current == pages and total is not None and per_page is not None and pages >= 1:
            expected_count = total - per_page * (pages - 1)
            if count != expected_count:
                yield f"the last page has {count} objects, but totalElements {total} leaves {expected_count}"
    if current == 1 and "prev" in links:
        yield "links.prev present on the first page"


def _link_problems(links: dict[str, Any], served_from: str, filters: Mapping[str, str]) -> Iterator[str]:
    for key in sorted(set(links) - LINK_KEYS):
        yield f"links.{key}: unknown field"
    for key, value in links.items():
        problem = url_problem(value)
        if problem:
            yield f"links.{key}: {problem}"
            continue
        if key == "web":
            continue
        given = parse_qs(urlsplit(value).query, keep_blank_values=True)
        for name in FILTERS:
            values = given.get(name, [])
            if name in filters and not values:
                yield f"links.{key} drops the filter {name}={filters[name]}"
            elif name in filters and values != [filters[name]]:
                yield f"links.{key} changes the filter {name}={filters[name]} to {', '.join(values)}"
            elif name not in filters and values:
                yield f"links.{key} adds the filter {name}={', '.join(values)} not given in the request"
    if links.get("next") == served_from:
        yield "links.next points to the page itself"


def list_problems(
    page: Any,
    *,
    served_from: str,
    filters: Mapping[str, str] | None = None,
    item_type: str | None = None,
) -> list[str]:
    """Problems of one page of an external object list served from ``served_from``.

    ``filters``: the list filters of the request (``created_since`` …); by default those in ``served_from``'s query.
    Every ``links`` URL must keep them with the same values, every object must match them, and deleted objects may
    only be listed when ``modified_since`` is given. ``item_type`` (e.g. ``"Meeting"``): the type every object must
    have. Every object is checked with ``validate`` and ``rule_problems``.
    """
    label = f"list {served_from}"
    if filters is None:
        filters = query_filters(served_from)
    if not isinstance(page, dict):
        return [f"{label}: not a JSON object"]
    problems = []
    for key in ("data", "pagination", "links"):
        if key not in page:
            problems.append(f"{key}: missing")
    for key in sorted(set(page) - {"data", "pagination", "links"}):
        if not VENDOR_KEY_RE.match(key):
            problems.append(f"{key}: unknown field without a vendor prefix")
    data = page.get("data", [])
    pagination = page.get("pagination", {})
    links = page.get("links", {})
    for key, value, kind in (("data", data, list), ("pagination", pagination, dict), ("links", links, dict)):
        if not isinstance(value, kind):
            problems.append(f"{key}: {type(value).__name__}, not a JSON {'array' if kind is list else 'object'}")
    if not isinstance(data, list) or not isinstance(pagination, dict) or not isinstance(links, dict):
        return [f"{label}: {problem}" for problem in problems]
    problems += _pagination_problems(page, pagination, links)
    problems += _link_problems(links, served_from, filters)
    seen: set[Any] = set()
    item_problems = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            problems.append(f"data[{index}]: not a JSON object")
            continue
        if item.get("id") in seen:
            problems.append(f"data[{index}]: {item.get('id')} is listed twice")
        seen.add(item.get("id"))
        if item_type is not None and item.get("type") != OPARL + item_type:
            problems.append(f"data[{index}]: {item.get('id')} has the type {item.get('type')}, not {OPARL}{item_type}")
        if item.get("deleted") is True and "modified_since" not in filters:
            problems.append(f"data[{index}]: deleted object {item.get('id')} listed without modified_since")
        for message in _filter_value_problems(item, filters):
            problems.append(f"data[{index}]: {item.get('id')}: {message}")
        item_problems += object_problems(item)
    return [f"{label}: {problem}" for problem in problems] + item_problems


# --------------------------------------------------------------------------------------------------------------
# Responses


@dataclass(frozen=True)
class Response:
    """One HTTP answer; header names in lower case."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return strict_json(self.body)


def response(url: str, reply: Reply) -> Response:
    status, headers, body = reply
    return Response(url=url, status=status, headers={k.lower(): v for k, v in headers.items()}, body=body)


def fetch(get: Get, url: str, headers: Mapping[str, str] | None = None) -> Response:
    return response(url, get(url, headers) if headers else get(url))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys {', '.join(duplicates)}")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict_json(body: bytes) -> Any:
    """JSON as RFC 8259 wants it: UTF-8 without BOM, no NaN/Infinity, no duplicate keys (ValueError otherwise)."""
    if body.startswith(b"\xef\xbb\xbf"):
        raise ValueError("starts with a byte order mark")
    return json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)


def _as_response(answer: Any) -> Response:
    if isinstance(answer, Response):
        return answer
    # Django's (test) response: status_code, headers, content or streaming_content
    body = b"".join(answer.streaming_content) if getattr(answer, "streaming", False) else answer.content
    url = getattr(getattr(answer, "wsgi_request", None), "build_absolute_uri", lambda: "(request)")()
    return Response(
        url=url, status=answer.status_code, headers={k.lower(): v for k, v in answer.headers.items()}, body=body
    )


def response_problems(answer: Response | Any) -> list[str]:
    """Problems of one answer of the JSON API (a ``Response`` or a Django response).

    Every answer but 304 (which carries only the validators, RFC 9110): ``Access-Control-Allow-Origin: *``;
    no 5xx. Every answer with a body: ``application/json``
    (charset utf-8 if given), strict JSON. 200: an ``ETag``, no Error body. 4xx: the body is
    ``{"type": "https://schema.oparl.org/1.1/Error", "message": "…"}`` (``debug`` allowed).
    """
    resp = _as_response(answer)
    label = f"{resp.status} {resp.url}"
    problems = []
    if resp.status != 304 and resp.headers.get("access-control-allow-origin") != "*":
        found = resp.headers.get("access-control-allow-origin")
        problems.append(f"Access-Control-Allow-Origin is {found!r}, not '*'")
    if resp.status >= 500:
        problems.append("server error")
    if resp.status == 304:
        return [f"{label}: {problem}" for problem in problems]
    content_type = resp.headers.get("content-type", "")
    media_type, _, params = content_type.partition(";")
    if media_type.strip().lower() != "application/json":
        problems.append(f"Content-Type is {content_type!r}, not application/json")
    charset = re.search(r"charset=([\w-]+)", params, re.IGNORECASE)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        problems.append(f"charset is {charset.group(1)}, not UTF-8")
    try:
        data = resp.json()
    except ValueError as error:
        problems.append(f"body is not valid JSON: {error}")
        return [f"{label}: {problem}" for problem in problems]
    is_error = isinstance(data, dict) and data.get("type") == ERROR_TYPE
    if resp.status == 200:
        if not resp.headers.get("etag"):
            problems.append("no ETag")
        if is_error:
            problems.append("an Error body with status 200")
    if resp.status >= 400:
        if not is_error:
            problems.append(f"error body is not of type {ERROR_TYPE}")
        if isinstance(data, dict):
            message = data.get("message")
            if not isinstance(message, str) or not message.strip():
                problems.append("error body without a message")
            extra = sorted(key for key in set(data) - ERROR_KEYS if not VENDOR_KEY_RE.match(key))
            if extra:
                problems.append(f"error body has unknown fields {', '.join(extra)}")
    return [f"{label}: {problem}" for problem in problems]


def _weak(etag: str | None) -> str | None:
    return etag.removeprefix("W/") if etag else etag


def conditional_problems(get: Get, url: str, *, etag: str | None = None) -> list[str]:
    """A client mirroring the server re-fetches with ``If-None-Match``: the same ETag gives 304 (with the ETag
    again), another ETag gives 200. ``etag``: from an earlier fetch (fetched here if not given)."""
    problems = []
    if etag is None:
        first = fetch(get, url)
        etag = first.headers.get("etag")
        if first.status != 200 or not etag:
            return [f"{url}: answers {first.status} {'with' if etag else 'without'} an ETag; no conditional request"]
    again = fetch(get, url, {"If-None-Match": etag})
    if again.status != 304:
        problems.append(f"{url}: If-None-Match {etag} answers {again.status}, not 304")
    elif _weak(again.headers.get("etag")) != _weak(etag):
        problems.append(f"{url}: the 304 answer carries ETag {again.headers.get('etag')!r}, not {etag}")
    elif again.body:
        problems.append(f"{url}: the 304 answer has a body")
    problems += response_problems(again)
    other = fetch(get, url, {"If-None-Match": '"not-the-etag"'})
    if other.status != 200:
        problems.append(f"{url}: If-None-Match with another ETag answers {other.status}, not 200")
    return problems


# --------------------------------------------------------------------------------------------------------------
# Walking lists


@dataclass
class ListWalk:
    """All pages of one external object list."""

    url: str
    items: list[dict[str, Any]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[Any]:
        return [item.get("id") for item in self.items]


def walk_list(
    get: Get,
    url: str,
    *,
    item_type: str | None = None,
    max_pages: int = 10_000,
    check_order: bool = True,
) -> ListWalk:
    """Fetch every page of the list at ``url`` by following ``links.next``; check each answer and page (the
    filters of ``url`` must survive on every page), that no object appears twice, that ``totalElements`` and
    ``totalPages`` of the first page match what was walked, that ``elementsPerPage`` and ``currentPage`` are
    consistent, and (``check_order``) that the first page comes back in the same order when fetched again."""
    walk = ListWalk(url=url)
    filters = query_filters(url)
    next_url: str | None = url
    first: dict[str, Any] | None = None
    per_page_values: list[int | None] = []
    while next_url is not None:
        if next_url in walk.pages:
            walk.problems.append(f"list {url}: links.next leads back to {next_url}")
            break
        if len(walk.pages) >= max_pages:
            walk.problems.append(f"list {url}: more than {max_pages} pages, walk stopped")
            break
        walk.pages.append(next_url)
        resp = fetch(get, next_url)
        walk.problems += response_problems(resp)
        if resp.status != 200:
            walk.problems.append(f"list {url}: page {next_url} answers {resp.status}")
            break
        try:
            page = resp.json()
        except ValueError:
            break
        walk.problems += list_problems(page, served_from=next_url, filters=filters, item_type=item_type)
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            break
        if first is None:
            first = page
        pagination = _dict(page.get("pagination"))
        current = _int_field(pagination, "currentPage")
        if current is not None and current != len(walk.pages):
            walk.problems.append(f"list {url}: page {len(walk.pages)} says currentPage {current}")
        per_page_values.append(_int_field(pagination, "elementsPerPage"))
        walk.items += [item for item in page["data"] if isinstance(item, dict)]
        links = _dict(page.get("links"))
        next_url = links.get("next") if isinstance(links.get("next"), str) else None
    counts = Counter(walk.ids)
    for item_id, count in counts.items():
        if count > 1:
            walk.problems.append(f"list {url}: {item_id} appears {count} times (order not stable?)")
    if first is not None:
        pagination = _dict(first.get("pagination"))
        total = _int_field(pagination, "totalElements")
        if total is not None and total != len(walk.items):
            walk.problems.append(f"list {url}: totalElements is {total}, the pages hold {len(walk.items)}")
        pages = _int_field(pagination, "totalPages")
        if pages is not None and pages != len(walk.pages) and not (pages == 0 and len(walk.pages) == 1):
            walk.problems.append(f"list {url}: totalPages is {pages}, {len(walk.pages)} pages walked")
        if len(set(per_page_values[:-1])) > 1:
            walk.problems.append(f"list {url}: elementsPerPage changes between pages: {per_page_values}")
        if check_order:
            walk.problems += _order_problems(get, url, first)
    return walk


def _order_problems(get: Get, url: str, first: dict[str, Any]) -> list[str]:
    again = fetch(get, url)
    try:
        page = again.json() if again.status == 200 else None
    except ValueError:
        page = None
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        return [f"list {url}: the first page could not be fetched again ({again.status})"]
    before = [item.get("id") for item in first["data"] if isinstance(item, dict)]
    after = [item.get("id") for item in page["data"] if isinstance(item, dict)]
    if before != after:
        return [f"list {url}: the first page lists other objects or another order when fetched again"]
    return []


# --------------------------------------------------------------------------------------------------------------
# Crawling


@dataclass
class Reference:
    """A URL in an object that points to another object."""

    source: str  # label of the referring object, e.g. "Meeting https://…/meeting/3"
    path: str  # where in it, e.g. "organization[0]"
    url: str
    expected: str | None  # type name the field refers to, None if unknown


@dataclass
class CrawlResult:
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    #: distinct objects seen per type name (fetched, listed and embedded alike)
    objects: Counter[str] = field(default_factory=Counter)
    #: object URL → (status, parsed JSON or None) for every object URL fetched
    fetched: dict[str, tuple[int, Any]] = field(default_factory=dict)
    #: id → object, for every object seen (the first version seen)
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: list URL → the walk of that list
    lists: dict[str, ListWalk] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)

    def of_type(self, type_name: str) -> list[dict[str, Any]]:
        return [obj for obj in self.seen.values() if obj.get("type") == OPARL + type_name]


class _TooManyRequestsError(Exception):
    pass


@dataclass(frozen=True)
class _FileCheck:
    source: str
    key: str  # accessUrl or downloadUrl
    url: str
    file: dict[str, Any]


class _Crawler:
    def __init__(
        self,
        get: Get,
        start_url: str,
        *,
        base: str | None,
        check_files: bool,
        check_web: bool,
        conditional: bool,
        max_requests: int,
    ) -> None:
        self._get = get
        self.start_url = start_url
        self.base = base or start_url
        self.check_files = check_files
        self.check_web = check_web
        self.conditional = conditional
        self.max_requests = max_requests
        self.result = CrawlResult()
        self.queue: deque[tuple[str, str, str | None]] = deque()  # (kind, url, type name)
        self.scheduled: set[str] = set()
        self.ref_keys: set[tuple[str, str, str, str | None]] = set()
        self.file_checks: dict[tuple[str, str, str], _FileCheck] = {}  # (File label, key, URL) → check
        self.web_urls: dict[str, str] = {}  # url → first source
        self.body_lists: dict[str, dict[str, str]] = {}  # body id → {list field: list URL}
        self.system_lists: list[str] = []  # URLs of System.body lists
        self.listed_items: dict[str, dict[str, Any]] = {}  # list item id → the item as listed

    # requests
    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Reply:
        if self.result.requests >= self.max_requests:
            raise _TooManyRequestsError
        self.result.requests += 1
        return self._get(url, headers) if headers else self._get(url)

    def internal(self, url: Any) -> bool:
        return isinstance(url, str) and url.startswith(self.base)

    def schedule(self, kind: str, url: Any, type_name: str | None) -> None:
        if self.internal(url) and url not in self.scheduled:
            self.scheduled.add(url)
            self.queue.append((kind, url, type_name))

    # objects
    def visit(self, obj: dict[str, Any], type_name: str) -> None:
        """Note every object in ``obj`` and schedule what it refers to."""
        label = _label(obj)
        for part_type, part, path in embedded_objects(obj, type_name):
            part_id = part.get("id")
            if isinstance(part_id, str) and part_id not in self.result.seen:
                self.result.seen[part_id] = part
                self.result.objects[part_type] += 1
            if path and isinstance(part_id, str):
                self.reference(label, _path(path) + ".id", part_id, part_type)
            self.visit_fields(label, part_type, part, path)

    def visit_fields(self, label: str, type_name: str, obj: dict[str, Any], path: tuple[str | int, ...]) -> None:
        for key, info in types()[type_name].fields.items():
            if key not in obj or info.embedded or info.format != "url" or key == "id":
                continue
            values: list[tuple[int | None, Any]] = (
                list(enumerate(obj[key])) if info.array and isinstance(obj[key], list) else [(None, obj[key])]
            )
            for index, value in values:
                where = _path((*path, key) if index is None else (*path, key, index))
                if not isinstance(value, str):
                    continue
                if info.references == "externalList":
                    self.schedule("list", value, info.list_of)
                    if type_name == "Body" and isinstance(obj.get("id"), str) and info.list_of:
                        self.body_lists.setdefault(obj["id"], {})[key] = value
                    if type_name == "System" and key == "body":
                        self.system_lists.append(value)
                elif info.references:
                    self.reference(label, where, value, info.references if info.references in types() else None)
                elif type_name == "File" and key in ("accessUrl", "downloadUrl") and self.check_files:
                    check = _FileCheck(source=_label(obj), key=key, url=value, file=obj)
                    self.file_checks.setdefault((check.source, key, value), check)
                elif key == "web" and self.check_web:
                    self.web_urls.setdefault(value, f"{label}: {where}")

    def reference(self, source: str, path: str, url: str, expected: str | None) -> None:
        key = (source, path, url, expected)
        if key not in self.ref_keys:
            self.ref_keys.add(key)
            self.result.references.append(Reference(source=source, path=path, url=url, expected=expected))
        self.schedule("object", url, expected)

    def fetch_object(self, url: str) -> None:
        resp = response(url, self.get(url))
        self.result.problems += response_problems(resp)
        data: Any = None
        if resp.status == 200:
            try:
                data = resp.json()
            except ValueError:
                data = None
        self.result.fetched[url] = (resp.status, data)
        if data is None:
            return
        self.result.problems += object_problems(data, served_from=url)
        name = type_name_of(data)
        if name is not None:
            self.visit(data, name)
        if self.conditional:
            etag = resp.headers.get("etag")
            if etag:
                self.result.problems += conditional_problems(self.get, url, etag=etag)

    def fetch_list(self, url: str, item_type: str | None) -> None:
        walk = walk_list(self.get, url, item_type=item_type)
        self.result.lists[url] = walk
        self.result.problems += walk.problems
        for item in walk.items:
            name = type_name_of(item)
            if name is None:
                continue
            if isinstance(item.get("id"), str):
                self.listed_items.setdefault(item["id"], item)
                self.reference(f"list {url}", "data", item["id"], item_type or name)
            self.visit(item, name)

    def run(self) -> CrawlResult:
        self.schedule("object", self.start_url, "System")
        try:
            while self.queue:
                kind, url, type_name = self.queue.popleft()
                if kind == "object":
                    self.fetch_object(url)
                else:
                    self.fetch_list(url, type_name)
            self.check_start()
            self.check_references()
            self.check_listed_copies()
            self.check_body_lists()
            self.check_file_urls()
            self.check_web_urls()
        except _TooManyRequestsError:
            self.result.problems.append(f"crawl stopped after {self.max_requests} requests")
        self.result.problems = list(dict.fromkeys(self.result.problems))
        return self.result

    # checks after the walk
    def check_start(self) -> None:
        status, data = self.result.fetched.get(self.start_url, (0, None))
        if type_name_of(data) != "System":
            self.result.problems.append(f"{self.start_url}: answers {status}, not with a System object")

    def check_references(self) -> None:
        for ref in self.result.references:
            if not self.internal(ref.url):
                continue
            status, data = self.result.fetched.get(ref.url, (0, None))
            where = _problem(ref.source, ref.path, f"refers to {ref.url}")
            if status != 200:
                self.result.problems.append(f"{where}, which answers {status}")
            elif not isinstance(data, dict):
                self.result.problems.append(f"{where}, which is not a JSON object")
            elif ref.expected and data.get("type") != OPARL + ref.expected:
                self.result.problems.append(f"{where}, which is a {data.get('type')}, not a {OPARL}{ref.expected}")

    def check_listed_copies(self) -> None:
        for item_id, item in self.listed_items.items():
            status, data = self.result.fetched.get(item_id, (0, None))
            if status == 200 and isinstance(data, dict) and data != item:
                self.result.problems.append(f"{_label(item)}: the list shows it otherwise than its own URL")

    def check_body_lists(self) -> None:
        listed: dict[str, set[Any]] = {url: set(walk.ids) for url, walk in self.result.lists.items()}
        fields = body_list_fields()
        missing_lists: set[str] = set()
        for obj_id, obj in self.result.seen.items():
            type_name = type_name_of(obj)
            if type_name is None or type_name == "System" or not self.internal(obj_id):
                continue
            if type_name == "Body":
                urls = self.system_lists
                field_name = "System.body"
            else:
                field_name = fields.get(type_name, "")
                own_body = obj.get("body")
                bodies = (
                    [own_body] if isinstance(own_body, str) and own_body in self.body_lists else list(self.body_lists)
                )
                urls = [self.body_lists[body][field_name] for body in bodies if field_name in self.body_lists[body]]
                if not urls:
                    if type_name not in missing_lists:
                        missing_lists.add(type_name)
                        self.result.problems.append(
                            f"no Body offers a list for {type_name} ({field_name}), but {type_name} objects exist"
                        )
                    continue
            if any(obj_id in listed.get(url, set()) for url in urls):
                continue
            if obj.get("deleted") is True and self.listed_since_modified(obj_id, obj, urls, type_name):
                continue
            self.result.problems.append(f"{_label(obj)}: not in the list {field_name} ({', '.join(urls)})")

    def listed_since_modified(self, obj_id: str, obj: dict[str, Any], urls: list[str], type_name: str) -> bool:
        """Deleted objects are listed only when ``modified_since`` is given: look with their own ``modified``."""
        if not isinstance(obj.get("modified"), str):
            return False
        for url in urls:
            filtered = with_query(url, modified_since=obj["modified"])
            walk = walk_list(self.get, filtered, item_type=type_name, check_order=False)
            self.result.lists[filtered] = walk
            self.result.problems += walk.problems
            if obj_id in walk.ids:
                return True
        return False

    def check_file_urls(self) -> None:
        downloads: dict[str, Response] = {}
        for check in self.file_checks.values():
            if check.url not in downloads:
                downloads[check.url] = response(check.url, self.get(check.url))
            resp = downloads[check.url]
            where = f"{check.source}: {check.key} {check.url}"
            if resp.status != 200:
                self.result.problems.append(f"{where} answers {resp.status}")
                continue
            file = check.file
            for key, algorithm in (("sha512Checksum", hashlib.sha512), ("sha1Checksum", hashlib.sha1)):
                expected = file.get(key)
                if isinstance(expected, str) and algorithm(resp.body).hexdigest() != expected.lower():
                    self.result.problems.append(f"{where}: the content does not match {key}")
            if isinstance(file.get("size"), int) and file["size"] != len(resp.body):
                self.result.problems.append(f"{where}: {len(resp.body)} bytes, size says {file['size']}")
            media_type = resp.headers.get("content-type", "").partition(";")[0].strip().lower()
            if isinstance(file.get("mimeType"), str) and media_type != file["mimeType"].lower():
                self.result.problems.append(f"{where}: Content-Type {media_type}, mimeType says {file['mimeType']}")
            disposition = resp.headers.get("content-disposition", "")
            is_attachment = disposition.lower().startswith("attachment")
            if check.key == "downloadUrl" and not (is_attachment and "filename" in disposition.lower()):
                self.result.problems.append(f"{where}: Content-Disposition {disposition!r}, not attachment; filename")
            if check.key == "accessUrl" and is_attachment:
                self.result.problems.append(f"{where}: Content-Disposition attachment on the access URL")

    def check_web_urls(self) -> None:
        for url, source in self.web_urls.items():
            status = self.get(url)[0]
            if status != 200:
                self.result.problems.append(f"{source} {url} answers {status}")


def crawl(
    get: Get,
    start_url: str,
    *,
    base: str | None = None,
    check_files: bool = True,
    check_web: bool = False,
    conditional: bool = False,
    max_requests: int = 100_000,
) -> CrawlResult:
    """Walk the server from its System object at ``start_url`` as an independent client would.

    Follows every URL the schemas mark as a reference, every external list (all pages) and every embedded object's
    own URL, as long as it starts with ``base`` (default ``start_url``). Checks every answer, object, embedded object
    and list page; that each reference answers 200 with an object of the expected type whose ``id`` is the URL; that
    each listed object looks the same at its own URL; that every object reached is in its Body's list (Body objects
    in the System's ``body`` list; deleted objects in the list filtered by ``modified_since``). With ``check_files``
    the ``accessUrl``/``downloadUrl`` of every File are fetched (wherever they are) and compared with
    ``sha512Checksum``, ``sha1Checksum``, ``size``, ``mimeType`` and the Content-Disposition rules; ``check_web``
    fetches every ``web`` page and expects 200; ``conditional`` re-fetches every object with ``If-None-Match``.
    """
    return _Crawler(
        get,
        start_url,
        base=base,
        check_files=check_files,
        check_web=check_web,
        conditional=conditional,
        max_requests=max_requests,
    ).run()


# --------------------------------------------------------------------------------------------------------------
# Adapters for get


def django_client_get(client: Any, *, host: str = "testserver") -> Get:
    """``get`` through Django's test client: full URLs such as ``http://testserver/oparl/v1.1/``.

    The test client would send any URL to this project whatever its host, so URLs of another host answer with the
    status 0 (shown as "answers 0" in the problems) instead of being fetched from the wrong place.
    """

    def get(url: str, headers: Mapping[str, str] | None = None) -> Reply:
        if urlsplit(url).netloc != host:
            return 0, {}, b""
        answer = client.get(url, headers=dict(headers or {}))
        body = b"".join(answer.streaming_content) if getattr(answer, "streaming", False) else answer.content
        return answer.status_code, dict(answer.headers.items()), body

    return get


def urllib_get(*, timeout: float = 30) -> Get:
    """``get`` over real HTTP(S) with urllib, for a live server; redirects are followed, errors returned."""

    def get(url: str, headers: Mapping[str, str] | None = None) -> Reply:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {url}")
        request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310 (scheme checked above)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (scheme checked above)
                return answer.status, dict(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers.items()), error.read()

    return get

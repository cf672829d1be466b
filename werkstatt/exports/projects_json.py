"""The project register as JSON: the same rows and filters as the CSV, typed values, ISO dates.

One record per project of ``register_entries(user, filters)`` (what the register shows the user, in
its order), with the fields of the CSV (``projects.csv_format.COLUMNS``) under English keys, codes
next to their German labels, and the absolute URL of the project page. Money is ``null`` where the
CSV leaves it empty (``RegisterEntry.show_finances``). The fields are documented in
``docs/open-data.md`` (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.exports.json_stream import json_document
from werkstatt.exports.licence import data_licence
from werkstatt.exports.register import RegisterEntry, register_entries
from werkstatt.projects import csv_format as fmt
from werkstatt.projects.csv_format import Kind
from werkstatt.projects.selectors import ProjectFilter

RECORDS_KEY = "projects"
# The JSON key of a column is its field name, except for these.
KEYS = {"pk": "id"}
LABELS: dict[Kind, Callable[[str], str]] = {
    Kind.INSTRUMENT: fmt.instrument_label,
    Kind.FUNDING_AREA: fmt.funding_area_label,
    Kind.STATE: fmt.state_label,
}


def export_filename() -> str:
    return f"projektregister-{timezone.localdate():%Y-%m-%d}.json"


def _fields(entry: RegisterEntry, column: fmt.Column) -> dict[str, Any]:
    """The key (or keys: code and label, key and name) and typed value of one column."""
    project, kind = entry.project, column.kind
    key = KEYS.get(column.field, column.field)
    value: Any = getattr(project, column.field, None)
    match kind:
        case Kind.NUMBER | Kind.BOOLEAN | Kind.TEXT:
            return {key: bool(value) if kind == Kind.BOOLEAN else value}
        case Kind.ORGANIZATION:
            return {key: value.name if value is not None else None}
        case Kind.WORKSHOP:
            return {key: value.number if value is not None else None}
        case Kind.WORKSHOPS:
            return {key: entry.other_workshops}
        case Kind.FOCUS_AREAS:
            return {key: entry.focus_areas}
        case Kind.INSTRUMENT | Kind.FUNDING_AREA | Kind.STATE:
            return {key: value or None, f"{key}_label": LABELS[kind](value) or None}
        case Kind.MUNICIPALITY | Kind.DISTRICT:
            if value is None:
                return {key: None, f"{key}_name": None}
            return {key: value.ags, f"{key}_name": value.name}
        case Kind.MONEY:
            # A string with two decimals ("644400.00"), so that no reader turns euros into a binary fraction.
            return {key: f"{value:.2f}" if value is not None and entry.show_finances else None}
        case Kind.COORDINATE:
            return {key: float(value) if value is not None else None}
        case Kind.DATE:
            return {key: value.isoformat() if value is not None else None}
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def project_record(entry: RegisterEntry, *, url: str) -> dict[str, Any]:
    """One project: ``id``, ``url`` of the page, ``oparl_id`` (``null`` until the OParl API exists), the columns."""
    record: dict[str, Any] = {}
    for column in fmt.COLUMNS:
        record.update(_fields(entry, column))
        if column.field == "pk":
            record["url"] = url
            record["oparl_id"] = None
    return record


def register_json(user: Any, filters: ProjectFilter, *, source: str, page_url: Callable[[int], str]) -> Iterator[bytes]:
    """The register as UTF-8 JSON bytes for a ``StreamingHttpResponse``; ``source`` is the URL asked for,
    ``page_url(pk)`` the absolute URL of a project page."""
    head = {
        "title": _("Projektregister"),
        "source": source,
        "generated": timezone.localtime().isoformat(timespec="seconds"),
        "licence": data_licence().as_json(),
        "filters": filters.as_query(),
        "messages": list(filters.errors),
    }
    records = (project_record(entry, url=page_url(entry.project.pk)) for entry in register_entries(user, filters))
    return json_document(head, RECORDS_KEY, records)

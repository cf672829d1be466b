"""The project register as CSV for Excel: the columns of ``projects.csv_format``, streamed row by row.

The rows come from ``exports.register`` (what the register shows the user, money only where
``rules.can_view_project_finances`` says yes, a fixed number of queries); the file is written by
``exports.csv_excel`` (BOM, semicolons, CRLF, formulas escaped).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from werkstatt.exports.csv_excel import CONTENT_TYPE, csv_bytes, escape_row
from werkstatt.exports.register import RegisterEntry, register_entries
from werkstatt.projects import csv_format as fmt
from werkstatt.projects.csv_format import Kind
from werkstatt.projects.selectors import ProjectFilter

__all__ = ["CONTENT_TYPE", "export_filename", "register_csv", "register_rows"]


def export_filename() -> str:
    return f"projektregister-{timezone.localdate():%Y-%m-%d}.csv"


def _cell(entry: RegisterEntry, column: fmt.Column) -> str:
    project, kind, name = entry.project, column.kind, column.field
    if kind == Kind.MONEY and not entry.show_finances:
        return ""
    value: Any = getattr(project, name, None) if kind not in (Kind.WORKSHOPS, Kind.FOCUS_AREAS) else None
    match kind:
        case Kind.NUMBER:
            return "" if value is None else str(value)
        case Kind.TEXT:
            return value or ""
        case Kind.ORGANIZATION:
            return value.name if value is not None else ""
        case Kind.WORKSHOP:
            return str(value.number) if value is not None else ""
        case Kind.WORKSHOPS:
            return fmt.format_workshops(entry.other_workshops)
        case Kind.FOCUS_AREAS:
            return fmt.format_focus_areas(entry.focus_areas)
        case Kind.INSTRUMENT:
            return fmt.instrument_label(value)
        case Kind.FUNDING_AREA:
            return fmt.funding_area_label(value)
        case Kind.STATE:
            return fmt.state_label(value)
        case Kind.MUNICIPALITY | Kind.DISTRICT:
            return value.ags if value is not None else ""
        case Kind.MONEY | Kind.COORDINATE:
            return fmt.format_decimal(value, fmt.DECIMAL_PLACES[kind])
        case Kind.DATE:
            return fmt.format_date(value)
        case Kind.BOOLEAN:
            return fmt.format_bool(bool(value))
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def register_rows(user: Any, filters: ProjectFilter) -> Iterator[list[str]]:
    """The header, then one row per project of the register as ``user`` sees it, every cell escaped."""
    yield list(fmt.HEADERS)
    for entry in register_entries(user, filters):
        yield escape_row(_cell(entry, column) for column in fmt.COLUMNS)


def register_csv(user: Any, filters: ProjectFilter) -> Iterator[bytes]:
    """The register as UTF-8 bytes, line by line, for a ``StreamingHttpResponse``."""
    return csv_bytes(register_rows(user, filters))

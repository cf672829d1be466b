"""The project register as CSV for Excel: the columns of ``projects.csv_format``, streamed row by row.

What a user gets is what the register shows them (``project_register(user, filters)``); money columns
stay empty where ``rules.can_view_project_finances`` says no. The whole file costs a fixed number of
queries: the register in one (read in chunks), the other workshops and the focus areas of all its
projects in one each.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from werkstatt.accounts import rules
from werkstatt.projects import csv_format as fmt
from werkstatt.projects.csv_format import Kind
from werkstatt.projects.models import Project
from werkstatt.projects.selectors import ProjectFilter, project_register

CONTENT_TYPE = "text/csv; charset=utf-8"
CHUNK_SIZE = 500


def export_filename() -> str:
    return f"projektregister-{timezone.localdate():%Y-%m-%d}.csv"


class _Echo:
    """A file-like object that hands back what is written, for ``csv.writer`` in a stream."""

    def write(self, value: str) -> str:
        return value


def _related(register: QuerySet[Project]) -> tuple[dict[int, list[int]], dict[int, list[str]]]:
    """Other workshops' numbers and focus area titles of every project in ``register``: two queries."""
    pks = register.values("pk")
    workshops: dict[int, list[int]] = defaultdict(list)
    through = Project.other_workshops.through
    for project_id, number in through.objects.filter(project_id__in=pks).values_list("project_id", "workshop__number"):
        workshops[project_id].append(number)
    areas: dict[int, list[str]] = defaultdict(list)
    area_through = Project.focus_areas.through
    for project_id, title in area_through.objects.filter(project_id__in=pks).values_list(
        "project_id", "focusarea__title"
    ):
        areas[project_id].append(title)
    return workshops, areas


def _cell(project: Project, column: fmt.Column, *, finances: bool, workshops: list[int], areas: list[str]) -> str:
    kind, name = column.kind, column.field
    if kind == Kind.MONEY and not finances:
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
            return fmt.format_workshops(workshops)
        case Kind.FOCUS_AREAS:
            return fmt.format_focus_areas(areas)
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
    register = project_register(user, filters)
    workshops, areas = _related(register)
    for project in register.iterator(chunk_size=CHUNK_SIZE):
        finances = rules.can_view_project_finances(user, project)
        yield [
            fmt.escape_formula(
                _cell(
                    project,
                    column,
                    finances=finances,
                    workshops=workshops.get(project.pk, []),
                    areas=areas.get(project.pk, []),
                )
            )
            for column in fmt.COLUMNS
        ]


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text for Excel: byte order mark first, semicolons, CRLF."""
    writer = csv.writer(_Echo(), delimiter=fmt.DELIMITER, lineterminator=fmt.LINE_TERMINATOR)
    yield fmt.BOM
    for row in rows:
        yield writer.writerow(row)


def register_csv(user: Any, filters: ProjectFilter) -> Iterator[bytes]:
    """The register as UTF-8 bytes, line by line, for a ``StreamingHttpResponse``."""
    for line in csv_lines(register_rows(user, filters)):
        yield line.encode("utf-8")

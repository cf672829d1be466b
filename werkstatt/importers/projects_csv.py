"""Import of a project list from CSV, with a dry run that says per row what would happen.

The file has the columns of ``projects.csv_format`` (the register export writes the same ones), so a
list exported, edited in Excel and imported again changes only what was edited. Each row becomes

- ``neu``: a new project, created through ``project_create`` (as idea or submitted fact sheet);
- ``geändert``: an existing project (matched by Nr., else by title and sponsor) whose fact sheet
  differs, changed through ``project_update``; the report lists the changed fields;
- ``unverändert``: an existing project the row describes exactly;
- ``abgelehnt``: with the German reasons, field by field.

All or nothing: the whole file runs in one transaction, each row in a savepoint of its own so that
every row is checked by the real services and model rules; if one row is refused, or for a dry run,
the transaction is rolled back and nothing is stored.

State and decision dates are not fact sheet fields: a row may repeat them, but a different value is
refused (they change only through the steps of the pipeline), and a new project starts as idea or
submitted fact sheet; history is never invented.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkstatt.accounts import rules
from werkstatt.core.numbers import format_eur
from werkstatt.core.text import normalise_text
from werkstatt.geo.models import District, Municipality
from werkstatt.importers.csv_table import CsvFileError, CsvTable, RawRow, quoted, read_table
from werkstatt.importers.report import CHANGED, NEW, OUTCOMES, REFUSED, UNCHANGED, ImportReport, RowReport
from werkstatt.organizations.models import Body, FocusArea, Organization, Workshop
from werkstatt.organizations.services import body_get_or_create_default, organization_create
from werkstatt.projects import csv_format as fmt
from werkstatt.projects.csv_format import CellError, Column, Kind
from werkstatt.projects.models import Project
from werkstatt.projects.services import INITIAL_STATES, project_create, project_update
from werkstatt.projects.workflow import ProjectState

__all__ = [
    "CHANGED",
    "NEW",
    "OUTCOMES",
    "REFUSED",
    "UNCHANGED",
    "CsvFileError",
    "ImportReport",
    "RowReport",
    "import_projects",
    "read_table",
]

_SHOWN_TEXT = 60  # characters of a long text shown in a change or a reason
_NOT_GIVEN = object()  # an empty cell of a column whose empty value means "leave as it is"


# --- what the database knows -------------------------------------------------------------------------


@dataclass
class _Context:
    """Workshops, places, organisations, focus areas and projects, loaded once for the whole file."""

    body: Body
    actor: Any
    workshops: dict[int, Workshop]
    municipalities: dict[str, Municipality]
    districts: dict[str, District]
    organizations: dict[str, Organization]
    focus_areas: dict[int, list[FocusArea]]  # per workshop id
    project_keys: dict[tuple[str, str], list[int]]  # (title, sponsor name) -> project pks
    project_pks: set[int]
    projects: dict[int, Project] = field(default_factory=dict)
    seen: dict[tuple[Any, ...], int] = field(default_factory=dict)  # row identity -> first row number

    @classmethod
    def load(cls, body: Body, actor: Any, table: CsvTable) -> _Context:
        keys: dict[str, set[str]] = {"municipality": set(), "district": set()}
        for row in table.rows:
            for name, found in keys.items():
                found.add(row.cells.get(name, "").strip())
        organizations: dict[str, Organization] = {}
        for organization in Organization.objects.filter(body=body):
            organizations.setdefault(fmt.name_key(organization.name), organization)
        focus_areas: dict[int, list[FocusArea]] = {}
        for area in FocusArea.objects.filter(workshop__body=body):
            focus_areas.setdefault(area.workshop_id, []).append(area)
        project_keys: dict[tuple[str, str], list[int]] = {}
        project_pks = set()
        for pk, title, sponsor in Project.objects.filter(body=body).values_list("pk", "title", "sponsor__name"):
            project_keys.setdefault((fmt.name_key(title), fmt.name_key(sponsor or "")), []).append(pk)
            project_pks.add(pk)
        return cls(
            body=body,
            actor=actor,
            workshops={w.number: w for w in Workshop.objects.filter(body=body)},
            municipalities={m.ags: m for m in Municipality.objects.filter(ags__in=keys["municipality"])},
            districts={d.ags: d for d in District.objects.filter(ags__in=keys["district"])},
            organizations=organizations,
            focus_areas=focus_areas,
            project_keys=project_keys,
            project_pks=project_pks,
        )

    def load_projects(self, pks: set[int]) -> None:
        queryset = (
            Project.objects.filter(pk__in=pks)
            .select_related("sponsor", "lead_workshop", "municipality", "district")
            .prefetch_related("other_workshops", "focus_areas")
        )
        self.projects = {project.pk: project for project in queryset}


# --- one row -------------------------------------------------------------------------------------------


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 1].rstrip() + "…"


def _empty(kind: Kind) -> Any:
    if kind in (Kind.TEXT, Kind.FUNDING_AREA):
        return ""
    if kind in (Kind.WORKSHOPS, Kind.FOCUS_AREAS):
        return []
    if kind in (Kind.INSTRUMENT, Kind.STATE, Kind.BOOLEAN):
        return _NOT_GIVEN
    return None


def _parse_cell(column: Column, text: str, ctx: _Context) -> Any:
    kind = column.kind
    match kind:
        case Kind.TEXT:
            return normalise_text(text.replace("\r\n", "\n"))
        case Kind.NUMBER:
            return fmt.parse_number(text)
        case Kind.ORGANIZATION:
            return normalise_text(text)
        case Kind.WORKSHOP:
            number = fmt.parse_number(text)
            if number not in ctx.workshops:
                raise CellError(_("Die Werkstatt %(n)s gibt es nicht.") % {"n": number})
            return ctx.workshops[number]
        case Kind.WORKSHOPS:
            numbers = fmt.parse_workshop_numbers(text)
            unknown = [str(n) for n in numbers if n not in ctx.workshops]
            if unknown:
                raise CellError(
                    ngettext("Die Werkstatt %(n)s gibt es nicht.", "Die Werkstätten %(n)s gibt es nicht.", len(unknown))
                    % {"n": ", ".join(unknown)}
                )
            return sorted({ctx.workshops[n] for n in numbers}, key=lambda w: w.number)
        case Kind.FOCUS_AREAS:
            return fmt.parse_focus_area_titles(text)
        case Kind.INSTRUMENT:
            return fmt.parse_instrument(text)
        case Kind.FUNDING_AREA:
            return fmt.parse_funding_area(text)
        case Kind.STATE:
            return fmt.parse_state(text)
        case Kind.MUNICIPALITY:
            key = fmt.parse_key(text, 8, _("Gemeindeschlüssel"))
            if key not in ctx.municipalities:
                raise CellError(_("Eine Gemeinde mit dem Schlüssel %(key)s gibt es nicht.") % {"key": key})
            return ctx.municipalities[key]
        case Kind.DISTRICT:
            key = fmt.parse_key(text, 5, _("Kreisschlüssel"))
            if key not in ctx.districts:
                raise CellError(_("Einen Landkreis mit dem Schlüssel %(key)s gibt es nicht.") % {"key": key})
            return ctx.districts[key]
        case Kind.MONEY | Kind.COORDINATE:
            return fmt.parse_decimal(text, fmt.DECIMAL_PLACES[kind], money=kind == Kind.MONEY)
        case Kind.DATE:
            return fmt.parse_date(text)
        case Kind.BOOLEAN:
            return fmt.parse_bool(text)
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def _parse_row(raw: RawRow, ctx: _Context) -> tuple[dict[str, Any], list[str]]:
    """The row's values per field (only for the file's columns; ``_NOT_GIVEN`` for empty "leave" cells)."""
    values: dict[str, Any] = {}
    reasons = list(raw.problems)
    for name, cell in raw.cells.items():
        column = fmt.COLUMN_OF_FIELD[name]
        text = cell.strip()
        if text.startswith("="):
            reasons.append(
                _("%(column)s: Formeln werden nicht importiert („%(text)s“); bitte nur Werte eintragen.")
                % {"column": column.header, "text": _shorten(text)}
            )
            continue
        text = fmt.unescape_formula(text).strip()
        if not text:
            values[name] = _empty(column.kind)
            continue
        try:
            values[name] = _parse_cell(column, text, ctx)
        except CellError as error:
            reasons.append(f"{column.header}: {error}")
    if not values.get("title") and "title" in raw.cells and not any(r.startswith("Titel:") for r in reasons):
        reasons.append(_("Titel: Jedes Projekt braucht einen Titel."))
    return values, reasons


def _given(values: dict[str, Any], name: str) -> bool:
    return name in values and values[name] is not _NOT_GIVEN


def _find_project(values: dict[str, Any], ctx: _Context) -> tuple[int | None, list[str]]:
    """The existing project the row describes: by Nr., else by title and sponsor."""
    nr = values.get("pk")
    if nr is not None:
        if nr not in ctx.project_pks:
            return None, [_("Nr.: Ein Projekt mit der Nr. %(nr)s gibt es nicht.") % {"nr": nr}]
        return nr, []
    title = values.get("title")
    if not title:
        return None, []
    sponsor = values.get("sponsor") or ""
    matches = ctx.project_keys.get((fmt.name_key(title), fmt.name_key(sponsor)), [])
    if len(matches) > 1:
        return None, [
            _("Es gibt mehrere Projekte „%(title)s“ dieses Trägers (Nr. %(nrs)s); bitte die Nr. angeben.")
            % {"title": _shorten(title), "nrs": ", ".join(str(pk) for pk in sorted(matches))}
        ]
    return (matches[0] if matches else None), []


def _identity(values: dict[str, Any], pk: int | None) -> tuple[Any, ...] | None:
    if pk is not None:
        return ("nr", pk)
    title = values.get("title")
    if not title:
        return None
    return ("new", fmt.name_key(title), fmt.name_key(values.get("sponsor") or ""))


# How values are shown in changes and reasons.
def _show(column: Column, value: Any) -> str:
    if value is None or value == "" or value == [] or value is _NOT_GIVEN:
        return _("(leer)")
    match column.kind:
        case Kind.MONEY:
            return format_eur(value)
        case Kind.COORDINATE:
            return fmt.format_decimal(value, fmt.DECIMAL_PLACES[Kind.COORDINATE])
        case Kind.DATE:
            return fmt.format_date(value)
        case Kind.BOOLEAN:
            return fmt.format_bool(value)
        case Kind.WORKSHOP:
            return _("Werkstatt %(n)s") % {"n": value.number}
        case Kind.WORKSHOPS:
            return fmt.format_workshops(w.number for w in value)
        case Kind.FOCUS_AREAS:
            return fmt.format_focus_areas(a.title for a in value)
        case Kind.INSTRUMENT:
            return fmt.instrument_label(value)
        case Kind.FUNDING_AREA:
            return fmt.funding_area_label(value)
        case Kind.STATE:
            return fmt.state_label(value)
        case Kind.MUNICIPALITY | Kind.DISTRICT:
            return f"{value.display_name} ({value.ags})"
        case Kind.ORGANIZATION:
            return f"„{_shorten(value.name if isinstance(value, Organization) else value)}“"
        case Kind.TEXT:
            return f"„{_shorten(value)}“"
    return str(value)


def _resolve_focus_areas(titles: list[str], workshops: Iterable[Workshop | None], ctx: _Context) -> list[FocusArea]:
    """Focus areas by title among the project's workshops (the lead workshop's first)."""
    candidates = [area for w in workshops if w is not None for area in ctx.focus_areas.get(w.pk, [])]
    found, unknown = [], []
    for title in titles:
        area = next((a for a in candidates if fmt.name_key(a.title) == fmt.name_key(title)), None)
        if area is None:
            unknown.append(title)
        elif area not in found:
            found.append(area)
    if unknown:
        numbers = ", ".join(str(w.number) for w in workshops if w is not None) or "–"
        raise CellError(
            ngettext(
                "%(titles)s ist kein Schwerpunkt der Werkstätten dieses Projekts (%(numbers)s).",
                "%(titles)s sind keine Schwerpunkte der Werkstätten dieses Projekts (%(numbers)s).",
                len(unknown),
            )
            % {"titles": quoted(unknown), "numbers": numbers}
        )
    return found


@dataclass
class _Plan:
    """What a row asks for: fact sheet values, relations and the sponsor (by name)."""

    fields: dict[str, Any]
    sponsor_name: str | None  # None: the column is missing
    other_workshops: list[Workshop] | None
    focus_areas: list[FocusArea] | None


def _plan(values: dict[str, Any], project: Project | None, ctx: _Context, reasons: list[str]) -> _Plan:
    fields = {
        name: value
        for name, value in values.items()
        if name in _FACT_SHEET and value is not _NOT_GIVEN and name != "sponsor"
    }
    lead = fields.get("lead_workshop", project.lead_workshop if project else None)
    others: list[Workshop] | None = None
    if "other_workshops" in values:
        others = [w for w in values["other_workshops"] if lead is None or w.pk != lead.pk]
    focus: list[FocusArea] | None = None
    if "focus_areas" in values:
        workshops = [lead, *(others if others is not None else (project.other_workshops.all() if project else []))]
        try:
            focus = _resolve_focus_areas(values["focus_areas"], workshops, ctx)
        except CellError as error:
            reasons.append(f"{fmt.COLUMN_OF_FIELD['focus_areas'].header}: {error}")
    return _Plan(fields=fields, sponsor_name=values.get("sponsor"), other_workshops=others, focus_areas=focus)


_FACT_SHEET = frozenset(
    column.field
    for column in fmt.COLUMNS
    if not column.read_only and column.field not in ("pk", "other_workshops", "focus_areas")
)


def _check_pipeline_columns(values: dict[str, Any], project: Project | None) -> list[str]:
    """State and decision dates: repeated as they are, never set by the import."""
    reasons = []
    for column in fmt.COLUMNS:
        if not column.read_only or not _given(values, column.field) or values[column.field] in (None, ""):
            continue
        value = values[column.field]
        if project is None:
            if column.field == "state":
                if value not in INITIAL_STATES:
                    reasons.append(
                        _(
                            "Stand: Ein neues Projekt beginnt als „%(idea)s“ oder „%(submitted)s“, nicht als "
                            "„%(state)s“; spätere Schritte werden über die Prozessschritte erfasst, nicht nachgetragen."
                        )
                        % {
                            "idea": fmt.state_label(ProjectState.IDEA),
                            "submitted": fmt.state_label(ProjectState.SUBMITTED),
                            "state": fmt.state_label(value),
                        }
                    )
            else:
                reasons.append(
                    _(
                        "%(column)s: Ein neues Projekt hat noch keine Entscheidungsdaten; sie entstehen mit den "
                        "Prozessschritten."
                    )
                    % {"column": column.header}
                )
            continue
        current = getattr(project, column.field)
        if value != current:
            reasons.append(
                _(
                    "%(column)s: „%(new)s“ weicht vom Projekt ab („%(old)s“); %(column)s ändert sich nur über die "
                    "Prozessschritte."
                )
                % {
                    "column": column.header,
                    "new": _show(column, value).strip("„“"),
                    "old": _show(column, current).strip("„“"),
                }
            )
    return reasons


@dataclass
class _Diff:
    fields: dict[str, Any]  # changed fact sheet fields (the sponsor by name)
    described: list[str]  # "Gesamtkosten: 700.000 € → 716.000 €"
    other_workshops: bool
    focus_areas: bool


def _differences(plan: _Plan, project: Project) -> _Diff:
    """The changed fact sheet fields, their German description, and whether the relations change."""
    changed: dict[str, Any] = {}
    described: list[str] = []
    for name, value in plan.fields.items():
        column = fmt.COLUMN_OF_FIELD[name]
        current = getattr(project, name)
        if column.kind == Kind.TEXT:
            same = value == normalise_text(current or "")
        elif name == "district" and value is None and project.municipality is not None:
            same = True  # derived from the municipality, as the service does
        else:
            same = value == current
        if not same:
            changed[name] = value
            described.append(f"{column.header}: {_show(column, current)} → {_show(column, value)}")
    if plan.sponsor_name is not None:
        current_name = project.sponsor.name if project.sponsor else ""
        if fmt.name_key(current_name) != fmt.name_key(plan.sponsor_name):
            column = fmt.COLUMN_OF_FIELD["sponsor"]
            described.append(f"{column.header}: {_show(column, current_name)} → {_show(column, plan.sponsor_name)}")
            changed["sponsor"] = plan.sponsor_name
    # The service clears a district that is not given along with a changed municipality, then derives it.
    if "municipality" in changed and "district" in plan.fields:
        changed["district"] = plan.fields["district"]
    others_change = plan.other_workshops is not None and {w.pk for w in plan.other_workshops} != {
        w.pk for w in project.other_workshops.all()
    }
    if others_change:
        column = fmt.COLUMN_OF_FIELD["other_workshops"]
        described.append(
            f"{column.header}: {_show(column, list(project.other_workshops.all()))} → "
            f"{_show(column, plan.other_workshops)}"
        )
    focus_change = plan.focus_areas is not None and {a.pk for a in plan.focus_areas} != {
        a.pk for a in project.focus_areas.all()
    }
    if focus_change:
        column = fmt.COLUMN_OF_FIELD["focus_areas"]
        described.append(
            f"{column.header}: {_show(column, list(project.focus_areas.all()))} → {_show(column, plan.focus_areas)}"
        )
    return _Diff(fields=changed, described=described, other_workshops=others_change, focus_areas=focus_change)


def _error_messages(error: ValidationError) -> list[str]:
    messages: list[str] = []
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    for name, texts in error.message_dict.items():
        label = ""
        if name in fmt.COLUMN_OF_FIELD:
            label = fmt.COLUMN_OF_FIELD[name].header
        elif name != "__all__":
            try:
                label = str(getattr(Project._meta.get_field(name), "verbose_name", name))
            except FieldDoesNotExist:
                label = name
        for text in texts:
            message = f"{label}: {text}" if label else text
            if message not in messages:
                messages.append(message)
    return messages


def _sponsor(name: str | None, ctx: _Context, created: dict[str, Organization]) -> tuple[Organization | None, str]:
    """The organisation named ``name`` (known, or created now); and a note when it is new."""
    if not name:
        return None, ""
    key = fmt.name_key(name)
    organization = ctx.organizations.get(key) or created.get(key)
    if organization is not None:
        return organization, ""
    organization = organization_create(actor=ctx.actor, body=ctx.body, name=name)
    created[key] = organization
    return organization, _("Projektträger „%(name)s“ wird neu angelegt.") % {"name": organization.name}


def _write_new(plan: _Plan, values: dict[str, Any], ctx: _Context, report: RowReport) -> None:
    created: dict[str, Organization] = {}
    sponsor, note = _sponsor(plan.sponsor_name, ctx, created)
    if note:
        report.changes.append(note)
    state = values.get("state")
    if state in (None, _NOT_GIVEN):
        state = ProjectState.IDEA
    project_create(
        actor=ctx.actor,
        body=ctx.body,
        state=str(state),
        other_workshops=plan.other_workshops or (),
        focus_areas=plan.focus_areas or (),
        note=_("Aus einer CSV-Projektliste importiert"),
        sponsor=sponsor,
        **plan.fields,
    )
    ctx.organizations.update(created)


def _write_changes(project: Project, diff: _Diff, plan: _Plan, ctx: _Context, report: RowReport) -> None:
    created: dict[str, Organization] = {}
    changed = dict(diff.fields)
    if "sponsor" in changed:
        changed["sponsor"], note = _sponsor(changed["sponsor"], ctx, created)
        if note:
            report.changes.append(note)
    project_update(
        actor=ctx.actor,
        project=project,
        other_workshops=plan.other_workshops if diff.other_workshops else None,
        # Changed workshops may take focus areas with them: give the file's list whenever it has one.
        focus_areas=plan.focus_areas if (diff.focus_areas or diff.other_workshops) else None,
        reason=_("CSV-Import"),
        **changed,
    )
    ctx.organizations.update(created)


def _refuse(report: RowReport, reasons: list[str]) -> RowReport:
    report.outcome, report.reasons, report.changes = REFUSED, reasons, []
    return report


def _import_row(raw: RawRow, values: dict[str, Any], reasons: list[str], pk: int | None, ctx: _Context) -> RowReport:
    report = RowReport(line=raw.line, title=values.get("title") or raw.cells.get("title", "").strip(), nr=pk)
    project = ctx.projects.get(pk) if pk is not None else None
    reasons.extend(_check_pipeline_columns(values, project))
    plan = _plan(values, project, ctx, reasons)
    if reasons:
        return _refuse(report, reasons)
    diff = _differences(plan, project) if project is not None else None
    if diff is not None:
        if not diff.described:
            report.outcome = UNCHANGED
            return report
        report.changes = list(diff.described)
    try:
        with transaction.atomic():
            if project is None or diff is None:
                _write_new(plan, values, ctx, report)
            else:
                _write_changes(project, diff, plan, ctx, report)
    except ValidationError as error:
        return _refuse(report, _error_messages(error))
    except IntegrityError as error:
        return _refuse(report, [_("Die Datenbank hat die Zeile abgelehnt: %(detail)s") % {"detail": error}])
    report.outcome = NEW if project is None else CHANGED
    return report


def _duplicate_reason(identity: tuple[Any, ...] | None, line: int, ctx: _Context) -> str:
    if identity is None:
        return ""
    first = ctx.seen.get(identity)
    if first is None:
        ctx.seen[identity] = line
        return ""
    return _(
        "Doppelt: Zeile %(line)s beschreibt dasselbe Projekt wie Zeile %(first)s. Jedes Projekt darf nur einmal "
        "in der Datei stehen."
    ) % {"line": line, "first": first}


# --- the whole file ----------------------------------------------------------------------------------


def import_projects(content: bytes, *, actor: Any, dry_run: bool, body: Body | None = None) -> ImportReport:
    """Read ``content`` (the bytes of a CSV file) and create or change the projects it lists.

    ``dry_run``: check everything with the real services, then roll back. Otherwise store all rows, or
    nothing if one is refused. ``actor`` is the user the history rows name (``None``: the system).
    """
    if actor is not None and not rules.can_manage_projects(actor):
        raise PermissionDenied(_("Projektlisten importiert die Geschäftsstelle."))
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(content)
    except CsvFileError as error:
        report.errors = error.messages
        return report
    report.warnings = table.warnings
    with transaction.atomic():
        ctx = _Context.load(body or body_get_or_create_default(), actor, table)
        parsed = []
        for raw in table.rows:
            values, reasons = _parse_row(raw, ctx)
            pk, problems = _find_project(values, ctx)
            parsed.append((raw, values, reasons + problems, pk))
        ctx.load_projects({pk for _raw, _values, _reasons, pk in parsed if pk is not None})
        for raw, values, reasons, pk in parsed:
            duplicate = _duplicate_reason(_identity(values, pk), raw.line, ctx)
            if duplicate:
                reasons.insert(0, duplicate)
            report.rows.append(_import_row(raw, values, reasons, pk, ctx))
        if dry_run or report.refused:
            transaction.set_rollback(True)
        else:
            report.committed = True
    return report

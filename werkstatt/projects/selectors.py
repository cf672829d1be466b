"""Shared, permission-aware reads of projects: the register with its filters, used by the public
register, the office list and the CSV export alike."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.core.query import parse_number
from werkstatt.documents.models import File
from werkstatt.geo.models import District
from werkstatt.organizations.models import FocusArea, Workshop
from werkstatt.projects.models import FINANCES_ARE_PUBLIC, Consultation, Milestone, Project, ProjectStatusChange
from werkstatt.projects.workflow import (
    APPROVED_STATES,
    PIPELINE_ORDER,
    SIDE_EXITS,
    FundingInstrument,
    ProjectState,
    state_label,
)

# Sort keys of the register: name in the query string -> ordering.
SORTS: dict[str, tuple[str, ...]] = {
    "titel": ("title", "pk"),
    "-titel": ("-title", "-pk"),
    "stand": ("state_rank", "title", "pk"),
    "-stand": ("-state_rank", "title", "pk"),
    "werkstatt": ("lead_workshop__number", "title", "pk"),
    "-werkstatt": ("-lead_workshop__number", "title", "pk"),
    "bestaetigt": ("confirmed_on", "title", "pk"),
    "-bestaetigt": ("-confirmed_on", "title", "pk"),
    "geaendert": ("modified", "pk"),
    "-geaendert": ("-modified", "-pk"),
}
DEFAULT_SORT = "titel"
STATE_RANK = {state: rank for rank, state in enumerate((*PIPELINE_ORDER, *SIDE_EXITS))}


def projects_visible_to(user: object) -> QuerySet[Project]:
    """The projects ``user`` may see: public ones for all, all for those who read everything,
    and the non-public projects of the workshops a member sits in."""
    qs = Project.objects.all()
    if rules.can_view_project_internals(user):
        return qs
    own = [pk for pk in rules.workshop_roles(user) if rules.sits_in_workshop(user, pk)]
    return qs.filter(Q(public=True) | Q(lead_workshop_id__in=own))


def project_finances_visible_q(user: object) -> Q:
    """Of the projects ``user`` may see, those whose costs and grant ``user`` may see, as a filter:
    ``rules.can_view_project_finances`` for a whole queryset (all for those who read everything, else only
    where ``Project.finances_are_public``)."""
    if rules.reads_everything(user):
        return Q()
    return FINANCES_ARE_PUBLIC


@dataclass
class ProjectFilter:
    """The register's filters as parsed from a query string; ``errors`` says in German what was ignored."""

    workshop: int | None = None
    state: str = ""
    instrument: str = ""
    district: str = ""  # Kreisschlüssel, e.g. "12062"
    municipality: str = ""  # Gemeindeschlüssel, e.g. "12052000"
    focus_area: int | None = None
    sort: str = DEFAULT_SORT
    errors: list[str] = field(default_factory=list)

    # Names in the query string (German, as they appear in links people share).
    PARAMS = ("werkstatt", "stand", "foerderung", "kreis", "gemeinde", "schwerpunkt", "sortierung")

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> ProjectFilter:
        f = cls()
        f.workshop = f._number(query.get("werkstatt", ""), _("Werkstatt"))
        f.focus_area = f._number(query.get("schwerpunkt", ""), _("Schwerpunkt"))
        f.state = f._choice(query.get("stand", ""), ProjectState.values, _("Stand"))
        f.instrument = f._choice(query.get("foerderung", ""), FundingInstrument.values, _("Förderinstrument"))
        f.district = f._key(query.get("kreis", ""), 5, _("Landkreis"))
        f.municipality = f._key(query.get("gemeinde", ""), 8, _("Gemeinde"))
        sort = query.get("sortierung", "").strip()
        if sort and sort not in SORTS:
            f.errors.append(
                _("Die Sortierung „%(value)s“ gibt es nicht; sortiert wird nach Titel.") % {"value": sort[:50]}
            )
        f.sort = sort if sort in SORTS else DEFAULT_SORT
        return f

    def _number(self, raw: str, label: str) -> int | None:
        return parse_number(raw, label, self.errors)

    def _choice(self, raw: str, allowed: list[str], label: str) -> str:
        raw = raw.strip()
        if not raw or raw in allowed:
            return raw
        self.errors.append(
            _("Den Wert „%(value)s“ gibt es für „%(label)s“ nicht; er wurde ignoriert.")
            % {
                "value": raw[:50],
                "label": label,
            }
        )
        return ""

    def _key(self, raw: str, length: int, label: str) -> str:
        raw = raw.strip()
        if not raw or (raw.isascii() and raw.isdigit() and len(raw) == length):
            return raw
        self.errors.append(
            _("„%(label)s“ erwartet einen amtlichen Schlüssel mit %(n)s Ziffern; der Filter wurde ignoriert.")
            % {"label": label, "n": length}
        )
        return ""

    @property
    def active(self) -> bool:
        return any((self.workshop, self.state, self.instrument, self.district, self.municipality, self.focus_area))

    def as_query(self, **changes: object) -> dict[str, str]:
        """The filters as query parameters, with ``changes`` applied (for sort and page links)."""
        values: dict[str, object] = {
            "werkstatt": self.workshop,
            "stand": self.state,
            "foerderung": self.instrument,
            "kreis": self.district,
            "gemeinde": self.municipality,
            "schwerpunkt": self.focus_area,
            "sortierung": "" if self.sort == DEFAULT_SORT else self.sort,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def apply(self, qs: QuerySet[Project]) -> QuerySet[Project]:
        if self.workshop is not None:
            qs = qs.filter(Q(lead_workshop__number=self.workshop) | Q(other_workshops__number=self.workshop))
        if self.state:
            qs = qs.filter(state=self.state)
        if self.instrument:
            qs = qs.filter(instrument=self.instrument)
        if self.district:
            qs = qs.filter(district__ags=self.district)
        if self.municipality:
            qs = qs.filter(municipality__ags=self.municipality)
        if self.focus_area is not None:
            qs = qs.filter(focus_areas=self.focus_area)
        return qs


def _state_rank() -> object:
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *(When(state=state, then=Value(rank)) for state, rank in STATE_RANK.items()),
        output_field=IntegerField(),
    )


def project_register(user: object, filters: ProjectFilter) -> QuerySet[Project]:
    """The register as ``user`` may see it, filtered and sorted, with what a row shows in one query."""
    qs = filters.apply(projects_visible_to(user))
    # A project may match through several workshops or focus areas: the subquery lists it once.
    return (
        Project.objects.filter(pk__in=qs.values("pk"))
        .select_related("sponsor", "lead_workshop", "municipality", "district")
        .annotate(state_rank=_state_rank())
        .order_by(*SORTS[filters.sort])
    )


def project_register_state_counts(user: object, filters: ProjectFilter) -> list[tuple[str, str, int]]:
    """How many projects of the filtered register are in each state: ``(state, German label, count)``
    in pipeline order, states without projects left out. One query."""
    rows = (
        filters.apply(projects_visible_to(user))
        .order_by()
        .values("state")
        .annotate(n=Count("pk", distinct=True))
        .values_list("state", "n")
    )
    counts = dict(rows)
    return [(state, state_label(state), counts[state]) for state in STATE_RANK if counts.get(state)]


# --- the map --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapEntry:
    """A project of the map: where it is drawn (its own point, else its municipality's; none: "ohne Ortsangabe")."""

    project: Project
    latitude: decimal.Decimal | None
    longitude: decimal.Decimal | None
    located_by: str  # "project", "municipality" or "" (no place on the map)

    @property
    def located(self) -> bool:
        return bool(self.located_by)


def _map_entry(project: Project) -> MapEntry:
    if project.latitude is not None and project.longitude is not None:
        return MapEntry(project, project.latitude, project.longitude, "project")
    place = project.municipality
    if place is not None and place.latitude is not None and place.longitude is not None:
        return MapEntry(project, place.latitude, place.longitude, "municipality")
    return MapEntry(project, None, None, "")


def project_map(user: object, filters: ProjectFilter) -> list[MapEntry]:
    """The register's projects (``project_register``: the same filters, the same visibility, the same order)
    with the point each is drawn at. One query."""
    return [_map_entry(project) for project in project_register(user, filters)]


@dataclass(frozen=True)
class WorkshopProjects:
    """The projects a workshop leads or heard, as the register shows them to a user: all of them with their
    place on the map, and the most recently changed."""

    entries: list[MapEntry]
    latest: list[Project]

    @property
    def count(self) -> int:
        return len(self.entries)


def projects_for_workshop(user: object, workshop: Workshop, *, limit: int = 5) -> WorkshopProjects:
    """``project_map`` of the register's workshop filter, and the ``limit`` most recently changed of them (in
    the order of the register's sort ``-geaendert``). One query."""
    entries = project_map(user, ProjectFilter(workshop=workshop.number))
    latest = sorted((entry.project for entry in entries), key=lambda p: (p.modified, p.pk), reverse=True)
    return WorkshopProjects(entries=entries, latest=latest[:limit])


def project_counts_by_district(user: object) -> dict[int, int]:
    """How many projects ``user`` may see per district (pk -> count), districts without any left out. One query."""
    rows = (
        projects_visible_to(user)
        .filter(district__isnull=False)
        .order_by()
        .values("district")
        .annotate(n=Count("pk", distinct=True))
        .values_list("district", "n")
    )
    return dict(rows)


def milestones_visible_to(
    user: object, *, workshop: Workshop | None = None, district: District | None = None
) -> QuerySet[Milestone]:
    """Milestones of the projects ``user`` may see (``projects_visible_to``), with their project in the same
    query; ``workshop``: of the projects it leads or hears (as the register's workshop filter), ``district``:
    of the projects in that district. Unordered: the caller orders and slices."""
    projects = projects_visible_to(user)
    if workshop is not None:
        projects = ProjectFilter(workshop=workshop.number).apply(projects)
    if district is not None:
        projects = projects.filter(district=district)
    # A project may match through several workshops: the subquery lists it once.
    return Milestone.objects.filter(project__in=projects.values("pk")).select_related("project")


# --- the project page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a project's timeline: a recorded step or a milestone."""

    kind: str  # "step" or "milestone"
    label: str
    date: dt.date | None
    note: str = ""
    planned: bool = False  # a milestone that has not happened yet

    @property
    def is_step(self) -> bool:
        return self.kind == "step"


@dataclass
class ProjectPage:
    project: Project
    timeline: list[TimelineEntry]
    consultations: list[Consultation]
    milestones: list[Milestone]
    files: list[File]
    show_finances: bool
    show_contact: bool

    @property
    def has_finances(self) -> bool:
        p = self.project
        return any(value is not None for value in (p.total_cost, p.eligible_cost, p.grant))


def _timeline(steps: list[ProjectStatusChange], milestones: list[Milestone]) -> list[TimelineEntry]:
    """Steps in the order they were recorded, milestones placed among them by date.

    A step without a published decision date keeps its place after the step before it; a milestone
    goes after every step dated on or before its own date.
    """
    keyed: list[tuple[dt.date, int, int, TimelineEntry]] = []
    carried = dt.date.min
    for index, step in enumerate(steps):
        if step.decision_date is not None:
            carried = max(carried, step.decision_date)
        entry = TimelineEntry("step", state_label(step.to_state), step.decision_date, step.note)
        keyed.append((carried, 0, index, entry))
    for index, milestone in enumerate(milestones):
        entry = TimelineEntry("milestone", milestone.label, milestone.date, milestone.note, planned=not milestone.done)
        keyed.append((milestone.date or dt.date.max, 1, index, entry))
    keyed.sort(key=lambda row: row[:3])
    return [entry for *_key, entry in keyed]


def project_page_for_user(user: object, pk: int) -> ProjectPage:
    """Everything the public project page shows, in a fixed number of queries; 404 if ``user`` may not see it."""
    project = (
        Project.objects.select_related(
            "sponsor", "contact", "contact__organization", "lead_workshop", "municipality", "district"
        )
        .prefetch_related(
            Prefetch("other_workshops", queryset=Workshop.objects.order_by("number")),
            Prefetch("focus_areas", queryset=FocusArea.objects.select_related("workshop")),
            Prefetch("files", queryset=File.objects.filter(public=True).order_by("name", "pk"), to_attr="public_files"),
            Prefetch("status_changes", queryset=ProjectStatusChange.objects.order_by("created", "pk")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "actual_date", "pk")),
            Prefetch(
                "consultations",
                queryset=Consultation.objects.select_related("meeting", "meeting__workshop", "agenda_item").order_by(
                    "meeting__date", "pk"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if project is None or not rules.can_view_project(user, project):
        raise Http404(_("Dieses Projekt gibt es nicht oder es ist nicht öffentlich."))
    milestones = list(project.milestones.all())
    return ProjectPage(
        project=project,
        timeline=_timeline(list(project.status_changes.all()), milestones),
        consultations=list(project.consultations.all()),
        milestones=milestones,
        files=list(project.public_files),
        show_finances=rules.can_view_project_finances(user, project),
        show_contact=project.contact is not None and rules.can_view_project_contact(user, project),
    )


# --- key figures on the home page ----------------------------------------------------------------


@dataclass(frozen=True)
class ProjectKeyFigures:
    public: int
    confirmed: int
    approved: int
    public_grants: decimal.Decimal


def project_key_figures() -> ProjectKeyFigures:
    """The public register in numbers, the same for everyone: projects, of them confirmed by the IMAG and
    approved, and the sum of the grants published (``Project.finances_are_public``). One query."""
    approved = Q(approved_on__isnull=False) | Q(state__in=APPROVED_STATES)
    figures = Project.objects.filter(public=True).aggregate(
        public=Count("pk"),
        confirmed=Count("pk", filter=Q(confirmed_on__isnull=False)),
        approved=Count("pk", filter=Q(approved_on__isnull=False)),
        public_grants=Sum("grant", filter=Q(public_finances=True) & approved),
    )
    return ProjectKeyFigures(
        public=figures["public"],
        confirmed=figures["confirmed"],
        approved=figures["approved"],
        public_grants=figures["public_grants"] or decimal.Decimal(0),
    )

"""The status report "Aktueller Sachstand der Projekte": one workshop's projects or all, as the office and
the bank report them in every session (DESIGN.md section 2).

It says how many projects the working group (IMAG) confirmed since a date ("Insgesamt 72 Projekte wurden
seit März 2021 durch die IMAG bestätigt."), how many projects stand at each step of the pipeline, what
changed since the workshop's previous session, and which milestones the year brings ("2024 stehen vier
Inbetriebnahmen und drei Grundsteinlegungen an.").

The report is internal: it counts non-public projects too. ``status_report`` asks the rules first;
``status_report_build`` is for what the system itself produces (the report attached to a session's
agenda, see ``report_services``). Either costs the same fixed number of queries (at most seven) however
many projects, status changes and milestones there are: every figure is one aggregate query, and the two
lists (changes, milestones that took place) are capped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from werkstatt.accounts import rules
from werkstatt.core.dates import format_date
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import Workshop
from werkstatt.projects.models import Milestone, MilestoneKind, Project, ProjectStatusChange
from werkstatt.projects.workflow import PIPELINE_ORDER, SIDE_EXITS, state_label

TITLE = "Aktueller Sachstand der Projekte"
# Since when the office counts confirmations: the working group's first confirmations in March 2021.
DEFAULT_SINCE = dt.date(2021, 3, 1)
# The lists are for reading aloud in a session, not an export: longer ones are cut, with the total said.
CHANGES_LIMIT = 200
DONE_LIMIT = 100

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
NUMBER_WORDS = {
    1: "eins",
    2: "zwei",
    3: "drei",
    4: "vier",
    5: "fünf",
    6: "sechs",
    7: "sieben",
    8: "acht",
    9: "neun",
    10: "zehn",
    11: "elf",
    12: "zwölf",
}


@dataclass(frozen=True)
class Noun:
    """How a milestone kind is counted in a German sentence: "eine Inbetriebnahme", "vier Inbetriebnahmen"."""

    article: str  # the indefinite article for one: "ein" or "eine"
    singular: str
    plural: str


# The order of the milestone sentence and table: the furthest along first, as the bank reports them
# ("vier Inbetriebnahmen und drei Grundsteinlegungen"), free milestones last.
MILESTONE_ORDER: tuple[str, ...] = (
    MilestoneKind.COMMISSIONING,
    MilestoneKind.OPENING,
    MilestoneKind.TOPPING_OUT,
    MilestoneKind.FOUNDATION_STONE,
    MilestoneKind.GROUND_BREAKING,
    MilestoneKind.OTHER,
)
NOUNS: dict[str, Noun] = {
    MilestoneKind.COMMISSIONING: Noun("eine", "Inbetriebnahme", "Inbetriebnahmen"),
    MilestoneKind.OPENING: Noun("eine", "Eröffnung", "Eröffnungen"),
    MilestoneKind.TOPPING_OUT: Noun("ein", "Richtfest", "Richtfeste"),
    MilestoneKind.FOUNDATION_STONE: Noun("eine", "Grundsteinlegung", "Grundsteinlegungen"),
    MilestoneKind.GROUND_BREAKING: Noun("ein", "Spatenstich", "Spatenstiche"),
    MilestoneKind.OTHER: Noun("ein", "sonstiger Meilenstein", "sonstige Meilensteine"),
}


# --- German wording -------------------------------------------------------------------------------


def number_de(n: int) -> str:
    """``1234`` as ``1.234``: digits with the German thousands separator, whatever the locale."""
    return f"{n:,}".replace(",", ".")


def count_phrase(kind: str, n: int) -> str:
    """``eine Inbetriebnahme``, ``ein Richtfest``, ``vier Inbetriebnahmen``, ``13 Spatenstiche``."""
    noun = NOUNS[kind]
    if n == 1:
        return f"{noun.article} {noun.singular}"
    word = NUMBER_WORDS.get(n) if n > 1 else None
    return f"{word or number_de(n)} {noun.plural}"


def join_de(parts: Sequence[str]) -> str:
    """``a``, ``a und b``, ``a, b und c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} und {parts[-1]}"


def since_label(since: dt.date) -> str:
    """``seit März 2021`` for the first of a month, else ``seit dem 15.03.2021``."""
    if since.day == 1:
        return f"seit {MONTHS[since.month - 1]} {since.year}"
    return f"seit dem {format_date(since)}"


def confirmed_sentence(count: int, since: dt.date) -> str:
    """``Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt.``"""
    when = since_label(since)
    if count == 0:
        return f"{when[0].upper()}{when[1:]} wurde kein Projekt durch die IMAG bestätigt."
    if count == 1:
        return f"Insgesamt ein Projekt wurde {when} durch die IMAG bestätigt."
    return f"Insgesamt {number_de(count)} Projekte wurden {when} durch die IMAG bestätigt."


def confirmed_in_workshop_sentence(count: int, workshop: Workshop) -> str:
    """``Davon liegen 12 in der Federführung der Werkstatt 4.``"""
    if count == 0:
        return f"Davon liegt keines in der Federführung der {workshop.label}."
    if count == 1:
        return f"Davon liegt eines in der Federführung der {workshop.label}."
    return f"Davon liegen {number_de(count)} in der Federführung der {workshop.label}."


def _phrases(counts: dict[str, int]) -> list[str]:
    return [count_phrase(kind, counts[kind]) for kind in MILESTONE_ORDER if counts.get(kind)]


def _one(counts: dict[str, int]) -> bool:
    return sum(counts.values()) == 1


def milestones_due_sentence(year: int, counts: dict[str, int]) -> str:
    """``2024 stehen vier Inbetriebnahmen und drei Grundsteinlegungen an.`` (the seed's wording, whatever the year)."""
    phrases = _phrases(counts)
    if not phrases:
        return f"Für {year} sind keine Meilensteine geplant."
    verb = "steht" if _one(counts) else "stehen"
    return f"{year} {verb} {join_de(phrases)} an."


def milestones_done_sentence(year: int, counts: dict[str, int]) -> str:
    """``2024 haben bereits zwei Spatenstiche und eine Eröffnung stattgefunden.``"""
    phrases = _phrases(counts)
    if not phrases:
        return f"{year} hat noch kein Meilenstein stattgefunden."
    verb = "hat" if _one(counts) else "haben"
    return f"{year} {verb} bereits {join_de(phrases)} stattgefunden."


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int
    side_exit: bool = False


@dataclass(frozen=True)
class ChangeEntry:
    from_label: str
    to_label: str
    date: dt.date
    note: str


@dataclass
class ProjectChanges:
    """The status changes of one project since the reference date, oldest first."""

    project: Project
    entries: list[ChangeEntry] = field(default_factory=list)


@dataclass(frozen=True)
class MilestoneCount:
    kind: str
    label: str
    planned: int  # planned date in the year
    done: int  # actual date in the year


@dataclass
class StatusReport:
    workshop: Workshop | None
    since: dt.date
    year: int
    generated_on: dt.date
    confirmed_total: int
    confirmed_in_workshop: int | None
    state_counts: list[StateCount]
    changes_since: dt.date
    previous_meeting: Meeting | None
    changes: list[ProjectChanges]
    changes_total: int
    milestone_counts: list[MilestoneCount]
    milestones_done: list[Milestone]

    title = TITLE

    @property
    def scope_label(self) -> str:
        if self.workshop is None:
            return "Alle Werkstätten"
        return f"{self.workshop.label}: {self.workshop.title}"

    @property
    def since_label(self) -> str:
        return since_label(self.since)

    @property
    def confirmed_sentence(self) -> str:
        return confirmed_sentence(self.confirmed_total, self.since)

    @property
    def confirmed_in_workshop_sentence(self) -> str:
        if self.workshop is None or self.confirmed_in_workshop is None:
            return ""
        return confirmed_in_workshop_sentence(self.confirmed_in_workshop, self.workshop)

    @property
    def project_total(self) -> int:
        return sum(row.count for row in self.state_counts)

    @property
    def changes_shown(self) -> int:
        return sum(len(group.entries) for group in self.changes)

    @property
    def changes_left_out(self) -> int:
        return self.changes_total - self.changes_shown

    @property
    def changes_since_label(self) -> str:
        """What the change list is measured against, e.g. ``seit der 16. Sitzung der Werkstatt 4 am 24.01.2024``."""
        if self.previous_meeting is not None:
            return f"seit der {self.previous_meeting.title} am {format_date(self.previous_meeting.date)}"
        return f"seit dem {format_date(self.changes_since)}"

    @property
    def milestones_planned(self) -> dict[str, int]:
        return {row.kind: row.planned for row in self.milestone_counts}

    @property
    def milestones_done_counts(self) -> dict[str, int]:
        return {row.kind: row.done for row in self.milestone_counts}

    @property
    def milestones_planned_total(self) -> int:
        return sum(row.planned for row in self.milestone_counts)

    @property
    def milestones_done_total(self) -> int:
        return sum(row.done for row in self.milestone_counts)

    @property
    def milestones_done_left_out(self) -> int:
        return self.milestones_done_total - len(self.milestones_done)

    @property
    def milestone_sentence(self) -> str:
        return milestones_due_sentence(self.year, self.milestones_planned)

    @property
    def milestones_done_sentence(self) -> str:
        return milestones_done_sentence(self.year, self.milestones_done_counts)


def status_report(
    *,
    user: object,
    workshop: Workshop | None,
    since: dt.date,
    year: int,
    changes_since: dt.date | None = None,
) -> StatusReport:
    """The report for one workshop (its lead projects) or, with ``workshop=None``, for all projects.

    ``changes_since`` defaults to the date of the workshop's last held session before today (for all
    workshops: of any workshop's); without one, the changes since ``since`` are listed. Refuses users
    who may not read it (``rules.can_view_status_report``) with ``PermissionDenied``.
    """
    if not rules.can_view_status_report(user, workshop):
        raise PermissionDenied("Der Sachstand der Projekte ist nur intern einsehbar.")
    return status_report_build(workshop=workshop, since=since, year=year, changes_since=changes_since)


def previous_held_meeting(workshop: Workshop | None, before: dt.date) -> Meeting | None:
    """The last held session (of ``workshop``, or of any workshop) before the day ``before``."""
    meetings = Meeting.objects.filter(state=MeetingState.HELD, date__lt=before)
    if workshop is not None:
        meetings = meetings.filter(workshop=workshop)
    return meetings.select_related("workshop").order_by("-date", "-number", "-pk").first()


def status_report_build(
    *,
    workshop: Workshop | None,
    since: dt.date,
    year: int,
    changes_since: dt.date | None = None,
    before: dt.date | None = None,
) -> StatusReport:
    """The report without asking who reads it: for what the system itself attaches to a session.

    ``before`` is the day whose previous session is the reference for the changes (default: today).
    """
    today = timezone.localdate()
    previous: Meeting | None = None
    if changes_since is None:
        previous = previous_held_meeting(workshop, before or today)
        changes_since = previous.date if previous is not None else since

    projects = Project.objects.all()
    changes = ProjectStatusChange.objects.all()
    milestones = Milestone.objects.all()
    if workshop is not None:
        projects = projects.filter(lead_workshop=workshop)
        changes = changes.filter(project__lead_workshop=workshop)
        milestones = milestones.filter(project__lead_workshop=workshop)

    confirmed_total, confirmed_in_workshop = _confirmed(workshop, since)
    change_groups, changes_total = _changes(changes, changes_since)
    milestone_counts, done = _milestones(milestones, year)
    return StatusReport(
        workshop=workshop,
        since=since,
        year=year,
        generated_on=today,
        confirmed_total=confirmed_total,
        confirmed_in_workshop=confirmed_in_workshop,
        state_counts=_state_counts(projects),
        changes_since=changes_since,
        previous_meeting=previous,
        changes=change_groups,
        changes_total=changes_total,
        milestone_counts=milestone_counts,
        milestones_done=done,
    )


def _confirmed(workshop: Workshop | None, since: dt.date) -> tuple[int, int | None]:
    """All projects confirmed since ``since`` and, for a workshop, those it leads: one query."""
    aggregates = {"total": Count("pk")}
    if workshop is not None:
        aggregates["own"] = Count("pk", filter=Q(lead_workshop=workshop))
    figures = Project.objects.filter(confirmed_on__gte=since).aggregate(**aggregates)
    return figures["total"], figures.get("own")


def _state_counts(projects: QuerySet[Project]) -> list[StateCount]:
    counts = dict(projects.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n"))
    rows = [StateCount(str(state), state_label(state), counts.get(state, 0)) for state in PIPELINE_ORDER]
    rows += [StateCount(str(state), state_label(state), counts.get(state, 0), side_exit=True) for state in SIDE_EXITS]
    return rows


def _start_of_day_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _changes(changes: QuerySet[ProjectStatusChange], since: dt.date) -> tuple[list[ProjectChanges], int]:
    """Status changes recorded or decided after the day ``since``, grouped per project: two queries."""
    recent = changes.filter(Q(created__gte=_start_of_day_after(since)) | Q(decision_date__gt=since))
    total = recent.count()
    rows = list(
        recent.select_related("project")
        .only(
            "from_state",
            "to_state",
            "decision_date",
            "note",
            "created",
            "project__id",
            "project__title",
            "project__public",
            "project__state",
        )
        .order_by("-created", "-pk")[:CHANGES_LIMIT]
    )
    return _group(rows), total


def _change_date(row: ProjectStatusChange) -> dt.date:
    return row.decision_date or timezone.localdate(row.created)


def _group(rows: Iterable[ProjectStatusChange]) -> list[ProjectChanges]:
    """Per project (by title), each project's changes in the order they were decided."""
    groups: dict[int, ProjectChanges] = {}
    for row in sorted(rows, key=lambda r: (_change_date(r), r.created, r.pk)):
        group = groups.setdefault(row.project_id, ProjectChanges(project=row.project))
        group.entries.append(
            ChangeEntry(
                from_label=state_label(row.from_state) if row.from_state else "",
                to_label=state_label(row.to_state),
                date=_change_date(row),
                note=row.note,
            )
        )
    return sorted(groups.values(), key=lambda g: (g.project.title.casefold(), g.project.pk))


def _milestones(milestones: QuerySet[Milestone], year: int) -> tuple[list[MilestoneCount], list[Milestone]]:
    """Milestones planned and those that took place in ``year``, per kind (one query), and the latter listed."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    planned_in_year = Q(planned_date__gte=first, planned_date__lte=last)
    done_in_year = Q(actual_date__gte=first, actual_date__lte=last)
    rows = (
        milestones.filter(planned_in_year | done_in_year)
        .order_by()
        .values("kind")
        .annotate(n_planned=Count("pk", filter=planned_in_year), n_done=Count("pk", filter=done_in_year))
        .values_list("kind", "n_planned", "n_done")
    )
    by_kind = {kind: (n_planned, n_done) for kind, n_planned, n_done in rows}
    counts = [
        MilestoneCount(
            kind=str(kind),
            label=str(MilestoneKind(kind).label),
            planned=by_kind.get(kind, (0, 0))[0],
            done=by_kind.get(kind, (0, 0))[1],
        )
        for kind in MILESTONE_ORDER
    ]
    done = list(
        milestones.filter(done_in_year)
        .select_related("project")
        .only(
            "kind", "title", "planned_date", "actual_date", "note", "project__id", "project__title", "project__public"
        )
        .order_by("actual_date", "pk")[:DONE_LIMIT]
    )
    return counts, done

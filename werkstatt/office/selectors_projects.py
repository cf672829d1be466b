"""Reads of the office's project pages, with the rules applied in one place and a fixed number of
queries per page whatever the number of steps, consultations, milestones and documents."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.documents.models import File
from werkstatt.meetings.models import Meeting
from werkstatt.organizations.models import FocusArea, Workshop
from werkstatt.projects import workflow
from werkstatt.projects.models import Consultation, Milestone, Project, ProjectStatusChange
from werkstatt.projects.services import HEARABLE_STATES
from werkstatt.projects.workflow import SIDE_EXITS, Step


def require_project_office(user: object) -> None:
    """The office's project pages are for those who see every project: office, bank, State Chancellery."""
    if not rules.can_view_project_internals(user):
        raise PermissionDenied(_("Die Projektseiten des Arbeitsbereichs sind für Geschäftsstelle, Förderbank "
                                 "und Staatskanzlei."))  # fmt: skip


def steps_for_user(user: object, project: Project) -> list[Step]:
    """The steps ``user`` may take on ``project`` here; steps recorded from a session are not among them."""
    return [
        step
        for step in workflow.steps_from(project.instrument, project.state)
        if not step.from_session and rules.can_take_step(user, step)
    ]


def session_steps(project: Project) -> list[Step]:
    """The steps that only a session's outcome can take (presentation, recommendation, deferral …)."""
    return [step for step in workflow.steps_from(project.instrument, project.state) if step.from_session]


def waiting_filter(user: object) -> Q | None:
    """Projects with a main-line step for ``user`` (withdrawals and refusals, open almost always, do not
    count as waiting); ``None`` when there is none."""
    condition: Q | None = None
    for name, table in workflow.TRANSITIONS.items():
        states = {
            step.source
            for step in table.values()
            if not step.from_session and step.target not in SIDE_EXITS and rules.can_take_step(user, step)
        }
        if not states:
            continue
        instruments = [i for i, w in workflow.WORKFLOW_OF_INSTRUMENT.items() if w == name]
        part = Q(instrument__in=instruments, state__in=sorted(states))
        condition = part if condition is None else condition | part
    return condition


def projects_waiting_count(user: object) -> int:
    condition = waiting_filter(user)
    if condition is None or not rules.can_view_project_internals(user):
        return 0
    return Project.objects.filter(condition).count()


@dataclass
class ProjectPage:
    project: Project
    status_changes: list[ProjectStatusChange]
    consultations: list[Consultation]
    milestones: list[Milestone]
    files: list[File]
    other_workshops: list[Workshop]
    focus_areas: list[FocusArea]


def office_project_get(user: object, pk: int) -> ProjectPage:
    """A project with its history, consultations, milestones and documents, for the office's pages."""
    require_project_office(user)
    project = (
        Project.objects.select_related(
            "sponsor", "contact", "contact__organization", "lead_workshop", "municipality", "district"
        )
        .prefetch_related(
            Prefetch("other_workshops", queryset=Workshop.objects.order_by("number")),
            Prefetch("focus_areas", queryset=FocusArea.objects.select_related("workshop").order_by("workshop__number")),
            Prefetch("files", queryset=File.objects.order_by("created", "pk")),
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404(_("Dieses Projekt gibt es nicht."))
    status_changes = list(
        ProjectStatusChange.objects.filter(project=project)
        .select_related("actor", "consultation", "consultation__meeting", "consultation__meeting__workshop")
        .order_by("created", "pk")
    )
    consultations = list(
        Consultation.objects.filter(project=project)
        .select_related("meeting", "meeting__workshop", "agenda_item", "outcome_recorded_by")
        .order_by("meeting__date", "pk")
    )
    milestones = list(Milestone.objects.filter(project=project).order_by("planned_date", "actual_date", "pk"))
    return ProjectPage(
        project=project,
        status_changes=status_changes,
        consultations=consultations,
        milestones=milestones,
        files=list(project.files.all()),
        other_workshops=list(project.other_workshops.all()),
        focus_areas=list(project.focus_areas.all()),
    )


def milestone_of(page: ProjectPage, milestone_pk: int) -> Milestone:
    for milestone in page.milestones:
        if milestone.pk == milestone_pk:
            return milestone
    raise Http404(_("Diesen Meilenstein gibt es bei diesem Projekt nicht."))


# --- sessions ------------------------------------------------------------------------------------


def projects_hearable_in(meeting: Meeting) -> QuerySet[Project]:
    """Projects that can be put on ``meeting``'s agenda: hearable, and not already on it."""
    return (
        Project.objects.filter(state__in=sorted(HEARABLE_STATES))
        .exclude(consultations__meeting=meeting)
        .select_related("lead_workshop")
        .order_by("title", "pk")
    )


def consultations_by_item(meeting: Meeting) -> dict[int, list[Consultation]]:
    """The consultations of ``meeting`` per agenda item id, in one query."""
    by_item: dict[int, list[Consultation]] = {}
    rows = Consultation.objects.filter(meeting=meeting, agenda_item__isnull=False).select_related("project")
    for consultation in rows.order_by("pk"):
        by_item.setdefault(consultation.agenda_item_id, []).append(consultation)  # type: ignore[arg-type]
    return by_item


def consultation_get(user: object, meeting: Meeting, pk: int) -> Consultation:
    """A consultation of ``meeting`` for those who may see the office's project pages."""
    require_project_office(user)
    consultation = (
        Consultation.objects.filter(meeting=meeting, pk=pk)
        .select_related(
            "project", "project__lead_workshop", "agenda_item", "outcome_recorded_by", "meeting", "meeting__workshop"
        )
        .first()
    )
    if consultation is None:
        raise Http404(_("Diese Beratung gibt es in dieser Sitzung nicht."))
    return consultation

"""Every write to projects: the fact sheet, each step through the pipeline, consultations and milestones.

One rule, one place: the steps come from ``workflow.TRANSITIONS``, who may take them from
``accounts.rules``, the money rules from ``Project.clean``. Each step leaves a ``ProjectStatusChange``
(actor, decision date, note) and a history row of the project.
"""

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.core.dates import format_date
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
from werkstatt.meetings.services import PresenterInput, agenda_item_add
from werkstatt.meetings.services.planning import presenter_add
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import Body, FocusArea, Workshop
from werkstatt.projects.models import (
    Consultation,
    ConsultationOutcome,
    ConsultationRole,
    Milestone,
    Project,
    ProjectStatusChange,
)
from werkstatt.projects.workflow import (
    INSTRUMENT_CHANGEABLE_STATES,
    ProjectState,
    Step,
    get_step,
    state_label,
)

# The project fields the fact sheet form and the import may set; state and decision dates are not among them.
FACT_SHEET_FIELDS = (
    "title",
    "sponsor",
    "contact",
    "lead_workshop",
    "instrument",
    "funding_area",
    "total_cost",
    "eligible_cost",
    "grant",
    "municipality",
    "district",
    "latitude",
    "longitude",
    "description",
    "expected_effect",
    "expected_jobs",
    "planned_start",
    "planned_end",
    "public",
    "public_contact",
    "public_finances",
)
TEXT_FIELDS = frozenset({"title", "description", "expected_effect"})
INITIAL_STATES = frozenset({ProjectState.IDEA, ProjectState.SUBMITTED})

# The decision date each state writes onto the project (the first time it is reached).
DATE_FIELD_OF_STATE: dict[str, str] = {
    ProjectState.PRESENTED: "presented_on",
    ProjectState.RECOMMENDED: "recommended_on",
    ProjectState.FORWARDED: "forwarded_on",
    ProjectState.CONFIRMED: "confirmed_on",
    ProjectState.APPLIED: "applied_on",
    ProjectState.APPROVED: "approved_on",
}

# What the lead workshop's outcome does to the project.
OUTCOME_TARGET: dict[str, str] = {
    ConsultationOutcome.RECOMMENDATION: ProjectState.RECOMMENDED,
    ConsultationOutcome.RECOMMENDATION_WITH_CONDITIONS: ProjectState.RECOMMENDED,
    ConsultationOutcome.DEFERRAL: ProjectState.DEFERRED,
    ConsultationOutcome.NO_RECOMMENDATION: ProjectState.REJECTED,
    ConsultationOutcome.NOTICE: ProjectState.PRESENTED,
}
HEARABLE_STATES = frozenset({ProjectState.QUALIFICATION, ProjectState.PRESENTED, ProjectState.DEFERRED})


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(FACT_SHEET_FIELDS)
    if unknown:
        raise TypeError(f"not fact sheet fields: {sorted(unknown)}")
    return {
        key: normalise_text(value) if key in TEXT_FIELDS and isinstance(value, str) else value
        for key, value in values.items()
    }


def _derive_district(project: Project) -> None:
    if project.municipality is not None and project.district_id is None:
        project.district_id = project.municipality.district_id


def _require(actor: Any, allowed: bool, message: str) -> None:
    """Refuse a user who may not do this. ``actor=None`` is the system itself (demo data, imports)."""
    if actor is not None and not allowed:
        raise PermissionDenied(message)


def _set_relations(
    project: Project, *, other_workshops: Iterable[Workshop] | None, focus_areas: Iterable[FocusArea] | None
) -> None:
    if other_workshops is not None:
        project.other_workshops.set([w for w in other_workshops if w.pk != project.lead_workshop_id])
    if focus_areas is not None:
        areas = list(focus_areas)
        allowed = {project.lead_workshop_id, *project.other_workshops.values_list("pk", flat=True)}
        strays = [area.title for area in areas if area.workshop_id not in allowed]
        if strays:
            raise ValidationError(
                {
                    "focus_areas": _("Schwerpunkte gehören zu einer der Werkstätten des Projekts: %(titles)s")
                    % {"titles": ", ".join(strays)}
                }
            )
        project.focus_areas.set(areas)


def _record_change(
    *,
    actor: Any,
    project: Project,
    from_state: str,
    to_state: str,
    decision_date: dt.date | None,
    note: str = "",
    consultation: Consultation | None = None,
) -> ProjectStatusChange:
    return ProjectStatusChange.objects.create(
        project=project,
        from_state=from_state,
        to_state=to_state,
        decision_date=decision_date,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        consultation=consultation,
    )


@transaction.atomic
def project_create(
    *,
    actor: Any,
    body: Body,
    state: str = ProjectState.IDEA,
    other_workshops: Iterable[Workshop] = (),
    focus_areas: Iterable[FocusArea] = (),
    note: str = "",
    received_on: dt.date | None = None,
    **values: Any,
) -> Project:
    """Create a project at the start of the pipeline (idea or submitted fact sheet), received on ``received_on``."""
    _require(actor, rules.can_manage_projects(actor), _("Nur die Geschäftsstelle legt Projekte an."))
    if state not in INITIAL_STATES:
        raise ValidationError(
            {"state": _("Ein neues Projekt beginnt als Projektidee oder mit eingereichtem Projektsteckbrief.")}
        )
    if received_on is not None and received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Das Eingangsdatum darf nicht in der Zukunft liegen.")})
    project = Project(body=body, state=state, **_clean_values(values))
    _derive_district(project)
    save_validated(project, actor=actor, reason=_("Projekt angelegt"))
    _set_relations(project, other_workshops=other_workshops, focus_areas=focus_areas)
    _record_change(actor=actor, project=project, from_state="", to_state=state, decision_date=received_on, note=note)
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any,
    project: Project,
    other_workshops: Iterable[Workshop] | None = None,
    focus_areas: Iterable[FocusArea] | None = None,
    reason: str = "",
    **values: Any,
) -> Project:
    """Change the fact sheet. State and decision dates change only through ``project_transition``."""
    _require(actor, rules.can_edit_project(actor, project), _("Nur die Geschäftsstelle ändert den Projektsteckbrief."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    values = _clean_values(values)
    changes_instrument = "instrument" in values and values["instrument"] != project.instrument
    if changes_instrument and project.state not in INSTRUMENT_CHANGEABLE_STATES:
        raise ValidationError(
            {
                "instrument": _(
                    "Das Förderinstrument kann nach der Empfehlung nicht mehr geändert werden; "
                    "das Projekt ist „%(state)s“."
                )
                % {"state": state_label(project.state)}
            }
        )
    for key, value in values.items():
        setattr(project, key, value)
    if "municipality" in values and "district" not in values:
        project.district = None
    _derive_district(project)
    save_validated(project, actor=actor, reason=reason or _("Projektsteckbrief geändert"))
    _set_relations(project, other_workshops=other_workshops, focus_areas=focus_areas)
    return project


@dataclass(frozen=True)
class GrantFigures:
    """The figures of a grant notice: total cost, eligible cost and grant in EUR."""

    total_cost: decimal.Decimal
    eligible_cost: decimal.Decimal
    grant: decimal.Decimal


def _check_decision_date(project: Project, step: Step, decision_date: dt.date | None) -> None:
    if decision_date is None:
        if step.needs_decision_date:
            raise ValidationError({"decision_date": _("Für diesen Schritt ist das Datum der Entscheidung nötig.")})
        return
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("Das Datum der Entscheidung darf nicht in der Zukunft liegen.")})
    latest = project.status_changes.exclude(decision_date=None).aggregate(m=Max("decision_date"))["m"]
    if latest is not None and decision_date < latest:
        raise ValidationError(
            {
                "decision_date": _(
                    "Das Datum %(date)s liegt vor dem letzten erfassten Schritt des Projekts (%(latest)s)."
                )
                % {"date": format_date(decision_date), "latest": format_date(latest)}
            }
        )


def _check_session_step(project: Project, consultation: Consultation | None) -> None:
    """A step a session decides needs the lead workshop's consultation of this very project."""
    if consultation is None:
        raise ValidationError(
            _("Dieser Schritt wird als Ergebnis einer Werkstattsitzung erfasst, beim Projekt-TOP der Sitzung."),
            code="needs_session",
        )
    if consultation.project_id != project.pk or not consultation.authoritative:
        raise ValidationError(
            _(
                "Über diesen Schritt entscheidet eine Sitzung der federführenden Werkstatt, "
                "in der das Projekt beraten wurde."
            ),
            code="not_authoritative",
        )


@transaction.atomic
def project_transition(
    *,
    actor: Any,
    project: Project,
    target: str,
    decision_date: dt.date | None = None,
    note: str = "",
    grant: GrantFigures | None = None,
    consultation: Consultation | None = None,
) -> Project:
    """Take one step of the pipeline, or refuse in German and change nothing."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    step = get_step(project.instrument, project.state, target)
    _require(
        actor,
        rules.can_take_step(actor, step),
        _("Diesen Schritt erfasst %(who)s.") % {"who": rules.step_actor_label(step)},
    )
    if step.from_session:
        _check_session_step(project, consultation)
    note = normalise_text(note)
    if step.needs_note and not note:
        raise ValidationError({"note": _("Bitte begründen Sie diesen Schritt in der Bemerkung.")})
    _check_decision_date(project, step, decision_date)
    if step.needs_grant:
        if grant is None:
            raise ValidationError(
                _("Zur Bewilligung gehören Gesamtkosten, förderfähige Kosten und Zuwendung."), code="needs_grant"
            )
        project.total_cost, project.eligible_cost, project.grant = grant.total_cost, grant.eligible_cost, grant.grant
    source = project.state
    project.state = ProjectState(target)
    date_field = DATE_FIELD_OF_STATE.get(target)
    # A step without a decision date (e.g. one only known to have happened) leaves the date empty:
    # the forms propose today's date, and historic records must not be dated to the day of entry.
    if date_field and getattr(project, date_field) is None and decision_date is not None:
        setattr(project, date_field, decision_date)
    save_validated(project, actor=actor, reason=f"{state_label(source)} → {state_label(target)}")
    _record_change(
        actor=actor,
        project=project,
        from_state=source,
        to_state=target,
        decision_date=decision_date,
        note=note,
        consultation=consultation,
    )
    return project


def _presentation_title(project: Project) -> str:
    return _("Vorstellung %(kind)s „%(title)s“") % {"kind": project.kind_label, "title": project.title}


@transaction.atomic
def project_put_on_agenda(
    *,
    actor: Any,
    project: Project,
    meeting: Meeting,
    number: str,
    presenters: Sequence[PresenterInput] = (),
    title: str = "",
) -> Consultation:
    """Put ``project`` on the agenda of ``meeting`` as a presentation item, with its consultation."""
    _require(
        actor,
        rules.can_record_consultation(actor, meeting),
        _("Projekte setzt die Geschäftsstelle auf die Tagesordnung."),
    )
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.state not in HEARABLE_STATES:
        raise ValidationError(
            _(
                "Ein Projekt wird in einer Werkstatt vorgestellt, solange es in Qualifizierung, vorgestellt oder "
                "zurückgestellt ist; dieses ist „%(state)s“."
            )
            % {"state": state_label(project.state)},
            code="not_hearable",
        )
    if Consultation.objects.filter(project=project, meeting=meeting).exists():
        raise ValidationError(_("Das Projekt steht schon auf der Tagesordnung dieser Sitzung."), code="duplicate")
    item = agenda_item_add(
        actor=actor,
        meeting=meeting,
        number=number,
        title=normalise_text(title) or _presentation_title(project),
        kind=AgendaItemKind.PROJECT_PRESENTATION,
    )
    for presenter in presenters:
        presenter_add(actor=actor, item=item, presenter=presenter)
    return consultation_create(actor=actor, project=project, meeting=meeting, agenda_item=item)


@transaction.atomic
def consultation_create(
    *, actor: Any, project: Project, meeting: Meeting, agenda_item: AgendaItem | None = None
) -> Consultation:
    """Record that ``project`` is heard in ``meeting`` (under ``agenda_item``, if it has one).

    The session of the lead workshop is authoritative; another workshop hearing the project joins
    its other workshops.
    """
    _require(actor, rules.can_record_consultation(actor, meeting), _("Beratungen erfasst die Geschäftsstelle."))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Der TOP gehört zu einer anderen Sitzung."))
    authoritative = project.lead_workshop_id == meeting.workshop_id
    consultation = save_validated(
        Consultation(
            project=project,
            meeting=meeting,
            agenda_item=agenda_item,
            authoritative=authoritative,
            role=ConsultationRole.RECOMMENDATION if authoritative else ConsultationRole.PRESENTATION,
        ),
        actor=actor,
        reason=_("Beratung angelegt"),
    )
    if not authoritative and project.lead_workshop_id is not None:
        project.other_workshops.add(meeting.workshop)
    return consultation


@transaction.atomic
def consultation_record_outcome(
    *, actor: Any, consultation: Consultation, outcome: str, conditions: str = ""
) -> Consultation:
    """Record what a session said about a project; the lead workshop's outcome moves the project.

    Recorded outcomes are decisions: they are not changed afterwards.
    """
    consultation = Consultation.objects.select_for_update().select_related("meeting", "project").get(pk=consultation.pk)
    meeting = consultation.meeting
    _require(
        actor,
        rules.can_record_consultation(actor, meeting),
        _("Das Ergebnis einer Beratung erfasst die Geschäftsstelle."),
    )
    if outcome not in ConsultationOutcome.values:
        raise ValidationError({"outcome": _("Bitte wählen Sie ein Ergebnis aus der Liste.")})
    if consultation.outcome:
        raise ValidationError(
            _("Das Ergebnis dieser Beratung ist schon erfasst („%(outcome)s“) und wird nicht mehr geändert.")
            % {"outcome": consultation.get_outcome_display()},
            code="outcome_recorded",
        )
    if meeting.state != MeetingState.HELD:
        raise ValidationError(
            _("Das Ergebnis wird erfasst, wenn die Sitzung durchgeführt wurde."), code="meeting_not_held"
        )
    consultation.outcome = ConsultationOutcome(outcome)
    consultation.conditions = normalise_text(conditions)
    consultation.outcome_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    save_validated(consultation, actor=actor, reason=_("Ergebnis: %(o)s") % {"o": consultation.get_outcome_display()})
    if consultation.authoritative:
        _move_by_outcome(actor=actor, consultation=consultation)
    return consultation


def _move_by_outcome(*, actor: Any, consultation: Consultation) -> None:
    project = consultation.project
    meeting = consultation.meeting
    if project.state not in HEARABLE_STATES:
        raise ValidationError(
            _("Das Projekt ist „%(state)s“; ein Votum der federführenden Werkstatt ändert daran nichts mehr.")
            % {"state": state_label(project.state)},
            code="not_hearable",
        )
    label = _("%(outcome)s in der %(meeting)s") % {"outcome": consultation.get_outcome_display(), "meeting": meeting}
    note = f"{label}. {consultation.conditions}".strip() if consultation.conditions else label
    if project.state != ProjectState.PRESENTED:
        project = project_transition(
            actor=actor,
            project=project,
            target=ProjectState.PRESENTED,
            decision_date=meeting.date,
            note=_("Vorgestellt in der %(meeting)s") % {"meeting": meeting},
            consultation=consultation,
        )
    target = OUTCOME_TARGET[consultation.outcome]
    if target != ProjectState.PRESENTED:
        project_transition(
            actor=actor,
            project=project,
            target=target,
            decision_date=meeting.date,
            note=note,
            consultation=consultation,
        )


@transaction.atomic
def milestone_save(
    *,
    actor: Any,
    project: Project,
    kind: str,
    milestone: Milestone | None = None,
    title: str = "",
    planned_date: dt.date | None = None,
    actual_date: dt.date | None = None,
    note: str = "",
) -> Milestone:
    """Create or change a milestone of ``project``; the bank and the office keep them."""
    _require(actor, rules.can_keep_milestones(actor), _("Meilensteine pflegen die Förderbank und die Geschäftsstelle."))
    if milestone is None:
        milestone = Milestone(project=project)
    elif milestone.project_id != project.pk:
        raise ValidationError(_("Dieser Meilenstein gehört zu einem anderen Projekt."))
    milestone.kind = kind
    milestone.title = normalise_text(title)
    milestone.planned_date = planned_date
    milestone.actual_date = actual_date
    milestone.note = normalise_text(note)
    return save_validated(milestone, actor=actor, reason=_("Meilenstein gespeichert"))


@transaction.atomic
def milestone_delete(*, actor: Any, milestone: Milestone) -> None:
    _require(actor, rules.can_keep_milestones(actor), _("Meilensteine pflegen die Förderbank und die Geschäftsstelle."))
    milestone._history_user = actor  # type: ignore[attr-defined]
    milestone._change_reason = _("Meilenstein gelöscht")  # type: ignore[attr-defined]
    milestone.delete()

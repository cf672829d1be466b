"""The project pipeline as plain tables: which step is allowed from which state, for whom, per instrument.

DESIGN.md section 2. Investment projects (InvKG Arm 1, JTF) go through the State Chancellery, the
inter-ministerial working group (IMAG) and the bank; STARK projects go from the recommendation to a
letter to the Lausitz commissioner and an application at the federal office BAFA; other instruments
are confirmed and then carried out by their sponsors. The first steps, the session steps and the side
exits are the same for all.

A step names who may take it (``office``, ``chancellery``, ``bank``) and what it needs: a decision date,
the grant figures, a note, or a session (``from_session``: recorded as a workshop's outcome, see
``projects.services.consultation_record_outcome``).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ProjectState(models.TextChoices):
    IDEA = "idea", _("Projektidee")
    SUBMITTED = "submitted", _("Projektsteckbrief eingereicht")
    QUALIFICATION = "qualification", _("in Qualifizierung")
    PRESENTED = "presented", _("in der federführenden Werkstatt vorgestellt")
    RECOMMENDED = "recommended", _("zur Weiterleitung empfohlen")
    FORWARDED = "forwarded", _("an die Staatskanzlei weitergeleitet")
    CONFIRMED = "confirmed", _("durch die IMAG bestätigt")
    APPLIED = "applied", _("im Antragsverfahren")
    APPROVED = "approved", _("bewilligt (Zuwendungsbescheid)")
    IMPLEMENTATION = "implementation", _("in Umsetzung")
    COMPLETED = "completed", _("abgeschlossen / in Betrieb")
    DEFERRED = "deferred", _("zurückgestellt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    REJECTED = "rejected", _("abgelehnt")


# The main line in order, for funnels, sorting and "at least this far" questions.
PIPELINE_ORDER: tuple[str, ...] = (
    ProjectState.IDEA,
    ProjectState.SUBMITTED,
    ProjectState.QUALIFICATION,
    ProjectState.PRESENTED,
    ProjectState.RECOMMENDED,
    ProjectState.FORWARDED,
    ProjectState.CONFIRMED,
    ProjectState.APPLIED,
    ProjectState.APPROVED,
    ProjectState.IMPLEMENTATION,
    ProjectState.COMPLETED,
)
SIDE_EXITS: tuple[str, ...] = (ProjectState.DEFERRED, ProjectState.WITHDRAWN, ProjectState.REJECTED)
TERMINAL_STATES = frozenset({ProjectState.COMPLETED, ProjectState.WITHDRAWN, ProjectState.REJECTED})
# From here on, money figures may be made public (DESIGN: "only after approval").
APPROVED_STATES = frozenset({ProjectState.APPROVED, ProjectState.IMPLEMENTATION, ProjectState.COMPLETED})


class FundingInstrument(models.TextChoices):
    INVKG_ARM1 = "invkg_arm1", _("InvKG Arm 1 (Land, über die ILB)")
    STARK = "stark", _("STARK (Bund, über das BAFA)")
    INVKG_ARM2 = "invkg_arm2", _("InvKG Arm 2 (Bund)")
    JTF = "jtf", _("Just Transition Fund (JTF)")
    OTHER = "other", _("Sonstige Förderung")


class Workflow(models.TextChoices):
    BANK = "bank", _("Investitionsprojekt über die Förderbank")
    STARK = "stark", _("STARK-Projekt über das BAFA")
    OTHER = "other", _("Sonstiges Projekt")


WORKFLOW_OF_INSTRUMENT: dict[str, str] = {
    FundingInstrument.INVKG_ARM1: Workflow.BANK,
    FundingInstrument.JTF: Workflow.BANK,
    FundingInstrument.STARK: Workflow.STARK,
    FundingInstrument.INVKG_ARM2: Workflow.OTHER,
    FundingInstrument.OTHER: Workflow.OTHER,
}

# The instrument may change only before a workshop has recommended the project.
INSTRUMENT_CHANGEABLE_STATES = frozenset(
    {ProjectState.IDEA, ProjectState.SUBMITTED, ProjectState.QUALIFICATION, ProjectState.DEFERRED}
)

OFFICE = "office"
CHANCELLERY = "chancellery"
BANK = "bank"
ACTOR_LABELS: dict[str, Promise] = {
    OFFICE: _("die Geschäftsstelle"),
    CHANCELLERY: _("die Staatskanzlei"),
    BANK: _("die Förderbank (ILB)"),
}


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    actors: frozenset[str]
    label: Promise
    needs_decision_date: bool = False
    needs_grant: bool = False
    needs_note: bool = False
    from_session: bool = False


def _step(source: str, target: str, actor: str, label: Promise, **needs: bool) -> Step:
    return Step(source, target, frozenset({actor}), label, **needs)


_COMMON: tuple[Step, ...] = (
    _step(ProjectState.IDEA, ProjectState.SUBMITTED, OFFICE, _("Projektsteckbrief eingegangen")),
    _step(ProjectState.SUBMITTED, ProjectState.QUALIFICATION, OFFICE, _("In die Qualifizierung nehmen")),
    _step(ProjectState.QUALIFICATION, ProjectState.REJECTED, OFFICE, _("Nicht weiterverfolgen"), needs_note=True),
    _step(
        ProjectState.QUALIFICATION, ProjectState.PRESENTED, OFFICE, _("In der Werkstatt vorgestellt"), from_session=True
    ),
    _step(ProjectState.DEFERRED, ProjectState.PRESENTED, OFFICE, _("Erneut vorgestellt"), from_session=True),
    _step(ProjectState.PRESENTED, ProjectState.RECOMMENDED, OFFICE, _("Empfehlung der Werkstatt"), from_session=True),
    _step(
        ProjectState.PRESENTED,
        ProjectState.DEFERRED,
        OFFICE,
        _("Zurückstellung durch die Werkstatt"),
        from_session=True,
    ),
    _step(
        ProjectState.PRESENTED, ProjectState.REJECTED, OFFICE, _("Keine Empfehlung der Werkstatt"), from_session=True
    ),
    _step(ProjectState.DEFERRED, ProjectState.QUALIFICATION, OFFICE, _("Weiter qualifizieren")),
)

# The State Chancellery's part, the same for investment projects via the bank and for other instruments.
_CHANCELLERY: tuple[Step, ...] = (
    _step(ProjectState.RECOMMENDED, ProjectState.FORWARDED, CHANCELLERY, _("An die Staatskanzlei weitergeleitet")),
    _step(
        ProjectState.FORWARDED,
        ProjectState.CONFIRMED,
        CHANCELLERY,
        _("Bestätigung durch die IMAG"),
        needs_decision_date=True,
    ),
    _step(
        ProjectState.FORWARDED,
        ProjectState.REJECTED,
        CHANCELLERY,
        _("Ablehnung durch Staatskanzlei oder IMAG"),
        needs_decision_date=True,
        needs_note=True,
    ),
)

_BANK: tuple[Step, ...] = (
    _step(ProjectState.CONFIRMED, ProjectState.APPLIED, BANK, _("Förderantrag eingegangen")),
    _step(
        ProjectState.APPLIED,
        ProjectState.APPROVED,
        BANK,
        _("Zuwendungsbescheid erteilt"),
        needs_decision_date=True,
        needs_grant=True,
    ),
    _step(
        ProjectState.APPLIED,
        ProjectState.REJECTED,
        BANK,
        _("Förderantrag abgelehnt"),
        needs_decision_date=True,
        needs_note=True,
    ),
    _step(ProjectState.APPROVED, ProjectState.IMPLEMENTATION, BANK, _("Umsetzung begonnen")),
    _step(ProjectState.IMPLEMENTATION, ProjectState.COMPLETED, BANK, _("Abgeschlossen / in Betrieb")),
)

_STARK: tuple[Step, ...] = (
    _step(
        ProjectState.RECOMMENDED, ProjectState.FORWARDED, OFFICE, _("Schreiben an den Lausitz-Beauftragten versandt")
    ),
    _step(ProjectState.FORWARDED, ProjectState.APPLIED, OFFICE, _("Antrag beim BAFA gestellt")),
    _step(
        ProjectState.FORWARDED,
        ProjectState.REJECTED,
        CHANCELLERY,
        _("Keine Zustimmung des Lausitz-Beauftragten"),
        needs_decision_date=True,
        needs_note=True,
    ),
    _step(
        ProjectState.APPLIED,
        ProjectState.APPROVED,
        OFFICE,
        _("Zuwendungsbescheid des BAFA erteilt"),
        needs_decision_date=True,
        needs_grant=True,
    ),
    _step(
        ProjectState.APPLIED,
        ProjectState.REJECTED,
        OFFICE,
        _("Antrag vom BAFA abgelehnt"),
        needs_decision_date=True,
        needs_note=True,
    ),
    _step(ProjectState.APPROVED, ProjectState.IMPLEMENTATION, OFFICE, _("Umsetzung begonnen")),
    _step(ProjectState.IMPLEMENTATION, ProjectState.COMPLETED, OFFICE, _("Abgeschlossen")),
)

_OTHER: tuple[Step, ...] = (
    _step(ProjectState.CONFIRMED, ProjectState.IMPLEMENTATION, OFFICE, _("Umsetzung begonnen")),
    _step(ProjectState.IMPLEMENTATION, ProjectState.COMPLETED, OFFICE, _("Abgeschlossen")),
)


def _withdrawals() -> tuple[Step, ...]:
    """The sponsor may withdraw at any time before the end; the office records it."""
    open_states = [s for s in (*PIPELINE_ORDER, ProjectState.DEFERRED) if s not in TERMINAL_STATES]
    return tuple(
        _step(s, ProjectState.WITHDRAWN, OFFICE, _("Vom Projektträger zurückgezogen"), needs_note=True)
        for s in open_states
    )


def _table(*groups: tuple[Step, ...]) -> dict[tuple[str, str], Step]:
    table: dict[tuple[str, str], Step] = {}
    for group in groups:
        for step in group:
            key = (str(step.source), str(step.target))
            assert key not in table, f"step {key} defined twice"  # noqa: S101 - a defect in this table
            table[key] = step
    return table


TRANSITIONS: dict[str, dict[tuple[str, str], Step]] = {
    Workflow.BANK: _table(_COMMON, _CHANCELLERY, _BANK, _withdrawals()),
    Workflow.STARK: _table(_COMMON, _STARK, _withdrawals()),
    Workflow.OTHER: _table(_COMMON, _CHANCELLERY, _OTHER, _withdrawals()),
}


def workflow_of(instrument: str) -> str:
    return WORKFLOW_OF_INSTRUMENT.get(instrument, Workflow.OTHER)


def steps_from(instrument: str, state: str) -> list[Step]:
    """The steps open from ``state`` for a project of ``instrument``, in pipeline order."""
    steps = [step for (source, _target), step in TRANSITIONS[workflow_of(instrument)].items() if source == state]
    order = {s: i for i, s in enumerate((*PIPELINE_ORDER, *SIDE_EXITS))}
    return sorted(steps, key=lambda step: order[step.target])


def state_label(value: str) -> str:
    return str(ProjectState(value).label) if value in ProjectState.values else str(value)


def _before_confirmation(instrument: str, state: str) -> bool:
    """Whether ``state`` lies before the working group's confirmation in a workflow that has one."""
    table = TRANSITIONS[workflow_of(instrument)]
    if not any(target == ProjectState.CONFIRMED for _source, target in table):
        return False
    return state in PIPELINE_ORDER and PIPELINE_ORDER.index(state) < PIPELINE_ORDER.index(ProjectState.CONFIRMED)


def get_step(instrument: str, source: str, target: str) -> Step:
    """The step from ``source`` to ``target``, or a German refusal that says why there is none."""
    step = TRANSITIONS[workflow_of(instrument)].get((str(source), str(target)))
    if step is None:
        if source in TERMINAL_STATES:
            message = _("Das Projekt ist „%(current)s“; dieser Stand ist endgültig.")
        elif target == ProjectState.APPROVED and _before_confirmation(instrument, source):
            message = _(
                "Eine Bewilligung vor der Bestätigung durch die IMAG ist nicht möglich; das Projekt ist „%(current)s“."
            )
        elif target == ProjectState.APPROVED:
            message = _(
                "Eine Bewilligung ist erst möglich, wenn der Förderantrag eingegangen ist; "
                "das Projekt ist „%(current)s“."
            )
        else:
            message = _(
                "Ein Projekt im Stand „%(current)s“ kann bei dieser Förderart (%(workflow)s) nicht in den Stand "
                "„%(target)s“ wechseln."
            )
        raise ValidationError(
            message,
            params={
                "current": state_label(source),
                "target": state_label(target),
                "workflow": Workflow(workflow_of(instrument)).label,
            },
            code="invalid_transition",
        )
    return step

"""The project pipeline's transition table, for each funding instrument: every allowed step works
for exactly the actors the table names, every other step is refused in German and changes nothing.

The cases are generated from the tables, so a changed row is tested without touching this file; the
design rules at the end pin what the tables must keep (DESIGN.md section 2, issue 4).
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import ConsultationFactory, ProjectFactory, UserFactory
from werkstatt.accounts.models import Role
from werkstatt.projects.models import Project, ProjectStatusChange
from werkstatt.projects.services import GrantFigures, project_transition
from werkstatt.projects.workflow import (
    BANK,
    CHANCELLERY,
    OFFICE,
    PIPELINE_ORDER,
    TRANSITIONS,
    FundingInstrument,
    ProjectState,
    Workflow,
    get_step,
    steps_from,
    workflow_of,
)

pytestmark = pytest.mark.django_db

# One instrument per workflow is enough for the service cases; the mapping itself is pinned below.
INSTRUMENT_OF_WORKFLOW = {
    Workflow.BANK: FundingInstrument.INVKG_ARM1,
    Workflow.STARK: FundingInstrument.STARK,
    Workflow.OTHER: FundingInstrument.INVKG_ARM2,
}
ROLE_OF_ACTOR = {OFFICE: Role.OFFICE, CHANCELLERY: Role.CHANCELLERY, BANK: Role.BANK}
FIGURES = GrantFigures(total_cost=Decimal("800000"), eligible_cost=Decimal("700000"), grant=Decimal("630000"))

ALLOWED = [(workflow, source, target) for workflow, table in TRANSITIONS.items() for (source, target) in table]
REFUSED = [
    (workflow, source, target)
    for workflow in Workflow
    for source, target in itertools.product(ProjectState, repeat=2)
    if (source, target) not in TRANSITIONS[workflow]
]


def case_id(case):
    return "-".join(str(part) for part in case)


def take(step_case, actor, **extra):
    """Take the step of ``step_case`` on a fresh project, with what the step needs."""
    workflow, source, target = step_case
    project = ProjectFactory(instrument=INSTRUMENT_OF_WORKFLOW[workflow], state=source)
    step = TRANSITIONS[workflow][(source, target)]
    kwargs = {
        "decision_date": dt.date(2024, 3, 6),
        "note": "Begründung laut Aktenvermerk",
        "grant": FIGURES if step.needs_grant else None,
    }
    if step.from_session:
        kwargs["consultation"] = ConsultationFactory(project=project)
    kwargs.update(extra)
    return project, project_transition(actor=actor, project=project, target=target, **kwargs)


@pytest.mark.parametrize("case", ALLOWED, ids=map(case_id, ALLOWED))
def test_every_allowed_step_works_for_its_actors_and_no_one_else(case):
    workflow, source, target = case
    step = TRANSITIONS[workflow][(source, target)]
    for actor_name, role in ROLE_OF_ACTOR.items():
        user = UserFactory(role=role)
        if actor_name in step.actors:
            project, moved = take(case, user)
            assert moved.state == target
            change = ProjectStatusChange.objects.filter(project=project).latest("pk")
            assert (change.from_state, change.to_state, change.actor) == (source, target, user)
            assert change.decision_date == dt.date(2024, 3, 6)
            assert moved.history.latest().history_user == user
        else:
            project = ProjectFactory(instrument=INSTRUMENT_OF_WORKFLOW[workflow], state=source)
            with pytest.raises(PermissionDenied) as excinfo:
                project_transition(
                    actor=user,
                    project=project,
                    target=target,
                    decision_date=dt.date(2024, 3, 6),
                    note="x",
                    grant=FIGURES,
                    consultation=ConsultationFactory(project=project) if step.from_session else None,
                )
            assert "Diesen Schritt erfasst" in str(excinfo.value)
            project.refresh_from_db()
            assert project.state == source
            assert not project.status_changes.exists()


@pytest.mark.parametrize("case", ALLOWED, ids=map(case_id, ALLOWED))
def test_an_admin_may_take_every_step(case):
    _project, moved = take(case, UserFactory(role=Role.ADMIN))
    assert moved.state == case[2]


@pytest.mark.parametrize("case", REFUSED, ids=map(case_id, REFUSED))
def test_every_other_step_is_refused_in_german_and_changes_nothing(case, row_counts):
    workflow, source, target = case
    project = ProjectFactory(instrument=INSTRUMENT_OF_WORKFLOW[workflow], state=source)
    admin = UserFactory(role=Role.ADMIN)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(
            actor=admin,
            project=project,
            target=target,
            decision_date=dt.date(2024, 3, 6),
            note="x",
            grant=FIGURES,
        )
    message = " ".join(excinfo.value.messages)
    assert message.startswith(("Ein Projekt im Stand", "Das Projekt ist", "Eine Bewilligung")), message
    assert row_counts() == before
    project.refresh_from_db()
    assert project.state == source


# --- what a step needs -------------------------------------------------------------------------------------


def test_session_steps_need_a_session(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.QUALIFICATION)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(actor=office_user, project=project, target=ProjectState.PRESENTED)
    assert "Ergebnis einer Werkstattsitzung" in excinfo.value.messages[0]
    assert row_counts() == before


def test_confirmation_needs_its_decision_date(chancellery_user, row_counts):
    project = ProjectFactory(state=ProjectState.FORWARDED)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(actor=chancellery_user, project=project, target=ProjectState.CONFIRMED)
    assert excinfo.value.message_dict == {"decision_date": ["Für diesen Schritt ist das Datum der Entscheidung nötig."]}
    assert row_counts() == before


def test_withdrawal_needs_a_reason(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.CONFIRMED)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(actor=office_user, project=project, target=ProjectState.WITHDRAWN, note="  ")
    assert excinfo.value.message_dict == {"note": ["Bitte begründen Sie diesen Schritt in der Bemerkung."]}
    assert row_counts() == before


def test_approval_needs_the_grant_figures(bank_user, row_counts):
    project = ProjectFactory(state=ProjectState.APPLIED)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(
            actor=bank_user, project=project, target=ProjectState.APPROVED, decision_date=dt.date(2024, 7, 15)
        )
    assert excinfo.value.messages == ["Zur Bewilligung gehören Gesamtkosten, förderfähige Kosten und Zuwendung."]
    assert row_counts() == before


def test_approval_before_confirmation_is_refused_in_german(bank_user, row_counts):
    project = ProjectFactory(state=ProjectState.FORWARDED)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(
            actor=bank_user,
            project=project,
            target=ProjectState.APPROVED,
            decision_date=dt.date(2024, 7, 15),
            grant=FIGURES,
        )
    assert excinfo.value.messages == [
        "Eine Bewilligung vor der Bestätigung durch die IMAG ist nicht möglich; das Projekt ist "
        "„an die Staatskanzlei weitergeleitet“."
    ]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("grant", "message"),
    [
        ("640000", "Die Zuwendung von 640.000 EUR ist mehr als 90 % der förderfähigen Kosten (höchstens 630.000 EUR)."),
        ("24999.99", "Eine Zuwendung beträgt mindestens 25.000 EUR; angegeben sind 24.999,99 EUR."),
    ],
)
def test_grant_outside_the_rules_is_refused_at_approval(bank_user, row_counts, grant, message):
    project = ProjectFactory(state=ProjectState.APPLIED)
    before = row_counts()
    figures = GrantFigures(total_cost=Decimal("800000"), eligible_cost=Decimal("700000"), grant=Decimal(grant))
    with pytest.raises(ValidationError) as excinfo:
        project_transition(
            actor=bank_user,
            project=project,
            target=ProjectState.APPROVED,
            decision_date=dt.date(2024, 7, 15),
            grant=figures,
        )
    assert excinfo.value.message_dict["grant"] == [message]
    assert row_counts() == before
    project.refresh_from_db()
    assert (project.state, project.grant) == (ProjectState.APPLIED, None)


def test_grant_of_exactly_ninety_percent_and_the_minimum_are_accepted(bank_user):
    project = ProjectFactory(state=ProjectState.APPLIED)
    figures = GrantFigures(total_cost=Decimal("27777.78"), eligible_cost=Decimal("27777.78"), grant=Decimal("25000"))
    moved = project_transition(
        actor=bank_user,
        project=project,
        target=ProjectState.APPROVED,
        decision_date=dt.date(2024, 7, 15),
        grant=figures,
    )
    assert moved.approved_on == dt.date(2024, 7, 15)
    assert moved.funding_rate is not None and moved.funding_rate <= Decimal("0.9")


def test_decision_date_in_the_future_is_refused(chancellery_user, row_counts):
    project = ProjectFactory(state=ProjectState.FORWARDED)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(
            actor=chancellery_user,
            project=project,
            target=ProjectState.CONFIRMED,
            decision_date=timezone.localdate() + dt.timedelta(days=2),
        )
    assert excinfo.value.message_dict == {
        "decision_date": ["Das Datum der Entscheidung darf nicht in der Zukunft liegen."]
    }
    assert row_counts() == before


def test_decision_date_before_the_last_step_is_refused(chancellery_user, row_counts):
    project = ProjectFactory(state=ProjectState.RECOMMENDED)
    project_transition(
        actor=chancellery_user, project=project, target=ProjectState.FORWARDED, decision_date=dt.date(2024, 2, 1)
    )
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_transition(
            actor=chancellery_user, project=project, target=ProjectState.CONFIRMED, decision_date=dt.date(2024, 1, 5)
        )
    assert excinfo.value.message_dict == {
        "decision_date": ["Das Datum 05.01.2024 liegt vor dem letzten erfassten Schritt des Projekts (01.02.2024)."]
    }
    assert row_counts() == before


def test_each_decision_date_is_kept_on_the_project_the_first_time(chancellery_user, bank_user):
    project = ProjectFactory(state=ProjectState.RECOMMENDED)
    project = project_transition(
        actor=chancellery_user, project=project, target=ProjectState.FORWARDED, decision_date=dt.date(2024, 2, 1)
    )
    project = project_transition(
        actor=chancellery_user, project=project, target=ProjectState.CONFIRMED, decision_date=dt.date(2024, 3, 6)
    )
    project = project_transition(actor=bank_user, project=project, target=ProjectState.APPLIED)
    stored = Project.objects.get(pk=project.pk)
    assert (stored.forwarded_on, stored.confirmed_on) == (dt.date(2024, 2, 1), dt.date(2024, 3, 6))
    # No date given, none invented: the step itself is recorded, its date stays empty.
    assert stored.applied_on is None


def test_unauthenticated_visitor_may_take_no_step(anonymous, row_counts):
    project = ProjectFactory(state=ProjectState.IDEA)
    before = row_counts()
    with pytest.raises(PermissionDenied):
        project_transition(actor=anonymous, project=project, target=ProjectState.SUBMITTED)
    assert row_counts() == before


# --- the design rules the tables keep ----------------------------------------------------------------------


def test_each_instrument_has_its_workflow():
    assert workflow_of(FundingInstrument.INVKG_ARM1) == Workflow.BANK
    assert workflow_of(FundingInstrument.JTF) == Workflow.BANK
    assert workflow_of(FundingInstrument.STARK) == Workflow.STARK
    assert workflow_of(FundingInstrument.INVKG_ARM2) == Workflow.OTHER
    assert workflow_of(FundingInstrument.OTHER) == Workflow.OTHER


def test_every_workflow_leads_from_idea_to_completion():
    for workflow, table in TRANSITIONS.items():
        reachable, frontier = {ProjectState.IDEA}, [ProjectState.IDEA]
        while frontier:
            state = frontier.pop()
            for source, target in table:
                if source == state and target not in reachable:
                    reachable.add(target)
                    frontier.append(target)
        assert ProjectState.COMPLETED in reachable, workflow


def test_who_takes_which_step_as_the_issue_says():
    bank = TRANSITIONS[Workflow.BANK]
    assert bank[(ProjectState.SUBMITTED, ProjectState.QUALIFICATION)].actors == {OFFICE}
    assert bank[(ProjectState.PRESENTED, ProjectState.RECOMMENDED)].from_session
    assert bank[(ProjectState.RECOMMENDED, ProjectState.FORWARDED)].actors == {CHANCELLERY}
    assert bank[(ProjectState.FORWARDED, ProjectState.CONFIRMED)].actors == {CHANCELLERY}
    assert bank[(ProjectState.FORWARDED, ProjectState.CONFIRMED)].needs_decision_date
    assert bank[(ProjectState.CONFIRMED, ProjectState.APPLIED)].actors == {BANK}
    assert bank[(ProjectState.APPLIED, ProjectState.APPROVED)].actors == {BANK}
    assert bank[(ProjectState.APPLIED, ProjectState.APPROVED)].needs_grant
    # STARK goes from the recommendation to the commissioner and the BAFA; there is no IMAG step.
    stark = TRANSITIONS[Workflow.STARK]
    assert not any(target == ProjectState.CONFIRMED for _source, target in stark)
    assert (ProjectState.FORWARDED, ProjectState.APPLIED) in stark
    # Withdrawal is open from every state that is not final, in every workflow.
    for table in TRANSITIONS.values():
        open_states = [s for s in (*PIPELINE_ORDER, ProjectState.DEFERRED) if s not in {"completed"}]
        for state in open_states:
            assert table[(state, ProjectState.WITHDRAWN)].needs_note


def test_steps_from_lists_the_open_steps_in_pipeline_order():
    targets = [step.target for step in steps_from(FundingInstrument.INVKG_ARM1, ProjectState.FORWARDED)]
    assert targets == [ProjectState.CONFIRMED, ProjectState.WITHDRAWN, ProjectState.REJECTED]


def test_final_states_say_so():
    with pytest.raises(ValidationError) as excinfo:
        get_step(FundingInstrument.INVKG_ARM1, ProjectState.COMPLETED, ProjectState.IMPLEMENTATION)
    assert excinfo.value.messages == ["Das Projekt ist „abgeschlossen / in Betrieb“; dieser Stand ist endgültig."]

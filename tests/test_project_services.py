"""The project services beyond the transition table: the fact sheet, consultations in sessions,
milestones, and the demo projects of the seed minutes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import (
    ConsultationFactory,
    FocusAreaFactory,
    MeetingFactory,
    MilestoneFactory,
    ProjectFactory,
    WorkshopFactory,
)
from werkstatt.geo.models import Municipality
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.meetings.models import AgendaItemKind
from werkstatt.meetings.services import PresenterInput
from werkstatt.meetings.workflow import MeetingState
from werkstatt.projects.models import ConsultationOutcome, MilestoneKind, Project
from werkstatt.projects.services import (
    consultation_record_outcome,
    milestone_delete,
    milestone_save,
    project_create,
    project_put_on_agenda,
    project_transition,
    project_update,
)
from werkstatt.projects.workflow import FundingInstrument, ProjectState

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(db):
    """The districts and municipalities of the Lausitz, as ``load_geo`` stores them."""
    geo_reference_data_load()


# --- the fact sheet ----------------------------------------------------------------------------------------


def test_office_creates_a_project_with_its_first_status_row(office_user, body, workshop4):
    project = project_create(
        actor=office_user,
        body=body,
        state=ProjectState.SUBMITTED,
        title="  Quartierswärme   Welzow ",
        lead_workshop=workshop4,
        received_on=dt.date(2024, 2, 1),
    )
    assert project.title == "Quartierswärme Welzow"
    change = project.status_changes.get()
    assert (change.from_state, change.to_state, change.decision_date, change.actor) == (
        "",
        ProjectState.SUBMITTED,
        dt.date(2024, 2, 1),
        office_user,
    )
    assert project.history.latest().history_user == office_user


@pytest.mark.parametrize("user_fixture", ["bank_user", "chancellery_user", "speaker_w4", "anonymous"])
def test_only_the_office_creates_projects(request, user_fixture, body, row_counts):
    user = request.getfixturevalue(user_fixture)
    before = row_counts()
    with pytest.raises(PermissionDenied):
        project_create(actor=user, body=body, title="Neues Projekt")
    assert row_counts() == before


def test_a_new_project_cannot_start_half_way(office_user, body, row_counts):
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_create(actor=office_user, body=body, title="Abkürzung", state=ProjectState.CONFIRMED)
    assert excinfo.value.message_dict == {
        "state": ["Ein neues Projekt beginnt als Projektidee oder mit eingereichtem Projektsteckbrief."]
    }
    assert row_counts() == before


def test_the_district_follows_from_the_municipality(office_user, body, geo):
    cottbus = Municipality.objects.get(ags="12052000")
    project = project_create(actor=office_user, body=body, title="Leitstelle", municipality=cottbus)
    assert project.district.ags == "12052"


def test_a_municipality_outside_the_district_is_refused(office_user, body, geo, row_counts):
    cottbus = Municipality.objects.get(ags="12052000")
    elbe_elster = Municipality.objects.filter(district__ags="12062").first().district
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_create(actor=office_user, body=body, title="X", municipality=cottbus, district=elbe_elster)
    assert excinfo.value.message_dict == {"district": ["Die Gemeinde liegt nicht in diesem Landkreis."]}
    assert row_counts() == before


def test_finances_cannot_be_made_public_before_approval(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.CONFIRMED, total_cost=Decimal("100000"))
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_update(actor=office_user, project=project, public_finances=True)
    assert excinfo.value.message_dict == {
        "public_finances": ["Kosten und Zuwendung dürfen erst nach der Bewilligung veröffentlicht werden."]
    }
    assert row_counts() == before


def test_eligible_cost_above_total_cost_is_refused(office_user, row_counts):
    project = ProjectFactory()
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_update(
            actor=office_user, project=project, total_cost=Decimal("100000"), eligible_cost=Decimal("120000")
        )
    assert "Die förderfähigen Kosten können nicht höher sein als die Gesamtkosten." in excinfo.value.messages
    assert row_counts() == before


def test_the_instrument_is_fixed_once_a_workshop_recommended(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.RECOMMENDED)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_update(actor=office_user, project=project, instrument=FundingInstrument.STARK)
    assert excinfo.value.message_dict == {
        "instrument": [
            "Das Förderinstrument kann nach der Empfehlung nicht mehr geändert werden; "
            "das Projekt ist „zur Weiterleitung empfohlen“."
        ]
    }
    assert row_counts() == before


def test_focus_areas_must_belong_to_the_projects_workshops(office_user, row_counts):
    project = ProjectFactory()
    stray = FocusAreaFactory(workshop=WorkshopFactory(body=project.body), title="Fremder Schwerpunkt")
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_update(actor=office_user, project=project, focus_areas=[stray])
    assert excinfo.value.message_dict == {
        "focus_areas": ["Schwerpunkte gehören zu einer der Werkstätten des Projekts: Fremder Schwerpunkt"]
    }
    assert row_counts() == before


# --- consultations -----------------------------------------------------------------------------------------


def test_putting_a_project_on_the_agenda_adds_a_presentation_item(office_user, workshop4):
    project = ProjectFactory(body=workshop4.body, lead_workshop=workshop4, title="Gesundheitsregion")
    meeting = MeetingFactory(workshop=workshop4)
    consultation = project_put_on_agenda(
        actor=office_user,
        project=project,
        meeting=meeting,
        number="5",
        presenters=[PresenterInput(group_label="Projektträger")],
    )
    item = consultation.agenda_item
    assert (item.kind, item.title, item.number) == (
        AgendaItemKind.PROJECT_PRESENTATION,
        "Vorstellung Investitionsprojekt „Gesundheitsregion“",
        "5",
    )
    assert [p.display for p in item.presenters.all()] == ["Projektträger"]
    assert consultation.authoritative


def test_another_workshop_hearing_the_project_joins_its_other_workshops(office_user, workshop4, workshop2):
    project = ProjectFactory(body=workshop4.body, lead_workshop=workshop2, instrument=FundingInstrument.STARK)
    consultation = project_put_on_agenda(
        actor=office_user, project=project, meeting=MeetingFactory(workshop=workshop4), number="6"
    )
    assert not consultation.authoritative
    assert consultation.agenda_item.title.startswith("Vorstellung STARK-Projekt „")
    assert list(project.other_workshops.all()) == [workshop4]


def test_a_project_is_put_on_an_agenda_only_once_per_session(office_user, workshop4, row_counts):
    project = ProjectFactory(body=workshop4.body, lead_workshop=workshop4)
    meeting = MeetingFactory(workshop=workshop4)
    project_put_on_agenda(actor=office_user, project=project, meeting=meeting, number="5")
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_put_on_agenda(actor=office_user, project=project, meeting=meeting, number="6")
    assert excinfo.value.messages == ["Das Projekt steht schon auf der Tagesordnung dieser Sitzung."]
    assert row_counts() == before


def test_a_confirmed_project_is_not_presented_again(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.CONFIRMED)
    meeting = MeetingFactory(workshop=project.lead_workshop)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        project_put_on_agenda(actor=office_user, project=project, meeting=meeting, number="5")
    assert "dieses ist „durch die IMAG bestätigt“" in excinfo.value.messages[0]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("outcome", "conditions", "state"),
    [
        (ConsultationOutcome.RECOMMENDATION, "", ProjectState.RECOMMENDED),
        (ConsultationOutcome.RECOMMENDATION_WITH_CONDITIONS, "Trägerschaft klären", ProjectState.RECOMMENDED),
        (ConsultationOutcome.DEFERRAL, "", ProjectState.DEFERRED),
        (ConsultationOutcome.NO_RECOMMENDATION, "", ProjectState.REJECTED),
        (ConsultationOutcome.NOTICE, "", ProjectState.PRESENTED),
    ],
)
def test_the_lead_workshops_outcome_moves_the_project(office_user, outcome, conditions, state):
    project = ProjectFactory(state=ProjectState.QUALIFICATION)
    meeting = MeetingFactory(workshop=project.lead_workshop, state=MeetingState.HELD, date=dt.date(2024, 1, 16))
    consultation = ConsultationFactory(project=project, meeting=meeting)
    consultation_record_outcome(actor=office_user, consultation=consultation, outcome=outcome, conditions=conditions)
    project.refresh_from_db()
    assert project.state == state
    assert project.presented_on == dt.date(2024, 1, 16)
    changes = list(project.status_changes.values_list("to_state", "decision_date", "consultation"))
    expected = [(ProjectState.PRESENTED, dt.date(2024, 1, 16), consultation.pk)]
    if state != ProjectState.PRESENTED:
        expected.append((state, dt.date(2024, 1, 16), consultation.pk))
    assert changes == expected


def test_another_workshops_outcome_is_recorded_without_moving_the_project(office_user, workshop4):
    project = ProjectFactory(state=ProjectState.RECOMMENDED)
    meeting = MeetingFactory(workshop=workshop4, state=MeetingState.HELD)
    consultation = ConsultationFactory(project=project, meeting=meeting, authoritative=False)
    recorded = consultation_record_outcome(
        actor=office_user, consultation=consultation, outcome=ConsultationOutcome.RECOMMENDATION
    )
    assert recorded.outcome == ConsultationOutcome.RECOMMENDATION
    project.refresh_from_db()
    assert project.state == ProjectState.RECOMMENDED
    assert not project.status_changes.exists()


def test_a_recorded_outcome_is_not_changed(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.QUALIFICATION)
    meeting = MeetingFactory(workshop=project.lead_workshop, state=MeetingState.HELD)
    consultation = ConsultationFactory(project=project, meeting=meeting)
    consultation_record_outcome(actor=office_user, consultation=consultation, outcome=ConsultationOutcome.DEFERRAL)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        consultation_record_outcome(
            actor=office_user, consultation=consultation, outcome=ConsultationOutcome.RECOMMENDATION
        )
    assert excinfo.value.messages == [
        "Das Ergebnis dieser Beratung ist schon erfasst („Zurückstellung“) und wird nicht mehr geändert."
    ]
    assert row_counts() == before


def test_no_outcome_before_the_session_was_held(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.QUALIFICATION)
    consultation = ConsultationFactory(project=project, meeting=MeetingFactory(workshop=project.lead_workshop))
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        consultation_record_outcome(
            actor=office_user, consultation=consultation, outcome=ConsultationOutcome.RECOMMENDATION
        )
    assert excinfo.value.messages == ["Das Ergebnis wird erfasst, wenn die Sitzung durchgeführt wurde."]
    assert row_counts() == before


def test_a_recommendation_with_conditions_names_them(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.QUALIFICATION)
    meeting = MeetingFactory(workshop=project.lead_workshop, state=MeetingState.HELD)
    consultation = ConsultationFactory(project=project, meeting=meeting)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        consultation_record_outcome(
            actor=office_user,
            consultation=consultation,
            outcome=ConsultationOutcome.RECOMMENDATION_WITH_CONDITIONS,
        )
    assert "Bei einer Empfehlung mit Auflagen werden die Auflagen genannt." in excinfo.value.messages
    assert row_counts() == before


def test_an_unknown_outcome_is_refused(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.QUALIFICATION)
    meeting = MeetingFactory(workshop=project.lead_workshop, state=MeetingState.HELD)
    consultation = ConsultationFactory(project=project, meeting=meeting)
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        consultation_record_outcome(actor=office_user, consultation=consultation, outcome="ja")
    assert excinfo.value.message_dict == {"outcome": ["Bitte wählen Sie ein Ergebnis aus der Liste."]}
    assert row_counts() == before


# --- milestones --------------------------------------------------------------------------------------------


def test_bank_and_office_keep_milestones(bank_user, office_user):
    project = ProjectFactory(state=ProjectState.IMPLEMENTATION)
    milestone = milestone_save(
        actor=bank_user, project=project, kind=MilestoneKind.GROUND_BREAKING, planned_date=dt.date(2024, 5, 1)
    )
    milestone = milestone_save(
        actor=office_user,
        project=project,
        milestone=milestone,
        kind=MilestoneKind.GROUND_BREAKING,
        planned_date=dt.date(2024, 5, 1),
        actual_date=dt.date(2024, 5, 3),
    )
    assert milestone.done and milestone.date == dt.date(2024, 5, 3)
    assert [h.history_user for h in milestone.history.order_by("history_id")] == [bank_user, office_user]
    milestone_delete(actor=bank_user, milestone=milestone)
    assert not project.milestones.exists()


@pytest.mark.parametrize("user_fixture", ["chancellery_user", "speaker_w4", "anonymous"])
def test_others_do_not_keep_milestones(request, user_fixture, row_counts):
    user = request.getfixturevalue(user_fixture)
    project = ProjectFactory()
    before = row_counts()
    with pytest.raises(PermissionDenied):
        milestone_save(actor=user, project=project, kind=MilestoneKind.OPENING, planned_date=dt.date(2025, 1, 1))
    assert row_counts() == before


def test_a_milestone_cannot_have_happened_in_the_future(bank_user, row_counts):
    project = ProjectFactory()
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        milestone_save(
            actor=bank_user,
            project=project,
            kind=MilestoneKind.OPENING,
            actual_date=timezone.localdate() + dt.timedelta(days=1),
        )
    assert excinfo.value.message_dict == {
        "actual_date": ["Ein Meilenstein kann nicht in der Zukunft stattgefunden haben; bitte „geplant am“ nutzen."]
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    ("kind", "title", "planned", "message"),
    [
        (MilestoneKind.OPENING, "", None, "Ein Meilenstein hat ein geplantes oder ein tatsächliches Datum."),
        (MilestoneKind.OTHER, "", dt.date(2025, 1, 1), "Ein sonstiger Meilenstein braucht eine Bezeichnung."),
    ],
)
def test_incomplete_milestones_are_refused(bank_user, row_counts, kind, title, planned, message):
    project = ProjectFactory()
    before = row_counts()
    with pytest.raises(ValidationError) as excinfo:
        milestone_save(actor=bank_user, project=project, kind=kind, title=title, planned_date=planned)
    assert message in excinfo.value.messages
    assert row_counts() == before


def test_a_milestone_of_another_project_is_not_changed_through_this_one(bank_user, row_counts):
    milestone, other = MilestoneFactory(), ProjectFactory()
    before = row_counts()
    with pytest.raises(ValidationError):
        milestone_save(actor=bank_user, project=other, milestone=milestone, kind=MilestoneKind.OPENING)
    assert row_counts() == before


# --- the demo projects -------------------------------------------------------------------------------------


def test_demo_telemedicine_project_follows_the_seed_and_the_public_facts(demo):
    project = Project.objects.get(
        title="Telemedizinische Einbindung von Notärzten im Regionalleitstellenbereich Lausitz"
    )
    assert project.sponsor.name == "Stadt Cottbus/Chóśebuz"
    assert project.lead_workshop.number == 2
    assert [w.number for w in project.other_workshops.all()] == [4]
    assert project.state == ProjectState.APPROVED
    assert (project.recommended_on, project.confirmed_on, project.approved_on) == (
        dt.date(2024, 1, 16),
        dt.date(2024, 3, 6),
        dt.date(2024, 7, 15),
    )
    assert project.total_cost == Decimal("716000")
    assert project.grant == Decimal("644400")
    assert project.finances_are_public
    consultations = [
        (c.meeting.workshop.number, c.meeting.date, c.authoritative, c.outcome, c.agenda_item.number)
        for c in project.consultations.select_related("meeting__workshop", "agenda_item")
    ]
    assert consultations == [
        (2, dt.date(2024, 1, 16), True, ConsultationOutcome.RECOMMENDATION, "1"),
        (4, dt.date(2024, 1, 24), False, "", "6"),
    ]
    assert project.district.ags == "12052"


def test_demo_stark_project_was_presented_in_the_16th_session(demo):
    project = Project.objects.get(title="WerteGesellschaft Lausitz")
    assert project.sponsor.name == "Hochschule für nachhaltige Entwicklung Eberswalde"
    assert project.instrument == FundingInstrument.STARK
    assert project.state == ProjectState.PRESENTED
    assert project.presented_on == dt.date(2024, 1, 24)
    consultation = project.consultations.get()
    assert (consultation.meeting.number, consultation.agenda_item.number) == (16, "5")


def test_step_from_a_session_needs_the_lead_workshops_consultation_of_that_project(office_user, row_counts):
    project = ProjectFactory(state=ProjectState.QUALIFICATION)
    meeting = MeetingFactory(workshop=project.lead_workshop, state=MeetingState.HELD)
    others = ConsultationFactory(meeting=meeting)
    not_leading = ConsultationFactory(project=project, authoritative=False)
    for consultation in (others, not_leading):
        before = row_counts()
        with pytest.raises(ValidationError) as excinfo:
            project_transition(
                actor=office_user,
                project=project,
                target=ProjectState.PRESENTED,
                decision_date=meeting.date,
                consultation=consultation,
            )
        assert excinfo.value.messages == [
            "Über diesen Schritt entscheidet eine Sitzung der federführenden Werkstatt, "
            "in der das Projekt beraten wurde."
        ]
        assert row_counts() == before
    own = ConsultationFactory(project=project, meeting=meeting)
    moved = project_transition(
        actor=office_user, project=project, target=ProjectState.PRESENTED, decision_date=meeting.date, consultation=own
    )
    assert moved.state == ProjectState.PRESENTED

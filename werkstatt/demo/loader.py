"""Load the seed documents as demo data, through the services, idempotently.

Each record is looked up by its natural key first; only what is missing is created, so a
second run changes nothing (approved minutes are never rewritten).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from werkstatt.demo import data
from werkstatt.documents.services import file_create
from werkstatt.geo.selectors import municipality_find_by_name
from werkstatt.geo.services import geo_reference_data_load, location_create
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
from werkstatt.meetings.services import (
    PresenterInput,
    agenda_item_create,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.news.models import NewsItem
from werkstatt.news.services import news_item_create
from werkstatt.organizations.models import (
    Body,
    FocusArea,
    LegislativeTerm,
    MembershipRole,
    Organization,
    Person,
    Workshop,
)
from werkstatt.organizations.services import (
    body_get_or_create_default,
    legislative_term_create,
    membership_create,
    organization_create,
    person_create,
    workshop_add_member,
    workshop_create,
)
from werkstatt.projects.models import ConsultationOutcome, Project
from werkstatt.projects.services import (
    GrantFigures,
    consultation_create,
    consultation_record_outcome,
    project_create,
    project_transition,
    project_update,
)
from werkstatt.projects.workflow import ProjectState
from werkstatt.search.services import search_index_rebuild


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


class _Loader:
    def __init__(self, actor: object | None) -> None:
        self.actor = actor
        self.report = DemoReport()
        self.body: Body = body_get_or_create_default()
        self.orgs: dict[str, Organization] = {}
        self.persons: dict[str, Person] = {}

    def organizations(self) -> None:
        for key, (name, short_name, kind) in data.ORGANIZATIONS.items():
            org = Organization.objects.filter(body=self.body, name=name).first()
            if org is None:
                org = organization_create(actor=self.actor, body=self.body, name=name, short_name=short_name, kind=kind)
                self.report.count("Organisationen")
            self.orgs[key] = org

    def legislative_terms(self) -> None:
        for name, start, end in data.LEGISLATIVE_TERMS:
            if not LegislativeTerm.objects.filter(body=self.body, name=name).exists():
                legislative_term_create(actor=self.actor, body=self.body, name=name, start_date=start, end_date=end)
                self.report.count("Förderperioden")

    def workshops(self) -> dict[int, Workshop]:
        workshops = {}
        for number, title in data.WORKSHOPS:
            workshop = Workshop.objects.filter(body=self.body, number=number).first()
            if workshop is None:
                is_4 = number == 4
                workshop = workshop_create(
                    actor=self.actor,
                    body=self.body,
                    number=number,
                    title=title,
                    mission=data.WORKSHOP_4_MISSION if is_4 else "",
                    focus_areas=data.WORKSHOP_4_FOCUS_AREAS if is_4 else (),
                    next_session_date=data.WORKSHOP_4_NEXT_SESSION if is_4 else None,
                )
                self.report.count("Werkstätten")
            workshops[number] = workshop
        return workshops

    def members(self, workshop: Workshop) -> None:
        present = set(workshop.member_links.values_list("organization_id", flat=True))
        for key in data.WORKSHOP_4_MEMBERS:
            if self.orgs[key].pk not in present:
                workshop_add_member(actor=self.actor, workshop=workshop, organization=self.orgs[key])
                self.report.count("Mitgliedsorganisationen")

    def persons_and_speaker(self, workshop: Workshop) -> None:
        for key, (title, given, family, qualification, function, org_key) in data.PERSONS.items():
            person = Person.objects.filter(body=self.body, given_name=given, family_name=family).first()
            if person is None:
                person = person_create(
                    actor=self.actor,
                    body=self.body,
                    title=title,
                    given_name=given,
                    family_name=family,
                    qualification=qualification,
                    function=function,
                    organization=self.orgs[org_key],
                )
                self.report.count("Personen")
            self.persons[key] = person
        speaker = self.persons["guntermann"]
        if not workshop.memberships.filter(person=speaker, role=MembershipRole.SPEAKER).exists():
            membership_create(
                actor=self.actor,
                person=speaker,
                workshop=workshop,
                role=MembershipRole.SPEAKER,
                on_behalf_of=self.orgs["lag_ee"],
                statement=data.SPEAKER_QUOTE,
            )
            self.report.count("Mitgliedschaften")

    def news(self, workshop: Workshop) -> None:
        for date, title, teaser in data.NEWS:
            if not NewsItem.objects.filter(body=self.body, date=date, title=title).exists():
                news_item_create(
                    actor=self.actor,
                    body=self.body,
                    title=title,
                    date=date,
                    teaser=teaser,
                    workshops=[workshop],
                    published=True,
                )
                self.report.count("Neuigkeiten")

    def _held(self, meeting: Meeting, *, minutes_until: MinutesState | None) -> None:
        meeting_transition(actor=self.actor, meeting=meeting, target=MeetingState.HELD)
        steps = [MinutesState.CIRCULATED, MinutesState.APPROVED, MinutesState.PUBLISHED]
        if minutes_until is None:
            return
        for step in steps[: steps.index(minutes_until) + 1]:
            meeting_minutes_transition(actor=self.actor, meeting=meeting, target=step)

    def session_15(self, workshop: Workshop) -> Meeting:
        s = data.SESSION_15
        meeting = Meeting.objects.filter(workshop=workshop, number=s.number).first()
        if meeting is None:
            meeting = meeting_create(actor=self.actor, workshop=workshop, number=s.number, date=s.date)
            # Approved in the 16th session; the text of these minutes is not part of the demo.
            self._held(meeting, minutes_until=MinutesState.APPROVED)
            self.report.count("Sitzungen")
        return meeting

    def session_16(self, workshop: Workshop, previous: Meeting) -> None:
        s = data.SESSION_16
        if Meeting.objects.filter(workshop=workshop, number=s.number).exists():
            return
        assert s.location and s.chair and s.minute_taker  # noqa: S101 - fixed demo data
        description, street, postal_code, locality, municipality = s.location
        location = location_create(
            actor=self.actor,
            description=description,
            street_address=street,
            postal_code=postal_code,
            locality=locality,
            municipality=municipality_find_by_name(municipality),
        )
        files = [file_create(actor=self.actor, name=name) for name in s.attachments]
        chair_key, chair_function = s.chair
        taker_key, taker_function = s.minute_taker
        meeting = meeting_create(
            actor=self.actor,
            workshop=workshop,
            number=s.number,
            date=s.date,
            start_time=s.start,
            end_time=s.end,
            location=location,
            chair=self.persons[chair_key],
            chair_function=chair_function,
            minute_taker=self.persons[taker_key],
            minute_taker_function=taker_function,
            files=files,
        )
        meeting_transition(actor=self.actor, meeting=meeting, target=MeetingState.HELD)
        for number, kind, title, note, presenters, result in data.AGENDA_16:
            agenda_item_create(
                actor=self.actor,
                meeting=meeting,
                number=number,
                title=title,
                note=note,
                kind=kind,
                approves_meeting=previous if kind == AgendaItemKind.MINUTES_APPROVAL else None,
                result=result,
                presenters=[self._presenter(*p) for p in presenters],
            )
        for step in (MinutesState.CIRCULATED, MinutesState.APPROVED, MinutesState.PUBLISHED):
            meeting_minutes_transition(actor=self.actor, meeting=meeting, target=step)
        self.report.count("Sitzungen")

    def _presenter(self, key: str, function: str, organization_name: str) -> PresenterInput:
        if key == "*":
            return PresenterInput(group_label=function)
        person = self.persons[key]
        return PresenterInput(
            person=person, function=function, organization=person.organization, organization_name=organization_name
        )

    def workshop_2_recommendation(self, workshop: Workshop) -> None:
        date = data.WORKSHOP_2_RECOMMENDATION_DATE
        if Meeting.objects.filter(workshop=workshop, date=date).exists():
            return
        # Known from the minutes of Werkstatt 4 only: the session number of Werkstatt 2 is not recorded there.
        meeting = meeting_create(actor=self.actor, workshop=workshop, date=date)
        meeting_transition(actor=self.actor, meeting=meeting, target=MeetingState.HELD)
        agenda_item_create(
            actor=self.actor,
            meeting=meeting,
            number="1",
            title=data.TELEMEDICINE_TITLE,
            kind=AgendaItemKind.PROJECT_PRESENTATION,
            presenters=[self._presenter("zellmann", "", "")],
            result="<p>Konsensuale Empfehlung für die Weiterleitung des Projektes an die Staatskanzlei "
            "Brandenburg (federführende Werkstatt).</p>",
        )
        self.report.count("Sitzungen")

    def _project(self, spec: data.ProjectData, workshops: dict[int, Workshop]) -> Project | None:
        """Create the project of ``spec`` in qualification; ``None`` if it is already there."""
        if Project.objects.filter(body=self.body, title=spec.title).exists():
            return None
        municipality = municipality_find_by_name(spec.municipality) if spec.municipality else None
        # Looked up, not required: a workshop that existed before the demo may lack the seed's focus areas.
        focus_areas = [
            area
            for number, title in spec.focus_areas
            for area in FocusArea.objects.filter(workshop=workshops[number], title=title)
        ]
        project = project_create(
            actor=self.actor,
            body=self.body,
            state=ProjectState.SUBMITTED,
            title=spec.title,
            sponsor=self.orgs[spec.sponsor],
            contact=self.persons[spec.contact],
            lead_workshop=workshops[spec.lead_workshop],
            instrument=spec.instrument,
            funding_area=spec.funding_area,
            municipality=municipality,
            description=spec.description,
            other_workshops=[workshops[number] for number, _title in spec.focus_areas],
            focus_areas=focus_areas,
        )
        self.report.count("Projekte")
        return project_transition(actor=self.actor, project=project, target=ProjectState.QUALIFICATION)

    @staticmethod
    def _item(meeting: Meeting, title: str) -> AgendaItem:
        return meeting.agenda_items.get(title=title)

    def projects(self, workshops: dict[int, Workshop]) -> None:
        session_16 = Meeting.objects.get(workshop=workshops[4], number=data.SESSION_16.number)
        w2_session = Meeting.objects.get(workshop=workshops[2], date=data.WORKSHOP_2_RECOMMENDATION_DATE)
        telemedicine = self._project(data.TELEMEDICINE, workshops)
        if telemedicine is not None:
            lead = consultation_create(
                actor=self.actor,
                project=telemedicine,
                meeting=w2_session,
                agenda_item=self._item(w2_session, data.TELEMEDICINE_TITLE),
            )
            consultation_record_outcome(actor=self.actor, consultation=lead, outcome=ConsultationOutcome.RECOMMENDATION)
            consultation_create(
                actor=self.actor,
                project=telemedicine,
                meeting=session_16,
                agenda_item=self._item(session_16, data.TELEMEDICINE_TITLE),
            )
            steps = [
                (ProjectState.FORWARDED, None, None),
                (ProjectState.CONFIRMED, data.TELEMEDICINE_CONFIRMED, None),
                (ProjectState.APPLIED, None, None),
                (
                    ProjectState.APPROVED,
                    data.TELEMEDICINE_APPROVED,
                    GrantFigures(
                        total_cost=Decimal(data.TELEMEDICINE_TOTAL_COST),
                        eligible_cost=Decimal(data.TELEMEDICINE_TOTAL_COST),
                        grant=Decimal(data.TELEMEDICINE_GRANT),
                    ),
                ),
            ]
            for target, decision_date, grant in steps:
                telemedicine = project_transition(
                    actor=self.actor, project=telemedicine, target=target, decision_date=decision_date, grant=grant
                )
            project_update(actor=self.actor, project=telemedicine, public_finances=True)
        stark = self._project(data.WERTEGESELLSCHAFT, workshops)
        if stark is not None:
            consultation = consultation_create(
                actor=self.actor,
                project=stark,
                meeting=session_16,
                agenda_item=session_16.agenda_items.get(title__contains=data.WERTEGESELLSCHAFT.title),
            )
            project_transition(
                actor=self.actor,
                project=stark,
                target=ProjectState.PRESENTED,
                decision_date=session_16.date,
                note=f"Vorgestellt in der {session_16}",
                consultation=consultation,
            )


@transaction.atomic
def demo_load(*, actor: object | None = None) -> DemoReport:
    geo_reference_data_load()
    loader = _Loader(actor)
    loader.organizations()
    loader.legislative_terms()
    workshops = loader.workshops()
    w4 = workshops[4]
    loader.members(w4)
    loader.persons_and_speaker(w4)
    loader.news(w4)
    previous = loader.session_15(w4)
    loader.session_16(w4, previous)
    loader.workshop_2_recommendation(workshops[2])
    loader.projects(workshops)
    # The index is built here too, so the demo is searchable whether or not its writes' signals have run yet.
    search_index_rebuild()
    return loader.report

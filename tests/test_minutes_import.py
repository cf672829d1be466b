"""The import of parsed minutes: matching, the rows it writes, all or nothing, dry run, corrected versions.

The sessions here are parsed by hand (``ParsedSession``), so that each test states exactly what the
parser recognised; the seed document end to end is at the bottom.
"""

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from werkstatt.geo.models import Location
from werkstatt.geo.services import geo_reference_data_load
from werkstatt.importers.minutes import matching
from werkstatt.importers.minutes.document import TEXT, SourceDocument
from werkstatt.importers.minutes.parsed import (
    ERROR,
    WARNING,
    Finding,
    ParsedItem,
    ParsedPerson,
    ParsedPlace,
    ParsedProject,
    ParsedSession,
)
from werkstatt.importers.minutes.report import CHANGE, CREATE, MATCH, NEW, REFUSED, REMOVE, UNCHANGED, UPDATED
from werkstatt.importers.minutes.services import minutes_import_parsed
from werkstatt.importers.models import MinutesSource
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
from werkstatt.meetings.services import (
    agenda_item_create,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import Organization, OrganizationKind, Person
from werkstatt.organizations.services import organization_create, person_create
from werkstatt.projects.models import Consultation, ConsultationOutcome, Project
from werkstatt.projects.services import project_create, project_transition
from werkstatt.projects.workflow import ProjectState

pytestmark = pytest.mark.django_db

SESSION_DATE = dt.date(2024, 1, 24)


# --- helpers ------------------------------------------------------------------------------------------


def document(text: str = "ERGEBNISPROTOKOLL\nAllgemeines\n", file_name: str = "protokoll-16.txt") -> SourceDocument:
    content = text.encode("utf-8")
    return SourceDocument(
        file_name=file_name,
        format=TEXT,
        content=content,
        sha512=hashlib.sha512(content).hexdigest(),
        lines=text.splitlines(),
        blocks=[],
    )


def person(raw: str, given: str = "", family: str = "", *, title: str = "", function: str = "", org: str = "") -> Any:
    return ParsedPerson(raw=raw, title=title, given_name=given, family_name=family, function=function, organization=org)


GUNTERMANN = person("Sven Guntermann, Werkstattsprecher", "Sven", "Guntermann", function="Werkstattsprecher")


def session_16(**changes: Any) -> ParsedSession:
    """Session 16 of Werkstatt 4 as a parser would see it (trimmed to what the tests need)."""
    parsed = ParsedSession(
        workshop_number=4,
        number=16,
        date=SESSION_DATE,
        start_time=dt.time(14, 10),
        end_time=dt.time(16, 30),
        place=ParsedPlace(
            raw="Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)",
            description="Bürgerzentrum",
            street_address="Uferstraße 6",
            postal_code="04916",
            locality="Herzberg (Elster)",
        ),
        chair=GUNTERMANN,
        minute_taker=person(
            "Tobias Amende, Projektmanager, Wirtschaftsregion Lausitz",
            "Tobias",
            "Amende",
            function="Projektmanager",
            org="Wirtschaftsregion Lausitz",
        ),
        attachments=["Liste der Teilnehmenden", "Präsentation(en)"],
        items=[
            ParsedItem(
                number="1",
                title="Begrüßung der Gäste",
                kind=AgendaItemKind.ORDINARY,
                presenters=[
                    GUNTERMANN,
                    person(
                        "Karsten Eule-Prütz, Bürgermeister der Stadt Herzberg (Elster)",
                        "Karsten",
                        "Eule-Prütz",
                        function="Bürgermeister der Stadt Herzberg (Elster)",
                    ),
                ],
                where="Zeile 12",
                line=11,
            ),
            ParsedItem(
                number="2",
                title="Bestätigung des Protokolls der 15. Sitzung vom 21.11.2023 und der Tagesordnung",
                kind=AgendaItemKind.MINUTES_APPROVAL,
                presenters=[GUNTERMANN],
                approves_number=15,
                approves_date=dt.date(2023, 11, 21),
            ),
            ParsedItem(
                number="3",
                title="Ausführungen zu den Schwerpunkten der Werkstatt 4",
                kind=AgendaItemKind.ORDINARY,
                note="Verbesserung der Lebensbedingungen / Soziale Infrastruktur",
                presenters=[
                    person(
                        "Heiko Jahn, Geschäftsführer, Wirtschaftsregion Lausitz",
                        "Heiko",
                        "Jahn",
                        function="Geschäftsführer",
                        org="Wirtschaftsregion Lausitz",
                    )
                ],
                result="<ul><li>Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt.</li></ul>",
            ),
            ParsedItem(
                number="4",
                title="Aktueller Sachstand der Projekte der Werkstatt 4",
                kind=AgendaItemKind.PROJECT_REPORT,
                presenters=[
                    person(
                        "Jan Lewerenz, Leiter Lausitz-Büro, ILB",
                        "Jan",
                        "Lewerenz",
                        function="Leiter Lausitz-Büro",
                        org="ILB",
                    )
                ],
                result="<p>Dieser Tagesordnungspunkt wird nunmehr in allen Werkstätten aufgeführt.</p>",
            ),
            ParsedItem(
                number="5",
                title="Vorstellung STARK-Projekt „WerteGesellschaft Lausitz“",
                kind=AgendaItemKind.PROJECT_PRESENTATION,
                presenters=[
                    person(
                        "Prof. Dr. Eckart Kramer, Hochschule für nachhaltige Entwicklung Eberswalde",
                        "Eckart",
                        "Kramer",
                        title="Prof. Dr.",
                        org="Hochschule für nachhaltige Entwicklung Eberswalde",
                    )
                ],
                projects=[
                    ParsedProject(title="WerteGesellschaft Lausitz", instrument="stark", kind_label="STARK-Projekt")
                ],
            ),
            ParsedItem(
                number="7",
                title="Diskussion zu den unter TOP 5 vorgestellten Projekten",
                kind=AgendaItemKind.ORDINARY,
                presenters=[ParsedPerson(raw="Alle Werkstattmitglieder", group_label="Alle Werkstattmitglieder")],
            ),
            ParsedItem(
                number="8",
                title="Sonstiges",
                kind=AgendaItemKind.ORDINARY,
                result="<ul><li>Herr Guntermann gibt einen Ausblick auf die nächsten Termine.</li></ul>",
            ),
        ],
    )
    return dataclasses.replace(parsed, **changes)


@pytest.fixture
def register(body: Any, workshop4: Any, workshop2: Any) -> dict[str, Any]:
    """What Werkstatt knows before the import: some organisations and persons, no session."""
    orgs = {
        "lag": organization_create(
            actor=None, body=body, name="Lokale Aktionsgruppe Elbe-Elster", short_name="LAG Elbe-Elster"
        ),
        "wrl": organization_create(actor=None, body=body, name="Wirtschaftsregion Lausitz GmbH", short_name="WRL"),
        "ilb": organization_create(
            actor=None, body=body, name="Investitionsbank des Landes Brandenburg", short_name="ILB"
        ),
        "hnee": organization_create(actor=None, body=body, name="Hochschule für nachhaltige Entwicklung Eberswalde"),
    }
    persons = {
        "guntermann": person_create(
            actor=None, body=body, given_name="Sven", family_name="Guntermann", organization=orgs["lag"]
        ),
        "lewerenz": person_create(
            actor=None, body=body, given_name="Jan", family_name="Lewerenz", organization=orgs["ilb"]
        ),
        "kramer": person_create(
            actor=None,
            body=body,
            title="Prof. Dr.-Ing.",
            given_name="Eckart",
            family_name="Kramer",
            organization=orgs["hnee"],
        ),
    }
    return {"orgs": orgs, "persons": persons, "w4": workshop4, "w2": workshop2}


def all_rows(row_counts: Callable[[], dict[str, int]]) -> dict[str, int]:
    """The shared row counts plus the importers' own tables."""
    return {
        **row_counts(),
        "MinutesSource": MinutesSource.objects.count(),
        "HistoricalMinutesSource": MinutesSource.history.count(),
    }


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def added(before: dict[str, int], after: dict[str, int], *labels: str) -> dict[str, int]:
    return {label: after[label] - before[label] for label in labels}


def imported(
    parsed: ParsedSession | None = None, *, doc: SourceDocument | None = None, actor: Any = None, dry_run: bool = False
) -> Any:
    return minutes_import_parsed(
        document=doc or document(), parsed=parsed or session_16(), actor=actor, dry_run=dry_run
    )


def entities(report: Any) -> list[tuple[str, str, str, str]]:
    return [(e.kind, e.label, e.action, e.detail) for e in report.entities]


# --- matching --------------------------------------------------------------------------------------------


def test_keys_ignore_case_accents_titles_and_spacing():
    assert matching.organization_key("Stadtverwaltung Cottbus/Chóśebuz") == matching.organization_key(
        "stadtverwaltung  Cottbus / Chosebuz"
    )
    assert matching.name_key("Prof. Dr.-Ing. Eckart Kramer") == matching.name_key("eckart KRAMER")
    assert matching.name_key("Herr Dipl.-Ing. Sven Guntermann") == "sven guntermann"
    assert matching.name_key("Frau Dr. Anna Groß") == matching.name_key("Anna Gross")
    assert matching.name_key("Karsten Eule - Prütz") == matching.name_key("Karsten Eule-Prutz")
    assert matching.without_legal_form(matching.organization_key("LAG Spree-Neiße-Land e. V.")) == (
        "lag spree-neisse-land"
    )


def test_organisations_match_by_name_without_legal_form_and_by_short_name(register):
    body = register["w4"].body
    orgs = register["orgs"]
    candidates = matching.Candidates.load(body)
    assert matching.match_organization("Wirtschaftsregion Lausitz", candidates) == orgs["wrl"]
    assert matching.match_organization("wirtschaftsregion lausitz gmbh", candidates) == orgs["wrl"]
    assert matching.match_organization("ILB", candidates) == orgs["ilb"]
    assert matching.match_organization("LAG Elbe-Elster", candidates) == orgs["lag"]
    assert matching.match_organization("Wirtschaftsregion Sachsen", candidates) is None
    cottbus = organization_create(actor=None, body=body, name="Stadtverwaltung Cottbus/Chóśebuz")
    assert matching.match_organization("Stadtverwaltung Cottbus/Chosebuz", body) == cottbus
    assert matching.match_organization("Stadtverwaltung Cottbus / Chósebus", body) == cottbus


def test_persons_match_without_titles_and_by_family_name_when_unique(register):
    candidates = matching.Candidates.load(register["w4"].body)
    kramer = register["persons"]["kramer"]
    assert matching.match_person(person("Dr. Eckart Kramer", "Eckart", "Kramer", title="Dr."), candidates) == kramer
    assert (
        matching.match_person(person("Herr Guntermann", "", "Guntermann"), candidates)
        == (register["persons"]["guntermann"])
    )
    assert matching.match_person(person("Eckhard Kramer", "Eckhard", "Kramer"), candidates) is None
    assert matching.match_person(ParsedPerson(raw="Alle", group_label="Alle"), candidates) is None


def test_workshops_and_projects_match(register, body):
    project = project_create(actor=None, body=body, title="WerteGesellschaft Lausitz", lead_workshop=register["w4"])
    assert matching.match_workshop(body, number=4) == register["w4"]
    assert matching.match_workshop(body, name="werkstatt 2") == register["w2"]
    assert matching.match_project("„Wertegesellschaft  Lausitz“", body) == project
    assert matching.match_project("WerteGesellschaft Brandenburg", body) is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Stadt Herzberg (Elster)", OrganizationKind.MUNICIPALITY),
        ("Stadtverwaltung Cottbus/Chóśebuz", OrganizationKind.MUNICIPALITY),
        ("Gemeinde Schipkau", OrganizationKind.MUNICIPALITY),
        ("Landkreis Elbe-Elster", OrganizationKind.DISTRICT),
        ("Hochschule für nachhaltige Entwicklung Eberswalde", OrganizationKind.UNIVERSITY),
        ("Brandenburgische Technische Universität", OrganizationKind.UNIVERSITY),
        ("Ministerium für Wirtschaft, Arbeit und Energie", OrganizationKind.MINISTRY),
        ("Investitionsbank des Landes Brandenburg", OrganizationKind.BANK),
        ("Handwerkskammer Cottbus", OrganizationKind.CHAMBER),
        ("Wirtschaftsregion Lausitz GmbH", OrganizationKind.COMPANY),
        ("Wirtschaftsförderungsgesellschaft Dahme-Spreewald mbH", OrganizationKind.COMPANY),
        ("Spreewaldverein e. V.", OrganizationKind.CIVIL_SOCIETY),
        ("Lausitzrunde", OrganizationKind.OTHER),
    ],
)
def test_the_kind_of_a_new_organisation_is_guessed_from_its_name(name, kind):
    assert matching.guess_organization_kind(name) == kind


# --- a new session ----------------------------------------------------------------------------------------


def test_a_new_session_writes_exactly_the_expected_rows(register, row_counts):
    before = all_rows(row_counts)
    report = imported()
    after = all_rows(row_counts)
    assert (report.outcome, report.committed, report.errors) == (NEW, True, [])
    assert added(
        before,
        after,
        "meetings.Meeting",
        "meetings.AgendaItem",
        "meetings.AgendaItemPresenter",
        "organizations.Person",
        "organizations.Organization",
        "geo.Location",
        "documents.File",
        "projects.Project",
        "projects.Consultation",
        "MinutesSource",
    ) == {
        "meetings.Meeting": 2,  # the 16th, and the 15th whose minutes it approved (number and date only)
        "meetings.AgendaItem": 7,
        "meetings.AgendaItemPresenter": 7,
        "organizations.Person": 3,  # Amende, Eule-Prütz, Jahn; Guntermann, Lewerenz and Kramer are known
        "organizations.Organization": 0,
        "geo.Location": 1,
        "documents.File": 3,  # two attachments by name, the original document
        "projects.Project": 1,
        "projects.Consultation": 1,
        "MinutesSource": 1,
    }
    meeting = Meeting.objects.get(workshop=register["w4"], number=16)
    assert report.meeting_pk == meeting.pk
    assert report.meeting_label == "16. Sitzung der Werkstatt 4"
    assert (meeting.date, meeting.start_time, meeting.end_time) == (SESSION_DATE, dt.time(14, 10), dt.time(16, 30))
    assert (meeting.state, meeting.minutes_state) == (MeetingState.HELD, MinutesState.PUBLISHED)
    assert meeting.location.address_line == "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)"
    assert meeting.chair == register["persons"]["guntermann"]
    assert meeting.chair_function == "Werkstattsprecher"
    assert meeting.minute_taker.name == "Tobias Amende"
    assert meeting.minute_taker.organization == register["orgs"]["wrl"]
    assert meeting.minute_taker_function == "Projektmanager, Wirtschaftsregion Lausitz"
    assert sorted(meeting.files.values_list("name", flat=True)) == ["Liste der Teilnehmenden", "Präsentation(en)"]
    assert meeting.history.first().history_change_reason == "Importiert aus protokoll-16.txt"

    items = list(meeting.agenda_items.order_by("order"))
    assert [(i.order, i.number, i.kind) for i in items] == [
        (1, "1", "ordinary"),
        (2, "2", "minutes_approval"),
        (3, "3", "ordinary"),
        (4, "4", "project_report"),
        (5, "5", "project_presentation"),
        (6, "7", "ordinary"),
        (7, "8", "ordinary"),
    ]
    presenters = [
        (i.number, p.person.name if p.person else p.group_label, p.function, p.organization, p.organization_name)
        for i in items
        for p in i.presenters.select_related("person", "organization")
    ]
    orgs, persons = register["orgs"], register["persons"]
    assert presenters == [
        ("1", "Sven Guntermann", "Werkstattsprecher", orgs["lag"], ""),
        ("1", "Karsten Eule-Prütz", "Bürgermeister der Stadt Herzberg (Elster)", None, ""),
        ("2", "Sven Guntermann", "Werkstattsprecher", orgs["lag"], ""),
        ("3", "Heiko Jahn", "Geschäftsführer", orgs["wrl"], "Wirtschaftsregion Lausitz"),
        ("4", "Jan Lewerenz", "Leiter Lausitz-Büro", orgs["ilb"], "ILB"),
        ("5", "Prof. Dr.-Ing. Eckart Kramer", "", orgs["hnee"], "Hochschule für nachhaltige Entwicklung Eberswalde"),
        ("7", "Alle Werkstattmitglieder", "", None, ""),
    ]
    assert items[4].presenters.get().person == persons["kramer"]
    assert items[2].result == "<ul><li>Insgesamt 72 Projekte wurden seit März 2021 durch die IMAG bestätigt.</li></ul>"

    previous = items[1].approves_meeting
    assert (previous.number, previous.date, previous.minutes_state) == (15, dt.date(2023, 11, 21), "approved")
    assert previous.history.first().history_change_reason == "Bestätigt in: 16. Sitzung der Werkstatt 4"
    assert ("Sitzung", "15. Sitzung der Werkstatt 4", CREATE, "nur Nummer und Datum bekannt; Protokoll bestätigt") in (
        entities(report)
    )

    project = Project.objects.get(title="WerteGesellschaft Lausitz")
    assert (project.sponsor, project.contact, project.lead_workshop) == (
        orgs["hnee"],
        persons["kramer"],
        register["w4"],
    )
    assert (project.instrument, project.state, project.presented_on) == ("stark", ProjectState.PRESENTED, SESSION_DATE)
    consultation = Consultation.objects.get(project=project)
    assert (consultation.meeting, consultation.agenda_item, consultation.authoritative) == (meeting, items[4], True)

    source = MinutesSource.objects.get()
    assert (source.meeting, source.file_name, source.format, source.imported_by) == (
        meeting,
        "protokoll-16.txt",
        "text",
        None,
    )
    assert source.sha512 == source.file.sha512 == report.sha512
    assert source.file.public is False and source.file.has_content
    assert source.file.text == "ERGEBNISPROTOKOLL\nAllgemeines"
    assert source.file not in meeting.files.all()


def test_the_report_lists_what_is_created_and_matched(register):
    report = imported()
    listed = entities(report)
    assert ("Person", "Sven Guntermann", MATCH, "") in listed
    assert ("Person", "Prof. Dr. Eckart Kramer", MATCH, "als „Prof. Dr.-Ing. Eckart Kramer“") in listed
    assert ("Organisation", "Wirtschaftsregion Lausitz", MATCH, "als „Wirtschaftsregion Lausitz GmbH“") in listed
    assert ("Person", "Tobias Amende", CREATE, "Projektmanager, Wirtschaftsregion Lausitz GmbH") in listed
    assert (
        "Ort",
        "Bürgerzentrum, Uferstraße 6, 04916 Herzberg (Elster)",
        CREATE,
        "keine Gemeinde der Referenzdaten",
    ) in (listed)
    assert ("Datei", "protokoll-16.txt", CREATE, "Originaldokument, Format Text, nicht öffentlich") in listed
    kinds = {kind for kind, _label, _action, _detail in listed}
    assert kinds == {"Sitzung", "Ort", "Person", "Organisation", "TOP", "Projekt", "Beratung", "Datei"}
    # Each record once, however often the document names it.
    assert len(listed) == len(set(listed))
    assert report.source[0].text == "ERGEBNISPROTOKOLL"


def test_an_existing_place_is_reused_and_a_new_one_gets_its_municipality(register):
    geo_reference_data_load()
    report = imported()
    location = Meeting.objects.get(number=16).location
    assert location.municipality.name == "Herzberg (Elster)"
    assert location.latitude is not None
    assert ("Ort", location.address_line, CREATE, "Gemeinde Herzberg (Elster)") in entities(report)
    later = session_16(number=17, date=dt.date(2024, 3, 20), items=[])
    report = imported(later, doc=document("Sitzung 17"))
    assert Meeting.objects.get(number=17).location == location
    assert ("Ort", location.address_line, MATCH, "") in entities(report)
    assert Location.objects.count() == 1


def test_an_online_session_has_a_place_without_address(register):
    parsed = session_16(place=ParsedPlace(raw="Videokonferenz", online=True))
    imported(parsed)
    location = Meeting.objects.get(number=16).location
    assert (location.description, location.street_address, location.locality) == ("Online", "", "")


def test_a_new_person_named_twice_is_created_once(register):
    jahn = person("Heiko Jahn, WRL", "Heiko", "Jahn", org="Wirtschaftsregion Lausitz")
    parsed = session_16()
    parsed.items[0].presenters.append(jahn)
    parsed.items[3].presenters.append(dataclasses.replace(jahn, raw="Herr Heiko Jahn"))
    imported(parsed)
    assert Person.objects.filter(family_name="Jahn").count() == 1
    assert AgendaItem.objects.get(number="4", meeting__number=16).presenters.count() == 2


def test_a_new_organisation_is_created_with_a_guessed_kind_and_once(register):
    parsed = session_16()
    parsed.items[0].presenters[1] = person(
        "Karsten Eule-Prütz, Stadt Herzberg (Elster)", "Karsten", "Eule-Prütz", org="Stadt Herzberg (Elster)"
    )
    parsed.items[5].presenters.append(person("Anna Beispiel", "Anna", "Beispiel", org="Stadt Herzberg  (Elster)"))
    report = imported(parsed)
    herzberg = Organization.objects.get(name="Stadt Herzberg (Elster)")
    assert herzberg.kind == OrganizationKind.MUNICIPALITY
    assert Person.objects.get(family_name="Beispiel").organization == herzberg
    assert ("Organisation", "Stadt Herzberg (Elster)", CREATE, "Stadt / Gemeinde") in entities(report)


# --- the previous session and projects -------------------------------------------------------------


def test_circulated_minutes_of_the_previous_session_are_approved(register):
    previous = meeting_create(actor=None, workshop=register["w4"], number=15, date=dt.date(2023, 11, 21))
    meeting_transition(actor=None, meeting=previous, target=MeetingState.HELD)
    meeting_minutes_transition(actor=None, meeting=previous, target=MinutesState.CIRCULATED)
    report = imported()
    previous.refresh_from_db()
    assert previous.minutes_state == MinutesState.APPROVED
    assert previous.history.first().history_change_reason == "Bestätigt in: 16. Sitzung der Werkstatt 4"
    assert ("Sitzung", "15. Sitzung der Werkstatt 4", CHANGE, "Protokoll bestätigt") in entities(report)


def test_draft_minutes_of_the_previous_session_stay_draft_with_a_warning(register):
    previous = meeting_create(actor=None, workshop=register["w4"], number=15, date=dt.date(2023, 11, 22))
    meeting_transition(actor=None, meeting=previous, target=MeetingState.HELD)
    report = imported()
    previous.refresh_from_db()
    assert previous.minutes_state == MinutesState.DRAFT
    messages = [w.message for w in report.warnings]
    assert any("noch nicht an die Mitglieder versandt" in m for m in messages)
    assert any("mit dem Datum 22.11.2023 erfasst; das Protokoll nennt den 21.11.2023" in m for m in messages)
    assert all(w.where for w in report.warnings)
    assert AgendaItem.objects.get(meeting__number=16, number="2").approves_meeting == previous


def test_a_known_project_gets_its_consultation_and_the_stated_outcome(register, body):
    w4 = register["w4"]
    project = project_create(
        actor=None,
        body=body,
        state=ProjectState.SUBMITTED,
        title="WerteGesellschaft Lausitz",
        lead_workshop=w4,
        instrument="stark",
        sponsor=register["orgs"]["hnee"],
    )
    project_transition(actor=None, project=project, target=ProjectState.QUALIFICATION)
    parsed = session_16()
    parsed.items[4].projects[0].outcome = ConsultationOutcome.RECOMMENDATION
    report = imported(parsed)
    project.refresh_from_db()
    consultation = Consultation.objects.get(project=project)
    assert consultation.outcome == ConsultationOutcome.RECOMMENDATION
    assert (project.state, project.recommended_on) == (ProjectState.RECOMMENDED, SESSION_DATE)
    assert Project.objects.count() == 1
    assert ("Projekt", "WerteGesellschaft Lausitz", MATCH, "in Qualifizierung") in entities(report)


def test_an_outcome_the_service_refuses_is_a_warning(register, body):
    project = project_create(actor=None, body=body, title="WerteGesellschaft Lausitz", lead_workshop=register["w4"])
    parsed = session_16()
    parsed.items[4].projects[0].outcome = ConsultationOutcome.RECOMMENDATION
    report = imported(parsed)
    assert report.outcome == NEW
    assert Consultation.objects.get(project=project).outcome == ""
    assert any("WerteGesellschaft Lausitz" in w.message for w in report.warnings)


def test_a_new_project_of_another_lead_workshop_notes_its_stated_outcome(register):
    parsed = session_16()
    parsed.items[4].projects = [
        ParsedProject(
            title="Telemedizinische Einbindung",
            lead_workshop=2,
            lead_outcome=ConsultationOutcome.RECOMMENDATION,
            lead_date=dt.date(2024, 1, 16),
        )
    ]
    imported(parsed)
    project = Project.objects.get(title="Telemedizinische Einbindung")
    assert (project.lead_workshop, project.instrument, project.state) == (
        register["w2"],
        "other",
        ProjectState.QUALIFICATION,
    )
    note = project.status_changes.get(to_state=ProjectState.QUALIFICATION).note
    assert note == "Laut Protokoll am 16.01.2024 in der federführenden Werkstatt 2 vorgestellt: konsensuale Empfehlung."
    assert Consultation.objects.get(project=project).authoritative is False
    assert not Meeting.objects.filter(workshop=register["w2"]).exists()  # no invented session


def test_a_project_without_presenter_is_not_created(register):
    parsed = session_16()
    parsed.items[4].presenters = []
    report = imported(parsed)
    assert report.outcome == NEW
    assert not Project.objects.exists()
    assert any("kein Projektträger bekannt" in w.message for w in report.warnings)


# --- the same document, a corrected version, a session kept in Werkstatt ------------------------------------


def test_the_same_document_again_changes_nothing(register, row_counts):
    imported()
    before = all_rows(row_counts)
    report = imported(session_16(start_time=dt.time(9, 0)))
    assert all_rows(row_counts) == before
    assert report.outcome == UNCHANGED
    assert report.meeting_label == "16. Sitzung der Werkstatt 4"
    assert report.summary.startswith("„protokoll-16.txt“ wurde schon importiert (16. Sitzung der Werkstatt 4)")


def test_a_corrected_version_updates_the_session_and_records_why(register, office_user):
    first = imported(actor=office_user)
    meeting = Meeting.objects.get(pk=first.meeting_pk)
    parsed = session_16(start_time=dt.time(14, 0))
    parsed.items[2].result = "<p>Insgesamt 73 Projekte.</p>"
    parsed.items[3].presenters[0] = person("Jan Lewerenz", "Jan", "Lewerenz", function="Leiter", org="ILB")
    del parsed.items[6]  # "Sonstiges" is gone
    parsed.items.insert(
        1, ParsedItem(number="1.1", title="Grußwort", kind=AgendaItemKind.ORDINARY, presenters=[GUNTERMANN])
    )
    report = imported(parsed, doc=document("korrigiert", "protokoll-16-v2.txt"), actor=office_user)

    assert (report.outcome, report.committed, report.meeting_pk) == (UPDATED, True, meeting.pk)
    reason = "Korrigierte Fassung importiert: protokoll-16-v2.txt"
    meeting.refresh_from_db()
    assert meeting.start_time == dt.time(14, 0)
    assert (meeting.history.first().history_change_reason, meeting.history.first().history_user) == (
        reason,
        office_user,
    )
    item = meeting.agenda_items.get(number="3")
    assert item.result == "<p>Insgesamt 73 Projekte.</p>"
    assert item.history.first().history_change_reason == reason
    assert list(meeting.agenda_items.order_by("order").values_list("number", flat=True)) == [
        "1",
        "1.1",
        "2",
        "3",
        "4",
        "5",
        "7",
    ]
    assert not meeting.agenda_items.filter(number="8").exists()
    deleted = AgendaItem.history.filter(number="8", history_type="-").get()
    assert (deleted.history_change_reason, deleted.history_user) == (reason, office_user)
    assert meeting.agenda_items.get(number="4").presenters.get().function == "Leiter"
    assert meeting.minutes_state == MinutesState.PUBLISHED
    assert meeting.minutes_sources.count() == 2
    assert meeting.minutes_sources.latest().file_name == "protokoll-16-v2.txt"

    listed = entities(report)
    assert ("Sitzung", "16. Sitzung der Werkstatt 4", CHANGE, "Beginn") in listed
    assert ("TOP", "TOP 3 Ausführungen zu den Schwerpunkten der Werkstatt 4", CHANGE, "Ergebnis, Reihenfolge") in listed
    assert ("TOP", "TOP 4 Aktueller Sachstand der Projekte der Werkstatt 4", CHANGE, "Vortragende, Reihenfolge") in (
        listed
    )
    assert ("TOP", "TOP 8 Sonstiges", REMOVE, "") in listed
    assert ("TOP", "TOP 1.1 Grußwort", CREATE, "Sven Guntermann, Werkstattsprecher") in listed
    assert ("TOP", "TOP 1 Begrüßung der Gäste", MATCH, "") in listed
    assert Project.objects.count() == Consultation.objects.count() == 1


def test_a_session_kept_in_werkstatt_is_refused(register, row_counts):
    meeting = meeting_create(actor=None, workshop=register["w4"], number=16, date=SESSION_DATE)
    agenda_item_create(actor=None, meeting=meeting, number="1", title="Begrüßung")
    before = all_rows(row_counts)
    report = imported()
    assert all_rows(row_counts) == before
    assert report.outcome == REFUSED and report.entities == []
    assert report.errors[0].message.startswith(
        "Die 16. Sitzung der Werkstatt 4 ist bereits in Werkstatt erfasst und wurde nicht importiert;"
    )
    assert report.summary == "„protokoll-16.txt“: nichts gespeichert, 1 Fehler."


def test_a_session_known_by_number_and_date_only_is_filled_in(register):
    shell = meeting_create(actor=None, workshop=register["w4"], number=16, date=SESSION_DATE)
    report = imported()
    assert report.outcome == UPDATED
    shell.refresh_from_db()
    assert shell.agenda_items.count() == 7
    assert (shell.state, shell.minutes_state) == (MeetingState.HELD, MinutesState.PUBLISHED)
    assert shell.history.first().history_change_reason == "Importiert aus protokoll-16.txt"


# --- all or nothing, dry run, permission ----------------------------------------------------------------------


def test_an_error_of_the_parser_stores_nothing(register, row_counts):
    parsed = session_16(findings=[Finding(ERROR, "Zeile 3: Datum „32.13.2024“ ist kein Datum.", "Zeile 3", 0)])
    before = all_rows(row_counts)
    report = imported(parsed)
    assert all_rows(row_counts) == before
    assert report.outcome == REFUSED
    assert report.source[0].level == ERROR


def test_a_rule_of_a_service_refuses_the_whole_document(register, row_counts):
    parsed = session_16()
    parsed.items[6].number = "3"  # two items numbered 3: refused by the agenda's rules after much was written
    before = all_rows(row_counts)
    report = imported(parsed)
    assert all_rows(row_counts) == before
    assert stored_files() == []
    assert report.outcome == REFUSED and not report.committed
    assert report.errors[0].message == "TOP 3: Diese TOP-Nummer gibt es in der Sitzung schon."


def test_an_unknown_workshop_or_a_missing_date_is_refused(register, row_counts):
    before = all_rows(row_counts)
    assert imported(session_16(workshop_number=9)).errors[0].message == "Eine Werkstatt 9 gibt es nicht."
    report = imported(session_16(workshop_number=None))
    assert "bitte geben Sie die Nummer der Werkstatt beim Import an" in report.errors[0].message
    assert "ohne Datum" in imported(session_16(date=None)).errors[0].message
    assert all_rows(row_counts) == before


def test_the_dry_run_stores_nothing_and_reports_what_the_commit_does(register, row_counts):
    before = all_rows(row_counts)
    preview = imported(dry_run=True)
    assert all_rows(row_counts) == before
    assert stored_files() == []
    assert (preview.outcome, preview.committed, preview.meeting_pk) == (NEW, False, None)
    assert preview.summary == "Probelauf: 16. Sitzung der Werkstatt 4 wird neu angelegt (0 Warnungen)."
    report = imported()
    assert entities(report) == entities(preview)
    assert report.findings == preview.findings
    assert len(stored_files()) == 1


def test_the_dry_run_of_a_corrected_version_matches_its_commit(register, row_counts):
    imported()
    parsed = session_16(end_time=dt.time(17, 0))
    del parsed.items[5]
    doc = document("v2", "v2.txt")
    before = all_rows(row_counts)
    preview = imported(parsed, doc=doc, dry_run=True)
    assert all_rows(row_counts) == before
    report = imported(parsed, doc=doc)
    assert (preview.outcome, report.outcome) == (UPDATED, UPDATED)
    assert entities(preview) == entities(report)


def test_the_dry_run_costs_a_fixed_number_of_queries_per_kind(register):
    def queries(parsed: ParsedSession) -> int:
        with CaptureQueriesContext(connection) as captured:
            imported(parsed, dry_run=True)
        return len(captured)

    def with_mentions(count: int) -> ParsedSession:
        parsed = session_16()
        lewerenz = parsed.items[3].presenters[0]
        for item in parsed.items[:count]:
            item.presenters.append(lewerenz)
        return parsed

    small = queries(session_16())
    one_row = queries(with_mentions(1)) - small
    # Six more mentions of a known person with a known organisation cost six presenter rows, nothing more:
    # the matching itself asks the database once per kind of record, however many names there are.
    assert queries(with_mentions(6)) - small == 6 * one_row


def test_matching_loads_each_kind_of_record_once(register, django_assert_num_queries):
    with django_assert_num_queries(4):
        candidates = matching.Candidates.load(register["w4"].body)
    with django_assert_num_queries(0):
        for _ in range(20):
            assert candidates.person(GUNTERMANN) == register["persons"]["guntermann"]
            assert candidates.organization("Wirtschaftsregion Lausitz") == register["orgs"]["wrl"]
            assert candidates.workshop(4) == register["w4"]
            assert candidates.project("WerteGesellschaft Lausitz") is None


@pytest.mark.parametrize("persona", ["bank_user", "delegate_w2", "speaker_w4"])
def test_only_the_office_imports(register, persona, request, row_counts):
    user = request.getfixturevalue(persona)
    before = all_rows(row_counts)
    with pytest.raises(PermissionDenied):
        imported(actor=user)
    assert all_rows(row_counts) == before


def test_the_office_imports_and_is_named_in_the_history(register, office_user):
    report = imported(actor=office_user)
    assert MinutesSource.objects.get().imported_by == office_user
    assert Meeting.objects.get(pk=report.meeting_pk).history.first().history_user == office_user


def test_warnings_are_counted_on_the_source(register):
    parsed = session_16(findings=[Finding(WARNING, "Zeile 2: Datum „24.1.24“ als 24.01.2024 gelesen.", "Zeile 2", 1)])
    report = imported(parsed)
    assert MinutesSource.objects.get().warning_count == len(report.warnings) == 1
    assert report.source[1].level == WARNING


def test_the_transaction_is_left_clean_after_a_refusal(register):
    with transaction.atomic():
        parsed = session_16()
        parsed.items[6].number = "3"
        assert imported(parsed).refused
        assert imported().outcome == NEW
    assert Meeting.objects.filter(number=16).exists()


def test_the_source_is_read_only_in_the_admin(register, client):
    from django.urls import reverse

    from werkstatt.accounts.models import Role
    from werkstatt.accounts.services import user_create_or_reset

    imported()
    admin = user_create_or_reset(username="admin", password="Ein-sicheres-Passwort-1", role=Role.ADMIN)
    client.force_login(admin)
    source = MinutesSource.objects.get()
    assert client.get(reverse("admin:importers_minutessource_changelist")).status_code == 200
    assert client.get(reverse("admin:importers_minutessource_change", args=[source.pk])).status_code == 200
    assert client.get(reverse("admin:importers_minutessource_add")).status_code == 403


# --- the seed document end to end ---------------------------------------------------------------------------

SEED = Path(__file__).resolve().parent.parent / "werkstatt" / "demo" / "seeds" / "003_bc30d92c6853b0cf.txt"


def session_structure(meeting: Meeting) -> dict[str, Any]:
    """Everything the minutes say about a session, by value (names, not primary keys)."""

    def named(record: Any) -> str:
        return record.name if record is not None else ""

    items = []
    for item in meeting.agenda_items.order_by("order"):
        approves = item.approves_meeting
        items.append(
            {
                "number": item.number,
                "kind": item.kind,
                "title": item.title,
                "note": item.note,
                "result": item.result,
                "approves": (approves.number, approves.date, approves.minutes_state) if approves else None,
                "presenters": [
                    (
                        named(p.person) or p.group_label,
                        p.function,
                        named(p.organization),
                        p.organization_name,
                    )
                    for p in item.presenters.select_related("person", "organization")
                ],
                "projects": sorted(c.project.title for c in item.consultations.select_related("project")),
            }
        )
    return {
        "number": meeting.number,
        "date": meeting.date,
        "times": (meeting.start_time, meeting.end_time),
        "location": meeting.location.address_line if meeting.location else "",
        "municipality": meeting.location.municipality.name
        if meeting.location and meeting.location.municipality
        else "",
        "chair": (named(meeting.chair), meeting.chair_function),
        "minute_taker": (named(meeting.minute_taker), meeting.minute_taker_function),
        "files": sorted(f.name for f in meeting.files.all()),
        "states": (meeting.state, meeting.minutes_state),
        "items": items,
    }


def demo_session_16() -> dict[str, Any]:
    """The demo's 16th session, loaded in a savepoint that is rolled back."""
    from werkstatt.demo.loader import demo_load

    with transaction.atomic():
        demo_load()
        structure = session_structure(Meeting.objects.get(workshop__number=4, number=16))
        projects = {p.title: (p.state, p.lead_workshop.number) for p in Project.objects.select_related("lead_workshop")}
        transaction.set_rollback(True)
    return {"session": structure, "projects": projects}


def demo_without_session_16(*, projects: bool) -> Any:
    """The demo's pieces except the 16th session (and, unless ``projects``, the projects)."""
    from werkstatt.demo import data
    from werkstatt.demo.loader import _Loader

    geo_reference_data_load()
    loader = _Loader(None)
    loader.organizations()
    workshops = loader.workshops()
    loader.members(workshops[4])
    loader.persons_and_speaker(workshops[4])
    loader.session_15(workshops[4])
    loader.workshop_2_recommendation(workshops[2])
    if projects:
        loader._project(data.TELEMEDICINE, workshops)
        loader._project(data.WERTEGESELLSCHAFT, workshops)
    return loader


def import_seed(actor: Any, *, dry_run: bool = False) -> Any:
    from werkstatt.importers.minutes.services import minutes_import

    return minutes_import(
        content=SEED.read_bytes(), file_name=SEED.name, actor=actor, workshop_number=4, dry_run=dry_run
    )


def test_the_seed_imports_into_what_the_demo_holds(db, office_user):
    expected = demo_session_16()
    demo_without_session_16(projects=True)
    persons, organizations = Person.objects.count(), Organization.objects.count()
    report = import_seed(office_user)
    assert report.outcome == NEW, [f.message for f in report.errors]
    meeting = Meeting.objects.get(pk=report.meeting_pk)
    assert session_structure(meeting) == expected["session"]
    # Every person and organisation the seed names is in the demo: nothing new.
    assert (Person.objects.count(), Organization.objects.count()) == (persons, organizations)
    created = [(e.kind, e.label) for e in report.entities if e.action == CREATE]
    assert not [kind for kind, _label in created if kind in ("Person", "Organisation", "Projekt")]
    # The projects in the register are linked by consultations; WerteGesellschaft (lead: Werkstatt 4) is presented.
    projects = {p.title: (p.state, p.lead_workshop.number) for p in Project.objects.select_related("lead_workshop")}
    assert projects["WerteGesellschaft Lausitz"] == expected["projects"]["WerteGesellschaft Lausitz"]
    assert Consultation.objects.filter(meeting=meeting).count() == 2


def test_the_seed_creates_the_projects_the_register_lacks(db, office_user):
    demo_without_session_16(projects=False)
    persons, organizations = Person.objects.count(), Organization.objects.count()
    report = import_seed(office_user)
    assert report.outcome == NEW, [f.message for f in report.errors]
    assert (Person.objects.count(), Organization.objects.count()) == (persons, organizations)
    created = sorted(e.label for e in report.entities if e.action == CREATE and e.kind == "Projekt")
    assert created == sorted(Project.objects.values_list("title", flat=True))
    assert len(created) == 2
    stark = Project.objects.get(title="WerteGesellschaft Lausitz")
    assert (stark.instrument, stark.state, stark.presented_on) == ("stark", ProjectState.PRESENTED, SESSION_DATE)
    assert stark.sponsor.name == "Hochschule für nachhaltige Entwicklung Eberswalde"


def test_the_seed_dry_run_costs_a_fixed_number_of_queries_and_equals_the_commit(db, office_user, row_counts):
    demo_without_session_16(projects=True)
    before = all_rows(row_counts)
    with CaptureQueriesContext(connection) as captured:
        preview = import_seed(office_user, dry_run=True)
    assert all_rows(row_counts) == before
    report = import_seed(office_user)
    assert entities(preview) == entities(report)
    assert [f.message for f in preview.findings] == [f.message for f in report.findings]
    assert len(captured) < 400  # 283 when written: a budget, not a timing; the matching itself is four queries

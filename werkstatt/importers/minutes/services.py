"""Writing an imported document: the session, its agenda, presenters, results and projects, all or nothing.

``minutes_import`` reads and parses a file, ``minutes_import_parsed`` writes what the parser recognised.
Both run in one transaction: an error (in the document, or a rule of a service) rolls everything back
and the report says why; a dry run goes the same way to the end and then rolls back, so the preview is
exactly what the commit does.

- The same document (content hash) imported again: ``UNCHANGED``, nothing written.
- A session that does not exist yet: ``NEW``, created through the meetings services, marked as held,
  its minutes circulated, approved and published ("Importiert aus …").
- A session that came from an earlier import: ``UPDATED`` with the corrected version. Its minutes are
  approved, so the normal editing refuses; this explicit import path changes them anyway, never
  silently: every changed record gets a history row "Korrigierte Fassung importiert: …" and the report
  lists the changed fields. A session known only by number and date (created as the previous session
  of an imported one, or by hand without an agenda) is filled in the same way.
- A session that exists with an agenda but was not imported: ``REFUSED`` (the register wins).

The original file is kept as the session's source document (``MinutesSource``), not as a public
attachment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.core.dates import format_date
from werkstatt.core.richtext import sanitise_html
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.documents.models import File
from werkstatt.documents.services import file_create, fit_name
from werkstatt.documents.validators import base_name
from werkstatt.geo.models import Location
from werkstatt.geo.selectors import municipality_find_by_name
from werkstatt.geo.services import location_create
from werkstatt.importers.minutes.document import DocumentError, SourceDocument
from werkstatt.importers.minutes.matching import Candidates, guess_organization_kind, organization_key
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
from werkstatt.importers.minutes.report import (
    CHANGE,
    CREATE,
    MATCH,
    NEW,
    REFUSED,
    REMOVE,
    UNCHANGED,
    UPDATED,
    DocumentReport,
    PlannedEntity,
    source_lines,
)
from werkstatt.importers.models import MinutesSource
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter, Meeting
from werkstatt.meetings.services import (
    PresenterInput,
    agenda_item_create,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.services.core import presenter_row_create
from werkstatt.meetings.services.documents import minutes_document_archive_after_commit
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState, MinutesState
from werkstatt.organizations.models import Body, Organization, OrganizationKind, Person, Workshop
from werkstatt.organizations.services import body_get_or_create_default, organization_create, person_create
from werkstatt.projects.models import Consultation, ConsultationOutcome, Project
from werkstatt.projects.services import (
    consultation_create,
    consultation_record_outcome,
    project_create,
    project_transition,
)
from werkstatt.projects.workflow import FundingInstrument, ProjectState

MIME_TYPES = {
    "text": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Steps of the minutes from each state to "published".
_MINUTES_STEPS = (MinutesState.CIRCULATED, MinutesState.APPROVED, MinutesState.PUBLISHED)


class _Rollback(Exception):
    """Leave the transaction without storing anything (dry run, or errors found)."""


def _check_permission(actor: Any) -> None:
    if actor is not None and not rules.can_import_minutes(actor):
        raise PermissionDenied(_("Protokolle importiert die Geschäftsstelle."))


def _quoted(value: str) -> str:
    return f"„{value}“"


def _stated_function(person: ParsedPerson) -> str:
    """Function and organisation as the minutes state them for a chair or minute-taker."""
    return ", ".join(part for part in (person.function, person.organization) if part)


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


@dataclass
class _Importer:
    document: SourceDocument
    parsed: ParsedSession
    actor: Any
    report: DocumentReport
    findings: list[Finding]
    body: Body
    candidates: Candidates
    stored: list[File] = field(default_factory=list)  # files with content, removed again on a rollback
    reason: str = ""
    meeting: Meeting | None = None
    where: str = ""  # the place in the document being written, for an error's finding
    line: int | None = None
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    # --- the report --------------------------------------------------------------------------------

    def entity(self, kind: str, label: str, action: str, detail: str = "") -> None:
        key = (kind, label, action)
        if key in self._seen:
            return
        self._seen.add(key)
        self.report.entities.append(PlannedEntity(kind=kind, label=label, action=action, detail=detail))

    def warn(self, message: str, *, where: str = "", line: int | None = None) -> None:
        where = where or self.where
        line = line if line is not None else self.line
        prefix = f"{where}: " if where and not message.startswith(where) else ""
        self.findings.append(Finding(level=WARNING, message=prefix + message, where=where, line=line))

    def refuse(self, message: str) -> None:
        self.findings.append(Finding(level=ERROR, message=message))
        raise _Rollback

    @property
    def file_name(self) -> str:
        return self.document.file_name

    # --- the whole document ------------------------------------------------------------------------

    def run(self) -> None:
        workshop = self._workshop()
        if self.parsed.date is None:
            self.refuse(_("Das Datum der Sitzung ist nicht zu erkennen; ohne Datum wird nichts importiert."))
        existing = self._existing_meeting(workshop)
        if existing is None:
            self.report.outcome = NEW
            self.reason = _("Importiert aus %(file)s") % {"file": self.file_name}
            meeting = self._create_meeting(workshop)
        else:
            imported = existing.minutes_sources.exists()
            if not imported and existing.agenda_items.exists():
                self.refuse(
                    _(
                        "Die %(meeting)s ist bereits in Werkstatt erfasst und wurde nicht importiert; "
                        "ein Import überschreibt keine Sitzung, die in Werkstatt geführt wird. Ergänzen Sie "
                        "das Protokoll dort, oder löschen Sie die Sitzung, bevor Sie das Dokument importieren."
                    )
                    % {"meeting": existing.title}
                )
            self.report.outcome = UPDATED
            self.reason = (
                _("Korrigierte Fassung importiert: %(file)s") if imported else _("Importiert aus %(file)s")
            ) % {"file": self.file_name}
            meeting = self._update_meeting(existing, imported=imported)
        self.report.meeting_label = meeting.title
        self._publish(meeting)
        self._source(meeting)

    def _workshop(self) -> Workshop:
        number = self.parsed.workshop_number
        workshop = self.candidates.workshop(number, self.parsed.workshop_name)
        if workshop is not None:
            return workshop
        if number is not None:
            self.refuse(_("Eine Werkstatt %(n)s gibt es nicht.") % {"n": number})
        self.refuse(
            _(
                "Zu welcher Werkstatt die Sitzung gehört, ist im Dokument nicht zu erkennen; bitte geben Sie "
                "die Nummer der Werkstatt beim Import an."
            )
        )
        raise AssertionError  # pragma: no cover - refuse raised

    def _existing_meeting(self, workshop: Workshop) -> Meeting | None:
        date = self.parsed.date
        assert date is not None  # noqa: S101 - checked in run()
        meetings = Meeting.objects.select_related("workshop").filter(workshop=workshop)
        if self.parsed.number is not None:
            found = meetings.filter(number=self.parsed.number).first()
            if found is not None:
                return found
            # A session known by its date only (e.g. named in another workshop's minutes).
            return meetings.filter(number=None, date=date).first()
        return meetings.filter(date=date).order_by("pk").first()

    # --- places, persons, organisations --------------------------------------------------------------

    def _location(self, place: ParsedPlace | None) -> Location | None:
        if place is None:
            return None
        values = {
            "description": normalise_text(place.description),
            "street_address": normalise_text(place.street_address),
            "postal_code": place.postal_code.strip(),
            "locality": normalise_text(place.locality),
        }
        if place.online:
            values = {
                "description": values["description"] or _("Online"),
                "street_address": "",
                "postal_code": "",
                "locality": "",
            }
        elif not (values["description"] or values["street_address"] or values["locality"]):
            if not normalise_text(place.raw):
                return None
            values["description"] = normalise_text(place.raw)[:200]
        existing = Location.objects.filter(room="", **values).order_by("pk").first()
        probe = Location(**values)
        if existing is not None:
            self.entity(_("Ort"), existing.address_line, MATCH)
            return existing
        municipality = municipality_find_by_name(values["locality"]) if values["locality"] else None
        location = location_create(actor=self.actor, municipality=municipality, **values)
        detail = (
            _("Gemeinde %(name)s") % {"name": municipality.display_name}
            if municipality is not None
            else (_("Videokonferenz") if place.online else _("keine Gemeinde der Referenzdaten"))
        )
        self.entity(_("Ort"), probe.address_line, CREATE, detail)
        return location

    def _organization(self, name: str, *, create: bool) -> Organization | None:
        name = normalise_text(name)
        if not name:
            return None
        organization = self.candidates.organization(name)
        if organization is not None:
            detail = "" if organization.name == name else _("als %(name)s") % {"name": _quoted(organization.name)}
            self.entity(_("Organisation"), name, MATCH, detail)
            return organization
        if not create:
            return None
        kind = guess_organization_kind(name)
        organization = organization_create(actor=self.actor, body=self.body, name=name, kind=kind)
        self.candidates.add_organization(organization)
        self.entity(_("Organisation"), name, CREATE, str(OrganizationKind(kind).label))
        return organization

    def _person(self, parsed: ParsedPerson) -> Person | None:
        """The person the minutes name: matched, or created with their organisation; ``None`` for a group."""
        if parsed.group_label:
            return None
        person = self.candidates.person(parsed)
        stated = normalise_text(parsed.name) or normalise_text(parsed.raw)
        if person is not None:
            if self.candidates.person_is_ambiguous(parsed):
                self.warn(
                    _("Mehrere Personen heißen %(name)s; zugeordnet wurde %(person)s (Nr. %(pk)s).")
                    % {"name": _quoted(stated), "person": _quoted(person.name), "pk": person.pk}
                )
            detail = "" if person.name == stated else _("als %(name)s") % {"name": _quoted(person.name)}
            self.entity(_("Person"), stated, MATCH, detail)
            return person
        if not normalise_text(parsed.given_name) or not normalise_text(parsed.family_name):
            self.warn(
                _("%(name)s ist nicht als Vor- und Nachname zu erkennen; der Name wird wie genannt übernommen.")
                % {"name": _quoted(stated)}
            )
            return None
        organization = self._organization(parsed.organization, create=True)
        person = person_create(
            actor=self.actor,
            body=self.body,
            title=parsed.title,
            given_name=parsed.given_name,
            family_name=parsed.family_name,
            function=parsed.function,
            organization=organization,
        )
        self.candidates.add_person(person)
        detail = ", ".join(part for part in (parsed.function, organization.name if organization else "") if part)
        self.entity(_("Person"), person.name, CREATE, detail)
        return person

    def _presenter(self, parsed: ParsedPerson) -> PresenterInput:
        if parsed.group_label:
            return PresenterInput(group_label=parsed.group_label)
        person = self._person(parsed)
        if person is None:
            # Not a recognisable name: kept as written, like a group, so that nothing is lost.
            return PresenterInput(group_label=normalise_text(parsed.raw) or normalise_text(parsed.name))
        organization = self._organization(parsed.organization, create=False) or person.organization
        return PresenterInput(
            person=person,
            function=parsed.function,
            organization=organization,
            organization_name=parsed.organization,
        )

    # --- the session -----------------------------------------------------------------------------------

    def _attachments(self) -> list[File]:
        files = []
        for name in self.parsed.attachments:
            files.append(file_create(actor=self.actor, name=name))
            self.entity(_("Datei"), normalise_text(name), CREATE, _("Anlage, nur dem Namen nach bekannt"))
        return files

    def _create_meeting(self, workshop: Workshop) -> Meeting:
        parsed = self.parsed
        assert parsed.date is not None  # noqa: S101 - checked in run()
        location = self._location(parsed.place)
        chair = self._person(parsed.chair) if parsed.chair else None
        taker = self._person(parsed.minute_taker) if parsed.minute_taker else None
        meeting = meeting_create(
            actor=self.actor,
            workshop=workshop,
            number=parsed.number,
            date=parsed.date,
            start_time=parsed.start_time,
            end_time=parsed.end_time,
            location=location,
            chair=chair,
            chair_function=_stated_function(parsed.chair) if parsed.chair and chair else "",
            minute_taker=taker,
            minute_taker_function=_stated_function(parsed.minute_taker) if parsed.minute_taker and taker else "",
            files=self._attachments(),
        )
        self.meeting = meeting
        self.entity(_("Sitzung"), meeting.title, CREATE, self._session_detail(meeting))
        meeting = meeting_transition(actor=self.actor, meeting=meeting, target=MeetingState.HELD)
        for order, item in enumerate(parsed.items, start=1):
            self._at(item)
            approves = self._approved_meeting(meeting, item)
            created = agenda_item_create(
                actor=self.actor,
                meeting=meeting,
                number=item.number,
                title=item.title,
                note=item.note,
                kind=self._kind(item, approves),
                approves_meeting=approves,
                result=item.result,
                presenters=[self._presenter(p) for p in item.presenters],
                order=order,
            )
            self.entity(_("TOP"), str(created), CREATE, self._presenters_detail(created))
            self._projects(meeting, created, item)
        self._at(None)
        return meeting

    @staticmethod
    def _session_detail(meeting: Meeting) -> str:
        parts = [format_date(meeting.date)]
        if meeting.start_time:
            parts.append(f"{meeting.start_time:%H:%M} Uhr")
        return ", ".join(parts)

    @staticmethod
    def _presenters_detail(item: AgendaItem) -> str:
        return "; ".join(presenter.display for presenter in item.presenters.select_related("person"))

    def _at(self, item: ParsedItem | None) -> None:
        self.where = (item.where or f"TOP {item.number}") if item is not None else ""
        self.line = item.line if item is not None else None

    def _kind(self, item: ParsedItem, approves: Meeting | None) -> str:
        if item.kind == AgendaItemKind.MINUTES_APPROVAL and approves is None:
            return AgendaItemKind.ORDINARY
        if item.kind != AgendaItemKind.MINUTES_APPROVAL and approves is not None:
            return AgendaItemKind.MINUTES_APPROVAL
        return item.kind

    # --- the previous session, whose minutes this one approved --------------------------------------

    def _approved_meeting(self, meeting: Meeting, item: ParsedItem) -> Meeting | None:
        number, date = item.approves_number, item.approves_date
        if number is None and date is None:
            if item.kind == AgendaItemKind.MINUTES_APPROVAL:
                self.warn(
                    _(
                        "Welche Sitzung das bestätigte Protokoll hatte, ist nicht zu erkennen; "
                        "der TOP wird ohne Bezug übernommen."
                    )
                )
            return None
        others = Meeting.objects.select_related("workshop").filter(workshop=meeting.workshop).exclude(pk=meeting.pk)
        found = None
        if number is not None:
            found = others.filter(number=number).first()
            if found is None and date is not None:
                found = others.filter(number=None, date=date).order_by("pk").first()
        elif date is not None:
            found = others.filter(date=date).order_by("pk").first()
        if found is None:
            return self._create_previous(meeting, number, date)
        if date is not None and found.date != date:
            self.warn(
                _("Die %(meeting)s ist mit dem Datum %(known)s erfasst; das Protokoll nennt den %(stated)s.")
                % {"meeting": found.title, "known": format_date(found.date), "stated": format_date(date)}
            )
        self._approve(found, meeting, item)
        return found

    def _create_previous(self, meeting: Meeting, number: int | None, date: dt.date | None) -> Meeting | None:
        if date is None:
            self.warn(
                _(
                    "Die %(n)s. Sitzung, deren Protokoll bestätigt wird, ist nicht erfasst, und das Protokoll nennt "
                    "ihr Datum nicht; der TOP wird ohne Bezug übernommen."
                )
                % {"n": number}
            )
            return None
        previous = meeting_create(actor=self.actor, workshop=meeting.workshop, number=number, date=date)
        meeting_transition(actor=self.actor, meeting=previous, target=MeetingState.HELD)
        meeting_minutes_transition(
            actor=self.actor, meeting=previous, target=MinutesState.CIRCULATED, reason=self.reason
        )
        previous = meeting_minutes_transition(
            actor=self.actor, meeting=previous, target=MinutesState.APPROVED, reason=self._approved_reason(meeting)
        )
        detail = _("nur Nummer und Datum bekannt") if number else _("nur das Datum bekannt")
        self.entity(_("Sitzung"), previous.title, CREATE, f"{detail}; {_('Protokoll bestätigt')}")
        return previous

    def _approved_reason(self, meeting: Meeting) -> str:
        return _("Bestätigt in: %(meeting)s") % {"meeting": meeting.title}

    def _approve(self, previous: Meeting, meeting: Meeting, item: ParsedItem) -> None:
        if previous.minutes_state in LOCKED_MINUTES_STATES:
            self.entity(_("Sitzung"), previous.title, MATCH, _("Protokoll bereits bestätigt"))
            return
        if previous.state == MeetingState.HELD and previous.minutes_state == MinutesState.CIRCULATED:
            meeting_minutes_transition(
                actor=self.actor,
                meeting=previous,
                target=MinutesState.APPROVED,
                reason=self._approved_reason(meeting),
            )
            self.entity(_("Sitzung"), previous.title, CHANGE, _("Protokoll bestätigt"))
            return
        self.entity(_("Sitzung"), previous.title, MATCH)
        state = (
            _("ist nicht als durchgeführt erfasst")
            if previous.state != MeetingState.HELD
            else _("ist noch nicht an die Mitglieder versandt")
        )
        self.warn(
            _(
                "Das Protokoll der %(meeting)s %(state)s; es wird nicht als bestätigt markiert. "
                "Bitte prüfen Sie die Sitzung."
            )
            % {"meeting": previous.title, "state": state}
        )

    # --- projects ---------------------------------------------------------------------------------------

    def _projects(self, meeting: Meeting, item: AgendaItem, parsed: ParsedItem) -> None:
        for mentioned in parsed.projects:
            project = self.candidates.project(mentioned.title)
            if project is not None:
                self.entity(_("Projekt"), project.title, MATCH, str(project.get_state_display()))
                consultation = self._consultation(project, meeting, item)
                self._decide(project, consultation, item, mentioned)
            else:
                self._new_project(meeting, item, parsed, mentioned)

    def _consultation(self, project: Project, meeting: Meeting, item: AgendaItem) -> Consultation:
        consultation = Consultation.objects.filter(project=project, meeting=meeting).first()
        label = f"{project.title} – {meeting.title}"
        if consultation is not None:
            self.entity(_("Beratung"), label, MATCH)
            return consultation
        consultation = consultation_create(actor=self.actor, project=project, meeting=meeting, agenda_item=item)
        detail = _("TOP %(n)s, federführend") if consultation.authoritative else _("TOP %(n)s")
        self.entity(_("Beratung"), label, CREATE, detail % {"n": item.number})
        return consultation

    def _decide(self, project: Project, consultation: Consultation, item: AgendaItem, mentioned: ParsedProject) -> None:
        """The outcome the minutes state, or the presentation in the lead workshop; a refusal is a warning."""
        meeting = consultation.meeting
        try:
            with transaction.atomic():
                if mentioned.outcome and not consultation.outcome:
                    consultation_record_outcome(actor=self.actor, consultation=consultation, outcome=mentioned.outcome)
                    self.entity(
                        _("Projekt"),
                        project.title,
                        CHANGE,
                        _("Ergebnis: %(o)s") % {"o": ConsultationOutcome(mentioned.outcome).label},
                    )
                elif (
                    consultation.authoritative
                    and item.kind == AgendaItemKind.PROJECT_PRESENTATION
                    and project.state in (ProjectState.QUALIFICATION, ProjectState.DEFERRED)
                ):
                    project_transition(
                        actor=self.actor,
                        project=project,
                        target=ProjectState.PRESENTED,
                        decision_date=meeting.date,
                        note=_("Vorgestellt in der %(meeting)s") % {"meeting": meeting},
                        consultation=consultation,
                    )
                    self.entity(_("Projekt"), project.title, CHANGE, str(ProjectState.PRESENTED.label))
        except ValidationError as error:
            self.warn(
                _("Projekt %(title)s: %(message)s")
                % {"title": _quoted(project.title), "message": " ".join(_error_messages(error))}
            )

    def _new_project(self, meeting: Meeting, item: AgendaItem, parsed: ParsedItem, mentioned: ParsedProject) -> None:
        first = next((p for p in parsed.presenters if not p.group_label), None)
        contact = self.candidates.person(first) if first is not None else None
        sponsor = None
        if first is not None and contact is not None:
            sponsor = self._organization(first.organization, create=True) or contact.organization
        if contact is None or sponsor is None:
            self.warn(
                _(
                    "Das Projekt %(title)s ist nicht im Projektregister; ohne vortragende Person mit Organisation "
                    "ist kein Projektträger bekannt, das Projekt wird nicht angelegt."
                )
                % {"title": _quoted(mentioned.title)}
            )
            return
        lead = meeting.workshop
        if mentioned.lead_workshop is not None:
            stated = self.candidates.workshop(mentioned.lead_workshop)
            if stated is None:
                self.warn(
                    _("Die federführende Werkstatt %(n)s gibt es nicht; federführend ist diese Werkstatt.")
                    % {"n": mentioned.lead_workshop}
                )
            else:
                lead = stated
        instrument = mentioned.instrument if mentioned.instrument in FundingInstrument.values else ""
        project = project_create(
            actor=self.actor,
            body=self.body,
            state=ProjectState.SUBMITTED,
            title=mentioned.title,
            sponsor=sponsor,
            contact=contact,
            lead_workshop=lead,
            instrument=instrument or FundingInstrument.OTHER,
            note=self.reason,
        )
        self.candidates.add_project(project)
        project = project_transition(
            actor=self.actor,
            project=project,
            target=ProjectState.QUALIFICATION,
            note=self._lead_note(mentioned, lead),
        )
        details = [
            _("Träger %(name)s") % {"name": _quoted(sponsor.name)},
            _("federführend %(w)s") % {"w": lead.label},
            str(FundingInstrument(project.instrument).label),
        ]
        self.entity(_("Projekt"), project.title, CREATE, ", ".join(details))
        consultation = self._consultation(project, meeting, item)
        self._decide(project, consultation, item, mentioned)

    @staticmethod
    def _lead_note(mentioned: ParsedProject, lead: Workshop) -> str:
        if not mentioned.lead_outcome and mentioned.lead_date is None:
            return ""
        outcome = (
            str(ConsultationOutcome(mentioned.lead_outcome).label)
            if mentioned.lead_outcome in ConsultationOutcome.values
            else mentioned.lead_outcome
        )
        when = _(" am %(date)s") % {"date": format_date(mentioned.lead_date)} if mentioned.lead_date else ""
        text = _("Laut Protokoll%(when)s in der federführenden %(workshop)s vorgestellt") % {
            "when": when,
            "workshop": lead.label,
        }
        return f"{text}: {outcome}." if outcome else f"{text}."

    # --- a corrected version ----------------------------------------------------------------------------

    def _update_meeting(self, meeting: Meeting, *, imported: bool) -> Meeting:
        parsed = self.parsed
        self.meeting = meeting
        if meeting.state == MeetingState.CANCELLED:
            self.refuse(
                _("Die %(meeting)s ist als abgesagt erfasst; ein Protokoll wird dazu nicht importiert.")
                % {"meeting": meeting.title}
            )
        location = self._location(parsed.place)
        chair = self._person(parsed.chair) if parsed.chair else None
        taker = self._person(parsed.minute_taker) if parsed.minute_taker else None
        wanted: dict[str, tuple[str, Any]] = {
            "date": (_("Datum"), parsed.date),
            "start_time": (_("Beginn"), parsed.start_time),
            "end_time": (_("Ende"), parsed.end_time),
            "location_id": (_("Ort"), location.pk if location else None),
            "chair_id": (_("Sitzungsleitung"), chair.pk if chair else None),
            "chair_function": (
                _("Funktion der Sitzungsleitung"),
                normalise_text(_stated_function(parsed.chair)) if parsed.chair and chair else "",
            ),
            "minute_taker_id": (_("Protokollant/in"), taker.pk if taker else None),
            "minute_taker_function": (
                _("Funktion der Protokollführung"),
                normalise_text(_stated_function(parsed.minute_taker)) if parsed.minute_taker and taker else "",
            ),
        }
        if parsed.number is not None:
            wanted["number"] = (_("Sitzungsnummer"), parsed.number)
        changed = [label for name, (label, value) in wanted.items() if getattr(meeting, name) != value]
        for name, (_label, value) in wanted.items():
            setattr(meeting, name, value)
        if changed:
            meeting = save_validated(meeting, actor=self.actor, reason=self.reason)
        attachments = self._missing_attachments(meeting)
        if attachments:
            changed.append(_("Anlagen"))
        if meeting.state != MeetingState.HELD:
            meeting = meeting_transition(actor=self.actor, meeting=meeting, target=MeetingState.HELD)
            changed.append(_("Status"))
        detail = ", ".join(str(label) for label in changed)
        if imported or changed:
            self.entity(_("Sitzung"), meeting.title, CHANGE if changed else MATCH, detail)
        self._update_items(meeting)
        return meeting

    def _missing_attachments(self, meeting: Meeting) -> list[File]:
        known = {organization_key(name) for name in meeting.files.values_list("name", flat=True)}
        files = []
        for name in self.parsed.attachments:
            if organization_key(name) in known:
                continue
            files.append(file_create(actor=self.actor, name=name))
            self.entity(_("Datei"), normalise_text(name), CREATE, _("Anlage, nur dem Namen nach bekannt"))
        if files:
            meeting.files.add(*files)
        return files

    def _update_items(self, meeting: Meeting) -> None:
        existing = {item.number: item for item in meeting.agenda_items.prefetch_related("presenters")}
        wanted = {item.number.strip() for item in self.parsed.items}
        for number, item in list(existing.items()):
            if number not in wanted:
                self._delete_item(item)
                del existing[number]
        original = {item.pk: item.order for item in existing.values()}
        final = {item.number.strip(): order for order, item in enumerate(self.parsed.items, start=1)}
        moving = [item.pk for number, item in existing.items() if item.order != final[number]]
        if moving:
            # The unique (meeting, order) constraint is checked per statement: park the moving items first;
            # each is saved at its place below (with a history row).
            AgendaItem.objects.filter(pk__in=moving).update(order=F("order") + 1000)
        for order, parsed in enumerate(self.parsed.items, start=1):
            self._at(parsed)
            approves = self._approved_meeting(meeting, parsed)
            known = existing.get(parsed.number.strip())
            if known is None:
                item = self._create_item(meeting, parsed, approves, order)
            else:
                item = self._update_item(known, parsed, approves, order, moved=original[known.pk] != order)
            self._projects(meeting, item, parsed)
        self._at(None)

    def _delete_item(self, item: AgendaItem) -> None:
        label = str(item)
        for presenter in item.presenters.all():
            self._delete(presenter)
        try:
            with transaction.atomic():
                self._delete(item)
        except ProtectedError:
            self.refuse(
                _(
                    "%(item)s ist in der neuen Fassung nicht mehr enthalten, hat aber eine Berichtigung; "
                    "er kann nicht entfernt werden."
                )
                % {"item": label}
            )
        self.entity(_("TOP"), label, REMOVE)

    def _delete(self, instance: AgendaItem | AgendaItemPresenter) -> None:
        if getattr(self.actor, "is_authenticated", False):
            instance._history_user = self.actor  # type: ignore[union-attr]
        instance._change_reason = self.reason  # type: ignore[union-attr]
        instance.delete()

    def _create_item(self, meeting: Meeting, parsed: ParsedItem, approves: Meeting | None, order: int) -> AgendaItem:
        # Written directly: agenda_item_create refuses approved minutes, which this import path may change.
        item = save_validated(
            AgendaItem(
                meeting=meeting,
                order=order,
                number=parsed.number.strip(),
                title=normalise_text(parsed.title),
                note=normalise_text(parsed.note),
                kind=self._kind(parsed, approves),
                approves_meeting=approves,
                result=sanitise_html(normalise_text(parsed.result)),
            ),
            actor=self.actor,
            reason=self.reason,
        )
        for position, presenter in enumerate(parsed.presenters, start=1):
            presenter_row_create(actor=self.actor, item=item, order=position, presenter=self._presenter(presenter))
        self.entity(_("TOP"), str(item), CREATE, self._presenters_detail(item))
        return item

    def _update_item(
        self, item: AgendaItem, parsed: ParsedItem, approves: Meeting | None, order: int, *, moved: bool
    ) -> AgendaItem:
        values: dict[str, tuple[str, Any]] = {
            "title": (_("Titel"), normalise_text(parsed.title)),
            "note": (_("Erläuterung"), normalise_text(parsed.note)),
            "kind": (_("Art"), self._kind(parsed, approves)),
            "approves_meeting_id": (_("bestätigtes Protokoll"), approves.pk if approves else None),
            "result": (_("Ergebnis"), sanitise_html(normalise_text(parsed.result))),
        }
        changed = [str(label) for name, (label, value) in values.items() if getattr(item, name) != value]
        presenters = [self._presenter(p) for p in parsed.presenters]
        rows = [self._presenter_key_of_row(row) for row in item.presenters.all()]
        presenters_changed = rows != [self._presenter_key(p) for p in presenters]
        if item.result != values["result"][1]:
            item.result_version += 1
        for name, (_label, value) in values.items():
            setattr(item, name, value)
        item.order = order
        if changed or moved:
            save_validated(item, actor=self.actor, reason=self.reason)
        if presenters_changed:
            for row in item.presenters.all():
                self._delete(row)
            for position, presenter in enumerate(presenters, start=1):
                presenter_row_create(actor=self.actor, item=item, order=position, presenter=presenter)
            changed.append(str(_("Vortragende")))
        if moved:
            changed.append(str(_("Reihenfolge")))
        self.entity(_("TOP"), str(item), CHANGE if changed else MATCH, ", ".join(changed))
        return item

    @staticmethod
    def _presenter_key(p: PresenterInput) -> tuple[Any, ...]:
        return (
            p.person.pk if p.person else None,
            normalise_text(p.group_label),
            normalise_text(p.function),
            p.organization.pk if p.organization else None,
            normalise_text(p.organization_name),
        )

    @staticmethod
    def _presenter_key_of_row(row: AgendaItemPresenter) -> tuple[Any, ...]:
        return (row.person_id, row.group_label, row.function, row.organization_id, row.organization_name)

    # --- the end: published minutes and the source document ----------------------------------------------

    def _publish(self, meeting: Meeting) -> None:
        meeting.refresh_from_db(fields=["minutes_state", "state"])
        current = meeting.minutes_state
        if current == MinutesState.PUBLISHED:
            # A corrected version of published minutes: a new version of the stored PDF after the commit (none
            # in a dry run, which rolls back). Publishing below stores the first one the same way.
            minutes_document_archive_after_commit(actor=self.actor, meeting=meeting, reason=self.reason)
            return
        start = 0 if current == MinutesState.DRAFT else _MINUTES_STEPS.index(MinutesState(current)) + 1
        for step in _MINUTES_STEPS[start:]:
            meeting_minutes_transition(actor=self.actor, meeting=meeting, target=step, reason=self.reason)

    def _source(self, meeting: Meeting) -> None:
        document = self.document
        stored = file_create(
            actor=self.actor,
            name=fit_name(_("Originalprotokoll: %(file)s") % {"file": document.file_name}),
            content=document.content,
            file_name=fit_name(base_name(document.file_name) or "protokoll"),
            mime_type=MIME_TYPES.get(document.format, ""),
            public=False,
            text=document.text,
        )
        self.stored.append(stored)
        warnings = sum(1 for finding in self.findings if finding.level == WARNING)
        save_validated(
            MinutesSource(
                meeting=meeting,
                file=stored,
                sha512=document.sha512,
                file_name=fit_name(document.file_name),
                format=document.format,
                imported_by=self.actor if getattr(self.actor, "is_authenticated", False) else None,
                warning_count=warnings,
            ),
            actor=self.actor,
            reason=self.reason,
        )
        self.entity(
            _("Datei"),
            document.file_name,
            CREATE,
            _("Originaldokument, Format %(format)s, nicht öffentlich") % {"format": document.format_label},
        )


def _refused(report: DocumentReport, document: SourceDocument, findings: list[Finding]) -> DocumentReport:
    report.outcome = REFUSED
    report.findings = findings
    report.entities = []
    report.meeting_pk = None
    report.committed = False
    report.source = source_lines(document, findings)
    return report


def minutes_import_parsed(
    *,
    document: SourceDocument,
    parsed: ParsedSession,
    actor: Any,
    dry_run: bool = False,
    body: Body | None = None,
) -> DocumentReport:
    """Write what the parser recognised in ``document``, all or nothing; a dry run rolls back at the end."""
    _check_permission(actor)
    report = DocumentReport(
        file_name=document.file_name,
        dry_run=dry_run,
        format_label=document.format_label,
        sha512=document.sha512,
        parsed=parsed,
    )
    findings = [*document.notes, *parsed.findings]
    earlier = (
        MinutesSource.objects.select_related("meeting__workshop")
        .filter(sha512=document.sha512)
        .order_by("-created", "-pk")
        .first()
    )
    if earlier is not None:
        report.outcome = UNCHANGED
        report.findings = findings
        report.meeting_pk = earlier.meeting_id
        report.meeting_label = earlier.meeting.title
        report.entities = [
            PlannedEntity(
                kind=_("Sitzung"),
                label=earlier.meeting.title,
                action=MATCH,
                detail=_("bereits importiert aus %(file)s am %(date)s")
                % {"file": _quoted(earlier.file_name), "date": format_date(earlier.created.date())},
            )
        ]
        report.source = source_lines(document, findings)
        return report
    if any(finding.level == ERROR for finding in findings):
        return _refused(report, document, findings)
    body = body or body_get_or_create_default()
    importer: _Importer | None = None
    try:
        with transaction.atomic():
            importer = _Importer(
                document=document,
                parsed=parsed,
                actor=actor,
                report=report,
                findings=findings,
                body=body,
                candidates=Candidates.load(body),
            )
            importer.run()
            if dry_run or any(finding.level == ERROR for finding in findings):
                raise _Rollback
            report.committed = True
            report.meeting_pk = importer.meeting.pk if importer.meeting else None
    except _Rollback:
        pass
    except ValidationError as error:
        where = importer.where if importer else ""
        line = importer.line if importer else None
        for message in _error_messages(error):
            text = f"{where}: {message}" if where else message
            findings.append(Finding(level=ERROR, message=text, where=where, line=line))
    except IntegrityError as error:
        findings.append(
            Finding(level=ERROR, message=_("Die Datenbank hat den Import abgelehnt: %(detail)s") % {"detail": error})
        )
    finally:
        if importer is not None and not report.committed:
            for stored in importer.stored:
                stored.file.delete(save=False)
    if any(finding.level == ERROR for finding in findings):
        return _refused(report, document, findings)
    if dry_run and report.outcome == UPDATED and importer is not None and importer.meeting is not None:
        report.meeting_pk = importer.meeting.pk
    report.findings = findings
    report.source = source_lines(document, findings)
    return report


def minutes_import(
    *,
    content: bytes,
    file_name: str,
    actor: Any,
    workshop_number: int | None = None,
    dry_run: bool = False,
) -> DocumentReport:
    """Read, parse and write one document of result minutes; see the module's docstring."""
    from werkstatt.importers.minutes import parser, readers

    _check_permission(actor)
    try:
        document = readers.read_document(content, file_name)
    except DocumentError as error:
        report = DocumentReport(
            file_name=file_name, dry_run=dry_run, sha512=hashlib.sha512(content).hexdigest(), outcome=REFUSED
        )
        report.findings = [Finding(level=ERROR, message=" ".join(error.messages))]
        return report
    parsed = parser.parse_document(document, workshop_number=workshop_number)
    return minutes_import_parsed(document=document, parsed=parsed, actor=actor, dry_run=dry_run)

"""Werkstatt's records as OParl 1.1 objects (dicts ready for JSON).

The rules of the specification that the schemas do not check are kept here, in one place:
- ``id`` is the canonical URL below ``WERKSTATT_BASE_URL`` (the same whichever host name a request used);
- ``created`` and ``modified`` are local date-times with the Europe/Berlin offset (``2024-01-24T14:10:00+01:00``),
  dates are ``yyyy-mm-dd``;
- an optional field without a value is left out (never ``null``, ``""`` or ``[]``);
- fields OParl has no word for carry the vendor prefix ``werkstatt:`` (docs/oparl.md lists them).
Only what the public pages show is written: the querysets come from ``oparl.selectors``, and the minutes'
results, participants and the project's money and contact are added only where the rules allow it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from werkstatt.accounts import rules
from werkstatt.core.richtext import html_to_lines
from werkstatt.documents.models import File
from werkstatt.geo.models import Location
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
from werkstatt.meetings.selectors import meeting_shows_public_minutes
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState
from werkstatt.oparl import selectors as s
from werkstatt.oparl.selectors import PUBLIC, OParlType, Source, Tombstone
from werkstatt.organizations.models import (
    Body,
    LegislativeTerm,
    Membership,
    Organization,
    OrganizationKind,
    Person,
    Workshop,
)
from werkstatt.projects.models import Consultation, Project

SCHEMA = "https://schema.oparl.org/1.1/"
VENDOR = "werkstatt:"
OPARL_PREFIX = "/oparl/v1.1/"

# Organisation kinds as OParl's organizationType and classification (DESIGN.md: workshops are "Werkstatt").
ORGANIZATION_TYPES: dict[str, str] = {
    OrganizationKind.CHANCELLERY: "Verwaltungsbereich",
    OrganizationKind.WORKING_GROUP: "externes Gremium",
}
MEMBER_INSTITUTION = "Institution"


def oparl_datetime(value: dt.datetime) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def oparl_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def compact(obj: dict[str, Any]) -> dict[str, Any]:
    """Leave out what has no value: OParl forbids ``null``, ``""`` and ``[]`` for optional fields."""
    return {k: v for k, v in obj.items() if v is not None and v != "" and v != [] and v != {}}


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


@dataclass(frozen=True)
class Urls:
    """Canonical addresses: the API's, and the public pages' (``web``)."""

    base: str

    @classmethod
    def from_settings(cls) -> Urls:
        return cls(base=settings.WERKSTATT_BASE_URL.rstrip("/"))

    def absolute(self, path: str) -> str:
        return f"{self.base}{path}"

    def system(self) -> str:
        return self.absolute(reverse("oparl:system"))

    def body_list(self) -> str:
        return self.absolute(reverse("oparl:body-list"))

    def body_sublist(self, body_pk: int, segment: str) -> str:
        return self.absolute(reverse("oparl:body-sublist", args=[body_pk, segment]))

    def object(self, segment: str, key: str) -> str:
        if segment == "body":
            return self.absolute(reverse("oparl:body", args=[int(key)]))
        return self.absolute(reverse("oparl:object", args=[segment, key]))

    def of(self, source: Source, pk: int) -> str:
        return self.object(SEGMENT_OF_SOURCE[id(source)], source.key(pk))

    def web(self, name: str, *args: Any) -> str:
        return self.absolute(reverse(name, args=args))


SEGMENT_OF_SOURCE: dict[int, str] = {id(src): t.segment for t in s.TYPES.values() for src in t.sources}
TYPE_OF_SOURCE: dict[int, OParlType] = {id(src): t for t in s.TYPES.values() for src in t.sources}


def _head(urls: Urls, source: Source, obj: Any) -> dict[str, Any]:
    oparl_type = TYPE_OF_SOURCE[id(source)]
    return {
        "id": urls.of(source, obj.pk),
        "type": oparl_type.schema,
    }


def _dates(obj: Any) -> dict[str, str]:
    modified = getattr(obj, "oparl_modified", None) or obj.modified
    return {"created": oparl_datetime(obj.created), "modified": oparl_datetime(max(modified, obj.created))}


def tombstone(urls: Urls, item: Tombstone) -> dict[str, Any]:
    oparl_type = TYPE_OF_SOURCE[id(item.source)]
    return {
        "id": urls.of(item.source, item.pk),
        "type": oparl_type.schema,
        "created": oparl_datetime(item.created),
        "modified": oparl_datetime(max(item.modified, item.created)),
        "deleted": True,
    }


# --- System and Body ---------------------------------------------------------------------------------------------


def system(urls: Urls) -> dict[str, Any]:
    span = Body.objects.aggregate(created=Min("created"), modified=Max("modified"))
    now = timezone.now()
    return compact(
        {
            "id": urls.system(),
            "type": f"{SCHEMA}System",
            "oparlVersion": SCHEMA,
            "license": getattr(settings, "WERKSTATT_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0"),
            "body": urls.body_list(),
            "name": f"Werkstatt – {settings.WERKSTATT_BODY_NAME}",
            "contactEmail": settings.DEFAULT_FROM_EMAIL,
            "contactName": settings.WERKSTATT_BODY_NAME,
            "website": urls.web("portal:home"),
            "web": urls.web("portal:home"),
            "created": oparl_datetime(span["created"] or now),
            "modified": oparl_datetime(span["modified"] or now),
        }
    )


def legislative_term(urls: Urls, term: LegislativeTerm) -> dict[str, Any]:
    return compact(
        {
            **_head(urls, s.LEGISLATIVE_TERM, term),
            "body": urls.object("body", str(term.body_id)),
            "name": term.name,
            "startDate": oparl_date(term.start_date),
            "endDate": oparl_date(term.end_date),
            **_dates(term),
        }
    )


def body(urls: Urls, obj: Body) -> dict[str, Any]:
    data = {
        **_head(urls, s.BODY, obj),
        "system": urls.system(),
        "name": obj.name,
        "shortName": obj.short_name,
        "website": obj.website,
        "license": getattr(settings, "WERKSTATT_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0"),
        "classification": "Strukturentwicklung (Werkstattprozess)",
        **{name: urls.body_sublist(obj.pk, segment) for name, segment in s.BODY_LISTS.items()},
        "web": urls.web("portal:home"),
        **_dates(obj),
    }
    data = compact(data)
    # Required, so present even when empty.
    data["legislativeTerm"] = [legislative_term(urls, t) for t in obj.legislative_terms.all()]
    return data


# --- Organisations, persons, memberships -----------------------------------------------------------------------


def workshop(urls: Urls, obj: Workshop) -> dict[str, Any]:
    return compact(
        {
            **_head(urls, s.WORKSHOP, obj),
            "body": urls.object("body", str(obj.body_id)),
            "name": f"{obj.label}: {obj.title}",
            "shortName": obj.label,
            "organizationType": "Gremium",
            "classification": "Werkstatt",
            "membership": [urls.of(s.MEMBERSHIP, m.pk) for m in obj.oparl_memberships],  # type: ignore[attr-defined]
            "meeting": urls.absolute(reverse("oparl:organization-meeting", args=[s.WORKSHOP.key(obj.pk)])),
            "web": urls.web("portal:workshop-detail", obj.number),
            f"{VENDOR}number": obj.number,
            f"{VENDOR}mission": obj.mission,
            f"{VENDOR}focusAreas": [area.title for area in obj.focus_areas.all()],
            f"{VENDOR}memberOrganizations": [
                compact(
                    {
                        "organization": urls.of(s.ORGANIZATION, link.organization_id),
                        "name": link.organization.display_name,
                        "startDate": oparl_date(link.since),
                        "endDate": oparl_date(link.until),
                    }
                )
                for link in obj.oparl_member_links  # type: ignore[attr-defined]
            ],
            f"{VENDOR}nextSessionDate": oparl_date(obj.next_session_date),
            **_dates(obj),
        }
    )


def organization(urls: Urls, obj: Organization) -> dict[str, Any]:
    return compact(
        {
            **_head(urls, s.ORGANIZATION, obj),
            "body": urls.object("body", str(obj.body_id)),
            "name": obj.name,
            "shortName": obj.short_name,
            "organizationType": ORGANIZATION_TYPES.get(obj.kind, MEMBER_INSTITUTION),
            "classification": str(obj.get_kind_display()),
            "website": obj.website,
            "web": urls.web("portal:organization-detail", obj.pk),
            f"{VENDOR}kind": obj.kind,
            **_dates(obj),
        }
    )


def membership(urls: Urls, obj: Membership, *, embedded: bool = False) -> dict[str, Any]:
    return compact(
        {
            **_head(urls, s.MEMBERSHIP, obj),
            # Embedded in its person, the person is implied (OParl leaves it out there).
            "person": None if embedded else urls.of(s.PERSON, obj.person_id),
            "organization": urls.of(s.WORKSHOP, obj.workshop_id),
            "role": str(obj.get_role_display()),
            "startDate": oparl_date(obj.start_date),
            "endDate": oparl_date(obj.end_date),
            "onBehalfOf": urls.of(s.ORGANIZATION, obj.on_behalf_of_id) if obj.on_behalf_of_id else None,
            f"{VENDOR}role": obj.role,
            f"{VENDOR}statement": obj.statement,
            **_dates(obj),
        }
    )


def person(urls: Urls, obj: Person) -> dict[str, Any]:
    return compact(
        {
            **_head(urls, s.PERSON, obj),
            "body": urls.object("body", str(obj.body_id)),
            "name": obj.name,
            "familyName": obj.family_name,
            "givenName": obj.given_name,
            "title": [obj.title] if obj.title else [],
            "status": [obj.function] if obj.function else [],
            "membership": [membership(urls, m, embedded=True) for m in obj.oparl_memberships],  # type: ignore[attr-defined]
            "web": urls.web("portal:person-detail", obj.pk),
            f"{VENDOR}qualification": obj.qualification,
            f"{VENDOR}organization": urls.of(s.ORGANIZATION, obj.organization_id) if obj.organization_id else None,
            **_dates(obj),
        }
    )


# --- Places and files ------------------------------------------------------------------------------------------


def _point(latitude: Decimal | None, longitude: Decimal | None, properties: dict[str, Any]) -> dict[str, Any] | None:
    if latitude is None or longitude is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": compact(properties),
    }


def location(urls: Urls, obj: Location) -> dict[str, Any]:
    municipality = obj.municipality
    latitude, longitude = obj.latitude, obj.longitude
    if latitude is None and municipality is not None:
        latitude, longitude = municipality.latitude, municipality.longitude
    meetings = getattr(obj, "oparl_meetings", None)
    return compact(
        {
            **_head(urls, s.LOCATION, obj),
            "description": obj.address_line,
            "geojson": _point(
                latitude,
                longitude,
                {
                    "name": obj.description,
                    "ags": municipality.ags if municipality else "",
                    "municipality": municipality.display_name if municipality else "",
                },
            ),
            "streetAddress": obj.street_address,
            "room": obj.room,
            "postalCode": obj.postal_code,
            "locality": obj.locality,
            "meetings": [urls.of(s.MEETING, m.pk) for m in meetings] if meetings is not None else [],
            **_dates(obj),
        }
    )


def project_place(urls: Urls, obj: Project) -> dict[str, Any]:
    municipality = obj.municipality
    latitude, longitude = obj.latitude, obj.longitude
    if latitude is None and municipality is not None:
        latitude, longitude = municipality.latitude, municipality.longitude
    district = municipality.district if municipality else obj.district
    return compact(
        {
            **_head(urls, s.PROJECT_PLACE, obj),
            "description": municipality.display_name if municipality else (district.display_name if district else ""),
            "geojson": _point(
                latitude,
                longitude,
                {
                    "ags": municipality.ags if municipality else "",
                    "municipality": municipality.display_name if municipality else "",
                    "district": district.display_name if district else "",
                    "precision": "Projektort" if obj.latitude is not None else "Gemeinde",
                },
            ),
            "locality": municipality.name if municipality else "",
            "papers": [urls.of(s.PAPER, obj.pk)],
            **_dates(obj),
        }
    )


def file(urls: Urls, obj: File) -> dict[str, Any]:
    meetings = [m.pk for m in getattr(obj, "oparl_meetings", [])]
    document_of = getattr(obj, "oparl_document_of", None)
    if document_of is not None and document_of not in meetings:
        meetings.append(document_of)
    items = getattr(obj, "oparl_agenda_items", [])
    projects = getattr(obj, "oparl_projects", [])
    return compact(
        {
            **_head(urls, s.FILE, obj),
            "name": obj.name,
            "fileName": obj.file_name,
            "mimeType": obj.mime_type,
            "date": oparl_date(timezone.localtime(obj.created).date()),
            "size": obj.size,
            "sha512Checksum": obj.sha512,
            "text": obj.text,
            "accessUrl": urls.web("oparl:file-access", obj.pk),
            "downloadUrl": urls.web("oparl:file-download", obj.pk),
            "meeting": [urls.of(s.MEETING, pk) for pk in meetings],
            "agendaItem": [urls.of(s.AGENDA_ITEM, i.pk) for i in items],
            "paper": [urls.of(s.PAPER, p.pk) for p in projects],
            **_dates(obj),
        }
    )


# --- Sessions and agenda items ---------------------------------------------------------------------------------


def _presenter(urls: Urls, presenter: Any) -> dict[str, Any]:
    return compact(
        {
            "name": presenter.person.name if presenter.person else presenter.group_label,
            "person": urls.of(s.PERSON, presenter.person_id) if presenter.person_id else None,
            "function": presenter.function,
            "organization": urls.of(s.ORGANIZATION, presenter.organization_id) if presenter.organization_id else None,
            "organizationName": presenter.organization_name,
        }
    )


def _result_label(item: AgendaItem, consultations: list[Consultation]) -> str:
    """A short result in the sense of OParl (``result``): the recorded vote on the project heard, or the approval."""
    outcomes = [str(c.get_outcome_display()) for c in consultations if c.outcome]
    if outcomes:
        return "; ".join(dict.fromkeys(outcomes))
    approved = item.approves_meeting
    if item.kind == AgendaItemKind.MINUTES_APPROVAL and approved and approved.minutes_state in LOCKED_MINUTES_STATES:
        return "Protokoll bestätigt"
    return ""


def agenda_item(urls: Urls, obj: AgendaItem, meeting: Meeting, *, embedded: bool = False) -> dict[str, Any]:
    consultations: list[Consultation] = obj.oparl_consultations  # type: ignore[attr-defined]
    minutes = meeting_shows_public_minutes(meeting)
    return compact(
        {
            **_head(urls, s.AGENDA_ITEM, obj),
            "meeting": None if embedded else urls.of(s.MEETING, obj.meeting_id),
            "number": obj.number,
            "order": obj.order,
            "name": obj.title,
            "public": obj.public,
            "consultation": urls.of(s.CONSULTATION, consultations[0].pk) if consultations else None,
            "result": _result_label(obj, consultations) if minutes else None,
            "resolutionText": "\n".join(html.unescape(line) for line in html_to_lines(obj.result)) if minutes else None,
            "auxiliaryFile": [file(urls, f) for f in obj.oparl_files],  # type: ignore[attr-defined]
            "web": urls.web("portal:meeting-detail", obj.meeting_id)
            + (f"#ergebnis-{obj.pk}" if minutes else "#tagesordnung"),
            f"{VENDOR}kind": obj.kind,
            f"{VENDOR}note": obj.note,
            f"{VENDOR}presenters": [_presenter(urls, p) for p in obj.presenters.all()],
            f"{VENDOR}resultHtml": obj.result if minutes else None,
            f"{VENDOR}approvesMeeting": urls.of(s.MEETING, obj.approves_meeting_id)
            if obj.approves_meeting_id
            else None,
            **_dates(obj),
        }
    )


def _local(day: dt.date, time: dt.time | None) -> str | None:
    if time is None:
        return None
    return oparl_datetime(timezone.make_aware(dt.datetime.combine(day, time)))


def meeting(urls: Urls, obj: Meeting) -> dict[str, Any]:
    minutes = meeting_shows_public_minutes(obj)
    participants: list[Person] = []
    if minutes:
        participants = [p for p in (obj.chair, obj.minute_taker) if p is not None]
        participants += [p for p in obj.oparl_attendees if p not in participants]  # type: ignore[attr-defined]
    return compact(
        {
            **_head(urls, s.MEETING, obj),
            "name": obj.title,
            "meetingState": str(obj.get_state_display()),
            "cancelled": obj.state == MeetingState.CANCELLED,
            "start": _local(obj.date, obj.start_time),
            "end": _local(obj.date, obj.end_time),
            "location": location(urls, obj.location) if obj.location else None,
            "organization": [urls.of(s.WORKSHOP, obj.workshop_id)],
            "participant": [urls.of(s.PERSON, p.pk) for p in participants],
            "invitation": file(urls, obj.invitation_document)
            if obj.invitation_document and obj.invitation_document.public and obj.agenda_is_public
            else None,
            "resultsProtocol": file(urls, obj.minutes_document)
            if obj.minutes_document and obj.minutes_document.public and minutes
            else None,
            "auxiliaryFile": [file(urls, f) for f in obj.oparl_files],  # type: ignore[attr-defined]
            "agendaItem": [agenda_item(urls, i, obj, embedded=True) for i in obj.oparl_items],  # type: ignore[attr-defined]
            "web": urls.web("portal:meeting-detail", obj.pk),
            f"{VENDOR}date": oparl_date(obj.date),
            f"{VENDOR}number": obj.number,
            f"{VENDOR}state": obj.state,
            f"{VENDOR}minutesPublished": obj.minutes_are_public,
            **_dates(obj),
        }
    )


# --- Projects ----------------------------------------------------------------------------------------------------


def consultation(urls: Urls, obj: Consultation, *, embedded: bool = False) -> dict[str, Any]:
    return compact(
        {
            **_head(urls, s.CONSULTATION, obj),
            "paper": None if embedded else urls.of(s.PAPER, obj.project_id),
            "agendaItem": urls.of(s.AGENDA_ITEM, obj.agenda_item_id)
            if obj.agenda_item_id and obj.oparl_item_visible  # type: ignore[attr-defined]
            else None,
            "meeting": urls.of(s.MEETING, obj.meeting_id),
            "organization": [urls.of(s.WORKSHOP, obj.meeting.workshop_id)],
            "authoritative": obj.authoritative,
            "role": str(obj.get_role_display()),
            f"{VENDOR}role": obj.role,
            f"{VENDOR}outcome": obj.outcome,
            f"{VENDOR}outcomeLabel": str(obj.get_outcome_display()) if obj.outcome else "",
            f"{VENDOR}conditions": obj.conditions,
            **_dates(obj),
        }
    )


def paper(urls: Urls, obj: Project) -> dict[str, Any]:
    place = obj.latitude is not None or (obj.municipality is not None and obj.municipality.latitude is not None)
    finances = rules.can_view_project_finances(PUBLIC, obj)
    district = obj.municipality.district if obj.municipality else obj.district
    return compact(
        {
            **_head(urls, s.PAPER, obj),
            "body": urls.object("body", str(obj.body_id)),
            "name": obj.title,
            "date": oparl_date(obj.presented_on),
            "paperType": obj.kind_label,
            "auxiliaryFile": [file(urls, f) for f in obj.oparl_files],  # type: ignore[attr-defined]
            "location": [project_place(urls, obj)] if place else [],
            "originatorOrganization": [urls.of(s.ORGANIZATION, obj.sponsor_id)] if obj.sponsor_id else [],
            "underDirectionOf": [urls.of(s.WORKSHOP, obj.lead_workshop_id)] if obj.lead_workshop_id else [],
            "consultation": [consultation(urls, c, embedded=True) for c in obj.oparl_consultations],  # type: ignore[attr-defined]
            "web": urls.web("portal:project-detail", obj.pk),
            f"{VENDOR}status": obj.state,
            f"{VENDOR}statusLabel": str(obj.get_state_display()),
            f"{VENDOR}instrument": obj.instrument,
            f"{VENDOR}instrumentLabel": str(obj.get_instrument_display()),
            f"{VENDOR}fundingArea": obj.funding_area,
            f"{VENDOR}otherWorkshops": [urls.of(s.WORKSHOP, w.pk) for w in obj.other_workshops.all()],
            f"{VENDOR}district": compact({"ags": district.ags, "name": district.display_name}) if district else None,
            f"{VENDOR}municipality": compact({"ags": obj.municipality.ags, "name": obj.municipality.display_name})
            if obj.municipality
            else None,
            f"{VENDOR}description": obj.description,
            f"{VENDOR}expectedEffect": obj.expected_effect,
            f"{VENDOR}expectedJobs": obj.expected_jobs,
            f"{VENDOR}plannedStart": oparl_date(obj.planned_start),
            f"{VENDOR}plannedEnd": oparl_date(obj.planned_end),
            f"{VENDOR}decisions": compact(
                {
                    "presented": oparl_date(obj.presented_on),
                    "recommended": oparl_date(obj.recommended_on),
                    "forwarded": oparl_date(obj.forwarded_on),
                    "confirmed": oparl_date(obj.confirmed_on),
                    "applied": oparl_date(obj.applied_on),
                    "approved": oparl_date(obj.approved_on),
                }
            ),
            f"{VENDOR}statusHistory": [
                compact(
                    {
                        "from": step.from_state,
                        "to": step.to_state,
                        "toLabel": str(step.get_to_state_display()),
                        "decisionDate": oparl_date(step.decision_date),
                        "recorded": oparl_datetime(step.created),
                    }
                )
                for step in obj.oparl_steps  # type: ignore[attr-defined]
            ],
            f"{VENDOR}milestones": [
                compact(
                    {
                        "kind": m.kind,
                        "label": m.label,
                        "plannedDate": oparl_date(m.planned_date),
                        "actualDate": oparl_date(m.actual_date),
                        "note": m.note,
                    }
                )
                for m in obj.milestones.all()
            ],
            f"{VENDOR}finances": compact(
                {
                    "currency": "EUR",
                    "totalCost": _money(obj.total_cost),
                    "eligibleCost": _money(obj.eligible_cost),
                    "grant": _money(obj.grant),
                }
            )
            if finances
            else None,
            f"{VENDOR}contact": urls.of(s.PERSON, obj.contact_id)
            if obj.contact_id and rules.can_view_project_contact(PUBLIC, obj)
            else None,
            **_dates(obj),
        }
    )


SERIALIZERS: dict[int, Any] = {
    id(s.BODY): body,
    id(s.LEGISLATIVE_TERM): legislative_term,
    id(s.WORKSHOP): workshop,
    id(s.ORGANIZATION): organization,
    id(s.PERSON): person,
    id(s.MEMBERSHIP): membership,
    id(s.MEETING): meeting,
    id(s.AGENDA_ITEM): lambda urls, obj: agenda_item(urls, obj, obj.meeting),
    id(s.PAPER): paper,
    id(s.CONSULTATION): consultation,
    id(s.FILE): file,
    id(s.LOCATION): location,
    id(s.PROJECT_PLACE): project_place,
}


def serialize(urls: Urls, source: Source, item: Any) -> dict[str, Any]:
    if isinstance(item, Tombstone):
        return tombstone(urls, item)
    result: dict[str, Any] = SERIALIZERS[id(source)](urls, item)
    return result

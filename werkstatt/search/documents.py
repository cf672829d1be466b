"""What the index holds for each kind of object: title, text, the result of an item, filters and dates.

``entries_for(kind, ids)`` reads the objects (``ids=None``: all) with a fixed number of queries per chunk and
returns unsaved ``SearchEntry`` rows. Everything here is content; who may see it is decided when searching.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils.html import strip_tags

from werkstatt.core.bilingual import bilingual_name
from werkstatt.search.models import SearchEntry, SearchKind
from werkstatt.search.text import fold_text

M = TypeVar("M", bound=Model)
CHUNK_SIZE = 500
# Extracted document text beyond this is not indexed (a long PDF's first pages say what it is about).
MAX_DOCUMENT_TEXT = 100_000


def plain(rich_text: str) -> str:
    """Rich text as plain text: tags dropped (block ends as spaces), entities resolved."""
    spaced = rich_text.replace("</", " </").replace("<br", " <br")
    return " ".join(html.unescape(strip_tags(spaced)).split())


def _join(*parts: object) -> str:
    return "\n".join(str(part) for part in parts if part)


def _delimited(values: Iterable[object]) -> str:
    unique = sorted({str(v) for v in values if v is not None and v != ""})
    return "," + ",".join(unique) + "," if unique else ""


def _place_names(name: str, name_dsb: str) -> str:
    return f"{name} {name_dsb}" if name_dsb else bilingual_name(name)


def _entry(
    kind: str,
    object_id: int,
    *,
    title: str,
    body: str = "",
    restricted: str = "",
    context: str = "",
    meeting_id: int | None = None,
    date: dt.date | None = None,
    workshops: Iterable[int] = (),
    years: Iterable[int] = (),
    district: str = "",
) -> SearchEntry:
    title = " ".join(title.split())[:500]
    return SearchEntry(
        kind=kind,
        object_id=object_id,
        title=title,
        context=context[:500],
        body=body,
        restricted=restricted,
        meeting_id=meeting_id,
        date=date,
        workshops=_delimited(workshops)[:200],
        years=_delimited(years)[:400],
        district=district or "",
        search_title=fold_text(title),
        search_body=fold_text(body),
        search_restricted=fold_text(restricted),
    )


def _chunks(qs: QuerySet[M], ids: Iterable[int] | None) -> Iterator[M]:
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.order_by("pk").iterator(chunk_size=CHUNK_SIZE)


# --- projects ------------------------------------------------------------------------------------


def project_entries(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    from werkstatt.projects.models import Project

    qs = Project.objects.select_related(
        "sponsor", "lead_workshop", "municipality", "municipality__district", "district"
    ).prefetch_related("other_workshops", "milestones", "status_changes", "focus_areas")
    for project in _chunks(qs, ids):
        workshops = [w for w in (project.lead_workshop, *project.other_workshops.all()) if w is not None]
        district = project.district or (project.municipality.district if project.municipality else None)
        milestones = list(project.milestones.all())
        steps = list(project.status_changes.all())
        decision_dates = [
            project.presented_on,
            project.recommended_on,
            project.forwarded_on,
            project.confirmed_on,
            project.applied_on,
            project.approved_on,
            *(step.decision_date for step in steps),
        ]
        milestone_dates = [d for m in milestones for d in (m.planned_date, m.actual_date)]
        years = {d.year for d in (*decision_dates, *milestone_dates) if d is not None}
        places = []
        if project.municipality:
            places.append(_place_names(project.municipality.name, project.municipality.name_dsb))
        if district:
            places.append(_place_names(district.name, district.name_dsb))
        body = _join(
            project.description,
            project.expected_effect,
            project.sponsor.display_name if project.sponsor else "",
            *places,
            project.get_state_display(),
            project.get_instrument_display(),
            project.kind_label,
            project.get_funding_area_display() if project.funding_area else "",
            *(f"{w.label} {w.title}" for w in workshops),
            *(area.title for area in project.focus_areas.all()),
            *(m.label for m in milestones),
        )
        place = project.municipality or district
        context = " · ".join(
            part
            for part in (
                project.kind_label,
                project.lead_workshop.label if project.lead_workshop else "",
                str(project.get_state_display()),
                place.display_name if place else "",
            )
            if part
        )
        yield _entry(
            SearchKind.PROJECT,
            project.pk,
            title=project.title,
            body=body,
            context=context,
            date=project.confirmed_on or project.presented_on,
            workshops=[w.number for w in workshops],
            years=years,
            district=district.ags if district else "",
        )


# --- agenda items (the minutes) --------------------------------------------------------------------


def minutes_entries(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    from werkstatt.meetings.models import AgendaItem, AgendaItemPresenter

    qs = AgendaItem.objects.select_related(
        "meeting", "meeting__workshop", "meeting__location", "meeting__location__municipality__district"
    ).prefetch_related(
        Prefetch("presenters", queryset=AgendaItemPresenter.objects.select_related("person", "organization"))
    )
    for item in _chunks(qs, ids):
        meeting = item.meeting
        location = meeting.location
        municipality = getattr(location, "municipality", None) if location else None
        yield _entry(
            SearchKind.MINUTES,
            item.pk,
            title=f"TOP {item.number} {item.title}",
            body=_join(item.note, *(p.display for p in item.presenters.all())),
            restricted=plain(item.result),
            # A session without a number is titled by its date already.
            context=f"{meeting.title}, {meeting.date:%d.%m.%Y}" if meeting.number else meeting.title,
            meeting_id=meeting.pk,
            date=meeting.date,
            workshops=[meeting.workshop.number],
            years=[meeting.date.year],
            district=municipality.district.ags if municipality else "",
        )


# --- news ----------------------------------------------------------------------------------------


def news_entries(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    from werkstatt.news.models import NewsItem

    qs = NewsItem.objects.prefetch_related("workshops")
    for item in _chunks(qs, ids):
        workshops = list(item.workshops.all())
        yield _entry(
            SearchKind.NEWS,
            item.pk,
            title=item.title,
            body=_join(item.teaser, plain(item.text)),
            context=", ".join(w.label for w in workshops),
            date=item.date,
            workshops=[w.number for w in workshops],
            years=[item.date.year],
        )


# --- documents -----------------------------------------------------------------------------------


def _document_links(file_ids: list[int]) -> tuple[dict[int, list[object]], dict[int, list[object]]]:
    """The sessions and projects each document belongs to: two queries per chunk."""
    from werkstatt.meetings.models import Meeting
    from werkstatt.projects.models import Project

    meetings: dict[int, list[object]] = defaultdict(list)
    projects: dict[int, list[object]] = defaultdict(list)
    wanted = set(file_ids)
    rows = (
        Meeting.objects.filter(
            Q(files__in=file_ids)
            | Q(agenda_items__files__in=file_ids)
            | Q(minutes_document__in=file_ids)
            | Q(invitation_document__in=file_ids)
        )
        .select_related("workshop")
        .values_list(
            "pk",
            "date",
            "workshop__number",
            "files",
            "agenda_items__files",
            "minutes_document",
            "invitation_document",
        )
    )
    for pk, date, number, *attached in rows:
        for file_id in set(attached) & wanted:
            if (pk, date, number) not in meetings[file_id]:
                meetings[file_id].append((pk, date, number))
    project_rows = Project.objects.filter(files__in=file_ids).values_list(
        "files", "pk", "lead_workshop__number", "district__ags", "municipality__district__ags"
    )
    for file_id, pk, number, ags, municipality_ags in project_rows:
        projects[file_id].append((pk, number, ags or municipality_ags or ""))
    return meetings, projects


def document_entries(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    from werkstatt.documents.models import File

    qs = File.objects.exclude(file="")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    chunk: list[File] = []

    def flush() -> Iterator[SearchEntry]:
        meetings, projects = _document_links([f.pk for f in chunk])
        for document in chunk:
            own_meetings = sorted(meetings.get(document.pk, []), key=lambda m: m[1])  # type: ignore[index]
            own_projects = projects.get(document.pk, [])
            date = own_meetings[0][1] if own_meetings else document.created.date()  # type: ignore[index]
            districts = [p[2] for p in own_projects if p[2]]  # type: ignore[index]
            yield _entry(
                SearchKind.DOCUMENT,
                document.pk,
                title=document.name,
                body=document.text[:MAX_DOCUMENT_TEXT],
                context=document.file_name,
                date=date,
                workshops=[m[2] for m in own_meetings] + [p[1] for p in own_projects],  # type: ignore[index]
                years=[date.year] + [m[1].year for m in own_meetings],  # type: ignore[index]
                district=districts[0] if districts else "",
            )

    for document in qs.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
        chunk.append(document)
        if len(chunk) >= CHUNK_SIZE:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


# --- organisations and persons ---------------------------------------------------------------------


def organization_entries(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    from werkstatt.organizations.models import Organization

    qs = Organization.objects.prefetch_related("workshop_links__workshop")
    for organization in _chunks(qs, ids):
        workshops = sorted({link.workshop.number for link in organization.workshop_links.all()})
        yield _entry(
            SearchKind.ORGANIZATION,
            organization.pk,
            title=organization.display_name,
            body=_join(organization.name, organization.short_name, organization.get_kind_display()),
            context=str(organization.get_kind_display()),
            workshops=workshops,
        )


def person_entries(ids: Iterable[int] | None) -> Iterator[SearchEntry]:
    """Name, function, organisation and roles in workshops; never the e-mail address."""
    from werkstatt.organizations.models import Person

    qs = Person.objects.select_related("organization").prefetch_related(
        "memberships__workshop", "memberships__on_behalf_of"
    )
    for person in _chunks(qs, ids):
        memberships = list(person.memberships.all())
        roles = [
            _join(m.get_role_display(), m.workshop.label, m.on_behalf_of.display_name if m.on_behalf_of else "")
            for m in memberships
        ]
        organization = person.organization.display_name if person.organization else ""
        yield _entry(
            SearchKind.PERSON,
            person.pk,
            title=person.name,
            body=_join(person.function, person.qualification, organization, *roles),
            context=", ".join(part for part in (person.function, organization) if part),
            workshops=[m.workshop.number for m in memberships],
        )


BUILDERS: dict[str, Callable[[Iterable[int] | None], Iterator[SearchEntry]]] = {
    SearchKind.PROJECT: project_entries,
    SearchKind.MINUTES: minutes_entries,
    SearchKind.NEWS: news_entries,
    SearchKind.DOCUMENT: document_entries,
    SearchKind.ORGANIZATION: organization_entries,
    SearchKind.PERSON: person_entries,
}

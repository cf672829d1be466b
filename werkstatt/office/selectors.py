"""Reads of the back office: what a user works on, with the rules applied in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from werkstatt.accounts import rules
from werkstatt.documents.models import File
from werkstatt.meetings.models import AgendaItem, AgendaItemPresenter, Erratum, Meeting, MinutesComment
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import Workshop


def workshops_for_user(user: object) -> QuerySet[Workshop]:
    """The workshops ``user`` works in: all for those who read everything, else their own."""
    qs = Workshop.objects.order_by("number")
    if rules.reads_everything(user):
        return qs
    return qs.filter(pk__in=list(rules.workshop_roles(user)))


@dataclass
class Dashboard:
    workshops: list[Workshop]
    next_meetings: list[Meeting]
    waiting: list[tuple[Meeting, str]] = field(default_factory=list)


def dashboard_for_user(user: object) -> Dashboard:
    workshops = list(workshops_for_user(user))
    ids = [w.pk for w in workshops]
    base = Meeting.objects.filter(workshop_id__in=ids).select_related("workshop", "location", "minute_taker")
    next_meetings = list(
        base.filter(state__in=[MeetingState.PLANNED, MeetingState.INVITED], date__gte=timezone.localdate()).order_by(
            "date", "start_time"
        )[:10]
    )
    open_minutes = base.filter(state=MeetingState.HELD).exclude(minutes_state=MinutesState.PUBLISHED).order_by("date")
    waiting: list[tuple[Meeting, str]] = []
    for meeting in open_minutes:
        if meeting.minutes_state == MinutesState.DRAFT and rules.can_record_minutes(user, meeting):
            waiting.append((meeting, "Protokoll schreiben und versenden"))
        elif meeting.minutes_state == MinutesState.CIRCULATED and rules.can_comment_minutes(user, meeting):
            waiting.append((meeting, "Protokollentwurf lesen und anmerken"))
        elif meeting.minutes_state == MinutesState.APPROVED and rules.can_publish_minutes(user, meeting):
            waiting.append((meeting, "Bestätigtes Protokoll veröffentlichen"))
    return Dashboard(workshops=workshops, next_meetings=next_meetings, waiting=waiting)


# --- the minutes page ---------------------------------------------------------------------------


@dataclass
class MinutesEntry:
    """One agenda item on the minutes page, with what belongs to it."""

    item: AgendaItem
    comments: list[MinutesComment] = field(default_factory=list)
    errata: list[Erratum] = field(default_factory=list)


@dataclass
class MinutesPage:
    meeting: Meeting
    entries: list[MinutesEntry]
    files: list[File]
    comments: list[MinutesComment]  # on the minutes as a whole
    errata: list[Erratum]  # on the minutes as a whole
    comment_count: int  # all comments, on items and on the whole


def minutes_page(user: object, pk: int) -> MinutesPage:
    """A session's minutes with comments, errata and files, for those who may read them internally.

    A fixed number of queries whatever the number of items, comments, errata and files.
    """
    meeting = (
        Meeting.objects.select_related("workshop", "location", "chair", "minute_taker", "minute_taker__user")
        .prefetch_related(Prefetch("files", queryset=File.objects.order_by("created", "pk")))
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("Diese Sitzung gibt es nicht.")
    if not rules.can_view_minutes_internally(user, meeting):
        raise PermissionDenied("Dazu fehlt Ihnen die Berechtigung.")
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("approves_meeting", "approves_meeting__workshop")
        .prefetch_related(
            Prefetch("presenters", queryset=AgendaItemPresenter.objects.select_related("person", "organization")),
            Prefetch("files", queryset=File.objects.order_by("created", "pk")),
        )
        .order_by("order")
    )
    comments = list(MinutesComment.objects.filter(meeting=meeting).select_related("author").order_by("created", "pk"))
    errata = list(Erratum.objects.filter(meeting=meeting).select_related("author").order_by("created", "pk"))
    entries = {item.pk: MinutesEntry(item=item) for item in items}
    general_comments: list[MinutesComment] = []
    general_errata: list[Erratum] = []
    for comment in comments:
        entry = entries.get(comment.agenda_item_id) if comment.agenda_item_id else None
        (entry.comments if entry else general_comments).append(comment)
    for erratum in errata:
        entry = entries.get(erratum.agenda_item_id) if erratum.agenda_item_id else None
        (entry.errata if entry else general_errata).append(erratum)
    return MinutesPage(
        meeting=meeting,
        entries=list(entries.values()),
        files=list(meeting.files.all()),
        comments=general_comments,
        errata=general_errata,
        comment_count=len(comments),
    )


def minutes_comment_count(meeting: Meeting) -> int:
    return MinutesComment.objects.filter(meeting=meeting).count()


def meeting_file_get_for_user(user: object, pk: int) -> File:
    """A stored file attached to a session, one of its items or a project, if ``user`` may download it."""
    document = File.objects.filter(pk=pk).first()
    if document is None or not document.has_content:
        raise Http404("Diese Datei gibt es nicht.")
    if rules.is_office(user):
        return document
    meetings = (
        Meeting.objects.filter(
            Q(files=document)
            | Q(agenda_items__files=document)
            | Q(minutes_document=document)
            | Q(invitation_document=document)
        )
        .select_related("minute_taker")
        .distinct()
    )
    if any(rules.can_download_file(user, document, meeting) for meeting in meetings):
        return document
    # A project's document: public ones for those who see the project, the others for those who see
    # the projects' internals.
    from werkstatt.projects.models import Project

    projects = Project.objects.filter(files=document)
    if any(
        rules.can_view_project(user, project) and (document.public or rules.can_view_project_internals(user))
        for project in projects
    ):
        return document
    raise PermissionDenied("Dazu fehlt Ihnen die Berechtigung.")

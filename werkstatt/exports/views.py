"""Downloads of a session: minutes as PDF and DOCX, the agenda as PDF, the appointment as iCalendar;
the project register and the session list as CSV and JSON (open data, listed on ``portal:open-data``); the
sessions as calendars to subscribe to.

Thin like every interface: one selector call (``meeting_get_for_user``, which knows who may see
what), a 404 where the session page would not show the document, then the file: the stored PDF of
published minutes and of an invitation (``Meeting.minutes_document``, ``invitation_document``) where
the reader sees the public view, else rendered now.
"""

from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from werkstatt.documents.models import File
from werkstatt.documents.selectors import file_content
from werkstatt.exports import csv_excel, ics, json_stream, meetings_list, minutes, projects_csv, projects_json
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import (
    MeetingListFilter,
    MeetingPage,
    meeting_get_for_user,
    meeting_shows_public_minutes,
    meetings_public_calendar,
)
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.selectors import workshop_get_by_number
from werkstatt.projects.selectors import ProjectFilter

# Subscribed calendars are the same for everyone: shared caches may keep them this long (seconds).
CALENDAR_MAX_AGE = 15 * 60


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    # Unpublished minutes reach the office only: never into a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _minutes_page(request: HttpRequest, pk: int) -> MeetingPage:
    page = meeting_get_for_user(request.user, pk)
    if not page.show_minutes:
        raise Http404("Das Ergebnisprotokoll dieser Sitzung ist nicht veröffentlicht.")
    return page


def _stored_or_rendered(stored: File | None, render: Callable[[], bytes]) -> bytes:
    """The bytes of the published document where the reader gets that one, else the document rendered now."""
    if stored is not None and (content := file_content(stored)) is not None:
        return content
    return render()


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The published minutes as stored (the same bytes on every download); rendered for readers who see more."""
    page = _minutes_page(request, pk)
    filename = minutes.export_filename(page.meeting, minutes.MINUTES, "pdf")
    content = _stored_or_rendered(page.published_minutes, lambda: minutes.minutes_pdf(page))
    return _attachment(content, minutes.PDF_CONTENT_TYPE, filename)


@require_safe
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    page = _minutes_page(request, pk)
    filename = minutes.export_filename(page.meeting, minutes.MINUTES, "docx")
    return _attachment(minutes.minutes_docx(page), minutes.DOCX_CONTENT_TYPE, filename)


@require_safe
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    page = meeting_get_for_user(request.user, pk)
    if not page.show_agenda:
        raise Http404("Die Tagesordnung dieser Sitzung ist noch nicht veröffentlicht.")
    filename = minutes.export_filename(page.meeting, minutes.AGENDA, "pdf")
    content = _stored_or_rendered(page.published_invitation, lambda: minutes.agenda_pdf(page))
    return _attachment(content, minutes.PDF_CONTENT_TYPE, filename)


@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The appointment; its description lists the agenda items this user may see."""
    page = meeting_get_for_user(request.user, pk)
    meeting = page.meeting
    cancelled = meeting.state == MeetingState.CANCELLED
    content = ics.meeting_ics(
        meeting,
        sequence=meeting.ics_sequence,
        cancelled=cancelled,
        agenda_items=page.agenda_items,
        url=request.build_absolute_uri(reverse("portal:meeting-detail", args=[meeting.pk])),
    )
    filename = minutes.export_filename(meeting, ics.APPOINTMENT, ics.ICS_EXTENSION)
    return _attachment(content, ics.ics_content_type(cancelled=cancelled), filename)


def _stream(chunks: Iterator[bytes], content_type: str, filename: str, *, attachment: bool) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=attachment, filename=filename) or (
        "attachment" if attachment else "inline"
    )
    # What a user sees depends on who they are: never into a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _absolute_url(request: HttpRequest) -> Callable[[str, int], str]:
    """``url(url_name, pk)``: the absolute URL of a page or download of the object ``pk``."""

    def url(name: str, pk: int) -> str:
        return request.build_absolute_uri(reverse(name, args=[pk]))

    return url


@require_safe
def project_register_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The register as this user may see it, with the register's filters, as CSV for Excel."""
    filters = ProjectFilter.from_query(request.GET)
    return _stream(
        projects_csv.register_csv(request.user, filters),
        csv_excel.CONTENT_TYPE,
        projects_csv.export_filename(),
        attachment=True,
    )


# --- calendars to subscribe to ------------------------------------------------------------------------


def _calendar_entry(request: HttpRequest, meeting: Meeting) -> ics.CalendarEntry:
    minutes_url = ""
    if meeting_shows_public_minutes(meeting):
        minutes_url = request.build_absolute_uri(reverse("exports:minutes-pdf", args=[meeting.pk]))
    return ics.CalendarEntry(
        meeting=meeting,
        agenda_items=meeting.public_agenda_items,  # type: ignore[attr-defined]
        url=request.build_absolute_uri(reverse("portal:meeting-detail", args=[meeting.pk])),
        minutes_url=minutes_url,
    )


def _calendar(
    request: HttpRequest, meetings: Iterable[Meeting], *, name: str, description: str, filename: str
) -> HttpResponse:
    """The public calendar (whoever asks: calendar programs send no login), shown inline."""
    content = ics.calendar_ics(
        [_calendar_entry(request, meeting) for meeting in meetings],
        name=name,
        description=description,
        source_url=request.build_absolute_uri(request.path),
    )
    response = HttpResponse(content, content_type=ics.CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename) or "inline"
    patch_cache_control(response, public=True, max_age=CALENDAR_MAX_AGE)
    return response


@require_safe
def calendar_all(request: HttpRequest) -> HttpResponse:
    """All sessions of every workshop, to subscribe to."""
    return _calendar(
        request,
        meetings_public_calendar(),
        name=_("Werkstätten – Sitzungstermine"),
        description=_("Alle Sitzungen der Werkstätten (%(body)s), mit öffentlicher Tagesordnung.")
        % {"body": settings.WERKSTATT_BODY_NAME},
        filename="Werkstaetten_Termine.ics",
    )


@require_safe
def project_register_json(request: HttpRequest) -> StreamingHttpResponse:
    """The same rows as the CSV, as JSON; filter values that cannot be used are named in ``messages``."""
    filters = ProjectFilter.from_query(request.GET)
    url = _absolute_url(request)
    chunks = projects_json.register_json(
        request.user,
        filters,
        source=request.build_absolute_uri(),
        page_url=lambda pk: url("portal:project-detail", pk),
    )
    return _stream(chunks, json_stream.CONTENT_TYPE, projects_json.export_filename(), attachment=False)


@require_safe
def meetings_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The sessions of all workshops (``?werkstatt=4``: of one), as CSV for Excel."""
    filters = MeetingListFilter.from_query(request.GET)
    chunks = meetings_list.meetings_csv(request.user, filters, _absolute_url(request))
    return _stream(chunks, csv_excel.CONTENT_TYPE, meetings_list.export_filename("csv"), attachment=True)


@require_safe
def meetings_json(request: HttpRequest) -> StreamingHttpResponse:
    """The sessions as JSON; a filter value that cannot be used is named in ``messages``."""
    filters = MeetingListFilter.from_query(request.GET)
    chunks = meetings_list.meetings_json(
        request.user, filters, _absolute_url(request), source=request.build_absolute_uri()
    )
    return _stream(chunks, json_stream.CONTENT_TYPE, meetings_list.export_filename("json"), attachment=False)


@require_safe
def calendar_workshop(request: HttpRequest, number: int) -> HttpResponse:
    """All sessions of one workshop, to subscribe to; 404 for an unknown workshop."""
    workshop = workshop_get_by_number(AnonymousUser(), number, with_people=False)
    return _calendar(
        request,
        meetings_public_calendar(workshop=workshop),
        name=_("%(workshop)s – Sitzungstermine") % {"workshop": workshop.label},
        description=_("Alle Sitzungen der %(workshop)s: %(title)s, mit öffentlicher Tagesordnung.")
        % {"workshop": workshop.label, "title": workshop.title},
        filename=f"Werkstatt-{workshop.number}_Termine.ics",
    )

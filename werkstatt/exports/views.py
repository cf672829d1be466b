"""Downloads of a session: minutes as PDF and DOCX, the agenda as PDF, the appointment as iCalendar;
the project register as CSV.

Thin like every interface: one selector call (``meeting_get_for_user``, which knows who may see
what), a 404 where the session page would not show the document, then the file: the stored PDF of
published minutes and of an invitation (``Meeting.minutes_document``, ``invitation_document``) where
the reader sees the public view, else rendered now.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from werkstatt.documents.models import File
from werkstatt.documents.selectors import file_content
from werkstatt.exports import ics, minutes, projects_csv
from werkstatt.meetings.selectors import MeetingPage, meeting_get_for_user
from werkstatt.meetings.workflow import MeetingState
from werkstatt.projects.selectors import ProjectFilter


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


@require_safe
def project_register_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The register as this user may see it, with the register's filters, as CSV for Excel."""
    filters = ProjectFilter.from_query(request.GET)
    response = StreamingHttpResponse(
        projects_csv.register_csv(request.user, filters), content_type=projects_csv.CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=projects_csv.export_filename()) or "attachment"
    )
    # What a user sees depends on who they are: never into a shared cache.
    patch_cache_control(response, private=True, no_cache=True)
    return response

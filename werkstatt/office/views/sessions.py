"""A session in the back office: its overview and the state changes (invite, held, cancel, circulate, publish)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from werkstatt.accounts import rules
from werkstatt.importers.selectors import minutes_sources_for_user
from werkstatt.meetings import services
from werkstatt.meetings.models import AgendaItemKind
from werkstatt.meetings.selectors import meeting_get_for_user
from werkstatt.office.access import office_required, require
from werkstatt.office.selectors import minutes_comment_count
from werkstatt.projects.report_services import OPEN_STATES, report_files_of

# action name in the URL -> (permission question, service, message on success)
ACTIONS: dict[str, tuple[Callable[[Any, Any], bool], Callable[..., Any], str]] = {
    "einladen": (rules.can_invite, services.meeting_invite, "Die Einladung wird an die Mitglieder versandt."),
    "durchgefuehrt": (rules.can_mark_held, services.meeting_mark_held, "Die Sitzung ist als durchgeführt vermerkt."),
    "absagen": (rules.can_cancel_meeting, services.meeting_cancel, "Die Sitzung ist abgesagt."),
    "protokoll-versenden": (
        rules.can_circulate_minutes,
        services.minutes_circulate,
        "Der Protokollentwurf ist an die Mitglieder versandt.",
    ),
    "veroeffentlichen": (
        rules.can_publish_minutes,
        services.minutes_publish,
        "Das Protokoll ist veröffentlicht.",
    ),
}


@office_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = meeting_get_for_user(request.user, pk)
    meeting = page.meeting
    require(rules.can_view_internal(request.user, meeting) or rules.can_plan_meeting(request.user, meeting.workshop))
    user = request.user
    allowed = {name.replace("-", "_"): question(user, meeting) for name, (question, _service, _msg) in ACTIONS.items()}
    # "Sachstand für diese Sitzung erzeugen": the standing status item and the report attached to it so far.
    report_item = None
    report_files: list[Any] = []
    if meeting.state in OPEN_STATES and rules.can_attach_status_report(user, meeting):
        report_item = next((i for i in page.agenda_items if i.kind == AgendaItemKind.PROJECT_REPORT), None)
        report_files = report_files_of(report_item) if report_item is not None else []
    return render(
        request,
        "office/meeting_detail.html",
        {
            "page": page,
            "meeting": meeting,
            "allowed": allowed,
            "can_edit": rules.can_edit_meeting(user, meeting),
            "can_record": rules.can_record_minutes(user, meeting),
            "can_open_minutes": rules.can_view_minutes_internally(user, meeting),
            "comment_count": minutes_comment_count(meeting),
            "report_item": report_item,
            "report_files": report_files,
            "minutes_sources": list(minutes_sources_for_user(user, meeting)),
        },
    )


@office_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("Diese Aktion gibt es nicht.")
    question, service, success = ACTIONS[action]
    meeting = meeting_get_for_user(request.user, pk).meeting
    require(question(request.user, meeting))
    try:
        service(actor=request.user, meeting=meeting)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect("office:meeting-detail", pk=pk)

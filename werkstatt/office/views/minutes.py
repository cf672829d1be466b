"""The minutes of a session in the back office: results with autosave, approval, comments, errata and files.

Every endpoint works as a plain form (post, redirect, get) and, where htmx sends the request, answers
with the small fragment the page swaps in.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from werkstatt.accounts import rules
from werkstatt.accounts.models import User
from werkstatt.core.dates import format_date, format_time
from werkstatt.core.richtext import removed_markup
from werkstatt.meetings import services
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
from werkstatt.meetings.services import ResultConflict
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState, MinutesState
from werkstatt.office.access import office_required, require
from werkstatt.office.forms import (
    ErratumForm,
    FileUploadForm,
    MinutesCommentForm,
    ResultForm,
    form_add_service_errors,
)
from werkstatt.office.selectors import MinutesEntry, MinutesPage, meeting_file_get_for_user, minutes_page

MEETING_KEY = "sitzung"  # the key of forms that concern the whole session rather than one item


@dataclass
class Editor:
    """What the result editor of one item shows."""

    item: AgendaItem
    value: str
    version: int
    conflict: ResultConflict | None = None
    conflict_by: str = ""
    notice: str = ""  # a warning above the editor: what the sanitiser removed
    status: str = ""  # the live status line: "Gespeichert um 14:32 Uhr"


@dataclass
class Approval:
    """The approval item of a later session: whether and how its button is offered."""

    target: Meeting
    label: str
    approved: bool
    hint: str = ""
    offer: bool = False


@dataclass
class Row:
    entry: MinutesEntry
    editor: Editor
    approval: Approval | None
    comment_form: MinutesCommentForm
    upload_form: FileUploadForm
    upload_open: bool = False
    comments_open: bool = False


@dataclass
class Overrides:
    """Bound forms with errors, a conflict or a notice to show in place of the fresh ones."""

    bound_forms: dict[str, forms.Form] = field(default_factory=dict)
    editors: dict[int, Editor] = field(default_factory=dict)


def _minutes_url(meeting_pk: int, anchor: str = "") -> str:
    url = reverse("office:minutes", args=[meeting_pk])
    return f"{url}#{anchor}" if anchor else url


def _item_of(meeting_pk: int, item_pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("meeting", "meeting__workshop", "meeting__minute_taker")
        .filter(pk=item_pk, meeting_id=meeting_pk)
        .first()
    )
    if item is None:
        raise Http404(_("Diesen Tagesordnungspunkt gibt es in dieser Sitzung nicht."))
    return item


def _meeting_label(meeting: Meeting) -> str:
    if meeting.number:
        return _("der %(number)s. Sitzung") % {"number": meeting.number}
    return _("der Sitzung vom %(date)s") % {"date": format_date(meeting.date)}


def _approval(user: Any, meeting: Meeting, item: AgendaItem) -> Approval | None:
    target = item.approves_meeting
    if item.kind != AgendaItemKind.MINUTES_APPROVAL or target is None:
        return None
    of = _meeting_label(target)
    approval = Approval(
        target=target,
        label=_("Protokoll %(of)s bestätigen") % {"of": of},
        approved=target.minutes_state in LOCKED_MINUTES_STATES,
    )
    if approval.approved:
        approval.hint = _("Das Protokoll %(of)s ist bestätigt.") % {"of": of}
    elif meeting.state != MeetingState.HELD:
        approval.hint = _("Das Protokoll %(of)s wird bestätigt, sobald diese Sitzung durchgeführt ist.") % {"of": of}
    elif target.minutes_state == MinutesState.DRAFT:
        approval.hint = _(
            "Der Protokollentwurf %(of)s ist noch nicht an die Mitglieder versandt; "
            "erst danach kann er bestätigt werden."
        ) % {"of": of}
    else:
        approval.offer = rules.can_approve_minutes(user, meeting)
    return approval


def _editor(item: AgendaItem) -> Editor:
    return Editor(item=item, value=item.result, version=item.result_version)


def _comment_form(key: str | int, item: AgendaItem | None = None) -> MinutesCommentForm:
    return MinutesCommentForm(
        auto_id=f"anmerkung-{key}-%s", initial={"agenda_item": item.pk if item is not None else None}
    )


def _upload_form(key: str | int, item: AgendaItem | None = None) -> FileUploadForm:
    return FileUploadForm(
        auto_id=f"datei-{key}-%s",
        initial={"agenda_item": item.pk if item is not None else None},
        for_item=item is not None,
    )


def _render(
    request: HttpRequest, page: MinutesPage, *, status: int = 200, overrides: Overrides | None = None
) -> HttpResponse:
    user = request.user
    meeting = page.meeting
    overrides = overrides or Overrides()
    bound = overrides.bound_forms
    rows = []
    for entry in page.entries:
        item = entry.item
        comment_key, upload_key = f"anmerkung-{item.pk}", f"datei-{item.pk}"
        rows.append(
            Row(
                entry=entry,
                editor=overrides.editors.get(item.pk) or _editor(item),
                approval=_approval(user, meeting, item),
                comment_form=bound.get(comment_key) or _comment_form(item.pk, item),  # type: ignore[arg-type]
                upload_form=bound.get(upload_key) or _upload_form(item.pk, item),  # type: ignore[arg-type]
                upload_open=upload_key in bound,
                comments_open=comment_key in bound,
            )
        )
    locked = meeting.minutes_state in LOCKED_MINUTES_STATES
    context = {
        "page": page,
        "meeting": meeting,
        "rows": rows,
        "locked": locked,
        "can_record": rules.can_record_minutes(user, meeting),
        "can_comment": rules.can_comment_minutes(user, meeting),
        "can_add_erratum": locked and rules.can_add_erratum(user, meeting),
        "comment_form": bound.get(f"anmerkung-{MEETING_KEY}") or _comment_form(MEETING_KEY),
        "comment_open": f"anmerkung-{MEETING_KEY}" in bound,
        "upload_form": bound.get(f"datei-{MEETING_KEY}") or _upload_form(MEETING_KEY),
        "upload_open": f"datei-{MEETING_KEY}" in bound,
        "erratum_form": bound.get("berichtigung")
        or ErratumForm(auto_id="berichtigung-%s", items=[entry.item for entry in page.entries]),
    }
    return render(request, "office/minutes.html", context, status=status)


@office_required
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, minutes_page(request.user, pk))


# --- results -------------------------------------------------------------------------------------


def _editor_response(request: HttpRequest, editor: Editor, *, status: int = 200) -> HttpResponse:
    """The whole editor of one item, swapped in place of the old one (conflict, cleaned text, taking over)."""
    response = render(request, "office/_result_editor.html", {"editor": editor, "can_record": True}, status=status)
    response["HX-Retarget"] = f"#ergebnis-{editor.item.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _conflict_editor(conflict: ResultConflict) -> Editor:
    stored = conflict.item
    last = stored.history.select_related("history_user").first()
    by = ""
    if last is not None and last.history_user is not None:
        by = last.history_user.get_full_name() or last.history_user.get_username()
    return Editor(item=stored, value=stored.result, version=stored.result_version, conflict=conflict, conflict_by=by)


@office_required
@require_http_methods(["GET", "POST"])
def result_save(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_of(pk, item_pk)
    meeting = item.meeting
    require(rules.writes_minutes(request.user, meeting))
    htmx = bool(getattr(request, "htmx", False))
    anchor = f"ergebnis-{item.pk}"
    if request.method == "GET":
        # "Gespeicherte Fassung übernehmen": the editor with the stored text and version.
        if htmx:
            return _editor_response(request, _editor(item))
        return redirect(_minutes_url(pk, anchor))
    form = ResultForm(request.POST)
    if not form.is_valid():
        message = _("Das Ergebnis konnte nicht gespeichert werden: Die Seite ist veraltet. Bitte laden Sie sie neu.")
        if htmx:
            return render(request, "office/_result_status.html", {"error": message}, status=422)
        messages.error(request, message)
        return redirect(_minutes_url(pk, anchor))
    submitted = form.cleaned_data["result"]
    try:
        saved = services.agenda_item_save_result(
            actor=request.user, item=item, result=submitted, based_on_version=form.cleaned_data["based_on_version"]
        )
    except ResultConflict as conflict:
        editor = _conflict_editor(conflict)
        if htmx:
            return _editor_response(request, editor, status=409)
        return _render(
            request, minutes_page(request.user, pk), status=409, overrides=Overrides(editors={item.pk: editor})
        )
    except ValidationError as error:
        text = " ".join(error.messages)
        if htmx:
            return render(request, "office/_result_status.html", {"error": text}, status=422)
        messages.error(request, text)
        return redirect(_minutes_url(pk, anchor))
    removed = removed_markup(submitted)
    notice = ""
    if removed:
        notice = _("Nicht erlaubte Inhalte wurden entfernt: %(what)s. Gespeichert ist die bereinigte Fassung.") % {
            "what": ", ".join(removed)
        }
    saved_at = _("Gespeichert um %(time)s") % {"time": format_time(timezone.localtime(saved.modified))}
    if htmx:
        if notice or form.cleaned_data["take_over"]:
            editor = _editor(saved)
            editor.notice, editor.status = notice, saved_at
            return _editor_response(request, editor)
        return render(request, "office/_result_status.html", {"item": saved, "saved_at": saved_at})
    if notice:
        messages.warning(request, notice)
    messages.success(
        request,
        _("Das Ergebnis zu TOP %(number)s ist gespeichert (%(time)s).")
        % {
            "number": saved.number,
            "time": format_time(timezone.localtime(saved.modified)),
        },
    )
    return redirect(_minutes_url(pk, anchor))


# --- approval ------------------------------------------------------------------------------------


@office_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_of(pk, item_pk)
    require(rules.can_approve_minutes(request.user, item.meeting))
    try:
        target = services.minutes_approve(actor=request.user, approval_item=item)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _(
                "Das Protokoll %(of)s ist bestätigt. Es wird nicht mehr geändert; "
                "Berichtigungen werden als Erratum vermerkt."
            )
            % {"of": _meeting_label(target)},
        )
    return redirect(_minutes_url(pk, f"top-{item.pk}"))


# --- comments, errata, files ---------------------------------------------------------------------


def _entry(page: MinutesPage, item_pk: int | None) -> AgendaItem | None:
    """The item of this session named by a form, or None for the whole session; Http404 for a foreign one."""
    if item_pk is None:
        return None
    for entry in page.entries:
        if entry.item.pk == item_pk:
            return entry.item
    raise Http404(_("Diesen Tagesordnungspunkt gibt es in dieser Sitzung nicht."))


@office_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    page = minutes_page(request.user, pk)
    meeting = page.meeting
    require(rules.can_comment_minutes(request.user, meeting))
    item_pk = _int_or_none(request.POST.get("agenda_item"))
    key = item_pk if item_pk is not None else MEETING_KEY
    form = MinutesCommentForm(request.POST, auto_id=f"anmerkung-{key}-%s")
    if form.is_valid():
        item = _entry(page, form.cleaned_data["agenda_item"])
        try:
            services.minutes_comment_add(
                actor=_actor(request), meeting=meeting, agenda_item=item, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error, "text")
        else:
            messages.success(
                request, _("Ihre Anmerkung ist gespeichert. Die Geschäftsstelle sieht sie vor der Bestätigung.")
            )
            return redirect(_minutes_url(pk, f"top-{item.pk}" if item else "anmerkungen"))
    return _render(request, page, status=422, overrides=Overrides(bound_forms={f"anmerkung-{key}": form}))


@office_required
@require_POST
def erratum_add(request: HttpRequest, pk: int) -> HttpResponse:
    page = minutes_page(request.user, pk)
    meeting = page.meeting
    require(rules.can_add_erratum(request.user, meeting))
    form = ErratumForm(request.POST, auto_id="berichtigung-%s", items=[entry.item for entry in page.entries])
    if form.is_valid():
        item = _entry(page, form.cleaned_data["agenda_item"])
        try:
            services.erratum_add(
                actor=_actor(request), meeting=meeting, agenda_item=item, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "not_locked":
                # Minutes that are not approved show no erratum form to carry the message.
                messages.error(request, " ".join(error.messages))
                return redirect(_minutes_url(pk))
            form_add_service_errors(form, error, "text")
        else:
            messages.success(
                request, _("Die Berichtigung ist vermerkt; sie erscheint auch auf der öffentlichen Seite.")
            )
            return redirect(_minutes_url(pk, "berichtigungen"))
    return _render(request, page, status=422, overrides=Overrides(bound_forms={"berichtigung": form}))


@office_required
@require_POST
def file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    page = minutes_page(request.user, pk)
    meeting = page.meeting
    require(rules.writes_minutes(request.user, meeting))
    item_pk = _int_or_none(request.POST.get("agenda_item"))
    key = item_pk if item_pk is not None else MEETING_KEY
    form = FileUploadForm(request.POST, request.FILES, auto_id=f"datei-{key}-%s", for_item=item_pk is not None)
    if form.is_valid():
        item = _entry(page, form.cleaned_data["agenda_item"])
        try:
            document = services.meeting_file_upload(
                actor=request.user,
                meeting=meeting,
                agenda_item=item,
                upload=form.cleaned_data["file"],
                name=form.file_name,
                public=form.public,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "minutes_locked":
                # Approved minutes show no upload form to carry the message: say it at the top instead.
                messages.error(request, " ".join(error.messages))
                return redirect(_minutes_url(pk, "anlagen"))
            form_add_service_errors(form, error, "file")
        else:
            visibility = _("öffentlich") if document.public else _("nur intern sichtbar")
            messages.success(
                request,
                _("Die Datei „%(name)s“ ist hochgeladen (%(visibility)s).")
                % {
                    "name": document.name,
                    "visibility": visibility,
                },
            )
            return redirect(_minutes_url(pk, f"top-{item.pk}" if item else "anlagen"))
    return _render(request, page, status=422, overrides=Overrides(bound_forms={f"datei-{key}": form}))


@office_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = meeting_file_get_for_user(request.user, pk)
    try:
        stream = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("Diese Datei ist nicht mehr vorhanden.")) from error
    return FileResponse(  # type: ignore[return-value]  # a streaming response, as office_required passes on
        stream,
        as_attachment=True,
        filename=document.file_name or document.file.name.rsplit("/", 1)[-1],
        content_type=document.mime_type or "application/octet-stream",
    )


def _int_or_none(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _actor(request: HttpRequest) -> User:
    """The logged-in user (office_required has let no one else in)."""
    return cast(User, request.user)

"""The agenda of a session in the back office: items, their order, presenters, and the attendance.

Every view: load through the selector, ask the rules, call one service, then redirect (PRG) with a
German message, or render the form again with the service's refusal on it.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from werkstatt.accounts import rules
from werkstatt.meetings import services
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter, Meeting
from werkstatt.meetings.selectors import MeetingPage, meeting_get_for_user
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState
from werkstatt.office import selectors_planning as choices
from werkstatt.office.access import office_required, require
from werkstatt.office.forms import (
    AgendaItemForm,
    AttendanceForm,
    PresenterGroupForm,
    PresenterNewPersonForm,
    PresenterPersonForm,
    form_add_service_errors,
)
from werkstatt.office.forms_projects import PutOnAgendaForm
from werkstatt.office.selectors_projects import consultations_by_item, projects_hearable_in

# Attendance is recorded from the invitation on (the service says so, too).
ATTENDANCE_STATES = (MeetingState.INVITED, MeetingState.HELD)
MOVES = {"hoch": -1, "runter": +1}


def meeting_page_for_planning(request: HttpRequest, pk: int) -> MeetingPage:
    """The session with its whole agenda, for those who may see its planning; else 404 or 403."""
    page = meeting_get_for_user(request.user, pk)
    meeting = page.meeting
    require(rules.can_view_internal(request.user, meeting) or rules.can_plan_meeting(request.user, meeting.workshop))
    return page


def locked_reason(meeting: Meeting) -> str:
    """Why nobody may change this session's planning any more ("" if somebody may)."""
    if meeting.minutes_state in LOCKED_MINUTES_STATES:
        return _(
            "Das Protokoll dieser Sitzung ist bestätigt: Tagesordnung und Planung können nicht mehr geändert werden."
        )
    if meeting.state == MeetingState.CANCELLED:
        return _("Die Sitzung ist abgesagt: ihre Planung kann nicht mehr geändert werden.")
    return ""


def may_edit(request: HttpRequest, meeting: Meeting) -> bool:
    """True if the user may change the planning now.

    Those who plan this workshop's sessions but meet a locked session get the reason as a message
    and ``False``; everybody else gets 403.
    """
    if rules.can_edit_meeting(request.user, meeting):
        return True
    require(rules.can_plan_meeting(request.user, meeting.workshop))
    messages.error(request, locked_reason(meeting) or _("Diese Sitzung kann nicht mehr geändert werden."))
    return False


def _item(page: MeetingPage, item_pk: int) -> AgendaItem:
    for item in page.agenda_items:
        if item.pk == item_pk:
            return item
    raise Http404(_("Diesen Tagesordnungspunkt gibt es in dieser Sitzung nicht."))


def _agenda_url(meeting_pk: int, anchor: str = "", **query: str) -> str:
    url = reverse("office:agenda", args=[meeting_pk])
    if query:
        url += "?" + urlencode(query)
    return f"{url}#{anchor}" if anchor else url


def _item_url(meeting_pk: int, item_pk: int, anchor: str = "") -> str:
    url = reverse("office:agenda-item", args=[meeting_pk, item_pk])
    return f"{url}#{anchor}" if anchor else url


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _label(item: AgendaItem) -> dict[str, str]:
    return {"number": item.number, "title": item.title}


# --- the agenda ------------------------------------------------------------------------------------


@office_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda as a table with move, edit and delete per item; below it the form to add an item."""
    page = meeting_page_for_planning(request, pk)
    meeting = page.meeting
    posted = request.method == "POST"
    form = AgendaItemForm(
        request.POST if posted else None, approvable=choices.meetings_approvable_in(meeting), prefix="neu"
    )
    if posted:
        if not may_edit(request, meeting):
            return redirect(_agenda_url(pk))
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.agenda_item_add(
                    actor=request.user,
                    meeting=meeting,
                    number=data["number"],
                    title=data["title"],
                    note=data["note"],
                    kind=data["kind"],
                    public=data["public"],
                    approves_meeting=data["approves_meeting"],
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("TOP %(number)s „%(title)s“ ist hinzugefügt.") % _label(item))
                return redirect(_agenda_url(pk, f"top-{item.pk}"))
    return render_agenda(request, page, form=form)


def render_agenda(
    request: HttpRequest,
    page: MeetingPage,
    *,
    form: AgendaItemForm | None = None,
    project_form: PutOnAgendaForm | None = None,
) -> HttpResponse:
    """The agenda page, with a posted form that came back with errors (new item or project)."""
    meeting = page.meeting
    user = request.user
    can_edit = rules.can_edit_meeting(user, meeting)
    if form is None:
        form = AgendaItemForm(approvable=choices.meetings_approvable_in(meeting), prefix="neu")
    if project_form is None and can_edit and rules.can_record_consultation(user, meeting):
        project_form = PutOnAgendaForm(
            projects=projects_hearable_in(meeting), persons=choices.persons_for_picking(meeting)
        )
    # The projects heard under each item; those who see the office's project pages open their consultation.
    consultations = consultations_by_item(meeting)
    for item in page.agenda_items:
        item.office_consultations = consultations.get(item.pk, [])  # type: ignore[attr-defined]
    focus_pk, focus_direction = _focus(request.GET.get("fokus", ""), page.agenda_items)
    return render(
        request,
        "office/agenda.html",
        {
            "page": page,
            "meeting": meeting,
            "items": page.agenda_items,
            "form": form,
            "project_form": project_form if can_edit else None,
            "can_edit": can_edit,
            "can_open_consultations": rules.can_view_project_internals(user),
            "locked_reason": locked_reason(meeting),
            "focus_pk": focus_pk,
            "focus_direction": focus_direction,
        },
    )


def _focus(value: str, items: list[AgendaItem]) -> tuple[int | None, str]:
    """Which move button gets the focus after a move (``"<item pk>-runter"``): the one just used,
    or the other one when the item has reached the top or the bottom."""
    pk_text, _sep, direction = value.partition("-")
    pks = [item.pk for item in items]
    if not pk_text.isdigit() or int(pk_text) not in pks or direction not in MOVES or len(pks) < 2:
        return None, ""
    pk = int(pk_text)
    if direction == "runter" and pk == pks[-1]:
        direction = "hoch"
    elif direction == "hoch" and pk == pks[0]:
        direction = "runter"
    return pk, direction


@office_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One place up or down; focus comes back to the same button of the same item."""
    page = meeting_page_for_planning(request, pk)
    item = _item(page, item_pk)
    direction = request.POST.get("richtung", "")
    if direction not in MOVES:
        return HttpResponseBadRequest(_("Unbekannte Richtung."))
    if not may_edit(request, page.meeting):
        return redirect(_agenda_url(pk))
    index = page.agenda_items.index(item)
    target = index + MOVES[direction]
    if not 0 <= target < len(page.agenda_items):
        messages.info(
            request,
            (_("TOP %(number)s „%(title)s“ steht schon an erster Stelle.") if target < 0 else
             _("TOP %(number)s „%(title)s“ steht schon an letzter Stelle.")) % _label(item),
        )  # fmt: skip
        return redirect(_agenda_url(pk, f"top-{item.pk}"))
    try:
        services.agenda_item_move(actor=request.user, item=item, offset=MOVES[direction])
    except ValidationError as error:
        _refused(request, error)
        return redirect(_agenda_url(pk))
    text = (
        _("TOP %(number)s „%(title)s“ ist eine Stelle nach oben verschoben.")
        if direction == "hoch"
        else _("TOP %(number)s „%(title)s“ ist eine Stelle nach unten verschoben.")
    )
    messages.success(request, text % _label(item))
    # No fragment here: browsers skip ``autofocus`` when the address names a target element.
    return redirect(_agenda_url(pk, fokus=f"{item.pk}-{direction}"))


@office_required
def agenda_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """GET asks (works without JavaScript), POST deletes the item with its presenters."""
    page = meeting_page_for_planning(request, pk)
    item = _item(page, item_pk)
    if not may_edit(request, page.meeting):
        return redirect(_agenda_url(pk))
    if request.method == "POST":
        try:
            services.agenda_item_delete(actor=request.user, item=item)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("TOP %(number)s „%(title)s“ ist gelöscht.") % _label(item))
        return redirect(_agenda_url(pk, "tagesordnung"))
    return render(request, "office/agenda_item_delete.html", {"page": page, "meeting": page.meeting, "item": item})


# --- one item and its presenters ----------------------------------------------------------------------

PRESENTER_ACTIONS = ("person", "neu", "gruppe")


@office_required
def agenda_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Edit an item (prefix ``top``) and add presenters: a known person, a new person, or a group."""
    page = meeting_page_for_planning(request, pk)
    meeting = page.meeting
    item = _item(page, item_pk)
    if not may_edit(request, meeting):
        return redirect(_agenda_url(pk, f"top-{item.pk}"))
    action = request.POST.get("aktion", "") if request.method == "POST" else ""
    persons = choices.persons_for_picking(meeting)
    organizations = choices.organizations_for_picking(meeting)

    def bound(name: str) -> QueryDict | None:
        return request.POST if action == name else None

    item_form = AgendaItemForm(
        bound("speichern"),
        initial=AgendaItemForm.initial_for(item),
        approvable=choices.meetings_approvable_in(meeting, keep=item.approves_meeting_id),
        prefix="top",
    )
    person_form = PresenterPersonForm(bound("person"), persons=persons, organizations=organizations, prefix="person")
    new_form = PresenterNewPersonForm(bound("neu"), organizations=organizations, prefix="neu")
    group_form = PresenterGroupForm(bound("gruppe"), prefix="gruppe")

    if action == "speichern":
        if item_form.is_valid():
            data = item_form.cleaned_data
            try:
                item = services.agenda_item_update(
                    actor=request.user,
                    item=item,
                    number=data["number"],
                    title=data["title"],
                    note=data["note"],
                    kind=data["kind"],
                    public=data["public"],
                    approves_meeting=data["approves_meeting"],
                )
            except ValidationError as error:
                form_add_service_errors(item_form, error)
            else:
                messages.success(request, _("TOP %(number)s „%(title)s“ ist gespeichert.") % _label(item))
                return redirect(_agenda_url(pk, f"top-{item.pk}"))
    elif action in PRESENTER_ACTIONS:
        form = {"person": person_form, "neu": new_form, "gruppe": group_form}[action]
        if form.is_valid():
            try:
                if action == "neu":
                    presenter = services.presenter_add_new_person(
                        actor=request.user, item=item, **new_form.person_data()
                    )
                else:
                    presenter = services.presenter_add(
                        actor=request.user,
                        item=item,
                        presenter=person_form.presenter() if action == "person" else group_form.presenter(),
                    )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(
                    request, _("„%(name)s“ ist als Vortragende/r eingetragen.") % {"name": presenter.display}
                )
                return redirect(_item_url(pk, item.pk, "vortragende"))
    elif request.method == "POST":
        return HttpResponseBadRequest(_("Unbekannte Aktion."))
    return render(
        request,
        "office/agenda_item.html",
        {
            "page": page,
            "meeting": meeting,
            "item": item,
            "item_form": item_form,
            "person_form": person_form,
            "new_form": new_form,
            "group_form": group_form,
            "action": action,
            "consultation_panels": _consultation_panels(request, meeting, item),
        },
    )


def _consultation_panels(request: HttpRequest, meeting: Meeting, item: AgendaItem) -> list[Any]:
    """The projects heard under a presentation item, for those who see the office's project pages."""
    if item.kind != AgendaItemKind.PROJECT_PRESENTATION or not rules.can_view_project_internals(request.user):
        return []
    from werkstatt.office.views.consultations import consultation_panel

    return [consultation_panel(request.user, c) for c in consultations_by_item(meeting).get(item.pk, [])]


def _presenter(item: AgendaItem, presenter_pk: int) -> AgendaItemPresenter:
    for presenter in item.presenters.all():
        if presenter.pk == presenter_pk:
            return presenter
    raise Http404(_("Diese Vortragende oder diesen Vortragenden gibt es bei diesem TOP nicht."))


@office_required
@require_POST
def presenter_remove(request: HttpRequest, pk: int, item_pk: int, presenter_pk: int) -> HttpResponse:
    page = meeting_page_for_planning(request, pk)
    item = _item(page, item_pk)
    presenter = _presenter(item, presenter_pk)
    if not may_edit(request, page.meeting):
        return redirect(_agenda_url(pk, f"top-{item.pk}"))
    try:
        services.presenter_remove(actor=request.user, presenter=presenter)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("„%(name)s“ ist nicht mehr als Vortragende/r eingetragen.") % {"name": presenter.display}
        )
    return redirect(_item_url(pk, item.pk, "vortragende"))


# --- attendance ------------------------------------------------------------------------------------


@office_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Checkboxes of the persons and organisations present; read-only for those who may only read."""
    page = meeting_page_for_planning(request, pk)
    meeting = page.meeting
    can_record = rules.can_record_minutes(request.user, meeting)
    is_open = meeting.state in ATTENDANCE_STATES
    posted = request.method == "POST"
    if posted:
        require(can_record)
    persons, organizations = choices.attendance_recorded(meeting)
    form = AttendanceForm(
        request.POST if posted else None,
        initial={"persons": persons, "organizations": organizations},
        persons=choices.attendance_persons(meeting),
        organizations=choices.attendance_organizations(meeting),
        disabled=not (can_record and is_open),
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_set_attendance(
                actor=request.user, meeting=meeting, persons=data["persons"], organizations=data["organizations"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            people = ngettext("%(count)d Person", "%(count)d Personen", len(data["persons"])) % {
                "count": len(data["persons"])
            }
            orgs = ngettext("%(count)d Organisation", "%(count)d Organisationen", len(data["organizations"])) % {
                "count": len(data["organizations"])
            }
            messages.success(
                request,
                _("Die Anwesenheit ist gespeichert: %(persons)s, %(orgs)s.") % {"persons": people, "orgs": orgs},
            )
            return redirect(reverse("office:meeting-detail", args=[pk]) + "#planung")
    return render(
        request,
        "office/attendance.html",
        {
            "page": page,
            "meeting": meeting,
            "form": form,
            "can_record": can_record and is_open,
            "is_open": is_open,
            "locked_reason": locked_reason(meeting),
            "recorded_persons": len(persons),
            "recorded_organizations": len(organizations),
        },
    )

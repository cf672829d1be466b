"""Planning a session: the standing agenda, editing it, invitations and cancellations."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.core.dates import format_date
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.geo.models import Location
from werkstatt.geo.services import LocationInput, location_get_or_create
from werkstatt.meetings.models import (
    AGENDA_NUMBER_RE,
    AgendaItem,
    AgendaItemKind,
    AgendaItemPresenter,
    Meeting,
    agenda_number_validator,
)
from werkstatt.meetings.services.core import (
    PresenterInput,
    agenda_item_create,
    ensure_minutes_editable,
    meeting_create,
    meeting_transition,
    presenter_row_create,
)
from werkstatt.meetings.services.documents import invitation_document_archive_logged
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import Body, Organization, Person, Workshop
from werkstatt.organizations.services import person_create

# Fields of a session that an invitation carries: changing one of them sends an update.
INVITATION_FIELDS = ("date", "start_time", "end_time", "location_id")


def meeting_next_number(workshop: Workshop) -> int:
    """The number proposed for the next session of ``workshop``."""
    return (Meeting.objects.filter(workshop=workshop).aggregate(m=Max("number"))["m"] or 0) + 1


def _previous_meeting(workshop: Workshop, number: int) -> Meeting | None:
    return (
        Meeting.objects.filter(workshop=workshop, number__lt=number)
        .exclude(state=MeetingState.CANCELLED)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def meeting_plan(
    *,
    actor: object | None,
    workshop: Workshop,
    date: dt.date,
    number: int | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    location: Location | None = None,
    address: LocationInput | None = None,
    chair: Person | None = None,
    chair_function: str = "",
    minute_taker: Person | None = None,
    minute_taker_function: str = "",
) -> Meeting:
    """Create a session with the standing agenda items of every Werkstatt session.

    The place is a known ``location`` or a new ``address``, created in the same transaction.
    """
    number = number or meeting_next_number(workshop)
    if location is None and address is not None and not address.is_empty():
        location = location_get_or_create(actor=actor, address=address)
    previous = _previous_meeting(workshop, number)
    meeting = meeting_create(
        actor=actor,
        workshop=workshop,
        number=number,
        date=date,
        start_time=start_time,
        end_time=end_time,
        location=location,
        chair=chair,
        chair_function=chair_function,
        minute_taker=minute_taker,
        minute_taker_function=minute_taker_function,
    )
    agenda_item_create(actor=actor, meeting=meeting, number="1", title=_("Begrüßung"))
    if previous is not None:
        approval = _("Bestätigung des Protokolls der %(number)s. Sitzung vom %(date)s und der Tagesordnung") % {
            "number": previous.number,
            "date": format_date(previous.date),
        }
        agenda_item_create(
            actor=actor,
            meeting=meeting,
            number="2",
            title=approval,
            kind=AgendaItemKind.MINUTES_APPROVAL,
            approves_meeting=previous,
        )
    else:
        agenda_item_create(actor=actor, meeting=meeting, number="2", title=_("Bestätigung der Tagesordnung"))
    agenda_item_create(
        actor=actor,
        meeting=meeting,
        number="3",
        title=_("Aktueller Sachstand der Projekte der %(workshop)s") % {"workshop": workshop.label},
        kind=AgendaItemKind.PROJECT_REPORT,
    )
    agenda_item_create(actor=actor, meeting=meeting, number="4", title=_("Sonstiges"))
    # The status report goes to item 3 once the planning is committed (rendering the PDF takes a few
    # tenths of a second and must not undo the planning if it fails). Imported here: projects imports meetings.
    from werkstatt.projects.report_services import status_report_attach_after_commit

    status_report_attach_after_commit(actor=actor, meeting=meeting)
    return meeting


def _ensure_plannable(meeting_id: int) -> None:
    """Read (and lock) the stored state: a caller's copy of the session may be older than a cancellation."""
    ensure_minutes_editable(meeting_id)
    if Meeting.objects.filter(pk=meeting_id, state=MeetingState.CANCELLED).exists():
        raise ValidationError(_("Eine abgesagte Sitzung kann nicht mehr geändert werden."), code="cancelled")


@transaction.atomic
def meeting_update(
    *,
    actor: object | None,
    meeting: Meeting,
    date: dt.date,
    start_time: dt.time | None,
    end_time: dt.time | None,
    location: Location | None,
    chair: Person | None,
    chair_function: str,
    minute_taker: Person | None,
    minute_taker_function: str,
    number: int | None = None,
    address: LocationInput | None = None,
) -> Meeting:
    """Change the planning data; an invited session gets an updated invitation (higher SEQUENCE).

    The place is a known ``location`` or a new ``address``, created in the same transaction.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _ensure_plannable(meeting.pk)
    before = {name: getattr(meeting, name) for name in INVITATION_FIELDS}
    meeting.date, meeting.start_time, meeting.end_time = date, start_time, end_time
    if location is None and address is not None and not address.is_empty():
        location = location_get_or_create(actor=actor, address=address)
    meeting.location = location
    meeting.chair, meeting.chair_function = chair, normalise_text(chair_function)
    meeting.minute_taker, meeting.minute_taker_function = minute_taker, normalise_text(minute_taker_function)
    if number is not None:
        meeting.number = number
    changed = any(getattr(meeting, name) != value for name, value in before.items())
    if changed and meeting.state == MeetingState.INVITED:
        _check_not_in_past(meeting)
        meeting.ics_sequence += 1
        meeting = save_validated(meeting, actor=actor, reason=_("Einladung aktualisiert"))
        _send_after_commit("update", meeting.pk, actor=actor, reason=_("Geänderte Einladung archiviert"))
        return meeting
    return save_validated(meeting, actor=actor, reason=_("Planung geändert"))


def _check_not_in_past(meeting: Meeting) -> None:
    if meeting.date < timezone.localdate():
        raise ValidationError(
            {"date": _("Zu einer Sitzung in der Vergangenheit kann nicht eingeladen werden.")}, code="past"
        )


def _send_after_commit(kind: str, meeting_pk: int, *, actor: object | None = None, reason: str = "") -> None:
    """After the commit: store the agenda PDF of an invitation or update, then send the mail (with that PDF
    where the members' agenda is the public one). One callback, so the mail knows the stored version."""
    from werkstatt.meetings import notifications

    def send() -> None:
        archived = None
        if kind != "cancellation":  # a cancelled session keeps the invitation it had
            archived = invitation_document_archive_logged(actor=actor, meeting_pk=meeting_pk, reason=reason)
        notifications.send_invitation(meeting_pk, kind=kind, archived=archived)

    transaction.on_commit(send)


@transaction.atomic
def meeting_invite(*, actor: object | None, meeting: Meeting) -> Meeting:
    """Invite the delegates: the state changes now, the mail goes out after the commit."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_not_in_past(meeting)
    if not meeting.agenda_items.exists():
        raise ValidationError(_("Eine Sitzung ohne Tagesordnung kann nicht eingeladen werden."), code="no_agenda")
    meeting = meeting_transition(actor=actor, meeting=meeting, target=MeetingState.INVITED)
    _send_after_commit("invitation", meeting.pk, actor=actor, reason=_("Einladung mit Tagesordnung archiviert"))
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: object | None, meeting: Meeting) -> Meeting:
    """Cancel; the invited get a cancellation with the same UID and a higher SEQUENCE."""
    was_invited = Meeting.objects.select_for_update().get(pk=meeting.pk).state == MeetingState.INVITED
    meeting = meeting_transition(actor=actor, meeting=meeting, target=MeetingState.CANCELLED)
    if was_invited:
        meeting.ics_sequence += 1
        meeting = save_validated(meeting, actor=actor, reason=_("Absage versandt"))
        _send_after_commit("cancellation", meeting.pk)
    return meeting


def meeting_mark_held(*, actor: object | None, meeting: Meeting) -> Meeting:
    return meeting_transition(actor=actor, meeting=meeting, target=MeetingState.HELD)


# --- the agenda ----------------------------------------------------------------------------


@transaction.atomic
def agenda_item_update(
    *,
    actor: object | None,
    item: AgendaItem,
    number: str,
    title: str,
    note: str = "",
    kind: str = AgendaItemKind.ORDINARY,
    public: bool = True,
    approves_meeting: Meeting | None = None,
) -> AgendaItem:
    _ensure_plannable(item.meeting_id)
    item.number, item.title, item.note = number.strip(), normalise_text(title), normalise_text(note)
    item.kind, item.public, item.approves_meeting = kind, public, approves_meeting
    return save_validated(item, actor=actor, reason=_("TOP geändert"))


@transaction.atomic
def agenda_item_delete(*, actor: object | None, item: AgendaItem) -> None:
    _ensure_plannable(item.meeting_id)
    if actor is not None and getattr(actor, "is_authenticated", False):
        item._history_user = actor  # type: ignore[attr-defined]
    item.presenters.all().delete()
    item.delete()


@transaction.atomic
def agenda_item_move(*, actor: object | None, item: AgendaItem, offset: int) -> AgendaItem:
    """Move an item one place up (``offset=-1``) or down (``+1``) in the agenda."""
    _ensure_plannable(item.meeting_id)
    items = list(AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id).order_by("order"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return item
    a, b = items[index], items[target]
    # The unique (meeting, order) constraint is checked per statement: park one item first.
    parking = max(i.order for i in items) + 1
    a_order, b_order = a.order, b.order
    a.order = parking
    save_validated(a, actor=actor)
    b.order = a_order
    save_validated(b, actor=actor, reason=_("TOP verschoben"))
    a.order = b_order
    return save_validated(a, actor=actor, reason=_("TOP verschoben"))


@transaction.atomic
def presenter_add(*, actor: object | None, item: AgendaItem, presenter: PresenterInput) -> AgendaItemPresenter:
    _ensure_plannable(item.meeting_id)
    order = (item.presenters.aggregate(m=Max("order"))["m"] or 0) + 1
    return presenter_row_create(actor=actor, item=item, order=order, presenter=presenter)


@transaction.atomic
def presenter_remove(*, actor: object | None, presenter: AgendaItemPresenter) -> None:
    _ensure_plannable(presenter.agenda_item.meeting_id)
    if actor is not None and getattr(actor, "is_authenticated", False):
        presenter._history_user = actor  # type: ignore[attr-defined]
    presenter.delete()


def validate_agenda_number(value: str) -> str:
    """The cleaned TOP number, or a German error (for forms that check before the service)."""
    agenda_number_validator(value.strip())
    return value.strip()


def _number_key(number: str) -> tuple[int, ...] | None:
    """``"4.1"`` as ``(4, 1)``, so that numbers sort as the agenda reads them; ``None`` if it is no TOP number."""
    if not AGENDA_NUMBER_RE.match(number):
        return None
    return tuple(int(part) for part in number.split("."))


@transaction.atomic
def agenda_item_add(
    *,
    actor: object | None,
    meeting: Meeting,
    number: str,
    title: str,
    note: str = "",
    kind: str = AgendaItemKind.ORDINARY,
    public: bool = True,
    approves_meeting: Meeting | None = None,
) -> AgendaItem:
    """Add an item where its number belongs, the items after it moving down one place.

    It goes right after the item with the next lower number, wherever that stands: "4.1" after "4",
    "3.1" between "3" and "4", "3.2" after "3.1"; an item numbered lower than all others goes first.
    """
    _ensure_plannable(meeting.pk)
    number = number.strip()
    try:
        agenda_number_validator(number)
    except ValidationError as error:
        raise ValidationError({"number": error.messages}, code="invalid") from error
    key = _number_key(number)
    assert key is not None  # noqa: S101 - the validator accepted it
    items = list(AgendaItem.objects.select_for_update().filter(meeting_id=meeting.pk).order_by("order"))
    lower = [(k, item) for item in items if (k := _number_key(item.number)) is not None and k < key]
    position = items[0].order if items else 1
    if lower:
        position = max(lower, key=lambda pair: pair[0])[1].order + 1
    # The unique (meeting, order) constraint is checked per statement: move the last item first.
    for item in reversed(items):
        if item.order >= position:
            item.order += 1
            save_validated(item, actor=actor, reason=_("TOP verschoben"))
    return agenda_item_create(
        actor=actor,
        meeting=meeting,
        number=number,
        title=title,
        note=note,
        kind=kind,
        public=public,
        approves_meeting=approves_meeting,
        order=position,
    )


@transaction.atomic
def presenter_add_new_person(
    *,
    actor: object | None,
    item: AgendaItem,
    given_name: str,
    family_name: str,
    title: str = "",
    function: str = "",
    organization: Organization | None = None,
    organization_name: str = "",
) -> AgendaItemPresenter:
    """Create a person on the spot and add them as presenter, both or neither.

    The person is stored with ``function`` and ``organization``; the presenter row keeps them as
    stated for this item. If the item cannot take presenters (approved minutes, cancelled session)
    or the person is refused, nothing is written.
    """
    errors = {}
    if not normalise_text(given_name):
        errors["given_name"] = _("Bitte geben Sie den Vornamen der vortragenden Person an.")
    if not normalise_text(family_name):
        errors["family_name"] = _("Bitte geben Sie den Nachnamen der vortragenden Person an.")
    if errors:
        raise ValidationError(errors, code="required")
    body = Body.objects.get(workshops__meetings=item.meeting_id)
    person = person_create(
        actor=actor,
        body=body,
        title=title,
        given_name=given_name,
        family_name=family_name,
        function=function,
        organization=organization,
    )
    return presenter_add(
        actor=actor,
        item=item,
        presenter=PresenterInput(
            person=person, function=function, organization=organization, organization_name=organization_name
        ),
    )

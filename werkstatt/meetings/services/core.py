"""Every write to sessions and their agendas, with the minutes lock enforced in one place."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from werkstatt.core.richtext import sanitise_html
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.documents.models import File
from werkstatt.geo.models import Location
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter, Meeting
from werkstatt.meetings.services.documents import minutes_document_archive_after_commit
from werkstatt.meetings.workflow import (
    LOCKED_MINUTES_STATES,
    MeetingState,
    MinutesState,
    check_meeting_transition,
    check_minutes_transition,
)
from werkstatt.organizations.models import Organization, Person, Workshop


@dataclass(frozen=True)
class PresenterInput:
    """A presenter as the minutes name them; either a person or a group such as "Alle Werkstattmitglieder"."""

    person: Person | None = None
    group_label: str = ""
    function: str = ""
    organization: Organization | None = None
    organization_name: str = ""


def ensure_minutes_editable(meeting_id: int) -> None:
    # Read and lock the stored state: the caller's copy may predate the approval, and the row lock
    # keeps a concurrent approval from slipping between this check and the write.
    minutes_state = Meeting.objects.select_for_update().values_list("minutes_state", flat=True).get(pk=meeting_id)
    if minutes_state in LOCKED_MINUTES_STATES:
        raise ValidationError(
            _("Das Protokoll dieser Sitzung ist bestätigt und kann nicht mehr geändert werden."), code="minutes_locked"
        )


@transaction.atomic
def meeting_create(
    *,
    actor: object | None,
    workshop: Workshop,
    date: dt.date,
    number: int | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    location: Location | None = None,
    chair: Person | None = None,
    chair_function: str = "",
    minute_taker: Person | None = None,
    minute_taker_function: str = "",
    files: Sequence[File] = (),
) -> Meeting:
    meeting = save_validated(
        Meeting(
            workshop=workshop,
            number=number,
            date=date,
            start_time=start_time,
            end_time=end_time,
            location=location,
            chair=chair,
            chair_function=normalise_text(chair_function),
            minute_taker=minute_taker,
            minute_taker_function=normalise_text(minute_taker_function),
        ),
        actor=actor,
    )
    if files:
        meeting.files.set(list(files))
    return meeting


@transaction.atomic
def meeting_transition(*, actor: object | None, meeting: Meeting, target: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_meeting_transition(meeting.state, target)
    meeting.state = MeetingState(target)
    return save_validated(meeting, actor=actor, reason=f"Status: {MeetingState(target).label}")


@transaction.atomic
def meeting_minutes_transition(*, actor: object | None, meeting: Meeting, target: str, reason: str = "") -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_minutes_transition(meeting.minutes_state, target, meeting_state=meeting.state)
    meeting.minutes_state = MinutesState(target)
    meeting = save_validated(meeting, actor=actor, reason=reason or f"Protokoll: {MinutesState(target).label}")
    if meeting.minutes_state == MinutesState.PUBLISHED:
        # Every way to publish (the office, the import, the demo) passes here: the PDF is stored after the commit.
        minutes_document_archive_after_commit(
            actor=actor, meeting=meeting, reason=_("Veröffentlichtes Ergebnisprotokoll archiviert")
        )
    return meeting


@transaction.atomic
def agenda_item_create(
    *,
    actor: object | None,
    meeting: Meeting,
    number: str,
    title: str,
    note: str = "",
    kind: str = AgendaItemKind.ORDINARY,
    approves_meeting: Meeting | None = None,
    result: str = "",
    public: bool = True,
    presenters: Sequence[PresenterInput] = (),
    order: int | None = None,
) -> AgendaItem:
    ensure_minutes_editable(meeting.pk)
    if order is None:
        order = (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = save_validated(
        AgendaItem(
            meeting=meeting,
            order=order,
            number=number.strip(),
            title=normalise_text(title),
            note=normalise_text(note),
            kind=kind,
            approves_meeting=approves_meeting,
            result=sanitise_html(normalise_text(result)),
            public=public,
        ),
        actor=actor,
    )
    for position, presenter in enumerate(presenters, start=1):
        presenter_row_create(actor=actor, item=item, order=position, presenter=presenter)
    return item


def presenter_row_create(
    *, actor: object | None, item: AgendaItem, order: int, presenter: PresenterInput
) -> AgendaItemPresenter:
    return save_validated(
        AgendaItemPresenter(
            agenda_item=item,
            order=order,
            person=presenter.person,
            group_label=normalise_text(presenter.group_label),
            function=normalise_text(presenter.function),
            organization=presenter.organization,
            organization_name=normalise_text(presenter.organization_name),
        ),
        actor=actor,
    )


@transaction.atomic
def agenda_item_set_result(*, actor: object | None, item: AgendaItem, result: str) -> AgendaItem:
    ensure_minutes_editable(item.meeting_id)
    item.result = sanitise_html(normalise_text(result))
    return save_validated(item, actor=actor, reason="Ergebnis geändert")

"""During and after a session: attendance, results, circulation, comments, approval, publication, errata."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from werkstatt.accounts.models import User
from werkstatt.core.richtext import sanitise_html
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.documents.models import File
from werkstatt.documents.services import file_upload
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Erratum, Meeting, MinutesComment
from werkstatt.meetings.services.core import ensure_minutes_editable, meeting_minutes_transition
from werkstatt.meetings.services.documents import minutes_document_archive_after_commit
from werkstatt.meetings.workflow import LOCKED_MINUTES_STATES, MeetingState, MinutesState
from werkstatt.organizations.models import Organization, Person


class ResultConflict(ValidationError):
    """Someone else saved this result since it was loaded: nobody's text is overwritten silently."""

    def __init__(self, *, item: AgendaItem, submitted: str) -> None:
        super().__init__(
            _(
                "Dieses Ergebnis wurde inzwischen von jemand anderem geändert. Ihr Text wurde nicht gespeichert: "
                "Bitte vergleichen Sie beide Fassungen und speichern Sie erneut."
            ),
            code="conflict",
        )
        self.item = item
        self.submitted = submitted


@transaction.atomic
def meeting_set_attendance(
    *, actor: object | None, meeting: Meeting, persons: Iterable[Person], organizations: Iterable[Organization]
) -> Meeting:
    ensure_minutes_editable(meeting.pk)
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.state not in (MeetingState.INVITED, MeetingState.HELD):
        raise ValidationError(_("Anwesenheit wird erst für eine eingeladene Sitzung erfasst."), code="not_invited")
    meeting.attendees.set(list(persons))
    meeting.attending_organizations.set(list(organizations))
    # The links have no history of their own: the meeting's history row records who changed them.
    return save_validated(meeting, actor=actor, reason=_("Anwesenheit erfasst"))


@transaction.atomic
def agenda_item_save_result(
    *, actor: object | None, item: AgendaItem, result: str, based_on_version: int
) -> AgendaItem:
    """Save a result written on top of version ``based_on_version``; refuse if it changed meanwhile."""
    ensure_minutes_editable(item.meeting_id)
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    cleaned = sanitise_html(normalise_text(result))
    if current.result_version != based_on_version:
        if current.result == cleaned:
            return current
        raise ResultConflict(item=current, submitted=cleaned)
    if current.result == cleaned:
        return current
    current.result = cleaned
    current.result_version += 1
    return save_validated(current, actor=actor, reason=_("Ergebnis geändert"))


@transaction.atomic
def minutes_circulate(*, actor: object | None, meeting: Meeting) -> Meeting:
    """Send the draft to the members; they may comment until the next session approves it."""
    meeting = meeting_minutes_transition(actor=actor, meeting=meeting, target=MinutesState.CIRCULATED)
    from werkstatt.meetings import notifications

    pk = meeting.pk
    transaction.on_commit(lambda: notifications.send_minutes_circulated(pk))
    return meeting


@transaction.atomic
def minutes_comment_add(
    *, actor: User, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None
) -> MinutesComment:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_state != MinutesState.CIRCULATED:
        raise ValidationError(_("Anmerkungen sind nur zu einem versandten Protokollentwurf möglich."), code="state")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Dieser TOP gehört nicht zu dieser Sitzung."), code="foreign_item")
    return save_validated(
        MinutesComment(meeting=meeting, agenda_item=agenda_item, author=actor, text=normalise_text(text)),
        actor=actor,
    )


@transaction.atomic
def minutes_approve(*, actor: object | None, approval_item: AgendaItem) -> Meeting:
    """Approve earlier minutes by recording the result of the approval item of a later, held session.

    The approved minutes are locked from then on; the approval item's result says so in the
    words of the minutes ("Das Protokoll der 15. Sitzung wird bestätigt.").
    """
    approval_item = AgendaItem.objects.select_related("meeting", "approves_meeting").get(pk=approval_item.pk)
    approving = approval_item.meeting
    target = approval_item.approves_meeting
    if approval_item.kind != AgendaItemKind.MINUTES_APPROVAL or target is None:
        raise ValidationError(_("Protokolle werden unter dem TOP „Bestätigung des Protokolls“ bestätigt."))
    if approving.state != MeetingState.HELD:
        raise ValidationError(
            _(
                "Ein Protokoll wird in einer durchgeführten Sitzung bestätigt; "
                "diese Sitzung hat noch nicht stattgefunden."
            )
        )
    if target.minutes_state in LOCKED_MINUTES_STATES:
        raise ValidationError(
            _("Das Protokoll der Sitzung vom %(date)s ist bereits bestätigt.") % {"date": f"{target.date:%d.%m.%Y}"},
            code="already_approved",
        )
    reason = _("Bestätigt in: %(meeting)s, TOP %(number)s") % {
        "meeting": approving.title,
        "number": approval_item.number,
    }
    if target.minutes_state == MinutesState.DRAFT:
        raise ValidationError(
            _("Der Protokollentwurf muss zuerst an die Mitglieder versandt werden."), code="not_circulated"
        )
    target = meeting_minutes_transition(actor=actor, meeting=target, target=MinutesState.APPROVED, reason=reason)
    sentence = (
        _("Das Protokoll der %(number)s. Sitzung wird bestätigt.") % {"number": target.number}
        if target.number
        else _("Das Protokoll der Sitzung vom %(date)s wird bestätigt.") % {"date": f"{target.date:%d.%m.%Y}"}
    )
    if approving.minutes_state not in LOCKED_MINUTES_STATES and sentence not in approval_item.result:
        approval_item.result = sanitise_html(f"{approval_item.result}<p>{sentence}</p>")
        approval_item.result_version += 1
        save_validated(approval_item, actor=actor, reason=reason)
    return target


def minutes_publish(*, actor: object | None, meeting: Meeting) -> Meeting:
    return meeting_minutes_transition(actor=actor, meeting=meeting, target=MinutesState.PUBLISHED)


@transaction.atomic
def erratum_add(*, actor: User, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None) -> Erratum:
    """A visible correction of approved minutes; the minutes themselves stay as approved."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_state not in LOCKED_MINUTES_STATES:
        raise ValidationError(
            _("Ein Protokoll, das noch nicht bestätigt ist, wird direkt berichtigt, nicht durch ein Erratum."),
            code="not_locked",
        )
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Dieser TOP gehört nicht zu dieser Sitzung."), code="foreign_item")
    cleaned = sanitise_html(normalise_text(text))
    if not cleaned:
        raise ValidationError({"text": _("Eine Berichtigung braucht einen Text.")})
    erratum = save_validated(Erratum(meeting=meeting, agenda_item=agenda_item, text=cleaned, author=actor), actor=actor)
    if meeting.minutes_state == MinutesState.PUBLISHED:
        # A new version of the published PDF; the earlier one stays (approved minutes never change silently).
        minutes_document_archive_after_commit(
            actor=actor, meeting=meeting, reason=_("Ergebnisprotokoll mit Berichtigung neu archiviert")
        )
    return erratum


@transaction.atomic
def meeting_file_upload(
    *,
    actor: object | None,
    meeting: Meeting,
    upload: UploadedFile,
    name: str = "",
    public: bool = True,
    agenda_item: AgendaItem | None = None,
) -> File:
    """Attach an uploaded file (presentation, attendance list) to a session or one of its items.

    Files belong to the minutes: once they are approved, nothing is added any more.
    """
    ensure_minutes_editable(meeting.pk)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError(_("Dieser TOP gehört nicht zu dieser Sitzung."), code="foreign_item")
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("Zu einer abgesagten Sitzung werden keine Dateien hochgeladen."), code="cancelled")
    target: AgendaItem | Meeting = agenda_item if agenda_item is not None else meeting
    return file_upload(actor=actor, upload=upload, name=name, public=public, attach_to=[target])

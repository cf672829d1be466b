"""Mail about sessions: invitations with calendar entry and agenda, updates, cancellations, circulated minutes.

Called by the services through ``transaction.on_commit``: nothing is sent for a write that
was rolled back. Each function loads what it needs afresh by primary key.
"""

from email.mime.text import MIMEText

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.documents.models import File
from werkstatt.documents.selectors import file_content
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import MeetingPage, meeting_get_for_user, meeting_recipients, meeting_staff_page

SUBJECTS = {
    "invitation": _("Einladung: %(title)s am %(date)s"),
    "update": _("Geänderte Einladung: %(title)s am %(date)s"),
    "cancellation": _("Abgesagt: %(title)s am %(date)s"),
}


def _calendar_part(ics: bytes, *, method: str) -> MIMEText:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="sitzung.ics")
    return part


def _public_url(meeting: Meeting) -> str:
    return settings.WERKSTATT_BASE_URL + reverse("portal:meeting-detail", args=[meeting.pk])


def _agenda_attachment(page: MeetingPage, archived: File | None) -> bytes:
    """The agenda for the members: the stored invitation document where it shows the same as their agenda
    (no internal item or file), so the mail carries the very bytes that were published; else rendered for them."""
    from werkstatt.exports.minutes import agenda_pdf

    if archived is not None and page.shows_the_same_as(meeting_get_for_user(AnonymousUser(), page.meeting.pk)):
        content = file_content(archived)
        if content is not None:
            return content
    return agenda_pdf(page)


def send_invitation(meeting_pk: int, *, kind: str, archived: File | None = None) -> int:
    """Send an invitation, an update or a cancellation to every member of the workshop; returns the count.

    ``archived`` is the agenda PDF just stored as the session's ``invitation_document``, if any.
    """
    from werkstatt.exports.ics import meeting_ics
    from werkstatt.exports.minutes import AGENDA, PDF_CONTENT_TYPE, export_filename

    page = meeting_staff_page(meeting_pk)
    meeting = page.meeting
    recipients = meeting_recipients(meeting)
    if not recipients:
        return 0
    cancelled = kind == "cancellation"
    url = _public_url(meeting)
    context = {"page": page, "meeting": meeting, "kind": kind, "url": url}
    message = EmailMessage(
        subject=SUBJECTS[kind] % {"title": meeting.title, "date": f"{meeting.date:%d.%m.%Y}"},
        body=render_to_string("meetings/mail/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.DEFAULT_FROM_EMAIL],
        bcc=recipients,
    )
    ics = meeting_ics(
        meeting, sequence=meeting.ics_sequence, cancelled=cancelled, agenda_items=page.agenda_items, url=url
    )
    message.attach(_calendar_part(ics, method="CANCEL" if cancelled else "REQUEST"))
    if not cancelled:
        message.attach(export_filename(meeting, AGENDA, "pdf"), _agenda_attachment(page, archived), PDF_CONTENT_TYPE)
    message.send()
    return len(recipients)


def send_minutes_circulated(meeting_pk: int) -> int:
    """Tell the members that the draft minutes are there to read and comment on."""
    page = meeting_staff_page(meeting_pk)
    meeting = page.meeting
    recipients = meeting_recipients(meeting)
    if not recipients:
        return 0
    # Straight to the minutes page, where members read the draft and leave their comments.
    url = settings.WERKSTATT_BASE_URL + reverse("office:minutes", args=[meeting.pk])
    EmailMessage(
        subject=_("Protokollentwurf zur Durchsicht: %(title)s") % {"title": meeting.title},
        body=render_to_string(
            "meetings/mail/minutes_circulated.txt", {"meeting": meeting, "url": url, "now": timezone.now()}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.DEFAULT_FROM_EMAIL],
        bcc=recipients,
    ).send()
    return len(recipients)

"""The published documents of a session, stored once: the minutes PDF when they are published, the agenda PDF
sent with the invitation.

Each is a public ``documents.File`` (PDF bytes, size, SHA-512, the text read back from the PDF) linked from
``Meeting.minutes_document`` or ``Meeting.invitation_document``, so that every download, the open-data interface
and a reader years later get the same bytes. The PDF shows what the public sees (``meeting_get_for_user`` with an
anonymous user). A new version (an erratum, a corrected import, a changed invitation) is a new File and the
session points to the newest; the earlier files stay, and the session's history rows (with the reason) point to
each version.

The services that publish or change such a document call ``minutes_document_archive_after_commit`` (and
``planning`` calls ``invitation_document_archive_logged`` from its mail callback): rendering takes a few tenths of
a second that the transaction should not hold its locks for, nothing is stored for a write that is rolled back
(the import's dry run), and a failed render is logged and does not undo the change. ``documents_archive_missing``
(``bin/werkstatt archive-documents``) stores what is missing, e.g. for sessions published before this existed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from werkstatt.core.services import save_validated
from werkstatt.documents.models import File
from werkstatt.documents.services import file_create
from werkstatt.exports.minutes import AGENDA, MINUTES, agenda_pdf, export_filename, minutes_pdf
from werkstatt.meetings.models import Erratum, Meeting
from werkstatt.meetings.selectors import MeetingPage, meeting_get_for_user
from werkstatt.meetings.workflow import MeetingState, MinutesState

logger = logging.getLogger(__name__)

PDF_MIME_TYPE = "application/pdf"


@dataclass(frozen=True)
class DocumentKind:
    """One kind of published document: which field holds it, when it is due, how it is made and named."""

    field: str
    label: str | Promise  # for messages: "Ergebnisprotokoll", "Einladung"
    document: str  # the document part of the file name, as in the downloads
    due: tuple[str, str]  # (field of Meeting, value): the document exists from then on
    render: Callable[[MeetingPage], bytes]
    name: Callable[[MeetingPage], str]

    def is_due(self, meeting: Meeting) -> bool:
        name, value = self.due
        return bool(getattr(meeting, name) == value)


def _minutes_name(page: MeetingPage) -> str:
    title = page.meeting.title
    if not page.errata:
        return _("Ergebnisprotokoll – %(meeting)s") % {"meeting": title}
    return ngettext(
        "Ergebnisprotokoll – %(meeting)s, mit %(count)d Berichtigung",
        "Ergebnisprotokoll – %(meeting)s, mit %(count)d Berichtigungen",
        len(page.errata),
    ) % {"meeting": title, "count": len(page.errata)}


def _invitation_name(page: MeetingPage) -> str:
    if page.meeting.ics_sequence:
        return _("Geänderte Einladung mit Tagesordnung – %(meeting)s") % {"meeting": page.meeting.title}
    return _("Einladung mit Tagesordnung – %(meeting)s") % {"meeting": page.meeting.title}


PUBLISHED_MINUTES = DocumentKind(
    field="minutes_document",
    label=gettext_lazy("Ergebnisprotokoll"),
    document=MINUTES,
    due=("minutes_state", MinutesState.PUBLISHED),
    render=minutes_pdf,
    name=_minutes_name,
)
INVITATION = DocumentKind(
    field="invitation_document",
    label=gettext_lazy("Einladung"),
    document=AGENDA,
    due=("state", MeetingState.INVITED),
    render=agenda_pdf,
    name=_invitation_name,
)
KINDS = (PUBLISHED_MINUTES, INVITATION)


def pdf_text(content: bytes, file_name: str) -> str:
    """The text of a PDF, read the way the legacy import reads PDFs (pdfplumber; lines rebuilt, page numbers
    and running footers left out), so that stored PDFs of either origin carry comparable text."""
    from werkstatt.importers.minutes.readers import read_document

    return read_document(content, file_name).text


def _version(meeting: Meeting, errata: Iterable[int]) -> tuple[Any, ...]:
    """What a rendered document depends on and what may change while it renders (a later write schedules its
    own document, so an outdated rendering is dropped rather than stored over the newer one)."""
    return meeting.state, meeting.minutes_state, meeting.ics_sequence, tuple(sorted(errata))


def document_archive(*, actor: Any, meeting: Meeting, kind: DocumentKind, reason: str) -> File | None:
    """Render ``kind`` for ``meeting`` as the public sees it, store it and point the session to it.

    Returns the session's document: the new one; the stored one if the new rendering reads the same (nothing
    new is stored); ``None`` if the document is not due (minutes not published, session no longer invited) or
    the session changed while rendering (the change brings its own document). The PDF is rendered before the
    transaction, like the status report, so no row stays locked while WeasyPrint works.
    """
    return _archive(actor=actor, meeting_pk=meeting.pk, kind=kind, reason=reason)


def _archive(*, actor: Any, meeting_pk: int, kind: DocumentKind, reason: str) -> File | None:
    page = meeting_get_for_user(AnonymousUser(), meeting_pk)
    if not kind.is_due(page.meeting):
        return None
    rendered_version = _version(page.meeting, (e.pk for e in page.meeting.errata.all()))
    content = kind.render(page)
    file_name = export_filename(page.meeting, kind.document, "pdf")
    text = pdf_text(content, file_name)
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting_pk)
        errata = Erratum.objects.filter(meeting_id=current.pk).values_list("pk", flat=True)
        if not kind.is_due(current) or _version(current, errata) != rendered_version:
            logger.info(
                "%s der Sitzung %s nicht archiviert: sie hat sich beim Erzeugen geändert.", kind.label, current.pk
            )
            return None
        stored: File | None = getattr(current, kind.field)
        if stored is not None and stored.text == text:
            return stored
        document = file_create(
            actor=actor,
            name=kind.name(page),
            content=content,
            file_name=file_name,
            mime_type=PDF_MIME_TYPE,
            public=True,
            text=text,
        )
        try:
            setattr(current, kind.field, document)
            save_validated(current, actor=actor, reason=reason)
        except BaseException:
            document.file.delete(save=False)
            raise
    return document


def document_archive_logged(*, actor: Any, meeting_pk: int, kind: DocumentKind, reason: str) -> File | None:
    """``document_archive`` for a callback after the commit: an error is logged, never raised."""
    try:
        return _archive(actor=actor, meeting_pk=meeting_pk, kind=kind, reason=reason)
    except Exception:
        logger.exception(
            "%s der Sitzung %s konnte nicht als PDF archiviert werden; "
            "nachholen mit: bin/werkstatt archive-documents --meeting %s",
            kind.label,
            meeting_pk,
            meeting_pk,
        )
        return None


def minutes_document_archive_after_commit(*, actor: Any, meeting: Meeting, reason: str) -> None:
    """Store the published minutes once the current transaction is committed (nothing if it rolls back)."""
    meeting_pk = meeting.pk
    transaction.on_commit(
        lambda: document_archive_logged(actor=actor, meeting_pk=meeting_pk, kind=PUBLISHED_MINUTES, reason=reason),
        robust=True,
    )


def invitation_document_archive_logged(*, actor: Any, meeting_pk: int, reason: str) -> File | None:
    """Store the agenda PDF of an invitation; called after the commit, before the invitation mail goes out."""
    return document_archive_logged(actor=actor, meeting_pk=meeting_pk, kind=INVITATION, reason=reason)


@dataclass(frozen=True)
class ArchiveOutcome:
    meeting: Meeting
    kind: DocumentKind
    document: File | None = None
    error: str = ""


def documents_archive_missing(*, actor: Any, meeting: Meeting | None = None) -> list[ArchiveOutcome]:
    """Store every due document that is missing: published minutes without ``minutes_document``, invited
    sessions without ``invitation_document``; only those of ``meeting`` if given. Running it again stores
    nothing. A session whose document cannot be made is reported with the error; the others go on."""
    sessions = Meeting.objects.select_related("workshop").order_by("date", "pk")
    if meeting is not None:
        sessions = sessions.filter(pk=meeting.pk)
    outcomes = []
    for kind in KINDS:
        field, value = kind.due
        for session in sessions.filter(**{f"{kind.field}__isnull": True, field: value}):
            try:
                document = document_archive(
                    actor=actor, meeting=session, kind=kind, reason=_("Nachträglich archiviert")
                )
            except Exception as error:  # one broken session does not stop the others; the log has the traceback
                logger.exception("%s der Sitzung %s konnte nicht archiviert werden.", kind.label, session.pk)
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                outcomes.append(ArchiveOutcome(meeting=session, kind=kind, error=message))
                continue
            outcomes.append(ArchiveOutcome(meeting=session, kind=kind, document=document))
    return outcomes

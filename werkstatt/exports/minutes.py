"""Result minutes and agenda of a session as files: PDF (WeasyPrint, tagged PDF/UA-1) and Word (DOCX).

Every function takes the ``MeetingPage`` of ``meetings.selectors.meeting_get_for_user``, so an
export shows exactly what that user may see on the session page and costs no query beyond the
page's own. The layout follows the seed minutes: a heading ERGEBNISPROTOKOLL, the workshop and
session, then Allgemeines / Tagesordnung / Ergebnisse.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import MeetingPage

# Document names as in the file names; the headings inside the files are translated strings.
MINUTES = "Ergebnisprotokoll"
AGENDA = "Tagesordnung"

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- file names -----------------------------------------------------------------------------------

_GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_UNSAFE_RE = re.compile(r"[^A-Za-z0-9.]+")


def _file_name_part(text: str) -> str:
    """``Präsentation (Entwurf)`` -> ``Praesentation-Entwurf``: ASCII letters, digits, dots and hyphens."""
    text = unicodedata.normalize("NFKD", text.translate(_GERMAN_TRANSLITERATION))
    text = text.encode("ascii", "ignore").decode("ascii")
    return _UNSAFE_RE.sub("-", text).strip("-.")


def export_filename(meeting: Meeting, document: str, extension: str) -> str:
    """The download name, e.g. ``2024-01-24_Werkstatt-4_16-Sitzung_Ergebnisprotokoll.pdf``.

    ISO date first, so that a folder of downloads sorts by date; the session number is left out when it
    is not known (``2024-01-16_Werkstatt-2_Sitzung_Ergebnisprotokoll.pdf``). Names are ASCII only:
    umlauts are written out (``ä`` -> ``ae``, ``ß`` -> ``ss``) and anything else outside letters,
    digits and dots becomes a hyphen, because mail clients, zip tools and Windows shares
    still mangle non-ASCII file names.
    """
    session = f"{meeting.number}-Sitzung" if meeting.number else "Sitzung"
    parts = [meeting.date.isoformat(), _file_name_part(meeting.workshop.label), session, _file_name_part(document)]
    return "_".join(part for part in parts if part) + "." + _file_name_part(extension.lstrip(".")).lower()


# --- shared context -------------------------------------------------------------------------------


def _require(page: MeetingPage, *, minutes: bool) -> None:
    """An export never shows more than the session page would: interfaces check first, this guards."""
    if minutes and not page.show_minutes:
        raise ValueError("Das Ergebnisprotokoll dieser Sitzung ist für diesen Abruf nicht freigegeben.")
    if not page.show_agenda:
        raise ValueError("Die Tagesordnung dieser Sitzung ist für diesen Abruf nicht freigegeben.")


def document_context(page: MeetingPage, heading: str) -> dict[str, Any]:
    meeting = page.meeting
    return {
        "page": page,
        "meeting": meeting,
        "heading": heading,
        "document_title": f"{heading} – {meeting.title}",
        "description": f"{heading} der {meeting.title} – {meeting.workshop.title}",
        "author": meeting.minute_taker.name if meeting.minute_taker else "",
    }


# --- PDF ------------------------------------------------------------------------------------------


def _render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from werkstatt.exports.pdf import render_pdf  # WeasyPrint (and Pango) only when a PDF is asked for

    return render_pdf(template, context)


def minutes_pdf(page: MeetingPage) -> bytes:
    """The result minutes (Allgemeines, Tagesordnung, Ergebnisse) as an accessible A4 PDF."""
    _require(page, minutes=True)
    return _render_pdf("exports/minutes.html", document_context(page, _("Ergebnisprotokoll")))


def agenda_pdf(page: MeetingPage) -> bytes:
    """The agenda alone (Allgemeines, Tagesordnung), e.g. as the invitation's attachment."""
    _require(page, minutes=False)
    return _render_pdf("exports/agenda.html", document_context(page, _("Tagesordnung")))


# --- Word -----------------------------------------------------------------------------------------


def minutes_docx(page: MeetingPage) -> bytes:
    """The result minutes as a Word document with real tables, headings and lists."""
    from werkstatt.exports.word import minutes_document  # python-docx only when a DOCX is asked for

    _require(page, minutes=True)
    return minutes_document(page, document_context(page, _("Ergebnisprotokoll")))

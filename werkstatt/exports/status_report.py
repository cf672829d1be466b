"""The status report "Aktueller Sachstand der Projekte" as a tagged A4 PDF (PDF/UA-1), like the minutes.

Takes a ``projects.report.StatusReport`` that the caller has already computed (and whose reader the
caller has checked), so rendering costs no query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from werkstatt.exports.minutes import PDF_CONTENT_TYPE, _file_name_part

if TYPE_CHECKING:
    from werkstatt.meetings.models import Meeting
    from werkstatt.projects.report import StatusReport

__all__ = ["PDF_CONTENT_TYPE", "status_report_filename", "status_report_pdf"]

DOCUMENT = "Sachstand der Projekte"


def status_report_filename(report: StatusReport) -> str:
    """``2024-01-24_Sachstand-der-Projekte_Werkstatt-4.pdf``: ISO date of the report first, ASCII only."""
    scope = report.workshop.label if report.workshop is not None else "alle Werkstaetten"
    parts = [report.generated_on.isoformat(), _file_name_part(DOCUMENT), _file_name_part(scope)]
    return "_".join(parts) + ".pdf"


def status_report_pdf(report: StatusReport, *, meeting: Meeting | None = None) -> bytes:
    """The report as PDF; with ``meeting``, headed as the report for that session."""
    from werkstatt.exports.pdf import render_pdf  # WeasyPrint (and Pango) only when a PDF is asked for

    heading = report.title
    context = {
        "report": report,
        "meeting": meeting,
        "heading": heading,
        "document_title": f"{heading} – {report.scope_label}",
        "description": f"{heading}, {report.scope_label}, Stand {report.generated_on:%d.%m.%Y}",
        "author": "",
    }
    return render_pdf("exports/status_report.html", context)

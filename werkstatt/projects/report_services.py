"""Writing the status report: the PDF for a session, attached to its standing item "Aktueller Sachstand
der Projekte" (``AgendaItemKind.PROJECT_REPORT``).

``meetings.services.planning.meeting_plan`` calls ``status_report_attach_after_commit`` for every session
it plans, so a planned session has its report without anyone asking; the button on the office's
session page calls ``status_report_attach`` again when the figures have moved.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.core.dates import format_date
from werkstatt.core.services import save_validated
from werkstatt.documents.models import File
from werkstatt.documents.services import file_create
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, Meeting
from werkstatt.meetings.services.core import ensure_minutes_editable
from werkstatt.meetings.workflow import MeetingState
from werkstatt.projects.report import DEFAULT_SINCE, TITLE, status_report_build

logger = logging.getLogger(__name__)

# A generated report is known by both its name and its file name (``2024-02-14_Werkstatt-4_17-Sitzung_
# Sachstand-der-Projekte.pdf``, named like the session's other exports): an upload by hand is never replaced.
REPORT_NAME_PREFIX = f"{TITLE} – Stand "
REPORT_FILE_SUFFIX = "_Sachstand-der-Projekte.pdf"
# The sessions that still get a (new) report: one that was held keeps the report it was given.
OPEN_STATES = frozenset({MeetingState.PLANNED, MeetingState.INVITED})


def report_files_of(item: AgendaItem) -> list[File]:
    """The generated status reports attached to ``item`` (normally one)."""
    return list(
        item.files.filter(name__startswith=REPORT_NAME_PREFIX, file_name__endswith=REPORT_FILE_SUFFIX).order_by(
            "-created", "-pk"
        )
    )


def _check(item: AgendaItem, meeting: Meeting, *, locked: bool = False) -> None:
    """The item is the status item of a planned or invited session; with ``locked`` (inside the write's
    transaction) the session's minutes are also read under a lock and must not be approved."""
    if item.kind != AgendaItemKind.PROJECT_REPORT:
        raise ValidationError(
            _("Der Sachstand der Projekte wird nur an den TOP „Aktueller Sachstand der Projekte“ angehängt."),
            code="wrong_item",
        )
    if meeting.state not in OPEN_STATES:
        raise ValidationError(
            _("Der Sachstand wird nur für geplante oder eingeladene Sitzungen erzeugt; diese Sitzung ist „%(state)s“.")
            % {"state": meeting.get_state_display()},
            code="closed",
        )
    if locked:
        ensure_minutes_editable(meeting.pk)


def status_report_attach(*, actor: Any, item: AgendaItem) -> File:
    """Render the report for the session of ``item`` and attach it, replacing the report generated before.

    The report covers the session's workshop: projects confirmed since March 2021, the changes since the
    workshop's previous held session, the milestones of the session's year. The file is internal
    (``public=False``). An earlier generated report is taken off the item but kept, with a history row
    saying that it was replaced. The PDF is rendered before the transaction, so no row stays locked
    while WeasyPrint works.
    """
    meeting = Meeting.objects.select_related("workshop").get(pk=item.meeting_id)
    _check(item, meeting)
    # The changes since the workshop's last held session before this one; the milestones of its year.
    report = status_report_build(
        workshop=meeting.workshop, since=DEFAULT_SINCE, year=meeting.date.year, before=meeting.date
    )

    from werkstatt.exports.minutes import export_filename
    from werkstatt.exports.status_report import DOCUMENT, status_report_pdf

    content = status_report_pdf(report, meeting=meeting)
    file_name = export_filename(meeting, DOCUMENT, "pdf")
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        meeting = Meeting.objects.select_related("workshop").get(pk=item.meeting_id)
        _check(item, meeting, locked=True)  # again under the lock: the session may have moved on meanwhile
        for old in report_files_of(item):
            item.files.remove(old)
            save_validated(old, actor=actor, reason=_("Durch einen neueren Sachstand ersetzt"))
        document = file_create(
            actor=actor,
            name=f"{REPORT_NAME_PREFIX}{format_date(timezone.localdate())}",
            content=content,
            file_name=file_name,
            mime_type="application/pdf",
            public=False,
        )
        item.files.add(document)
    return document


def status_report_attach_after_commit(*, actor: Any, meeting: Meeting) -> None:
    """Attach the report to the status item of a newly planned session once the planning is committed.

    After the commit, because rendering takes a few tenths of a second that the planning transaction
    should not hold its locks for, and because a failed render must not undo the planning: the error is
    logged, and the office can press "Sachstand für diese Sitzung erzeugen" on the session page.
    """
    meeting_pk = meeting.pk

    def attach() -> None:
        item = (
            AgendaItem.objects.filter(meeting_id=meeting_pk, kind=AgendaItemKind.PROJECT_REPORT)
            .order_by("order")
            .first()
        )
        if item is None:
            return
        try:
            status_report_attach(actor=actor, item=item)
        except ValidationError as error:  # the session was cancelled or held before the commit ran
            logger.info("Kein Sachstand für Sitzung %s: %s", meeting_pk, "; ".join(error.messages))

    transaction.on_commit(attach, robust=True)

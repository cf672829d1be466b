"""Importing legacy minutes: upload one or many files, see for each what it would become, then import.

Uploaded files wait in the pending store (``importers.minutes.pending``) of the uploading user.
The preview runs the real import of every pending file as a dry run; "Importieren" runs it again
for real, all or nothing per document, so what is stored is checked once more at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from werkstatt.accounts import rules
from werkstatt.core.dates import format_date, format_date_time_range
from werkstatt.core.richtext import sanitise_html
from werkstatt.importers.minutes.parsed import ERROR, INFO, WARNING, Finding, ParsedItem, ParsedProject
from werkstatt.importers.minutes.pending import PendingDocument, PendingStore
from werkstatt.importers.minutes.report import (
    CHANGE,
    CREATE,
    MATCH,
    NEW,
    REFUSED,
    REMOVE,
    UNCHANGED,
    UPDATED,
    DocumentReport,
    PlannedEntity,
)
from werkstatt.importers.minutes.services import minutes_import
from werkstatt.office.access import office_required, require
from werkstatt.office.forms_minutes_import import CommitForm, MinutesUploadForm, PendingForm
from werkstatt.projects.models import ConsultationOutcome

BADGES = {NEW: "success", UPDATED: "info", UNCHANGED: "info", REFUSED: "danger"}
ENTITY_BADGES = {CREATE: "success", MATCH: "info", CHANGE: "warning", REMOVE: "danger"}
LEVEL_HEADINGS = ((ERROR, "Fehler"), (WARNING, "Warnungen"), (INFO, "Hinweise"))


def _store(request: HttpRequest) -> PendingStore:
    store = PendingStore(request.session, request.user)
    store.purge_expired()
    return store


def _import(request: HttpRequest, store: PendingStore, pending: PendingDocument, *, dry_run: bool) -> DocumentReport:
    try:
        return minutes_import(
            content=store.content(pending),
            file_name=pending.file_name,
            actor=request.user,
            workshop_number=pending.workshop_number,
            dry_run=dry_run,
        )
    except ValidationError as error:
        # The service reports what it cannot read as findings; anything it still refuses is shown the same way.
        findings = [Finding(level=ERROR, message=message) for message in error.messages]
        return DocumentReport(file_name=pending.file_name, dry_run=dry_run, outcome=REFUSED, findings=findings)


# --- the preview's view of a report ---------------------------------------------------------------


@dataclass
class ProjectView:
    project: ParsedProject
    outcome: str
    lead_outcome: str
    lead_date: str


@dataclass
class ItemView:
    item: ParsedItem
    result: str  # sanitised again before it is shown
    doubts: list[str]  # warnings and errors that point at the item's line
    projects: list[ProjectView]


@dataclass
class FindingGroup:
    level: str
    heading: str
    findings: list[tuple[Finding, str, str]]  # the finding, its place unless the message names it, its line's anchor


@dataclass
class DocumentView:
    pending: PendingDocument
    report: DocumentReport
    anchor: str
    badge: str
    when: str = ""
    approves: str = ""
    items: list[ItemView] = field(default_factory=list)
    groups: list[FindingGroup] = field(default_factory=list)
    entities: list[tuple[PlannedEntity, str]] = field(default_factory=list)  # with the badge of the action
    meeting_url: str = ""

    @property
    def uncertain(self) -> int:
        return sum(1 for line in self.report.source if line.level in (WARNING, ERROR))


def _outcome_label(value: str) -> str:
    return str(dict(ConsultationOutcome.choices).get(value, value)) if value else ""


def _meeting_url(report: DocumentReport) -> str:
    if report.meeting_pk and (report.committed or report.outcome in (UPDATED, UNCHANGED)):
        return reverse("office:meeting-detail", args=[report.meeting_pk])
    return ""


def document_view(pending: PendingDocument, report: DocumentReport) -> DocumentView:
    anchor = f"dokument-{pending.token}"
    view = DocumentView(pending=pending, report=report, anchor=anchor, badge=BADGES.get(report.outcome, "info"))
    view.meeting_url = _meeting_url(report)
    view.entities = [(entity, ENTITY_BADGES.get(entity.action, "info")) for entity in report.entities]
    line_count = len(report.source)

    def line_anchor(line: int | None) -> str:
        return f"{anchor}-zeile-{line + 1}" if line is not None and 0 <= line < line_count else ""

    for level, heading in LEVEL_HEADINGS:
        found = [
            (finding, "" if finding.message.startswith(finding.where) else finding.where, line_anchor(finding.line))
            for finding in report.findings
            if finding.level == level
        ]
        if found:
            view.groups.append(FindingGroup(level=level, heading=_(heading), findings=found))
    parsed = report.parsed
    if parsed is None:
        return view
    if parsed.date is not None:
        view.when = format_date_time_range(parsed.date, parsed.start_time, parsed.end_time)
    previous = parsed.previous_session
    if previous is not None:
        number, day = previous
        if number and day:
            view.approves = _("%(n)s. Sitzung vom %(date)s") % {"n": number, "date": format_date(day)}
        elif number:
            view.approves = _("%(n)s. Sitzung") % {"n": number}
        else:
            view.approves = _("Sitzung vom %(date)s") % {"date": format_date(day)}
    doubtful = [f for f in report.findings if f.level in (WARNING, ERROR)]
    for item in parsed.items:
        doubts = [
            f.message
            for f in doubtful
            if (item.line is not None and f.line == item.line) or (item.where and f.where == item.where)
        ]
        projects = [
            ProjectView(
                project=project,
                outcome=_outcome_label(project.outcome),
                lead_outcome=_outcome_label(project.lead_outcome),
                lead_date=format_date(project.lead_date),
            )
            for project in item.projects
        ]
        view.items.append(ItemView(item=item, result=sanitise_html(item.result), doubts=doubts, projects=projects))
    return view


# --- the pages ----------------------------------------------------------------------------------------


def _guard(request: HttpRequest) -> None:
    require(rules.can_import_minutes(request.user))


@office_required
@require_http_methods(["GET", "POST"])
def minutes_import_upload(request: HttpRequest) -> HttpResponse:
    _guard(request)
    store = _store(request)
    if request.method == "POST":
        form = MinutesUploadForm(request.POST, request.FILES)
        if form.is_valid():
            for message in form.refused:
                messages.error(request, message)
            for upload in form.cleaned_data["dateien"]:
                try:
                    store.add(upload, workshop_number=form.workshop_number)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
            return redirect("office:minutes-import-preview")
        status = 422
    else:
        form = MinutesUploadForm()
        status = 200
    return render(request, "office/minutes_import.html", {"form": form, "pending": store.documents()}, status=status)


@office_required
@require_GET
def minutes_import_preview(request: HttpRequest) -> HttpResponse:
    _guard(request)
    store = _store(request)
    documents = [
        document_view(pending, _import(request, store, pending, dry_run=True)) for pending in store.documents()
    ]
    refused = sum(1 for document in documents if document.report.refused)
    context: dict[str, Any] = {
        "documents": documents,
        "refused": refused,
        "importable": len(documents) - refused,
        "open": len(documents) == 1,
    }
    return render(request, "office/minutes_import_preview.html", context)


def _after(request: HttpRequest, store: PendingStore) -> HttpResponse:
    if store.documents():
        return redirect("office:minutes-import-preview")
    return redirect("office:minutes-import")


def _committed_message(report: DocumentReport) -> str:
    url = _meeting_url(report)
    if not url:
        return report.summary
    return format_html(
        '{} <a class="kern-link" href="{}">{}</a>',
        report.summary,
        url,
        _("%(label)s öffnen") % {"label": report.meeting_label or _("Sitzung")},
    )


@office_required
@require_POST
def minutes_import_commit(request: HttpRequest) -> HttpResponse:
    _guard(request)
    store = _store(request)
    form = CommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Es wurde kein Dokument ausgewählt."))
        return _after(request, store)
    if form.cleaned_data["alle"]:
        chosen = store.documents()
    else:
        pending = store.get(form.cleaned_data["token"])
        if pending is None:
            messages.error(request, _("Diese Datei liegt nicht mehr vor. Bitte laden Sie sie erneut hoch."))
            return _after(request, store)
        chosen = [pending]
    imported, skipped = 0, []
    for pending in chosen:
        report = _import(request, store, pending, dry_run=False)
        if report.refused:
            skipped.append(pending.file_name)
            if len(chosen) == 1:
                messages.error(
                    request, _("%(summary)s Die Datei bleibt in der Vorschau.") % {"summary": report.summary}
                )
            continue
        store.remove(pending.token)
        imported += 1
        messages.success(request, _committed_message(report))
    if len(chosen) > 1 or form.cleaned_data["alle"]:
        text = ngettext("%(n)s Dokument importiert.", "%(n)s Dokumente importiert.", imported) % {"n": imported}
        if skipped:
            text += " " + ngettext(
                "%(n)s abgelehntes Dokument übersprungen: %(names)s; es bleibt mit seinen Fehlern in der Vorschau.",
                "%(n)s abgelehnte Dokumente übersprungen: %(names)s; sie bleiben mit ihren Fehlern in der Vorschau.",
                len(skipped),
            ) % {"n": len(skipped), "names": ", ".join(f"„{name}“" for name in skipped)}
        (messages.warning if skipped else messages.info)(request, text)
    return _after(request, store)


@office_required
@require_POST
def minutes_import_discard(request: HttpRequest) -> HttpResponse:
    _guard(request)
    store = _store(request)
    form = PendingForm(request.POST)
    removed = store.remove(form.cleaned_data["token"]) if form.is_valid() else None
    if removed is None:
        messages.error(request, _("Diese Datei liegt nicht mehr vor."))
    else:
        text = _("„%(name)s“ wurde verworfen; nichts wurde gespeichert.") % {"name": removed.file_name}
        messages.success(request, text)
    return _after(request, store)

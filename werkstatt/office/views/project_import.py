"""Importing a project list: upload a CSV, see per row what would happen, then import it all or nothing.

The checked file waits in the session (stored in the database, as every session here) between the
preview and the commit; the commit form names it by its SHA-256, so what is committed is exactly what
was previewed, and the commit checks every row again with the real services.
"""

import base64
import hashlib
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from werkstatt.accounts import rules
from werkstatt.importers.projects_csv import CHANGED, NEW, REFUSED, ImportReport, import_projects
from werkstatt.office.access import office_required, require
from werkstatt.office.forms_import import ProjectImportCommitForm, ProjectImportForm
from werkstatt.projects import csv_format

SESSION_KEY = "werkstatt_project_import"
TEMPLATE = "office/project_import.html"
BADGES = {NEW: "success", CHANGED: "info", REFUSED: "danger"}


def _render(
    request: HttpRequest,
    *,
    form: ProjectImportForm,
    report: ImportReport | None = None,
    file_name: str = "",
    sha256: str = "",
    status: int = 200,
) -> HttpResponse:
    rows = [(row, BADGES.get(row.outcome, "")) for row in report.rows] if report else []
    context: dict[str, Any] = {
        "form": form,
        "report": report,
        "rows": rows,
        "file_name": file_name,
        "columns": csv_format.COLUMNS,
        "commit_form": ProjectImportCommitForm(initial={"sha256": sha256}) if sha256 else None,
    }
    return render(request, TEMPLATE, context, status=status)


def _can_commit(report: ImportReport) -> bool:
    return not report.refused and report.has_changes


@office_required
@require_http_methods(["GET", "POST"])
def project_import(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage_projects(request.user))
    if request.method != "POST":
        return _render(request, form=ProjectImportForm())
    form = ProjectImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form=form, status=422)
    content = form.content
    report = import_projects(content, actor=request.user, dry_run=True)
    if report.errors:
        form.add_error("file", report.errors)
        return _render(request, form=form, status=422)
    sha256 = ""
    request.session.pop(SESSION_KEY, None)
    if _can_commit(report):
        sha256 = hashlib.sha256(content).hexdigest()
        request.session[SESSION_KEY] = {
            "sha256": sha256,
            "name": form.file_name,
            "content": base64.b64encode(content).decode("ascii"),
        }
    return _render(request, form=ProjectImportForm(), report=report, file_name=form.file_name, sha256=sha256)


@office_required
@require_POST
def project_import_commit(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage_projects(request.user))
    form = ProjectImportCommitForm(request.POST)
    stored = request.session.get(SESSION_KEY) or {}
    content = base64.b64decode(stored.get("content", ""))
    if (
        not form.is_valid()
        or stored.get("sha256") != form.cleaned_data["sha256"]
        or hashlib.sha256(content).hexdigest() != stored.get("sha256")
    ):
        messages.error(
            request, _("Die geprüfte Datei liegt nicht mehr vor. Bitte laden Sie sie erneut hoch und prüfen Sie sie.")
        )
        return redirect("office:project-import")
    report = import_projects(content, actor=request.user, dry_run=False)
    if report.committed:
        del request.session[SESSION_KEY]
        messages.success(request, report.summary)
        return redirect("office:project-import")
    # Something changed since the preview: show the new report; the session keeps the file for a new try.
    messages.error(request, report.summary)
    return _render(request, form=ProjectImportForm(), report=report, file_name=stored.get("name", ""), status=422)

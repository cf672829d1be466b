"""The status report "Aktueller Sachstand der Projekte" in the back office: as a page, as PDF, and attached
to a session's standing status item with one click."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from werkstatt.accounts import rules
from werkstatt.core.dates import format_date
from werkstatt.meetings.models import AgendaItemKind
from werkstatt.meetings.selectors import meeting_get_for_user
from werkstatt.office.access import office_required, require
from werkstatt.office.forms_report import ALL, StatusReportForm
from werkstatt.organizations.models import Workshop
from werkstatt.projects.report import StatusReport, status_report
from werkstatt.projects.report_services import status_report_attach


def _form(request: HttpRequest) -> StatusReportForm:
    """The form with the workshops this user may report on; 403 for a workshop (or all) they may not."""
    user = request.user
    allow_all = rules.can_view_status_report(user, None)
    workshops = list(Workshop.objects.order_by("number", "pk"))
    readable = [w for w in workshops if allow_all or rules.can_view_status_report(user, w)]
    if not readable and not allow_all:
        raise PermissionDenied(_("Der Sachstand der Projekte ist nur intern einsehbar."))
    asked = request.GET.get("werkstatt", "").strip()
    if (asked == ALL and not allow_all) or any(str(w.number) == asked and w not in readable for w in workshops):
        raise PermissionDenied(_("Den Sachstand dieser Werkstatt können Sie nicht einsehen."))
    return StatusReportForm(request.GET, workshops=readable, allow_all=allow_all)


def _report(request: HttpRequest, form: StatusReportForm) -> StatusReport:
    form.is_valid()  # malformed values are listed on the page and replaced by their defaults
    return status_report(
        user=request.user,
        workshop=form.workshop,
        since=form.value("bestaetigt_seit"),
        year=form.value("jahr"),
        changes_since=form.value("aenderungen_seit"),
    )


@office_required
@require_safe
def status_report_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    report = _report(request, form)
    pdf_url = reverse("office:status-report-pdf") + "?" + urlencode(form.query())
    return render(request, "office/status_report.html", {"form": form, "report": report, "pdf_url": pdf_url})


@office_required
@require_safe
def status_report_pdf(request: HttpRequest) -> HttpResponse:
    from werkstatt.exports.status_report import PDF_CONTENT_TYPE, status_report_filename
    from werkstatt.exports.status_report import status_report_pdf as render_report

    form = _form(request)
    if not form.is_valid():
        # The page says what is wrong; a PDF with silently replaced values would not.
        return redirect(reverse("office:status-report") + "?" + request.GET.urlencode())
    report = _report(request, form)
    response = HttpResponse(render_report(report), content_type=PDF_CONTENT_TYPE)
    filename = status_report_filename(report)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    patch_cache_control(response, private=True, no_cache=True)  # internal figures: never into a shared cache
    return response


@office_required
@require_POST
def status_report_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_get_for_user(request.user, pk).meeting
    require(rules.can_attach_status_report(request.user, meeting))
    item = meeting.agenda_items.filter(kind=AgendaItemKind.PROJECT_REPORT).order_by("order").first()
    if item is None:
        messages.error(
            request,
            _("Diese Tagesordnung hat keinen TOP „Aktueller Sachstand der Projekte“; bitte legen Sie ihn zuerst an."),
        )
        return redirect("office:meeting-detail", pk=pk)
    try:
        document = status_report_attach(actor=request.user, item=item)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Der Sachstand vom %(date)s ist an TOP %(number)s angehängt (nur intern sichtbar).")
            % {"date": format_date(document.created), "number": item.number},
        )
    return redirect("office:meeting-detail", pk=pk)

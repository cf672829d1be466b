"""The public side of the comments: writing one, reporting one, and the section "Kommentare" of the project and
session pages (``project_comments_context``/``meeting_comments_context``, used by ``werkstatt.portal.views``)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from werkstatt.meetings.models import Meeting
from werkstatt.participation.forms import client_ip
from werkstatt.participation.forms_comments import CommentForm, ReportForm
from werkstatt.participation.selectors_comments import (
    MEETING,
    PROJECT,
    CommentSection,
    comment_section_for_meeting,
    comment_section_for_project,
    comment_target_get,
    published_comment_get,
    target_of,
)
from werkstatt.participation.services.abuse import rate_limit_hit
from werkstatt.participation.services.comments import comment_report, comment_submit, status_message
from werkstatt.projects.models import Project


def _new_form(request: HttpRequest, data: Any = None) -> CommentForm:
    user = request.user
    logged_in = bool(user.is_authenticated)
    initial = {"author_name": user.get_full_name()} if logged_in else {}  # type: ignore[union-attr]
    return CommentForm(data, with_email=not logged_in, initial=initial)


def _section_context(request: HttpRequest, section: CommentSection | None) -> dict[str, Any]:
    if section is None:
        return {"comments": None}
    # Signed-in users write right here; visitors follow a link to the form page, so that the page they see holds no
    # form token of theirs and can be served to every visitor from the page cache (werkstatt.core.pagecache).
    return {"comments": section, "comment_form": _new_form(request) if request.user.is_authenticated else None}


def project_comments_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The template context of the section "Kommentare" of a project page (one query, none if not public)."""
    return _section_context(request, comment_section_for_project(request.user, project))


def meeting_comments_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """The template context of the section "Kommentare" of a session page (one query, none before publication)."""
    return _section_context(request, comment_section_for_meeting(request.user, meeting))


def _closed(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/comments/closed.html",
        {
            "message": _(
                "Hierzu können keine Kommentare geschrieben werden: Das Projekt gibt es nicht oder es ist nicht "
                "öffentlich, oder das Protokoll der Sitzung ist nicht veröffentlicht."
            )
        },
        status=404,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The comment form: shown on the project and session pages, and here again with the errors of a submission."""
    target = comment_target_get(kind, pk)
    if target is None:
        return _closed(request)
    if request.method == "POST":
        form = _new_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            email = data.get("email", "") or getattr(request.user, "email", "")
            try:
                rate_limit_hit(scope="comment", ip=client_ip(request), email=email)
                comment = comment_submit(
                    actor=request.user,
                    project=target.project,
                    meeting=target.meeting,
                    body=data["body"],
                    author_name=data["author_name"],
                    email=data.get("email", ""),
                )
            except ValidationError as error:
                if error.code == "closed":
                    return _closed(request)
                form.add_error(None, error)
            else:
                messages.success(request, status_message(comment))
                return redirect(target.page_url)
    else:
        form = _new_form(request)
    return render(
        request,
        "participation/comments/form.html",
        {"form": form, "target": target, "title": _("Kommentar schreiben")},
        status=400 if form.errors else 200,
    )


def project_comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    return comment_create(request, PROJECT, pk)


def meeting_comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    return comment_create(request, MEETING, pk)


@require_http_methods(["GET", "HEAD", "POST"])
def comment_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Report a published comment to the moderation. Who reports is not stored."""
    comment = published_comment_get(pk)
    if comment is None:
        return render(
            request,
            "participation/comments/closed.html",
            {"message": _("Diesen Kommentar gibt es nicht oder er ist nicht veröffentlicht.")},
            status=404,
        )
    target = target_of(comment)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                rate_limit_hit(scope="report", ip=client_ip(request))
                comment_report(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Vielen Dank für Ihre Meldung. Die Moderation sieht sich den Kommentar an.")
                )
                return redirect(target.page_url)
    else:
        form = ReportForm()
    return render(
        request,
        "participation/comments/report.html",
        {"form": form, "comment": comment, "target": target, "title": _("Kommentar melden")},
        status=400 if form.errors else 200,
    )

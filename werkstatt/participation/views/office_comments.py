"""The moderation of the comments in the back office: the queue, one comment, and the moderators' actions."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkstatt.accounts import rules
from werkstatt.office.access import office_required, require
from werkstatt.participation.forms_comments import AnswerForm, RejectForm
from werkstatt.participation.models import Comment
from werkstatt.participation.selectors_comments import comment_for_moderator, comments_to_moderate
from werkstatt.participation.services.comments import (
    comment_answer_officially,
    comment_publish,
    comment_reject,
    comment_report_resolve,
)


@office_required
def comment_queue(request: HttpRequest) -> HttpResponse:
    require(rules.moderates_comments(request.user))
    return render(
        request,
        "participation/comments/queue.html",
        {"comments": list(comments_to_moderate(request.user)), "title": _("Kommentare moderieren")},
    )


def _comment(request: HttpRequest, pk: int) -> Comment:
    require(rules.moderates_comments(request.user))
    comment = comment_for_moderator(request.user, pk)
    if comment is None:
        raise Http404(_("Diesen Kommentar gibt es nicht, oder Sie moderieren ihn nicht."))
    return comment


@office_required
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    return render(
        request,
        "participation/comments/office_detail.html",
        {"comment": comment, "title": _("Kommentar moderieren"), "answer_form": AnswerForm()},
    )


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to where the moderator acted: the queue or the comment's own page (nothing else, no open redirect)."""
    if request.POST.get("zurueck") == "kommentar":
        return redirect("office:comment-detail", pk=pk)
    return redirect("office:comment-queue")


def _act(request: HttpRequest, pk: int, action: Callable[[Comment], Any], success: str) -> HttpResponse:
    comment = _comment(request, pk)
    try:
        action(comment)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return _back(request, pk)


@office_required
@require_POST
def comment_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda comment: comment_publish(actor=request.user, comment=comment),
        _("Der Kommentar ist veröffentlicht; die Verfasserin oder der Verfasser erhält eine E-Mail."),
    )


def _form_value(form: Any, name: str) -> str:
    """The cleaned value of a valid form, else a ``ValidationError`` with the form's German messages."""
    if not form.is_valid():
        raise ValidationError([text for errors in form.errors.values() for text in errors])
    return str(form.cleaned_data[name])


@office_required
@require_POST
def comment_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    def reject(comment: Comment) -> Comment:
        reason = _form_value(RejectForm(request.POST), "reason")
        return comment_reject(actor=request.user, comment=comment, reason=reason)

    return _act(
        request,
        pk,
        reject,
        _(
            "Der Kommentar ist nicht (mehr) veröffentlicht; die Verfasserin oder der Verfasser erhält den Grund "
            "per E-Mail."
        ),
    )


@office_required
@require_POST
def comment_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    def answer(comment: Comment) -> Comment:
        text = _form_value(AnswerForm(request.POST), "text")
        return comment_answer_officially(actor=request.user, comment=comment, text=text)

    return _act(request, pk, answer, _("Die offizielle Antwort ist veröffentlicht."))


@office_required
@require_POST
def comment_report_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda comment: comment_report_resolve(actor=request.user, comment=comment),
        _("Die Meldungen sind erledigt; der Kommentar bleibt veröffentlicht."),
    )

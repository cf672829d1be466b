"""Comments of the public on projects and published minutes, and their moderation.

Life of a comment (docs/participation.md, "Kommentare und Moderation"):

1. ``comment_submit``: a visitor writes; without an account the comment waits for the address to be confirmed
   (double opt-in, ``comment_confirm``), with an account it counts at once.
2. Then it is "pending" until a moderator releases it (``comment_publish``) or rejects it with a reason
   (``comment_reject``) — unless the workshop moderates afterwards (``Workshop.comment_moderation == "post"``):
   then it is published at once.
3. Readers report published comments (``comment_report``); a moderator closes the reports
   (``comment_report_resolve``) or withdraws the comment (``comment_reject``, which also closes them).
4. A moderator answers officially (``comment_answer_officially``): a published comment marked as the answer of the
   office or of the workshop.

The author hears of release and rejection by mail (``jobs.comments.send_comment_decision``), after the commit.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.core.services import save_validated
from werkstatt.meetings.models import Meeting
from werkstatt.participation.jobs import enqueue_after_commit
from werkstatt.participation.mail import absolute_url, confirmation_mail, participation_mail
from werkstatt.participation.models import Comment, CommentReport, CommentStatus
from werkstatt.participation.selectors_comments import CommentTarget, target_is_open, target_of
from werkstatt.participation.services.abuse import check_text
from werkstatt.participation.services.participants import (
    Confirmed,
    gone,
    participant_mark_confirmed,
    participant_register,
)
from werkstatt.projects.models import Project

AUTHOR_NAME_MAX = 80
REASON_MAX = 500
POST_MODERATION = "post"


def _closed() -> ValidationError:
    return ValidationError(
        _(
            "Hierzu können keine Kommentare geschrieben werden: Das Projekt ist nicht öffentlich oder das "
            "Protokoll der Sitzung ist nicht veröffentlicht."
        ),
        code="closed",
    )


def _author_name(value: str) -> str:
    name = " ".join(value.split())
    if len(name) > AUTHOR_NAME_MAX:
        raise ValidationError(
            _("Der angezeigte Name ist zu lang: höchstens %(max)d Zeichen.") % {"max": AUTHOR_NAME_MAX},
            code="too_long",
        )
    return name


def comment_body(value: str) -> str:
    """The comment's text, checked for size and links (``ValidationError`` in German)."""
    text = check_text(
        value,
        max_chars=settings.PARTICIPATION_MAX_COMMENT_CHARS,
        max_links=settings.PARTICIPATION_MAX_COMMENT_LINKS,
        label=_("Ihr Kommentar"),
    )
    if not text:
        raise ValidationError(_("Bitte schreiben Sie Ihren Kommentar."), code="required")
    return text


def report_reason(value: str) -> str:
    text = check_text(
        value, max_chars=REASON_MAX, max_links=settings.PARTICIPATION_MAX_COMMENT_LINKS, label=_("Der Grund")
    )
    if not text:
        raise ValidationError(_("Bitte geben Sie an, warum Sie den Kommentar melden."), code="required")
    return text


def _moderation_is_post(target: CommentTarget) -> bool:
    workshop = target.workshop
    return workshop is not None and workshop.comment_moderation == POST_MODERATION


def _count(comment: Comment, now: Any) -> None:
    """The comment counts now (address confirmed or written with an account): released at once where the
    workshop moderates afterwards and the target is still public, else waiting for release."""
    comment.confirmed_at = now
    target = target_of(comment)
    if _moderation_is_post(target) and target_is_open(target):
        comment.status = CommentStatus.PUBLISHED
        comment.published_at = now
    else:
        comment.status = CommentStatus.PENDING


def status_message(comment: Comment) -> str:
    """What the author is told after writing or confirming."""
    if comment.confirmed_at is None:
        return _(
            "Fast geschafft: Wir haben Ihnen eine E-Mail mit einem Bestätigungslink geschickt. Ihr Kommentar zählt "
            "erst, wenn Sie Ihre Adresse damit bestätigt haben."
        )
    if comment.status == CommentStatus.PUBLISHED:
        return _("Ihr Kommentar ist veröffentlicht.")
    return _("Ihr Kommentar erscheint, sobald er freigegeben ist.")


# --- writing and confirming ----------------------------------------------------------------------------------


@transaction.atomic
def comment_submit(
    *,
    actor: Any,
    project: Project | None = None,
    meeting: Meeting | None = None,
    body: str,
    author_name: str = "",
    email: str = "",
) -> Comment:
    """A comment of ``actor`` on a public project or on published minutes. Logged-in users write under their
    account and need no confirmation; anybody else gives an address that is confirmed by a link first."""
    if (project is None) == (meeting is None):
        raise TypeError("a comment is written on a project or on a meeting")
    target = CommentTarget(project=project, meeting=meeting)
    if not target_is_open(target):
        raise _closed()
    comment = Comment(project=project, meeting=meeting, body=comment_body(body), author_name=_author_name(author_name))
    logged_in = bool(getattr(actor, "is_authenticated", False))
    if logged_in:
        comment.user = actor
        _count(comment, timezone.now())
    else:
        if not email.strip():
            raise ValidationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), code="required")
        comment.participant = participant_register(email=email)
    save_validated(comment, actor=actor if logged_in else None)
    if not logged_in:
        from werkstatt.participation.jobs.confirm import send_confirmation

        enqueue_after_commit(send_confirmation, "comment", comment.pk)
    return comment


def comment_confirmation_mail(pk: int) -> EmailMultiAlternatives | None:
    """The double opt-in mail of comment ``pk``; None when it is gone or already confirmed."""
    comment = (
        Comment.objects.select_related("participant", "project", "meeting", "meeting__workshop").filter(pk=pk).first()
    )
    if comment is None or comment.confirmed_at is not None or comment.participant is None:
        return None
    return confirmation_mail(
        to=comment.participant.email,
        kind="comment",
        pk=comment.pk,
        what=_("Sie haben auf der Website des Werkstattprozesses einen Kommentar %(target)s geschrieben.")
        % {"target": target_of(comment).label},
        subject=_("Bitte bestätigen Sie Ihren Kommentar"),
    )


@transaction.atomic
def comment_confirm(pk: int) -> Confirmed:
    """The confirmation link of comment ``pk`` was followed: the comment counts (``_count``)."""
    comment = Comment.objects.select_for_update().filter(pk=pk).first()
    if comment is None:
        raise gone()
    url = target_of(comment).page_url
    if comment.confirmed_at is not None:
        return Confirmed(
            message=_("Dieser Kommentar ist bereits bestätigt. %(status)s")
            % {"status": _status_after_confirmation(comment)},
            url=url,
            already=True,
        )
    _count(comment, timezone.now())
    comment.save(update_fields=["confirmed_at", "status", "published_at"])
    if comment.participant is not None:
        participant_mark_confirmed(comment.participant)
    return Confirmed(message=_("Ihre Adresse ist bestätigt. %(status)s") % {"status": status_message(comment)}, url=url)


def _status_after_confirmation(comment: Comment) -> str:
    if comment.status == CommentStatus.REJECTED:
        return _("Er wurde nicht veröffentlicht.")
    return status_message(comment)


# --- moderation -----------------------------------------------------------------------------------------------


def _require_moderator(actor: Any, comment: Comment) -> None:
    """Refuse who may not moderate this comment. ``actor=None`` is the system itself (demo data, imports)."""
    if actor is not None and not rules.can_moderate_comments(actor, target_of(comment).workshop_id):
        raise PermissionDenied(
            _("Kommentare dieser Werkstatt moderieren die Geschäftsstelle und die Werkstattsprecher.")
        )


def _lock(comment: Comment) -> Comment:
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    # The relations the checks need come from the caller's object; the state from the locked row.
    locked.project = comment.project
    locked.meeting = comment.meeting
    return locked


def _moderated(comment: Comment, actor: Any, now: Any) -> None:
    comment.moderated_at = now
    comment.moderated_by = actor if getattr(actor, "is_authenticated", False) else None


def _enqueue_decision(comment: Comment) -> None:
    from werkstatt.participation.jobs.comments import send_comment_decision

    enqueue_after_commit(send_comment_decision, comment.pk)


@transaction.atomic
def comment_publish(*, actor: Any, comment: Comment) -> Comment:
    """Release a waiting comment; its author hears of it by mail."""
    _require_moderator(actor, comment)
    comment = _lock(comment)
    if comment.is_official:
        raise ValidationError(_("Offizielle Antworten werden nicht moderiert."), code="official")
    if comment.confirmed_at is None:
        raise ValidationError(
            _("Dieser Kommentar kann nicht freigegeben werden: Die E-Mail-Adresse ist noch nicht bestätigt."),
            code="unconfirmed",
        )
    if comment.status == CommentStatus.PUBLISHED:
        raise ValidationError(_("Dieser Kommentar ist bereits veröffentlicht."), code="published")
    if comment.status == CommentStatus.REJECTED:
        raise ValidationError(
            _("Dieser Kommentar wurde abgelehnt und kann nicht mehr freigegeben werden."), code="rejected"
        )
    now = timezone.now()
    comment.status = CommentStatus.PUBLISHED
    comment.published_at = now
    _moderated(comment, actor, now)
    comment.save(update_fields=["status", "published_at", "moderated_at", "moderated_by"])
    _enqueue_decision(comment)
    return comment


def _resolve_reports(comment: Comment, actor: Any, now: Any) -> int:
    return CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor if getattr(actor, "is_authenticated", False) else None
    )


@transaction.atomic
def comment_reject(*, actor: Any, comment: Comment, reason: str) -> Comment:
    """Reject a waiting comment, or withdraw a published one, with a reason the author receives by mail.
    A withdrawn comment disappears from the page with its official answers; its reports are closed."""
    _require_moderator(actor, comment)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(
            _("Bitte geben Sie einen Grund an; er wird der Verfasserin oder dem Verfasser mitgeteilt."),
            code="required",
        )
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("Der Grund ist zu lang: höchstens %(max)d Zeichen.") % {"max": REASON_MAX}, code="too_long"
        )
    comment = _lock(comment)
    if comment.is_official:
        raise ValidationError(_("Offizielle Antworten werden nicht moderiert."), code="official")
    if comment.status == CommentStatus.REJECTED:
        raise ValidationError(_("Dieser Kommentar ist bereits abgelehnt."), code="rejected")
    if comment.confirmed_at is None:
        raise ValidationError(
            _("Dieser Kommentar ist noch nicht bestätigt; unbestätigte Kommentare werden von selbst gelöscht."),
            code="unconfirmed",
        )
    now = timezone.now()
    comment.status = CommentStatus.REJECTED
    comment.rejection_reason = reason
    _moderated(comment, actor, now)
    comment.save(update_fields=["status", "rejection_reason", "moderated_at", "moderated_by"])
    _resolve_reports(comment, actor, now)
    _enqueue_decision(comment)
    return comment


@transaction.atomic
def comment_answer_officially(*, actor: Any, comment: Comment, text: str) -> Comment:
    """The official answer of the office (or of the workshop, when a speaker answers) to a published comment."""
    _require_moderator(actor, comment)
    if comment.is_official or comment.reply_to_id is not None:
        raise ValidationError(_("Auf eine offizielle Antwort wird nicht geantwortet."), code="official")
    if comment.status != CommentStatus.PUBLISHED:
        raise ValidationError(
            _("Offiziell beantwortet werden nur veröffentlichte Kommentare. Bitte geben Sie ihn zuerst frei."),
            code="not_published",
        )
    body = check_text(text, max_chars=settings.PARTICIPATION_MAX_TEXT_CHARS, label=_("Die Antwort"))
    if not body:
        raise ValidationError(_("Bitte schreiben Sie die Antwort."), code="required")
    workshop = target_of(comment).workshop
    author = _("Geschäftsstelle") if rules.is_office(actor) or workshop is None else workshop.label
    now = timezone.now()
    answer = Comment(
        project=comment.project,
        meeting=comment.meeting,
        user=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=author,
        body=body,
        is_official=True,
        reply_to=comment,
        status=CommentStatus.PUBLISHED,
        confirmed_at=now,
        published_at=now,
    )
    return save_validated(answer, actor=actor)


@transaction.atomic
def comment_report_resolve(*, actor: Any, comment: Comment) -> int:
    """Close the open reports of ``comment``: it stays published. Returns how many were closed."""
    _require_moderator(actor, comment)
    closed = _resolve_reports(comment, actor, timezone.now())
    if not closed:
        raise ValidationError(_("Zu diesem Kommentar gibt es keine offenen Meldungen."), code="no_reports")
    return closed


@transaction.atomic
def comment_report(*, actor: Any, comment: Comment, reason: str) -> CommentReport:
    """A reader reports a published comment. Who reported it is not stored (neither account nor address)."""
    if comment.status != CommentStatus.PUBLISHED or comment.is_official:
        raise ValidationError(_("Gemeldet werden können nur veröffentlichte Kommentare."), code="not_published")
    return save_validated(CommentReport(comment=comment, reason=report_reason(reason)), actor=None)


# --- the author's mail about the decision ------------------------------------------------------------------------


def comment_decision_mail(pk: int) -> EmailMultiAlternatives | None:
    """The mail to the author of comment ``pk`` about its release or rejection; None when there is nobody to
    tell (deleted, no address) or nothing to tell (still waiting)."""
    comment = (
        Comment.objects.select_related("participant", "user", "project", "meeting", "meeting__workshop")
        .filter(pk=pk, is_official=False)
        .first()
    )
    if comment is None or comment.status == CommentStatus.PENDING:
        return None
    address = comment.participant.email if comment.participant is not None else getattr(comment.user, "email", "")
    if not address:
        return None
    target = target_of(comment)
    context = {"comment": comment, "target_label": target.label, "page_url": absolute_url(target.page_url)}
    if comment.status == CommentStatus.PUBLISHED:
        return participation_mail(
            to=address,
            subject=_("Ihr Kommentar ist veröffentlicht"),
            template="participation/mail/comment_published",
            context=context,
        )
    withdrawn = comment.published_at is not None
    return participation_mail(
        to=address,
        subject=_("Ihr Kommentar wurde entfernt") if withdrawn else _("Ihr Kommentar wurde nicht veröffentlicht"),
        template="participation/mail/comment_rejected",
        context={**context, "withdrawn": withdrawn},
    )

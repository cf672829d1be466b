"""The participant's rights and the retention rules: "my data" by e-mail link, deleting everything about an
address, and the daily retention run (docs/participation.md, section "Datenschutz").

Background jobs carry primary keys only (``werkstatt.participation.jobs``), so the queue holds no address: a job
queued for a participant that is deleted afterwards finds no row and sends nothing, and finished job rows are
deleted by the retention run after ``PARTICIPATION_JOB_RESULT_DAYS``.
"""

import datetime as dt
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.participation.jobs import enqueue_after_commit
from werkstatt.participation.models import Comment, CommentStatus, Idea, Participant, Subscription
from werkstatt.participation.services import abuse
from werkstatt.participation.services.participants import normalise_email


def mydata_request(*, email: str, ip: str) -> None:
    """Someone asks for the "my data" link of ``email``. Counted against the rate limit (``ValidationError`` in
    German when used up); the link is mailed only when the address is known, and the caller answers the same
    either way, so the form never tells whether an address is stored."""
    abuse.rate_limit_hit(scope="mydata", ip=ip, email=email)
    participant_pk = Participant.objects.filter(email=normalise_email(email)).values_list("pk", flat=True).first()
    if participant_pk is not None:
        from werkstatt.participation.jobs.privacy import send_mydata_link

        enqueue_after_commit(send_mydata_link, participant_pk)


def _delete_files_after_commit(names: list[str]) -> None:
    """Remove stored files once the rows that named them are gone for good (not for a rolled-back delete)."""
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _delete(queryset: QuerySet) -> int:
    """Delete the rows of ``queryset``; returns how many of its own model (not the rows deleted with them)."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


def _files(ideas: "QuerySet[Idea]") -> list[str]:
    return [name for name in ideas.values_list("attachment", flat=True) if name]


@dataclass(frozen=True)
class Erased:
    """What ``participant_erase`` deleted."""

    ideas: int
    comments: int
    subscriptions: int
    rate_limit_entries: int
    files: int


@transaction.atomic
def participant_erase(*, participant: Participant) -> Erased:
    """Delete the participant and everything about it: its ideas (and their files), its comments (with the reports
    on them and the answers to them), its subscriptions, the rate-limit entries of its address. Nothing is kept."""
    ideas = Idea.objects.filter(participant=participant)
    files = _files(ideas)
    idea_count = _delete(ideas)
    comments = Comment.objects.filter(participant=participant)
    comment_count = comments.count()  # the answers to them go too, but are not the participant's
    comments.delete()
    subscription_count = _delete(Subscription.objects.filter(participant=participant))
    rate_limit_entries = abuse.rate_limit_forget(email=participant.email)
    participant.delete()
    _delete_files_after_commit(files)
    return Erased(
        ideas=idea_count,
        comments=comment_count,
        subscriptions=subscription_count,
        rate_limit_entries=rate_limit_entries,
        files=len(files),
    )


@dataclass
class RetentionReport:
    """What one retention run deleted or anonymised; ``lines()`` says it in German."""

    unconfirmed_ideas: int = 0
    unconfirmed_comments: int = 0
    unconfirmed_subscriptions: int = 0
    unconfirmed_participants: int = 0
    inactive_participants: int = 0
    anonymised_ideas: int = 0
    anonymised_comments: int = 0
    deleted_inactive_comments: int = 0
    files: int = 0
    rate_limit_entries: int = 0
    job_results: int = 0

    def lines(self) -> list[str]:
        labels = {
            "unconfirmed_ideas": _("unbestätigte Ideen gelöscht"),
            "unconfirmed_comments": _("unbestätigte Kommentare gelöscht"),
            "unconfirmed_subscriptions": _("unbestätigte Abonnements gelöscht"),
            "unconfirmed_participants": _("unbestätigte E-Mail-Adressen gelöscht"),
            "inactive_participants": _("lange inaktive E-Mail-Adressen gelöscht (mit ihren Abonnements)"),
            "anonymised_ideas": _("Ideen dieser Adressen ohne Adresse behalten"),
            "anonymised_comments": _("veröffentlichte Kommentare dieser Adressen ohne Adresse und Namen behalten"),
            "deleted_inactive_comments": _("nicht veröffentlichte Kommentare dieser Adressen gelöscht"),
            "files": _("Anhänge gelöscht"),
            "rate_limit_entries": _("abgelaufene Einträge der Missbrauchsbegrenzung gelöscht"),
            "job_results": _("erledigte Hintergrundaufträge gelöscht"),
        }
        return [f"{labels[field.name]}: {getattr(self, field.name)}" for field in fields(self)]


def _unconfirmed(queryset: QuerySet, cutoff: dt.datetime) -> QuerySet:
    return queryset.filter(confirmed_at__isnull=True, created_at__lt=cutoff)


@transaction.atomic
def retention_run(now: dt.datetime | None = None) -> RetentionReport:
    """Apply the retention rules (run daily by ``bin/werkstatt participation-retention``):

    - unconfirmed ideas, comments and subscriptions older than ``PARTICIPATION_UNCONFIRMED_DAYS`` are deleted (with
      the ideas' files), then the addresses that never confirmed anything and have nothing left;
    - addresses confirmed but not active for ``PARTICIPATION_RETENTION_DAYS`` are deleted with their subscriptions;
      their confirmed ideas and published comments stay public, without the address (and without the name given
      to a comment), their unpublished comments are deleted;
    - rate-limit entries older than the rate window and finished background jobs older than
      ``PARTICIPATION_JOB_RESULT_DAYS`` are deleted.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    report = RetentionReport()
    files: list[str] = []

    cutoff = now - dt.timedelta(days=settings.PARTICIPATION_UNCONFIRMED_DAYS)
    ideas = _unconfirmed(Idea.objects.all(), cutoff)
    files += _files(ideas)
    report.unconfirmed_ideas = _delete(ideas)
    # Comments of logged-in accounts need no confirmation by mail; only those of an address wait for one.
    report.unconfirmed_comments = _delete(_unconfirmed(Comment.objects.filter(user__isnull=True), cutoff))
    report.unconfirmed_subscriptions = _delete(_unconfirmed(Subscription.objects.all(), cutoff))
    report.unconfirmed_participants = _delete(
        _unconfirmed(Participant.objects.all(), cutoff).exclude(
            Exists(Idea.objects.filter(participant=OuterRef("pk")))
            | Exists(Comment.objects.filter(participant=OuterRef("pk")))
            | Exists(Subscription.objects.filter(participant=OuterRef("pk")))
        )
    )

    inactive_since = now - dt.timedelta(days=settings.PARTICIPATION_RETENTION_DAYS)
    inactive = Participant.objects.filter(confirmed_at__isnull=False, last_active_at__lt=inactive_since)
    inactive_pks = list(inactive.values_list("pk", flat=True))
    unconfirmed_ideas = Idea.objects.filter(participant__in=inactive_pks, confirmed_at__isnull=True)
    files += _files(unconfirmed_ideas)
    report.unconfirmed_ideas += _delete(unconfirmed_ideas)
    report.anonymised_ideas = Idea.objects.filter(participant__in=inactive_pks).update(participant=None)
    comments = Comment.objects.filter(participant__in=inactive_pks)
    report.deleted_inactive_comments = _delete(comments.exclude(status=CommentStatus.PUBLISHED))
    report.anonymised_comments = comments.update(participant=None, author_name="")
    report.inactive_participants = _delete(Participant.objects.filter(pk__in=inactive_pks))

    report.files = len(files)
    _delete_files_after_commit(files)
    report.rate_limit_entries = abuse.rate_limit_prune()
    job_cutoff = now - dt.timedelta(days=settings.PARTICIPATION_JOB_RESULT_DAYS)
    report.job_results, _per_model = DBTaskResult.objects.finished().filter(finished_at__lt=job_cutoff).delete()
    return report

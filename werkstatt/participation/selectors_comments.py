"""Reads of the comments: what a public page shows, what may be commented, and the moderation queue.

Comments are possible where the public reads: on projects that ``projects_visible_to(AnonymousUser())`` lists and
on sessions whose minutes ``meetings_with_minutes_visible_to(AnonymousUser())`` lists. Every page here costs a
fixed number of queries, however many comments there are.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.selectors import meetings_with_minutes_visible_to
from werkstatt.organizations.models import Workshop
from werkstatt.participation.models import Comment, CommentReport, CommentStatus
from werkstatt.projects.models import Project
from werkstatt.projects.selectors import projects_visible_to

PROJECT = "projekt"
MEETING = "sitzung"


@dataclass(frozen=True)
class CommentTarget:
    """What a comment is written on: a public project or the published minutes of a session."""

    project: Project | None = None
    meeting: Meeting | None = None

    @property
    def session(self) -> Meeting:
        """The session, for a target that is not a project."""
        if self.meeting is None:
            raise ValueError("a comment target is a project or a meeting")
        return self.meeting

    @property
    def workshop(self) -> Workshop | None:
        """The workshop whose moderators decide: the project's lead workshop or the session's workshop."""
        if self.project is not None:
            return self.project.lead_workshop
        return self.session.workshop

    @property
    def workshop_id(self) -> int | None:
        if self.project is not None:
            return self.project.lead_workshop_id
        return self.session.workshop_id

    @property
    def title(self) -> str:
        return self.project.title if self.project is not None else str(self.meeting)

    @property
    def label(self) -> str:
        """German, to complete "ein Kommentar …": „zum Projekt „X““ or „zum Protokoll der Sitzung „Y““."""
        if self.project is not None:
            return _("zum Projekt „%(title)s“") % {"title": self.project.title}
        return _("zum Protokoll der Sitzung „%(title)s“") % {"title": self.title}

    @property
    def page_url(self) -> str:
        if self.project is not None:
            return reverse("portal:project-detail", args=[self.project.pk]) + "#kommentare"
        return reverse("portal:meeting-detail", args=[self.session.pk]) + "#kommentare"

    @property
    def create_url(self) -> str:
        if self.project is not None:
            return reverse("participation:comment-create-project", args=[self.project.pk])
        return reverse("participation:comment-create-meeting", args=[self.session.pk])


def target_of(comment: Comment) -> CommentTarget:
    return CommentTarget(project=comment.project, meeting=comment.meeting)


def minutes_are_public(meeting: Meeting) -> bool:
    """Whether the public reads the minutes of ``meeting`` on its page: what ``meeting_get_for_user`` shows an
    anonymous visitor, without a query (``meetings_with_minutes_visible_to(AnonymousUser())`` as a query)."""
    return meeting.agenda_is_public and rules.can_view_minutes(AnonymousUser(), meeting)


def project_is_public(project: Project) -> bool:
    """Whether the public sees ``project`` (``projects_visible_to(AnonymousUser())`` without a query)."""
    return rules.can_view_project(AnonymousUser(), project)


def comment_target_get(kind: str, pk: int) -> CommentTarget | None:
    """The project or session ``pk`` if the public may comment on it, else None (unknown, not public,
    minutes not published)."""
    if kind == PROJECT:
        project = projects_visible_to(AnonymousUser()).select_related("lead_workshop").filter(pk=pk).first()
        return CommentTarget(project=project) if project is not None else None
    if kind == MEETING:
        meeting = meetings_with_minutes_visible_to(AnonymousUser()).select_related("workshop").filter(pk=pk).first()
        return CommentTarget(meeting=meeting) if meeting is not None else None
    return None


def target_is_open(target: CommentTarget) -> bool:
    """Whether the public may (still) comment on ``target``, asked of the database (one query)."""
    if target.project is not None:
        return projects_visible_to(AnonymousUser()).filter(pk=target.project.pk).exists()
    return meetings_with_minutes_visible_to(AnonymousUser()).filter(pk=target.session.pk).exists()


# --- the section "Kommentare" of a public page ---------------------------------------------------------


@dataclass
class CommentThread:
    """A published comment and the official answers to it, oldest first."""

    comment: Comment
    answers: list[Comment] = field(default_factory=list)


@dataclass
class CommentSection:
    target: CommentTarget
    threads: list[CommentThread]
    can_moderate: bool

    @property
    def count(self) -> int:
        return len(self.threads)


def _published(**target: Any) -> QuerySet[Comment]:
    return Comment.objects.filter(status=CommentStatus.PUBLISHED, confirmed_at__isnull=False, **target).order_by(
        "created_at", "pk"
    )


def _threads(comments: list[Comment]) -> list[CommentThread]:
    threads: dict[int, CommentThread] = {}
    answers: list[Comment] = []
    for comment in comments:
        if comment.reply_to_id is None:
            threads[comment.pk] = CommentThread(comment)
        else:
            answers.append(comment)
    for answer in answers:
        # An answer to a comment that was withdrawn disappears with it.
        if answer.reply_to_id in threads:
            threads[answer.reply_to_id].answers.append(answer)
    return list(threads.values())


def comment_section_for_project(user: Any, project: Project) -> CommentSection | None:
    """The published comments of a public project with their official answers (one query); None when the
    project is not public (then nobody comments on it, and the page has no section)."""
    if not project_is_public(project):
        return None
    target = CommentTarget(project=project)
    return CommentSection(
        target=target,
        threads=_threads(list(_published(project=project))),
        can_moderate=rules.can_moderate_comments(user, target.workshop_id),
    )


def comment_section_for_meeting(user: Any, meeting: Meeting) -> CommentSection | None:
    """The published comments on the published minutes of ``meeting`` (one query); None before publication."""
    if not minutes_are_public(meeting):
        return None
    target = CommentTarget(meeting=meeting)
    return CommentSection(
        target=target,
        threads=_threads(list(_published(meeting=meeting))),
        can_moderate=rules.can_moderate_comments(user, target.workshop_id),
    )


def published_comment_get(pk: int) -> Comment | None:
    """A published comment (not an official answer) on something still public, for the report form."""
    comment = (
        _published(pk=pk, is_official=False)
        .select_related("project", "meeting", "meeting__workshop", "meeting__minute_taker")
        .first()
    )
    if comment is None:
        return None
    if comment.project is not None:
        return comment if project_is_public(comment.project) else None
    return comment if comment.meeting is not None and minutes_are_public(comment.meeting) else None


# --- the moderation queue ------------------------------------------------------------------------------


def _moderated_by(user: Any) -> Q:
    """The comments ``user`` moderates: all for the office, else those of the workshops the user leads."""
    if rules.is_office(user):
        return Q()
    led = [pk for pk in rules.workshop_roles(user) if rules.can_moderate_comments(user, pk)]
    return Q(project__lead_workshop_id__in=led) | Q(meeting__workshop_id__in=led)


def _with_relations(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    return qs.select_related(
        "project", "project__lead_workshop", "meeting", "meeting__workshop", "user", "reply_to"
    ).prefetch_related(
        Prefetch(
            "reports",
            queryset=CommentReport.objects.filter(resolved_at__isnull=True).order_by("created_at", "pk"),
            to_attr="open_reports",
        )
    )


def _open_report_exists() -> Exists:
    return Exists(CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))


def comments_to_moderate(user: Any) -> QuerySet[Comment]:
    """The queue: confirmed comments waiting for release and published ones with open reports, newest first,
    only of the workshops ``user`` moderates. Two queries (the comments, their open reports)."""
    if not rules.moderates_comments(user):
        return Comment.objects.none()
    waiting = Q(status=CommentStatus.PENDING, confirmed_at__isnull=False)
    reported = Q(status=CommentStatus.PUBLISHED, has_open_report=True)
    return _with_relations(
        Comment.objects.annotate(has_open_report=_open_report_exists())
        .filter(_moderated_by(user))
        .filter(waiting | reported)
        .order_by("-created_at", "-pk")
    )


def comments_to_moderate_count(user: Any) -> int:
    """How many comments wait for ``user`` (for the office dashboard): one query, none for non-moderators."""
    if not rules.moderates_comments(user):
        return 0
    return (
        Comment.objects.annotate(has_open_report=_open_report_exists())
        .filter(_moderated_by(user))
        .filter(
            Q(status=CommentStatus.PENDING, confirmed_at__isnull=False)
            | Q(status=CommentStatus.PUBLISHED, has_open_report=True)
        )
        .aggregate(n=Count("pk"))["n"]
    )


def comment_for_moderator(user: Any, pk: int) -> Comment | None:
    """A comment ``user`` moderates, with what the office page shows (its answers, open reports), or None."""
    if not rules.moderates_comments(user):
        return None
    return (
        _with_relations(Comment.objects.filter(_moderated_by(user)).filter(pk=pk, is_official=False))
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Comment.objects.filter(is_official=True, status=CommentStatus.PUBLISHED).order_by(
                    "created_at", "pk"
                ),
                to_attr="official_answers",
            )
        )
        .first()
    )

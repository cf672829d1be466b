"""Shared, permission-aware reads of sessions and agendas; each page costs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, DateTimeField, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.accounts.rules import (
    can_view_internal,
    can_view_minutes,
    can_view_unpublished_minutes,
    reads_everything,
    workshop_roles,
)
from werkstatt.core.query import parse_number
from werkstatt.documents.models import File
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter, Erratum, Meeting
from werkstatt.meetings.workflow import PUBLIC_AGENDA_STATES, MeetingState, MinutesState
from werkstatt.organizations.models import Membership, MembershipRole, Person, Workshop

LIST_CHUNK_SIZE = 500


def _presenters_prefetch() -> Prefetch:
    return Prefetch("presenters", queryset=AgendaItemPresenter.objects.select_related("person", "organization"))


def agenda_items_visible_to(user: object) -> QuerySet[AgendaItem]:
    qs = AgendaItem.objects.all()
    if reads_everything(user):
        return qs
    return qs.filter(public=True, meeting__state__in=PUBLIC_AGENDA_STATES)


@dataclass
class MeetingPage:
    meeting: Meeting
    files: list[File]
    agenda_items: list[AgendaItem]
    show_agenda: bool
    show_minutes: bool
    # Corrections of approved minutes (Berichtigungen), oldest first; empty unless the minutes are shown.
    errata: list[Erratum] = field(default_factory=list)
    # Whether this reader sees the session's internal side (non-public items and files): then the page may
    # show more than the published documents do.
    internal: bool = False

    @property
    def public_files(self) -> list[File]:
        """What the public pages list: never a non-public file, whoever looks."""
        return [f for f in self.files if f.public]

    @property
    def published_minutes(self) -> File | None:
        """The stored PDF of the published minutes, where it is what this reader's minutes download is.

        The stored file is the public view; a reader who sees internal items gets the minutes rendered for them.
        """
        meeting = self.meeting
        if self.show_minutes and not self.internal and meeting.minutes_are_public:
            return meeting.minutes_document
        return None

    @property
    def published_invitation(self) -> File | None:
        """The stored agenda PDF sent with the invitation, while the session is invited (public view only)."""
        meeting = self.meeting
        if self.show_agenda and not self.internal and meeting.state == MeetingState.INVITED:
            return meeting.invitation_document
        return None

    def shows_the_same_as(self, other: MeetingPage) -> bool:
        """Whether both pages list the same agenda items and files, i.e. their documents have the same content."""
        return [i.pk for i in self.agenda_items] == [i.pk for i in other.agenda_items] and [
            f.pk for f in self.files
        ] == [f.pk for f in other.files]


def meeting_list_for_workshop(user: object, workshop: Workshop) -> QuerySet[Meeting]:
    return Meeting.objects.filter(workshop=workshop).select_related("workshop").order_by("-date", "-number")


def _meeting_with_relations(pk: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related(
            "workshop",
            "location",
            "location__municipality",
            "chair",
            "minute_taker",
            "minutes_document",
            "invitation_document",
        )
        .prefetch_related(
            "files",
            Prefetch("errata", queryset=Erratum.objects.select_related("agenda_item").order_by("created", "pk")),
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("Diese Sitzung gibt es nicht.")
    return meeting


def _agenda(meeting: Meeting, items: QuerySet[AgendaItem], *, projects_for: object = None) -> list[AgendaItem]:
    """The session's items in order; with ``projects_for`` (a user) each item also gets ``project_consultations``:
    the consultations of projects that user may see, for the link to the project page (one query more)."""
    prefetches: list[Prefetch] = [_presenters_prefetch()]
    if projects_for is not None:
        from werkstatt.projects.models import Consultation
        from werkstatt.projects.selectors import projects_visible_to

        prefetches.append(
            Prefetch(
                "consultations",
                queryset=Consultation.objects.filter(project__in=projects_visible_to(projects_for))
                .select_related("project")
                .order_by("pk"),
                to_attr="project_consultations",
            )
        )
    return list(
        items.filter(meeting=meeting)
        .select_related("approves_meeting", "approves_meeting__workshop")
        .prefetch_related(*prefetches)
        .order_by("order")
    )


def _errata_of_items(meeting: Meeting, items: list[AgendaItem]) -> list[Erratum]:
    """Errata of the whole minutes and of the items shown (a hidden item's correction stays hidden too)."""
    shown = {item.pk for item in items}
    return [e for e in meeting.errata.all() if e.agenda_item_id is None or e.agenda_item_id in shown]


def _visibility(user: object, meeting: Meeting) -> tuple[bool, bool, bool]:
    """Whether ``user`` sees the session's internal material, its agenda and its minutes: the one reading of
    the rules that the session page, its downloads and the session list share. Needs ``meeting.minute_taker``."""
    internal = can_view_internal(user, meeting)
    show_agenda = meeting.agenda_is_public or internal
    return internal, show_agenda, show_agenda and can_view_minutes(user, meeting)


def meeting_get_for_user(user: object, pk: int, *, with_projects: bool = False) -> MeetingPage:
    """The session as ``user`` may see it. ``with_projects``: each agenda item also carries
    ``project_consultations`` (projects heard there that ``user`` may see), for the public page's links."""
    meeting = _meeting_with_relations(pk)
    internal, show_agenda, show_minutes = _visibility(user, meeting)
    items: list[AgendaItem] = []
    if show_agenda:
        visible = AgendaItem.objects.all() if internal else agenda_items_visible_to(user)
        items = _agenda(meeting, visible, projects_for=user if with_projects else None)
    return MeetingPage(
        meeting=meeting,
        files=[f for f in meeting.files.all() if f.public or internal],
        agenda_items=items,
        show_agenda=show_agenda,
        show_minutes=show_minutes,
        errata=_errata_of_items(meeting, items) if show_minutes else [],
        internal=internal,
    )


# --- the session list of all workshops (open data) ------------------------------------------------


@dataclass
class MeetingListFilter:
    """The session list's filter as parsed from a query string; ``errors`` says in German what was ignored."""

    workshop: int | None = None  # a workshop's number
    errors: list[str] = field(default_factory=list)

    PARAMS = ("werkstatt",)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> MeetingListFilter:
        f = cls()
        f.workshop = parse_number(query.get("werkstatt", ""), _("Werkstatt"), f.errors)
        return f

    def as_query(self) -> dict[str, str]:
        return {"werkstatt": str(self.workshop)} if self.workshop is not None else {}


@dataclass(frozen=True)
class MeetingListEntry:
    meeting: Meeting
    show_agenda: bool  # as on the session page: its agenda (and the agenda PDF)
    show_minutes: bool  # as on the session page: its minutes (and the minutes PDF)
    agenda_item_count: int  # the agenda items the session page shows this user


def _item_count(items: QuerySet[AgendaItem]) -> Coalesce:
    per_meeting = items.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk"))
    return Coalesce(Subquery(per_meeting.values("n")), 0)


def meeting_list_entries(user: object, filters: MeetingListFilter) -> Iterator[MeetingListEntry]:
    """Every session (of one workshop, if the filter names one), by workshop number and date, with what ``user``
    sees of it on the session page. One query, read in chunks (plus the user's workshop roles)."""
    meetings = (
        Meeting.objects.select_related("workshop", "location", "minute_taker")
        .annotate(
            all_items=_item_count(AgendaItem.objects.all()),
            visible_items=_item_count(agenda_items_visible_to(user)),
        )
        .order_by("workshop__number", "date", F("start_time").asc(nulls_first=True), "number", "pk")
    )
    if filters.workshop is not None:
        meetings = meetings.filter(workshop__number=filters.workshop)
    for meeting in meetings.iterator(chunk_size=LIST_CHUNK_SIZE):
        internal, show_agenda, show_minutes = _visibility(user, meeting)
        counted = meeting.all_items if internal else meeting.visible_items
        yield MeetingListEntry(
            meeting=meeting,
            show_agenda=show_agenda,
            show_minutes=show_minutes,
            agenda_item_count=counted if show_agenda else 0,
        )


def meeting_newest_with_published_minutes() -> Meeting | None:
    """The most recent session whose minutes are published (public for everyone): one query."""
    return (
        Meeting.objects.filter(minutes_state=MinutesState.PUBLISHED)
        .select_related("workshop")
        .order_by("-date", F("start_time").desc(nulls_last=True), "-pk")
        .first()
    )


def meeting_staff_page(pk: int) -> MeetingPage:
    """Everything about a session, for what the system itself sends (invitations, exports to members)."""
    meeting = _meeting_with_relations(pk)
    return MeetingPage(
        meeting=meeting,
        files=list(meeting.files.all()),
        agenda_items=_agenda(meeting, AgendaItem.objects.all()),
        show_agenda=True,
        show_minutes=True,
        errata=list(meeting.errata.all()),
        internal=True,
    )


def meeting_recipients(meeting: Meeting) -> list[str]:
    """E-mail addresses of the current speakers, deputies and delegates of the session's workshop."""
    today = timezone.localdate()
    rows = (
        Membership.objects.filter(
            workshop_id=meeting.workshop_id,
            role__in=[MembershipRole.SPEAKER, MembershipRole.DEPUTY, MembershipRole.DELEGATE],
        )
        .filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        .values_list("person__email", "person__user__email")
    )
    return sorted({(person_email or user_email or "").strip().lower() for person_email, user_email in rows} - {""})


# --- the public calendar and the minutes feed --------------------------------------------------------


def meetings_public_calendar(*, workshop: Workshop | None = None) -> QuerySet[Meeting]:
    """Every session of ``workshop`` (or of every workshop), as the public session pages list them: all states,
    cancelled ones included, oldest first. Each session carries ``public_agenda_items``: the items its public
    page lists (``agenda_items_visible_to`` an anonymous user, in order). Two queries whatever the number of
    sessions; ``minute_taker`` rides along because the minutes rule asks for it."""
    qs = Meeting.objects.all() if workshop is None else Meeting.objects.filter(workshop=workshop)
    return (
        qs.select_related("workshop", "location", "minute_taker")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=agenda_items_visible_to(AnonymousUser()).order_by("order"),
                to_attr="public_agenda_items",
            )
        )
        .order_by("date", "start_time", "pk")
    )


def meeting_shows_public_minutes(meeting: Meeting) -> bool:
    """Whether the public session page shows the minutes (``meeting_get_for_user`` for an anonymous user)."""
    return meeting.agenda_is_public and can_view_minutes(AnonymousUser(), meeting)


def meetings_with_public_minutes(*, workshop: Workshop | None = None) -> QuerySet[Meeting]:
    """Sessions whose minutes the public session page shows, in the form of a query: ``Meeting.minutes_are_public``
    (published minutes) of a session whose agenda is public (``Meeting.agenda_is_public``); tests hold it
    against ``meeting_get_for_user(AnonymousUser(), pk).show_minutes``.

    Each carries ``minutes_published_at``: when the minutes were published, from the session's history (the
    first recorded version in the state „veröffentlicht“; the state is final), or ``modified`` where the history
    has no such row (a session written without history). Newest publication first; each session also carries
    ``public_agenda_items``. Two queries whatever the number of sessions."""
    qs = Meeting.objects.all() if workshop is None else Meeting.objects.filter(workshop=workshop)
    published_at = (
        Meeting.history.model.objects.filter(id=OuterRef("pk"), minutes_state=MinutesState.PUBLISHED)
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return (
        qs.filter(minutes_state=MinutesState.PUBLISHED, state__in=PUBLIC_AGENDA_STATES)
        .select_related("workshop")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=agenda_items_visible_to(AnonymousUser()).order_by("order"),
                to_attr="public_agenda_items",
            )
        )
        .annotate(minutes_published_at=Coalesce(Subquery(published_at, output_field=DateTimeField()), F("modified")))
        .order_by("-minutes_published_at", "-pk")
    )


def meetings_with_minutes_visible_to(user: object) -> QuerySet[Meeting]:
    """Sessions whose minutes ``user`` reads on the session page (``MeetingPage.show_minutes``), as a query for
    subqueries (the search). The public ones are ``meetings_with_public_minutes``; those who may read unpublished
    minutes read all; a member or minute-taker also the sessions of their workshops that ``_visibility`` opens to
    them (one query for those candidates, none for the public or for those who read everything)."""
    if can_view_unpublished_minutes(user):
        return Meeting.objects.all()
    public = Meeting.objects.filter(pk__in=meetings_with_public_minutes().values("pk"))
    if not getattr(user, "is_authenticated", False):
        return public
    candidates = Meeting.objects.filter(
        Q(workshop_id__in=list(workshop_roles(user))) | Q(minute_taker__user=user)
    ).select_related("minute_taker")
    own = [meeting.pk for meeting in candidates if _visibility(user, meeting)[2]]
    return Meeting.objects.filter(Q(pk__in=public.values("pk")) | Q(pk__in=own))


def meetings_upcoming(user: object, *, limit: int = 5) -> QuerySet[Meeting]:
    """Sessions that are planned or invited, soonest first."""
    return (
        Meeting.objects.filter(state__in=[MeetingState.PLANNED, MeetingState.INVITED])
        .select_related("workshop", "location")
        .order_by("date", "start_time")[:limit]
    )


def project_presentations_for_workshop(user: object, workshop: Workshop) -> QuerySet[AgendaItem]:
    """Projects presented to a workshop, newest first (the project register follows in the pipeline issue)."""
    return (
        agenda_items_visible_to(user)
        .filter(meeting__workshop=workshop, kind=AgendaItemKind.PROJECT_PRESENTATION)
        .select_related("meeting")
        .prefetch_related(_presenters_prefetch())
        .order_by("-meeting__date", "order")
    )


def presentations_by_person(user: object, person: Person) -> QuerySet[AgendaItem]:
    return (
        agenda_items_visible_to(user)
        .filter(presenters__person=person)
        .select_related("meeting", "meeting__workshop")
        .distinct()
        .order_by("-meeting__date", "order")
    )

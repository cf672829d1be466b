"""Shared, permission-aware reads of sessions and agendas; each page costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from werkstatt.accounts.rules import can_view_internal, can_view_minutes, reads_everything
from werkstatt.documents.models import File
from werkstatt.meetings.models import AgendaItem, AgendaItemKind, AgendaItemPresenter, Erratum, Meeting
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import Membership, MembershipRole, Person, Workshop


def _presenters_prefetch() -> Prefetch:
    return Prefetch("presenters", queryset=AgendaItemPresenter.objects.select_related("person", "organization"))


def agenda_items_visible_to(user: object) -> QuerySet[AgendaItem]:
    qs = AgendaItem.objects.all()
    if reads_everything(user):
        return qs
    return qs.filter(public=True, meeting__state__in=[MeetingState.INVITED, MeetingState.HELD])


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


def meeting_get_for_user(user: object, pk: int, *, with_projects: bool = False) -> MeetingPage:
    """The session as ``user`` may see it. ``with_projects``: each agenda item also carries
    ``project_consultations`` (projects heard there that ``user`` may see), for the public page's links."""
    meeting = _meeting_with_relations(pk)
    internal = can_view_internal(user, meeting)
    show_agenda = meeting.agenda_is_public or internal
    items: list[AgendaItem] = []
    if show_agenda:
        visible = AgendaItem.objects.all() if internal else agenda_items_visible_to(user)
        items = _agenda(meeting, visible, projects_for=user if with_projects else None)
    show_minutes = show_agenda and can_view_minutes(user, meeting)
    return MeetingPage(
        meeting=meeting,
        files=[f for f in meeting.files.all() if f.public or internal],
        agenda_items=items,
        show_agenda=show_agenda,
        show_minutes=show_minutes,
        errata=_errata_of_items(meeting, items) if show_minutes else [],
        internal=internal,
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

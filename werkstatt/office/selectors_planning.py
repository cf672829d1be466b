"""Reads of the planning pages: choices for the forms, each one query however much data there is."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from werkstatt.meetings.models import AgendaItemPresenter, Meeting
from werkstatt.meetings.workflow import MeetingState
from werkstatt.organizations.models import Membership, Organization, Person, WorkshopMember


def meetings_approvable_in(meeting: Meeting, *, keep: int | None = None) -> QuerySet[Meeting]:
    """Earlier sessions of the same workshop whose minutes an item of ``meeting`` may approve.

    ``keep`` is the session an item already names; it stays choosable so that saving the item again works.
    """
    earlier = Q(workshop_id=meeting.workshop_id, date__lte=meeting.date) & ~Q(pk=meeting.pk)
    earlier &= ~Q(state=MeetingState.CANCELLED)
    if keep is not None:
        earlier |= Q(pk=keep)
    return Meeting.objects.filter(earlier).select_related("workshop").order_by("-date", "-number")


def persons_for_picking(meeting: Meeting) -> QuerySet[Person]:
    """Every person of the process, for the presenter, chair and minute-taker choices."""
    return (
        Person.objects.filter(body_id=meeting.workshop.body_id)
        .select_related("organization")
        .order_by("family_name", "given_name", "pk")
    )


def organizations_for_picking(meeting: Meeting) -> QuerySet[Organization]:
    return Organization.objects.filter(body_id=meeting.workshop.body_id).order_by("name")


def _active_on(start: str, end: str, day: object) -> Q:
    """Rows whose ``start``..``end`` period (either end open) contains ``day``."""
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day})
    )


def attendance_persons(meeting: Meeting) -> QuerySet[Person]:
    """Who may have been present: the workshop's members on the day, the chair, the minute-taker,
    the presenters of this session, and everyone already recorded as present."""
    members = Membership.objects.filter(
        _active_on("start_date", "end_date", meeting.date), workshop_id=meeting.workshop_id
    ).values("person_id")
    presenters = AgendaItemPresenter.objects.filter(agenda_item__meeting=meeting, person__isnull=False).values(
        "person_id"
    )
    recorded = Meeting.attendees.through.objects.filter(meeting_id=meeting.pk).values("person_id")
    named = [pk for pk in (meeting.chair_id, meeting.minute_taker_id) if pk is not None]
    return (
        Person.objects.filter(Q(pk__in=members) | Q(pk__in=presenters) | Q(pk__in=recorded) | Q(pk__in=named))
        .select_related("organization")
        .order_by("family_name", "given_name", "pk")
    )


def attendance_organizations(meeting: Meeting) -> QuerySet[Organization]:
    """The workshop's member organisations on the day, and every organisation already recorded as present."""
    members = WorkshopMember.objects.filter(
        _active_on("since", "until", meeting.date), workshop_id=meeting.workshop_id
    ).values("organization_id")
    recorded = Meeting.attending_organizations.through.objects.filter(meeting_id=meeting.pk).values("organization_id")
    return Organization.objects.filter(Q(pk__in=members) | Q(pk__in=recorded)).order_by("name", "pk")


def attendance_recorded(meeting: Meeting) -> tuple[list[int], list[int]]:
    """The ids of the persons and organisations recorded as present."""
    persons = list(Meeting.attendees.through.objects.filter(meeting_id=meeting.pk).values_list("person_id", flat=True))
    organizations = list(
        Meeting.attending_organizations.through.objects.filter(meeting_id=meeting.pk).values_list(
            "organization_id", flat=True
        )
    )
    return persons, organizations

"""Reads of the back office: what a user works on, with the rules applied in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from werkstatt.accounts import rules
from werkstatt.meetings.models import Meeting
from werkstatt.meetings.workflow import MeetingState, MinutesState
from werkstatt.organizations.models import Workshop


def workshops_for_user(user: object) -> QuerySet[Workshop]:
    """The workshops ``user`` works in: all for those who read everything, else their own."""
    qs = Workshop.objects.order_by("number")
    if rules.reads_everything(user):
        return qs
    return qs.filter(pk__in=list(rules.workshop_roles(user)))


@dataclass
class Dashboard:
    workshops: list[Workshop]
    next_meetings: list[Meeting]
    waiting: list[tuple[Meeting, str]] = field(default_factory=list)


def dashboard_for_user(user: object) -> Dashboard:
    workshops = list(workshops_for_user(user))
    ids = [w.pk for w in workshops]
    base = Meeting.objects.filter(workshop_id__in=ids).select_related("workshop", "location", "minute_taker")
    next_meetings = list(
        base.filter(state__in=[MeetingState.PLANNED, MeetingState.INVITED], date__gte=timezone.localdate()).order_by(
            "date", "start_time"
        )[:10]
    )
    open_minutes = base.filter(state=MeetingState.HELD).exclude(minutes_state=MinutesState.PUBLISHED).order_by("date")
    waiting: list[tuple[Meeting, str]] = []
    for meeting in open_minutes:
        if meeting.minutes_state == MinutesState.DRAFT and rules.can_record_minutes(user, meeting):
            waiting.append((meeting, "Protokoll schreiben und versenden"))
        elif meeting.minutes_state == MinutesState.CIRCULATED and rules.can_comment_minutes(user, meeting):
            waiting.append((meeting, "Protokollentwurf lesen und anmerken"))
        elif meeting.minutes_state == MinutesState.APPROVED and rules.can_publish_minutes(user, meeting):
            waiting.append((meeting, "Bestätigtes Protokoll veröffentlichen"))
    return Dashboard(workshops=workshops, next_meetings=next_meetings, waiting=waiting)

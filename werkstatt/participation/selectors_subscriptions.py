"""Reads of the subscriptions: what a subscribe link points at, what an unsubscribe link cancels, and, for the
delivery, which events are public and who follows them. "Public" is always asked of the apps' selectors for an
anonymous user (``projects_visible_to``, ``meetings_with_minutes_visible_to``, ``news_items_visible_to``); there is
no second rule here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from werkstatt.geo.models import District
from werkstatt.geo.selectors import district_get_by_ags
from werkstatt.meetings.selectors import meetings_with_minutes_visible_to
from werkstatt.meetings.workflow import MeetingState
from werkstatt.news.selectors import news_items_visible_to
from werkstatt.organizations.models import Workshop
from werkstatt.organizations.selectors import workshop_get_by_number
from werkstatt.participation.models import Event, EventKind, Frequency, Subscription, SubscriptionTopic
from werkstatt.participation.tokens import read_unsubscribe_token
from werkstatt.projects.models import Project
from werkstatt.projects.selectors import projects_visible_to

# The topic as the query string names it (German, as the addresses of the site are).
TOPIC_SLUGS = {
    "werkstatt": SubscriptionTopic.WORKSHOP,
    "projekt": SubscriptionTopic.PROJECT,
    "landkreis": SubscriptionTopic.DISTRICT,
    "neuigkeiten": SubscriptionTopic.NEWS,
}
SLUG_OF_TOPIC = {topic: slug for slug, topic in TOPIC_SLUGS.items()}

_PROJECT_KINDS = (EventKind.PROJECT_PUBLISHED, EventKind.PROJECT_STATE, EventKind.MILESTONE)


class TargetError(Exception):
    """A subscribe link that points at nothing one can follow; ``message`` (German) and the HTTP ``status``."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Target:
    """What a subscription follows."""

    topic: str
    workshop: Workshop | None = None
    project: Project | None = None
    district: District | None = None

    @property
    def label(self) -> str:
        return topic_label(self.topic, workshop=self.workshop, project=self.project, district=self.district)

    @property
    def phrase(self) -> str:
        """``in Werkstatt 4``, ``im Projekt „…“``, for "Neu in …" in a mail's subject."""
        if self.workshop is not None:
            return _("in %(workshop)s") % {"workshop": self.workshop.label}
        if self.project is not None:
            return _("im Projekt „%(title)s“") % {"title": self.project.title}
        if self.district is not None:
            return _("in %(district)s") % {"district": self.district.display_name}
        return _("im Werkstattprozess")

    @property
    def url(self) -> str:
        """The page of what is followed (a path)."""
        if self.workshop is not None:
            return reverse("portal:workshop-detail", args=[self.workshop.number])
        if self.project is not None:
            return reverse("portal:project-detail", args=[self.project.pk])
        if self.district is not None:
            return reverse("portal:district-detail", args=[self.district.ags])
        return reverse("portal:news-list")

    @property
    def query(self) -> str:
        """The query string of the subscribe page for this target."""
        slug = SLUG_OF_TOPIC[SubscriptionTopic(self.topic)]
        if self.workshop is not None:
            return f"thema={slug}&id={self.workshop.number}"
        if self.project is not None:
            return f"thema={slug}&id={self.project.pk}"
        if self.district is not None:
            return f"thema={slug}&id={self.district.ags}"
        return f"thema={slug}"


def topic_label(topic: str, *, workshop: Workshop | None, project: Project | None, district: District | None) -> str:
    """What a subscription follows, in German: ``Werkstatt 4: Daseinsvorsorge …``, ``Projekt „…“`` …"""
    if topic == SubscriptionTopic.WORKSHOP and workshop is not None:
        return f"{workshop.label}: {workshop.title}"
    if topic == SubscriptionTopic.PROJECT and project is not None:
        return _("Projekt „%(title)s“") % {"title": project.title}
    if topic == SubscriptionTopic.DISTRICT and district is not None:
        return _("Projekte in %(district)s (%(kind)s)") % {"district": district.display_name, "kind": district.kind}
    return _("Neuigkeiten aus dem Werkstattprozess")


def subscription_target(subscription: Subscription) -> Target:
    return Target(
        topic=subscription.topic,
        workshop=subscription.workshop,
        project=subscription.project,
        district=subscription.district,
    )


def subscribe_target_from_query(topic_slug: str, raw_id: str) -> Target:
    """The target of ``/mitmachen/abonnieren/?thema=…&id=…``: a workshop by number, a public project by its
    number, a district by its Kreisschlüssel, or the news. ``TargetError`` (400 or 404) for anything else; a
    non-public project is answered like one that does not exist."""
    topic = TOPIC_SLUGS.get(topic_slug.strip())
    if topic is None:
        raise TargetError(
            _(
                "Dieses Thema gibt es nicht. Abonnieren können Sie eine Werkstatt, ein Projekt, einen Landkreis "
                "oder die Neuigkeiten."
            ),
            status=400,
        )
    raw_id = raw_id.strip()
    if topic == SubscriptionTopic.NEWS:
        return Target(topic=topic)
    if topic == SubscriptionTopic.DISTRICT:
        try:
            return Target(topic=topic, district=district_get_by_ags(raw_id))
        except Http404 as exc:
            raise TargetError(
                _("Einen Landkreis oder eine kreisfreie Stadt mit diesem Schlüssel gibt es nicht."), status=404
            ) from exc
    number = int(raw_id) if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 10 else None
    if topic == SubscriptionTopic.WORKSHOP:
        try:
            if number is None:
                raise Http404
            return Target(topic=topic, workshop=workshop_get_by_number(AnonymousUser(), number, with_people=False))
        except Http404 as exc:
            raise TargetError(_("Eine Werkstatt mit dieser Nummer gibt es nicht."), status=404) from exc
    project = None if number is None else projects_visible_to(AnonymousUser()).filter(pk=number).first()
    if project is None:
        raise TargetError(_("Dieses Projekt gibt es nicht oder es ist nicht öffentlich."), status=404)
    return Target(topic=topic, project=project)


def subscriptions_with_targets() -> QuerySet[Subscription]:
    return Subscription.objects.select_related("participant", "workshop", "project", "district")


def subscriptions_of_unsubscribe_token(token: str) -> list[Subscription]:
    """The subscriptions an unsubscribe link cancels that still exist (``TokenError`` for a forged link)."""
    pks = read_unsubscribe_token(token)
    return list(subscriptions_with_targets().filter(pk__in=pks).order_by("pk"))


# --- delivery ------------------------------------------------------------------------------------


def _events() -> QuerySet[Event]:
    return Event.objects.select_related("workshop", "project", "district", "meeting", "meeting__workshop", "news_item")


def events_undelivered(*, limit: int) -> list[Event]:
    """The oldest events not yet told to the immediate subscribers, locked for this worker (others skip them
    where the database can)."""
    qs = _events().filter(delivered_at__isnull=True).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:limit])


def events_between(since: dt.datetime, until: dt.datetime) -> list[Event]:
    """The events recorded after ``since`` up to ``until``, oldest first."""
    return list(_events().filter(created_at__gt=since, created_at__lte=until).order_by("created_at", "pk"))


def events_public(events: Iterable[Event]) -> set[int]:
    """The events whose object the public sees now (at most three queries, whatever the number of events):
    the project of a project event is public, the minutes of a minutes event are, the news item is published,
    and the session of a new date is not cancelled (session pages are public)."""
    events = list(events)
    anonymous = AnonymousUser()
    project_ids = {e.project_id for e in events if e.kind in _PROJECT_KINDS and e.project_id}
    minutes_ids = {e.meeting_id for e in events if e.kind == EventKind.MINUTES_PUBLISHED and e.meeting_id}
    news_ids = {e.news_item_id for e in events if e.kind == EventKind.NEWS_PUBLISHED and e.news_item_id}
    public_projects = (
        set(projects_visible_to(anonymous).filter(pk__in=project_ids).values_list("pk", flat=True))
        if project_ids
        else set()
    )
    public_minutes = (
        set(meetings_with_minutes_visible_to(anonymous).filter(pk__in=minutes_ids).values_list("pk", flat=True))
        if minutes_ids
        else set()
    )
    public_news = (
        set(news_items_visible_to(anonymous).filter(pk__in=news_ids).values_list("pk", flat=True))
        if news_ids
        else set()
    )
    public: set[int] = set()
    for event in events:
        if event.kind in _PROJECT_KINDS:
            ok = event.project_id in public_projects
        elif event.kind == EventKind.MINUTES_PUBLISHED:
            ok = event.meeting_id in public_minutes
        elif event.kind == EventKind.NEWS_PUBLISHED:
            ok = event.news_item_id in public_news
        else:
            ok = event.meeting is not None and event.meeting.state != MeetingState.CANCELLED
        if ok:
            public.add(event.pk)
    return public


def subscription_matches(subscription: Subscription, event: Event) -> bool:
    """Whether ``subscription`` follows what ``event`` is about."""
    topic = subscription.topic
    if topic == SubscriptionTopic.WORKSHOP:
        return event.workshop_id is not None and event.workshop_id == subscription.workshop_id
    if topic == SubscriptionTopic.PROJECT:
        return event.project_id is not None and event.project_id == subscription.project_id
    if topic == SubscriptionTopic.DISTRICT:
        return event.district_id is not None and event.district_id == subscription.district_id
    return event.kind == EventKind.NEWS_PUBLISHED


def subscriptions_matching(events: Iterable[Event], *, frequency: str) -> list[Subscription]:
    """The confirmed subscriptions of ``frequency`` that may match one of ``events``, in one query whatever the
    number of subscribers; the caller pairs them with ``subscription_matches``."""
    events = list(events)
    workshops = {e.workshop_id for e in events if e.workshop_id}
    projects = {e.project_id for e in events if e.project_id}
    districts = {e.district_id for e in events if e.district_id}
    news = any(e.kind == EventKind.NEWS_PUBLISHED for e in events)
    condition = Q(pk__in=[])
    if workshops:
        condition |= Q(topic=SubscriptionTopic.WORKSHOP, workshop_id__in=workshops)
    if projects:
        condition |= Q(topic=SubscriptionTopic.PROJECT, project_id__in=projects)
    if districts:
        condition |= Q(topic=SubscriptionTopic.DISTRICT, district_id__in=districts)
    if news:
        condition |= Q(topic=SubscriptionTopic.NEWS)
    return list(
        subscriptions_with_targets()
        .filter(condition, confirmed_at__isnull=False, frequency=frequency)
        .order_by("participant_id", "pk")
    )


def subscriptions_weekly() -> list[Subscription]:
    """Every confirmed weekly subscription, grouped by address (one query)."""
    return list(
        subscriptions_with_targets()
        .filter(confirmed_at__isnull=False, frequency=Frequency.WEEKLY)
        .order_by("participant_id", "created_at", "pk")
    )

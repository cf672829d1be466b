"""Recording what subscribers may want to hear about, in the transaction of the write that caused it.

Each receiver turns one write into at most one ``Event``, identified by its ``key`` (unique): a write repeated or
saved twice in one transaction records nothing new. What is recorded (``docs/participation.md``, section
"Abonnements und Benachrichtigungen"):

=====================  ==========================================  ==============================  ==================
kind                   write                                       key                             matched by
=====================  ==========================================  ==============================  ==================
session_planned        a session created (today or later)           ``session:<pk>``                workshop
session_planned        its date changed (planned/invited)           ``session:<pk>:<date>``         workshop
minutes_published      ``Meeting.minutes_state`` becomes published  ``minutes:<pk>``                workshop
project_published      a project becomes public (the first time)    ``project:<pk>``                workshop, district
project_state          a step recorded (``ProjectStatusChange``)     ``state:<change pk>``           project
milestone              created, or its actual date set              ``milestone:<pk>:<date>``       project, district
news_published         a news item saved as published               ``news:<pk>``                   news
=====================  ==========================================  ==============================  ==================

A planned-only milestone's key reads ``milestone:<pk>:plan-<date>``, so that the later "took place" on the same
day is still told. Whether the object is public is decided when the event is told (``services.subscriptions``),
never here: an event of a non-public project is recorded and told to nobody.

The receivers are cheap for bulk loads (the demo loader, imports): the values an event depends on are remembered
when a row is loaded (``post_init``, no query), so an unchanged row costs nothing; a changed one costs one
lookup of the key and one insert. The keys seen in a transaction are remembered too, and the transaction enqueues
at most one delivery job, after its commit (as ``werkstatt.search.signals`` does for the index). These signals
record a derived row; they carry no domain flow (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model, signals
from django.utils import timezone

from werkstatt.core.dates import format_date

_SEEN = "_participation_seen"


class _Pending:
    """The events recorded in the current transaction; one on-commit callback enqueues their delivery."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.event_ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        if self.event_ids:
            _enqueue_delivery()


_local = threading.local()  # .pending: the current _Pending of this thread


def _pending() -> _Pending:
    pending: _Pending | None = getattr(_local, "pending", None)
    if pending is None or pending.done or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = _Pending()
        _local.pending = pending
        transaction.on_commit(pending)
    return pending


def _enqueue_delivery() -> None:
    from werkstatt.participation.jobs.subscriptions import deliver_events

    deliver_events.enqueue()


def record(key: str, *, kind: str, title: str | Callable[[], str], **targets: Any) -> None:
    """Record the event ``key`` unless it exists (``title`` may be a function, called only then); its delivery
    is enqueued once the transaction commits (at once outside a transaction)."""
    from werkstatt.participation.models import Event

    pending = _pending() if connection.in_atomic_block else None
    if pending is not None:
        if key in pending.keys:
            return
        pending.keys.add(key)
    if Event.objects.filter(key=key).exists():
        return
    text = title() if callable(title) else title
    try:
        with transaction.atomic():
            event = Event.objects.create(key=key, kind=kind, title=text[:400], **targets)
    except IntegrityError:  # recorded at the same moment by another transaction
        return
    if pending is None:
        _enqueue_delivery()
    else:
        pending.event_ids.add(event.pk)


# --- what each write records ---------------------------------------------------------------------


def _seen(instance: Model) -> dict[str, Any]:
    seen: dict[str, Any] = getattr(instance, _SEEN, None) or {}
    return seen


def _remember(*fields: str) -> Callable[..., None]:
    """A ``post_init`` receiver that notes the loaded values of ``fields`` (deferred ones are left out)."""

    def receiver(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        if instance.pk is not None:
            values = instance.__dict__
            setattr(instance, _SEEN, {name: values[name] for name in fields if name in values})

    return receiver


def _changed(instance: Model, created: bool, name: str) -> bool:
    """Whether ``name`` differs from the value loaded (always for a new row); remembers the saved value."""
    seen = _seen(instance)
    value = instance.__dict__.get(name)
    before = seen.get(name, object()) if not created else object()
    seen[name] = value
    setattr(instance, _SEEN, seen)
    return bool(value != before)


def _meeting_saved(sender: type[Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    from werkstatt.meetings.workflow import MeetingState, MinutesState
    from werkstatt.participation.models import EventKind

    if raw:
        return
    date_changed = _changed(instance, created, "date")
    minutes_changed = _changed(instance, created, "minutes_state")
    upcoming = instance.state in (MeetingState.PLANNED, MeetingState.INVITED) and instance.date >= timezone.localdate()
    if date_changed and upcoming:
        if created:
            record(
                f"session:{instance.pk}",
                kind=EventKind.SESSION_PLANNED,
                title=lambda: f"Neuer Sitzungstermin: {instance.title} am {format_date(instance.date)}",
                workshop_id=instance.workshop_id,
                meeting=instance,
            )
        else:
            record(
                f"session:{instance.pk}:{instance.date.isoformat()}",
                kind=EventKind.SESSION_PLANNED,
                title=lambda: f"Neuer Termin: {instance.title} findet jetzt am {format_date(instance.date)} statt",
                workshop_id=instance.workshop_id,
                meeting=instance,
            )
    if minutes_changed and instance.minutes_state == MinutesState.PUBLISHED:
        record(
            f"minutes:{instance.pk}",
            kind=EventKind.MINUTES_PUBLISHED,
            title=lambda: f"Protokoll veröffentlicht: {instance.title} vom {format_date(instance.date)}",
            workshop_id=instance.workshop_id,
            meeting=instance,
        )


def _project_saved(sender: type[Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    from werkstatt.participation.models import EventKind

    if raw:
        return
    if _changed(instance, created, "public") and instance.public:

        def title() -> str:
            where = [instance.lead_workshop.label] if instance.lead_workshop_id else []
            if instance.district_id:
                where.append(instance.district.display_name)
            return f"Neues Projekt: {instance.title}" + (f" ({', '.join(where)})" if where else "")

        record(
            f"project:{instance.pk}",
            kind=EventKind.PROJECT_PUBLISHED,
            title=title,
            project=instance,
            workshop_id=instance.lead_workshop_id,
            district_id=instance.district_id,
        )


def _status_change_saved(sender: type[Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    from werkstatt.participation.models import EventKind

    if raw or not created or not instance.from_state:  # the first entry is the project's creation, not a step
        return
    record(
        f"state:{instance.pk}",
        kind=EventKind.PROJECT_STATE,
        title=lambda: f"Neuer Stand: {instance.get_to_state_display()} – Projekt {instance.project.title}",
        project_id=instance.project_id,
    )


def _milestone_saved(sender: type[Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    from werkstatt.participation.models import EventKind

    if raw:
        return
    actual_changed = _changed(instance, created, "actual_date")
    actual: dt.date | None = instance.actual_date
    planned: dt.date | None = instance.planned_date
    if actual is not None and actual_changed:
        key = f"milestone:{instance.pk}:{actual.isoformat()}"
        when = f"Meilenstein erreicht: {instance.label} am {format_date(actual)}"
    elif created and planned is not None:
        key = f"milestone:{instance.pk}:plan-{planned.isoformat()}"
        when = f"Neuer Meilenstein: {instance.label}, geplant am {format_date(planned)}"
    else:
        return
    project = instance.project
    record(
        key,
        kind=EventKind.MILESTONE,
        title=lambda: f"{when} – Projekt {project.title}",
        project_id=instance.project_id,
        district_id=project.district_id,
    )


def _news_saved(sender: type[Model], instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    from werkstatt.participation.models import EventKind

    if raw:
        return
    if _changed(instance, created, "published") and instance.published:
        record(
            f"news:{instance.pk}",
            kind=EventKind.NEWS_PUBLISHED,
            title=lambda: f"Neuigkeit: {instance.title}",
            news_item=instance,
        )


def connect() -> None:
    """Connect the receivers that record events."""
    from werkstatt.meetings.models import Meeting
    from werkstatt.news.models import NewsItem
    from werkstatt.projects.models import Milestone, Project, ProjectStatusChange

    remembered: list[tuple[type[Model], tuple[str, ...]]] = [
        (Meeting, ("date", "minutes_state")),
        (Project, ("public",)),
        (Milestone, ("actual_date",)),
        (NewsItem, ("published",)),
    ]
    for model, fields in remembered:
        signals.post_init.connect(
            _remember(*fields), sender=model, weak=False, dispatch_uid=f"participation-seen-{model.__name__}"
        )
    saved: list[tuple[type[Model], Callable[..., None]]] = [
        (Meeting, _meeting_saved),
        (Project, _project_saved),
        (ProjectStatusChange, _status_change_saved),
        (Milestone, _milestone_saved),
        (NewsItem, _news_saved),
    ]
    for model, receiver in saved:
        signals.post_save.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"participation-event-{model.__name__}"
        )

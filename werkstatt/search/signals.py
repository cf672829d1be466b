"""Keeping the index in step with every write.

Each save, delete or many-to-many change of an indexed object, or of a row whose text an entry carries (a
milestone, a project's municipality, a person's membership …), queues the affected ``(kind, id)`` pairs; one
callback per transaction refreshes them after the commit (``transaction.on_commit``), so a rolled-back write
leaves the index alone and a transaction touching many rows refreshes each entry once. A failed refresh is
logged and does not undo the write; ``bin/werkstatt search-reindex`` repairs the index. These signals keep a
derived table in step; they carry no domain flow (docs/architecture.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, signals

from werkstatt.search.models import SearchKind

logger = logging.getLogger(__name__)
Refs = set[tuple[str, int]]


class _Pending:
    """The pairs queued in the current transaction, refreshed by one on-commit callback."""

    def __init__(self) -> None:
        self.refs: Refs = set()
        self.done = False

    def __call__(self) -> None:
        from werkstatt.search.services import search_index_update

        self.done = True
        refs, self.refs = self.refs, set()
        try:
            search_index_update(refs)
        except Exception:
            logger.exception("Der Suchindex konnte nicht aktualisiert werden (%d Einträge).", len(refs))


_local = threading.local()  # .pending: the current _Pending of this thread


def queue(refs: Iterable[tuple[str, int]]) -> None:
    """Refresh these entries after the current transaction commits (at once outside a transaction)."""
    refs = {(kind, int(pk)) for kind, pk in refs if pk is not None}
    if not refs:
        return
    pending: _Pending | None = getattr(_local, "pending", None)
    if pending is None or pending.done or not any(entry[1] is pending for entry in connection.run_on_commit):
        pending = _Pending()
        pending.refs |= refs
        if connection.in_atomic_block:
            _local.pending = pending
        transaction.on_commit(pending)
        return
    pending.refs |= refs


def _ids(values: Iterable[Any]) -> list[int]:
    return [v for v in values if v is not None]


# --- what each change touches ----------------------------------------------------------------------


def _project(project: Any, deleted: bool) -> Refs:
    refs = {(SearchKind.PROJECT.value, project.pk)}
    if not deleted:
        refs |= {(SearchKind.DOCUMENT.value, pk) for pk in project.files.values_list("pk", flat=True)}
    return refs


def _project_part(row: Any, deleted: bool) -> Refs:
    return {(SearchKind.PROJECT.value, row.project_id)}


def _agenda_item(item: Any, deleted: bool) -> Refs:
    refs = {(SearchKind.MINUTES.value, item.pk)}
    if not deleted:
        refs |= {(SearchKind.DOCUMENT.value, pk) for pk in item.files.values_list("pk", flat=True)}
    return refs


def _presenter(row: Any, deleted: bool) -> Refs:
    return {(SearchKind.MINUTES.value, row.agenda_item_id)}


def _meeting(meeting: Any, deleted: bool) -> Refs:
    if deleted:
        return set()
    from werkstatt.meetings.models import AgendaItem

    refs = {
        (SearchKind.MINUTES.value, pk) for pk in AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True)
    }
    documents = [
        *meeting.files.values_list("pk", flat=True),
        meeting.minutes_document_id,
        meeting.invitation_document_id,
    ]
    return refs | {(SearchKind.DOCUMENT.value, pk) for pk in _ids(documents)}


def _news(item: Any, deleted: bool) -> Refs:
    return {(SearchKind.NEWS.value, item.pk)}


def _file(document: Any, deleted: bool) -> Refs:
    return {(SearchKind.DOCUMENT.value, document.pk)}


def _organization(organization: Any, deleted: bool) -> Refs:
    refs = {(SearchKind.ORGANIZATION.value, organization.pk)}
    if not deleted:
        refs |= {(SearchKind.PERSON.value, pk) for pk in organization.persons.values_list("pk", flat=True)}
        refs |= {(SearchKind.PROJECT.value, pk) for pk in organization.sponsored_projects.values_list("pk", flat=True)}
    return refs


def _workshop_member(row: Any, deleted: bool) -> Refs:
    return {(SearchKind.ORGANIZATION.value, row.organization_id)}


def _person(person: Any, deleted: bool) -> Refs:
    return {(SearchKind.PERSON.value, person.pk)}


def _membership(row: Any, deleted: bool) -> Refs:
    return {(SearchKind.PERSON.value, row.person_id)}


def _place(place: Any, deleted: bool) -> Refs:
    """A municipality or district renamed: the projects there."""
    if deleted:
        return set()
    return {(SearchKind.PROJECT.value, pk) for pk in place.projects.values_list("pk", flat=True)}


def _workshop(workshop: Any, deleted: bool) -> Refs:
    if deleted:
        return set()
    from werkstatt.projects.models import Project

    projects = Project.objects.filter(lead_workshop=workshop).values_list("pk", flat=True)
    return {(SearchKind.PROJECT.value, pk) for pk in projects}


def _saved(handler: Callable[[Any, bool], Refs]) -> Callable[..., None]:
    def receiver(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
        if not raw:
            queue(handler(instance, False))

    return receiver


def _deleted(handler: Callable[[Any, bool], Refs]) -> Callable[..., None]:
    def receiver(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        queue(handler(instance, True))

    return receiver


def _m2m(owner_kind: str, *, documents: bool = False) -> Callable[..., None]:
    """A many-to-many change of an indexed owner (``Project.other_workshops``, ``NewsItem.workshops``,
    ``AgendaItem.files`` …); ``documents``: the other side are files, whose entries change too."""

    def receiver(instance: Model, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any) -> None:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        others = pk_set or set()
        if not reverse:
            refs = {(owner_kind, instance.pk)} if owner_kind else set()
            if documents:
                refs |= {(SearchKind.DOCUMENT.value, pk) for pk in others}
        else:
            refs = {(owner_kind, pk) for pk in others} if owner_kind else set()
            if documents:
                refs.add((SearchKind.DOCUMENT.value, instance.pk))
        queue(refs)

    return receiver


_RECEIVERS: list[tuple[Any, Callable[..., None]]] = []


def connect() -> None:
    from werkstatt.documents.models import File
    from werkstatt.geo.models import District, Municipality
    from werkstatt.meetings.models import AgendaItem, AgendaItemPresenter, Meeting
    from werkstatt.news.models import NewsItem
    from werkstatt.organizations.models import Membership, Organization, Person, Workshop, WorkshopMember
    from werkstatt.projects.models import Milestone, Project, ProjectStatusChange

    handlers: list[tuple[type[Model], Callable[[Any, bool], Refs]]] = [
        (Project, _project),
        (Milestone, _project_part),
        (ProjectStatusChange, _project_part),
        (AgendaItem, _agenda_item),
        (AgendaItemPresenter, _presenter),
        (Meeting, _meeting),
        (NewsItem, _news),
        (File, _file),
        (Organization, _organization),
        (WorkshopMember, _workshop_member),
        (Person, _person),
        (Membership, _membership),
        (Municipality, _place),
        (District, _place),
        (Workshop, _workshop),
    ]
    for model, handler in handlers:
        for signal, wrap in ((signals.post_save, _saved), (signals.post_delete, _deleted)):
            receiver = wrap(handler)
            _RECEIVERS.append((model, receiver))  # keep a strong reference
            signal.connect(
                receiver,
                sender=model,
                weak=False,
                dispatch_uid=f"search-{signal is signals.post_save}-{model.__name__}",
            )
    m2m: list[tuple[Any, str, bool]] = [
        (Project.other_workshops.through, SearchKind.PROJECT.value, False),
        (Project.focus_areas.through, SearchKind.PROJECT.value, False),
        (Project.files.through, SearchKind.PROJECT.value, True),
        (AgendaItem.files.through, SearchKind.MINUTES.value, True),
        (Meeting.files.through, "", True),
        (NewsItem.workshops.through, SearchKind.NEWS.value, False),
    ]
    for through, kind, documents in m2m:
        signals.m2m_changed.connect(
            _m2m(kind, documents=documents), sender=through, weak=False, dispatch_uid=f"search-m2m-{through.__name__}"
        )

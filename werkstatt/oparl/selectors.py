"""What the OParl API serves, read with the public rules of the selectors, in a fixed number of queries per page.

Every OParl type has one or more *sources* (a model and the key prefix of its URLs: workshops and other
organisations are both ``Organization``). A source answers three questions for a body:

- ``visible``: the live rows the public may see (the existing selectors for an anonymous reader decide);
- ``withdrawn``: live rows that are not visible any more but were once (a project taken out of the public
  register, a file made internal): served as deleted, so a mirror removes its copy;
- ``deleted``: rows deleted for good that were once public, read from their history (simple-history keeps a
  row with ``history_type = "-"``): served as deleted too.

``modified`` of an object is true to the history: the newest of its own change and the changes of what its
OParl object embeds (a session's agenda items, a person's memberships, a project's milestones), read from the
history tables, so deleting an embedded object counts as a change as well.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from werkstatt.documents.models import File
from werkstatt.documents.selectors import files_visible_to
from werkstatt.geo.models import Location
from werkstatt.meetings.models import AgendaItem, AgendaItemPresenter, Meeting
from werkstatt.meetings.selectors import agenda_items_visible_to
from werkstatt.oparl.params import ListParams, OParlError
from werkstatt.organizations.models import Body, FocusArea, LegislativeTerm, Membership, Organization, Person, Workshop
from werkstatt.projects.models import Consultation, Milestone, Project, ProjectStatusChange
from werkstatt.projects.selectors import projects_visible_to

PUBLIC = AnonymousUser()


def _history(model: type[models.Model]) -> Any:
    return model.history.model  # type: ignore[attr-defined]


def latest_change(history_of: type[models.Model], link: str) -> Subquery:
    """The newest history date of the rows of ``history_of`` whose ``link`` is the outer row (deletions included)."""
    return Subquery(
        _history(history_of)
        .objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(latest=Max("history_date"))
        .values("latest")[:1]
    )


def newest(*expressions: Any) -> Any:
    """The newest of the row's own ``modified`` and the given dates (each may be empty)."""
    return Greatest(F("modified"), *(Coalesce(e, F("modified")) for e in expressions))


@dataclass(frozen=True)
class Source:
    model: type[models.Model]
    prefix: str
    visible: Callable[[Body], QuerySet[Any]]
    # The body's rows of the model at all (visible or not), for ``withdrawn``; None: every row is public.
    in_body: Callable[[Body], QuerySet[Any]] | None = None
    # On the model's history rows: the row was public at that time.
    was_public: Q | None = None
    # On the model's history rows: the deleted row belonged to the body.
    deleted_in_body: Callable[[Body], Q] = field(default=lambda body: Q())
    # The effective ``modified`` (see the module's docstring); None: the row's own.
    modified: Callable[[], Any] | None = None
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] = field(default=lambda qs: qs)

    def key(self, pk: int) -> str:
        return f"{self.prefix}{pk}"

    def annotate(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.annotate(oparl_modified=self.modified() if self.modified else F("modified"))

    def withdrawn(self, body: Body) -> QuerySet[Any] | None:
        if self.in_body is None or self.was_public is None:
            return None
        history = _history(self.model).objects.filter(self.was_public, id=OuterRef("pk"))
        return self.in_body(body).exclude(pk__in=self.visible(body).values("pk")).filter(Exists(history))

    def deleted(self, body: Body) -> QuerySet[Any]:
        history = _history(self.model).objects
        rows = history.filter(self.deleted_in_body(body), history_type="-").exclude(
            Exists(self.model.objects.filter(pk=OuterRef("id")))  # type: ignore[attr-defined]
        )
        if self.was_public is not None:
            rows = rows.filter(Exists(history.filter(self.was_public, id=OuterRef("id"))))
        return rows


@dataclass(frozen=True)
class Tombstone:
    """A deleted or withdrawn object: OParl serves only its id, type, dates and ``deleted: true``."""

    source: Source
    pk: int
    created: dt.datetime
    modified: dt.datetime


# --- the sources per type ---------------------------------------------------------------------------------------


def _meeting_prepare(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    items = (
        agenda_items_visible_to(PUBLIC)
        .select_related("approves_meeting")
        .annotate(oparl_modified=newest(latest_change(AgendaItemPresenter, "agenda_item")))
        .prefetch_related(
            Prefetch("files", queryset=files_visible_to(PUBLIC).order_by("pk"), to_attr="oparl_files"),
            Prefetch(
                "presenters",
                queryset=AgendaItemPresenter.objects.select_related("person", "organization").order_by("order", "pk"),
            ),
            Prefetch("consultations", queryset=_public_consultations().order_by("pk"), to_attr="oparl_consultations"),
        )
        .order_by("order")
    )
    return qs.select_related(
        "workshop",
        "location",
        "location__municipality",
        "chair",
        "minute_taker",
        "minutes_document",
        "invitation_document",
    ).prefetch_related(
        Prefetch("agenda_items", queryset=items, to_attr="oparl_items"),
        Prefetch("files", queryset=files_visible_to(PUBLIC).order_by("pk"), to_attr="oparl_files"),
        Prefetch("attendees", queryset=Person.objects.order_by("pk"), to_attr="oparl_attendees"),
    )


def _public_consultations() -> QuerySet[Consultation]:
    """Consultations of public projects; ``oparl_item_visible`` says whether their agenda item is public too."""
    return _with_item_visibility(Consultation.objects.filter(project__in=projects_visible_to(PUBLIC).values("pk")))


def _with_item_visibility(qs: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return qs.annotate(oparl_item_visible=Exists(agenda_items_visible_to(PUBLIC).filter(pk=OuterRef("agenda_item_id"))))


def _paper_prepare(qs: QuerySet[Project]) -> QuerySet[Project]:
    consultations = (
        _public_consultations()
        .annotate(oparl_modified=F("modified"))
        .select_related("meeting", "meeting__workshop", "agenda_item")
        .order_by("meeting__date", "pk")
    )
    return qs.select_related(
        "sponsor", "contact", "lead_workshop", "municipality", "municipality__district", "district"
    ).prefetch_related(
        "other_workshops",
        Prefetch("consultations", queryset=consultations, to_attr="oparl_consultations"),
        Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "actual_date", "pk")),
        Prefetch(
            "status_changes",
            queryset=ProjectStatusChange.objects.order_by("created", "pk"),
            to_attr="oparl_steps",
        ),
        Prefetch("files", queryset=files_visible_to(PUBLIC).order_by("pk"), to_attr="oparl_files"),
    )


def _project_place(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Public projects with a place: a point of their own or their municipality's."""
    return qs.filter(Q(latitude__isnull=False) | Q(municipality__isnull=False, municipality__latitude__isnull=False))


def _visible_consultations(body: Body) -> QuerySet[Consultation]:
    return _public_consultations().filter(project__body=body)


def _meeting_locations(body: Body) -> QuerySet[Location]:
    return Location.objects.filter(meetings__workshop__body=body).distinct()


BODY = Source(
    Body,
    "",
    visible=lambda body: Body.objects.filter(pk=body.pk),
    modified=lambda: newest(latest_change(LegislativeTerm, "body")),
    prepare=lambda qs: qs.prefetch_related(
        Prefetch("legislative_terms", queryset=LegislativeTerm.objects.order_by("start_date", "pk"))
    ),
)
LEGISLATIVE_TERM = Source(
    LegislativeTerm,
    "",
    visible=lambda body: LegislativeTerm.objects.filter(body=body),
    deleted_in_body=lambda body: Q(body_id=body.pk),
)
WORKSHOP = Source(
    Workshop,
    "werkstatt-",
    visible=lambda body: Workshop.objects.filter(body=body),
    deleted_in_body=lambda body: Q(body_id=body.pk),
    modified=lambda: newest(
        latest_change(Membership, "workshop"),
        latest_change(Workshop.members.through, "workshop"),
        latest_change(FocusArea, "workshop"),
    ),
    prepare=lambda qs: qs.prefetch_related(
        "focus_areas",
        Prefetch("memberships", queryset=Membership.objects.order_by("pk"), to_attr="oparl_memberships"),
        Prefetch(
            "member_links",
            queryset=Workshop.members.through.objects.select_related("organization").order_by("order", "pk"),
            to_attr="oparl_member_links",
        ),
    ),
)
ORGANIZATION = Source(
    Organization,
    "",
    visible=lambda body: Organization.objects.filter(body=body),
    deleted_in_body=lambda body: Q(body_id=body.pk),
)
PERSON = Source(
    Person,
    "",
    visible=lambda body: Person.objects.filter(body=body),
    deleted_in_body=lambda body: Q(body_id=body.pk),
    modified=lambda: newest(latest_change(Membership, "person")),
    prepare=lambda qs: qs.select_related("organization").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.annotate(oparl_modified=F("modified")).order_by("pk"),
            to_attr="oparl_memberships",
        )
    ),
)
MEMBERSHIP = Source(
    Membership,
    "",
    visible=lambda body: Membership.objects.filter(workshop__body=body),
    deleted_in_body=lambda body: Q(workshop__body_id=body.pk),
)
MEETING = Source(
    Meeting,
    "",
    visible=lambda body: Meeting.objects.filter(workshop__body=body),
    deleted_in_body=lambda body: Q(workshop__body_id=body.pk),
    modified=lambda: newest(
        latest_change(AgendaItem, "meeting"),
        F("location__modified"),
        Subquery(
            File.objects.filter(meetings=OuterRef("pk"))
            .order_by()
            .values("meetings")
            .annotate(m=Max("modified"))
            .values("m")[:1]
        ),
    ),
    prepare=_meeting_prepare,
)
AGENDA_ITEM = Source(
    AgendaItem,
    "",
    visible=lambda body: agenda_items_visible_to(PUBLIC).filter(meeting__workshop__body=body),
    in_body=lambda body: AgendaItem.objects.filter(meeting__workshop__body=body),
    was_public=Q(public=True, meeting__state__in=("invited", "held")),
    deleted_in_body=lambda body: Q(meeting__workshop__body_id=body.pk),
    modified=lambda: newest(latest_change(AgendaItemPresenter, "agenda_item")),
    prepare=lambda qs: qs.select_related("meeting", "meeting__workshop", "approves_meeting").prefetch_related(
        Prefetch("files", queryset=files_visible_to(PUBLIC).order_by("pk"), to_attr="oparl_files"),
        Prefetch(
            "presenters",
            queryset=AgendaItemPresenter.objects.select_related("person", "organization").order_by("order", "pk"),
        ),
        Prefetch("consultations", queryset=_public_consultations().order_by("pk"), to_attr="oparl_consultations"),
    ),
)
PAPER = Source(
    Project,
    "",
    visible=lambda body: projects_visible_to(PUBLIC).filter(body=body),
    in_body=lambda body: Project.objects.filter(body=body),
    was_public=Q(public=True),
    deleted_in_body=lambda body: Q(body_id=body.pk),
    modified=lambda: newest(
        latest_change(Milestone, "project"),
        latest_change(Consultation, "project"),
        Subquery(
            ProjectStatusChange.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(m=Max("created"))
            .values("m")[:1]
        ),
        Subquery(
            File.objects.filter(projects=OuterRef("pk"))
            .order_by()
            .values("projects")
            .annotate(m=Max("modified"))
            .values("m")[:1]
        ),
    ),
    prepare=_paper_prepare,
)
CONSULTATION = Source(
    Consultation,
    "",
    visible=_visible_consultations,
    in_body=lambda body: Consultation.objects.filter(project__body=body),
    was_public=Q(project__public=True),
    deleted_in_body=lambda body: Q(project__body_id=body.pk),
    prepare=lambda qs: _with_item_visibility(qs.select_related("project", "meeting", "meeting__workshop")),
)
FILE = Source(
    File,
    "",
    visible=lambda body: files_visible_to(PUBLIC),
    in_body=lambda body: File.objects.exclude(file=""),
    was_public=Q(public=True) & ~Q(file=""),
    prepare=lambda qs: qs.annotate(
        # The session whose archived invitation or minutes this file is (they are not among its attachments).
        oparl_document_of=Subquery(
            Meeting.objects.filter(Q(minutes_document=OuterRef("pk")) | Q(invitation_document=OuterRef("pk"))).values(
                "pk"
            )[:1]
        )
    ).prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.order_by("pk"), to_attr="oparl_meetings"),
        Prefetch(
            "agenda_items",
            queryset=agenda_items_visible_to(PUBLIC).order_by("pk"),
            to_attr="oparl_agenda_items",
        ),
        Prefetch("projects", queryset=projects_visible_to(PUBLIC).order_by("pk"), to_attr="oparl_projects"),
    ),
)
LOCATION = Source(
    Location,
    "",
    visible=_meeting_locations,
    prepare=lambda qs: qs.select_related("municipality").prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.order_by("pk"), to_attr="oparl_meetings")
    ),
)
PROJECT_PLACE = Source(
    Project,
    "projekt-",
    visible=lambda body: _project_place(projects_visible_to(PUBLIC).filter(body=body)),
    in_body=lambda body: _project_place(Project.objects.filter(body=body)),
    was_public=Q(public=True),
    deleted_in_body=lambda body: Q(body_id=body.pk),
    prepare=lambda qs: qs.select_related("municipality", "municipality__district", "district"),
)


@dataclass(frozen=True)
class OParlType:
    name: str  # OParl's type name, e.g. "AgendaItem"
    segment: str  # in URLs: /oparl/v1.1/agenda-item/12 and /oparl/v1.1/body/1/agenda-item
    sources: tuple[Source, ...]

    @property
    def schema(self) -> str:
        return f"https://schema.oparl.org/1.1/{self.name}"

    def source_of(self, key: str) -> tuple[Source, int] | None:
        """The source and primary key of a URL key (``werkstatt-4`` -> workshops, 4); None if there is none."""
        for source in sorted(self.sources, key=lambda s: -len(s.prefix)):
            if key.startswith(source.prefix):
                rest = key[len(source.prefix) :]
                if rest.isdigit() and len(rest) < 12 and not rest.startswith("0"):
                    return source, int(rest)
        return None


TYPES: dict[str, OParlType] = {
    t.segment: t
    for t in (
        OParlType("Body", "body", (BODY,)),
        OParlType("LegislativeTerm", "legislative-term", (LEGISLATIVE_TERM,)),
        OParlType("Organization", "organization", (WORKSHOP, ORGANIZATION)),
        OParlType("Person", "person", (PERSON,)),
        OParlType("Membership", "membership", (MEMBERSHIP,)),
        OParlType("Meeting", "meeting", (MEETING,)),
        OParlType("AgendaItem", "agenda-item", (AGENDA_ITEM,)),
        OParlType("Paper", "paper", (PAPER,)),
        OParlType("Consultation", "consultation", (CONSULTATION,)),
        OParlType("File", "file", (FILE,)),
        OParlType("Location", "location", (LOCATION, PROJECT_PLACE)),
    )
}
# The lists of a Body: OParl's attribute name -> URL segment.
BODY_LISTS: dict[str, str] = {
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "agendaItem": "agenda-item",
    "consultation": "consultation",
    "file": "file",
    "locationList": "location",
    "legislativeTermList": "legislative-term",
    "membership": "membership",
}


def bodies() -> QuerySet[Body]:
    return Body.objects.order_by("pk")


def body_get(pk: int) -> Body:
    body = Body.objects.filter(pk=pk).first()
    if body is None:
        raise OParlError(404, _("Eine Körperschaft mit der Nummer %(pk)s gibt es nicht.") % {"pk": pk})
    return body


def workshop_get(pk: int) -> Workshop:
    workshop = Workshop.objects.select_related("body").filter(pk=pk).first()
    if workshop is None:
        raise OParlError(404, _("Eine Werkstatt mit der Kennung „werkstatt-%(pk)s“ gibt es nicht.") % {"pk": pk})
    return workshop


def _not_found(oparl_type: OParlType, key: str) -> OParlError:
    return OParlError(
        404,
        _("Ein Objekt vom Typ %(type)s mit der Kennung „%(key)s“ gibt es nicht.")
        % {"type": oparl_type.name, "key": key[:50]},
    )


def object_get(oparl_type: OParlType, key: str) -> Any | Tombstone:
    """The object of a URL, as the public may see it: the model instance (with ``oparl_modified``), a
    ``Tombstone`` if it was public once and is gone or withdrawn, or a 404 ``OParlError``."""
    found = oparl_type.source_of(key)
    if found is None:
        raise _not_found(oparl_type, key)
    source, pk = found
    for body in bodies():
        row = source.prepare(source.annotate(source.visible(body).filter(pk=pk))).first()
        if row is not None:
            return row
        withdrawn = source.withdrawn(body)
        if withdrawn is not None:
            gone = withdrawn.filter(pk=pk).values("pk", "created", "modified").first()
            if gone is not None:
                return Tombstone(source, pk, gone["created"], gone["modified"])
        deleted = source.deleted(body).filter(id=pk).order_by("-history_date").values("created", "history_date").first()
        if deleted is not None:
            return Tombstone(source, pk, deleted["created"], deleted["history_date"])
    raise _not_found(oparl_type, key)


def date_filter(qs: QuerySet[Any], params: ListParams, *, created: str, modified: str) -> QuerySet[Any]:
    lookups = {
        "created_since": f"{created}__gte",
        "created_until": f"{created}__lte",
        "modified_since": f"{modified}__gte",
        "modified_until": f"{modified}__lte",
    }
    return qs.filter(**{lookups[name]: value for name, value in params.bounds.items()})


@dataclass
class Segment:
    """One ordered part of a list: live rows of a source (visible and, with ``modified_since``, withdrawn ones),
    or its deleted rows."""

    source: Source
    queryset: QuerySet[Any]
    kind: str  # "live" or "deleted"
    count: int = 0


@dataclass
class Page:
    items: list[Any | Tombstone]
    total: int
    limit: int
    page: int

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.limit))


def _segments(
    sources: Sequence[Source], body: Body, params: ListParams, base: Callable[[Source], QuerySet[Any]] | None
) -> list[Segment]:
    segments: list[Segment] = []
    for source in sources:
        visible = base(source) if base is not None else source.visible(body)
        live = source.annotate(visible).annotate(oparl_public=models.Value(True))
        if params.with_deleted and base is None:
            withdrawn = source.withdrawn(body)
            if withdrawn is not None:
                live = source.annotate(
                    source.model.objects.filter(  # type: ignore[attr-defined]
                        Q(pk__in=visible.values("pk")) | Q(pk__in=withdrawn.values("pk"))
                    )
                ).annotate(oparl_public=Exists(visible.filter(pk=OuterRef("pk"))))
        live = date_filter(live, params, created="created", modified="oparl_modified").order_by("pk")
        segments.append(Segment(source, live, "live"))
        if params.with_deleted and base is None:
            deleted = date_filter(source.deleted(body), params, created="created", modified="history_date")
            segments.append(Segment(source, deleted.order_by("id", "-history_date"), "deleted"))
    return segments


def list_page(
    oparl_type: OParlType,
    body: Body,
    params: ListParams,
    *,
    sources: Sequence[Source] | None = None,
    base: Callable[[Source], QuerySet[Any]] | None = None,
) -> Page:
    """One page of a list, in a fixed number of queries: one count per segment, then the keys and rows of the page.

    The order is stable: per source (in the type's order), live rows by primary key, then deleted ones.
    ``base`` replaces a source's visible rows (a workshop's sessions); such sublists carry no deleted rows.
    """
    segments = _segments(sources or oparl_type.sources, body, params, base)
    for segment in segments:
        if segment.kind == "deleted":
            segment.count = segment.queryset.values("id").distinct().count()
        else:
            segment.count = segment.queryset.count()
    total = sum(s.count for s in segments)
    page = Page(items=[], total=total, limit=params.limit, page=params.page)
    if params.page > page.total_pages:
        raise OParlError(
            404,
            _("Seite %(page)s gibt es nicht: die Liste hat %(pages)s Seite(n) mit %(limit)s Einträgen je Seite.")
            % {"page": params.page, "pages": page.total_pages, "limit": params.limit},
        )
    start = (params.page - 1) * params.limit
    end = start + params.limit
    offset = 0
    for segment in segments:
        lo, hi = max(start - offset, 0), min(end - offset, segment.count)
        offset += segment.count
        if lo >= hi:
            continue
        if segment.kind == "deleted":
            gone = _deleted_rows(segment.queryset, lo, hi)
            page.items += [Tombstone(segment.source, r["id"], r["created"], r["history_date"]) for r in gone]
            continue
        # The page's keys first, then its rows: the expensive columns (``oparl_modified``, the prefetches) are
        # computed for the page only, not for every row the offset skips.
        keys = list(segment.queryset.values_list("pk", flat=True)[lo:hi])
        rows: list[Any] = list(segment.source.prepare(segment.queryset.filter(pk__in=keys)))
        page.items += [
            row if row.oparl_public else Tombstone(segment.source, row.pk, row.created, row.oparl_modified)
            for row in rows
        ]
    return page


def _deleted_rows(qs: QuerySet[Any], lo: int, hi: int) -> list[dict[str, Any]]:
    """The latest deletion row per id (an id is deleted once; this guards against repeated history rows)."""
    seen: dict[int, dict[str, Any]] = {}
    for row in qs.values("id", "created", "history_date"):
        seen.setdefault(row["id"], row)
    return list(seen.values())[lo:hi]

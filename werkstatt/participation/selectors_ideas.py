"""Reads of ideas, with the permission rules of ``accounts.rules`` built in; each page a fixed number of queries.

``ideas_visible_to`` is ``rules.can_view_idea`` for a whole queryset: the office sees every idea, everybody else
the confirmed ideas the office has looked at (any status but "new").
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.core.query import parse_number
from werkstatt.meetings.models import AgendaItem
from werkstatt.meetings.selectors import agenda_items_visible_to
from werkstatt.organizations.models import Workshop
from werkstatt.participation.models import Idea, IdeaStatus
from werkstatt.projects.models import Project
from werkstatt.projects.selectors import projects_visible_to


def status_choices(*, public: bool) -> list[tuple[str, str]]:
    """The statuses of the list's filter: on the public list without "new" (those ideas are not listed)."""
    return [(value, str(label)) for value, label in IdeaStatus.choices if not (public and value == IdeaStatus.NEW)]


def _visible_q() -> Q:
    return Q(confirmed_at__isnull=False) & ~Q(status=IdeaStatus.NEW)


def ideas_visible_to(user: object) -> QuerySet[Idea]:
    """The ideas ``user`` may read in full (``rules.can_view_idea`` in SQL)."""
    qs = Idea.objects.all()
    if rules.can_triage_ideas(user):
        return qs
    return qs.filter(_visible_q())


@dataclass
class IdeaFilter:
    """The list's filters from the query string: ``werkstatt`` (number) and ``stand`` (status)."""

    workshop: int | None = None
    status: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: Mapping[str, str], *, statuses: list[tuple[str, str]]) -> "IdeaFilter":
        get = query.get
        filters = cls()
        filters.workshop = parse_number(get("werkstatt") or "", _("Werkstatt"), filters.errors)
        raw_status = (get("stand") or "").strip()
        if raw_status:
            if raw_status in dict(statuses):
                filters.status = raw_status
            else:
                filters.errors.append(
                    _("Den Stand „%(value)s“ gibt es nicht; der Filter wurde ignoriert.") % {"value": raw_status[:40]}
                )
        return filters

    @property
    def active(self) -> bool:
        return self.workshop is not None or bool(self.status)

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.workshop is not None:
            query["werkstatt"] = str(self.workshop)
        if self.status:
            query["stand"] = self.status
        return query

    def apply(self, qs: QuerySet[Idea]) -> QuerySet[Idea]:
        if self.workshop is not None:
            qs = qs.filter(workshop__number=self.workshop)
        if self.status:
            qs = qs.filter(status=self.status)
        return qs


def idea_list_public(user: object, filters: IdeaFilter) -> QuerySet[Idea]:
    """The public list: ideas the public may read, newest first."""
    qs = Idea.objects.filter(_visible_q())
    return filters.apply(qs).select_related("workshop", "municipality").order_by("-confirmed_at", "-pk")


@dataclass
class IdeaPage:
    """An idea as ``user`` may see it. ``full`` is False for a confirmed idea the office has not looked at yet:
    then the page says only that it arrived. The links are there only when ``user`` may follow them."""

    idea: Idea
    full: bool
    merged_into: Idea | None = None
    agenda_item: AgendaItem | None = None
    project: Project | None = None


def idea_get_public(user: object, pk: int) -> IdeaPage:
    """The public idea page; 404 for an unknown or unconfirmed idea (unless ``user`` triages ideas)."""
    idea = (
        Idea.objects.select_related(
            "workshop",
            "municipality",
            "municipality__district",
            "merged_into",
            "merged_into__workshop",
            "agenda_item",
            "agenda_item__meeting",
            "agenda_item__meeting__workshop",
            "project",
        )
        .filter(pk=pk)
        .first()
    )
    triage = rules.can_triage_ideas(user)
    if idea is None or (idea.confirmed_at is None and not triage):
        raise Http404(_("Diese Idee gibt es nicht."))
    if not rules.can_view_idea(user, idea):
        return IdeaPage(idea=idea, full=False)
    page = IdeaPage(idea=idea, full=True)
    if idea.merged_into is not None and rules.can_view_idea(user, idea.merged_into):
        page.merged_into = idea.merged_into
    if idea.agenda_item_id is not None and agenda_items_visible_to(user).filter(pk=idea.agenda_item_id).exists():
        page.agenda_item = idea.agenda_item
    if idea.project_id is not None and projects_visible_to(user).filter(pk=idea.project_id).exists():
        page.project = idea.project
    return page


# --- the office -------------------------------------------------------------------------------------------------


def office_idea_list(filters: IdeaFilter) -> QuerySet[Idea]:
    """The triage list: every confirmed idea, the new ones first, then the newest."""
    qs = filters.apply(Idea.objects.filter(confirmed_at__isnull=False))
    return qs.select_related("workshop", "municipality").order_by("-confirmed_at", "-pk")


def ideas_new_count() -> int:
    """Confirmed ideas the office has not triaged yet."""
    return Idea.objects.filter(confirmed_at__isnull=False, status=IdeaStatus.NEW).count()


def office_idea_get(pk: int) -> Idea:
    """A confirmed idea with everything the office page shows; 404 for unknown or unconfirmed ones."""
    idea = (
        Idea.objects.select_related(
            "workshop",
            "workshop__body",
            "municipality",
            "municipality__district",
            "participant",
            "answered_by",
            "merged_into",
            "agenda_item",
            "agenda_item__meeting",
            "agenda_item__meeting__workshop",
            "project",
        )
        .filter(pk=pk, confirmed_at__isnull=False)
        .first()
    )
    if idea is None:
        raise Http404(_("Diese Idee gibt es nicht oder sie ist noch nicht bestätigt."))
    return idea


def merge_candidates(idea: Idea) -> QuerySet[Idea]:
    """Ideas ``idea`` can be merged into: confirmed, same workshop, not itself, not merged themselves."""
    return (
        Idea.objects.filter(workshop_id=idea.workshop_id, confirmed_at__isnull=False)
        .exclude(pk=idea.pk)
        .exclude(status=IdeaStatus.MERGED)
        .order_by("-confirmed_at", "-pk")
    )


def workshops_for_ideas() -> QuerySet[Workshop]:
    return Workshop.objects.order_by("number")

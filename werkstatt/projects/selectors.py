"""Shared, permission-aware reads of projects: the register with its filters, used by the public
register, the office list and the CSV export alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from werkstatt.accounts import rules
from werkstatt.projects.models import Project
from werkstatt.projects.workflow import PIPELINE_ORDER, SIDE_EXITS, FundingInstrument, ProjectState

# Sort keys of the register: name in the query string -> ordering.
SORTS: dict[str, tuple[str, ...]] = {
    "titel": ("title", "pk"),
    "-titel": ("-title", "-pk"),
    "stand": ("state_rank", "title", "pk"),
    "-stand": ("-state_rank", "title", "pk"),
    "werkstatt": ("lead_workshop__number", "title", "pk"),
    "-werkstatt": ("-lead_workshop__number", "title", "pk"),
    "bestaetigt": ("confirmed_on", "title", "pk"),
    "-bestaetigt": ("-confirmed_on", "title", "pk"),
    "geaendert": ("modified", "pk"),
    "-geaendert": ("-modified", "-pk"),
}
DEFAULT_SORT = "titel"
STATE_RANK = {state: rank for rank, state in enumerate((*PIPELINE_ORDER, *SIDE_EXITS))}


def projects_visible_to(user: object) -> QuerySet[Project]:
    """The projects ``user`` may see: public ones for all, all for those who read everything,
    and the non-public projects of the workshops a member sits in."""
    qs = Project.objects.all()
    if rules.can_view_project_internals(user):
        return qs
    own = [pk for pk in rules.workshop_roles(user) if rules.sits_in_workshop(user, pk)]
    return qs.filter(Q(public=True) | Q(lead_workshop_id__in=own))


@dataclass
class ProjectFilter:
    """The register's filters as parsed from a query string; ``errors`` says in German what was ignored."""

    workshop: int | None = None
    state: str = ""
    instrument: str = ""
    district: str = ""  # Kreisschlüssel, e.g. "12062"
    municipality: str = ""  # Gemeindeschlüssel, e.g. "12052000"
    focus_area: int | None = None
    sort: str = DEFAULT_SORT
    errors: list[str] = field(default_factory=list)

    # Names in the query string (German, as they appear in links people share).
    PARAMS = ("werkstatt", "stand", "foerderung", "kreis", "gemeinde", "schwerpunkt", "sortierung")

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> ProjectFilter:
        f = cls()
        f.workshop = f._number(query.get("werkstatt", ""), _("Werkstatt"))
        f.focus_area = f._number(query.get("schwerpunkt", ""), _("Schwerpunkt"))
        f.state = f._choice(query.get("stand", ""), ProjectState.values, _("Stand"))
        f.instrument = f._choice(query.get("foerderung", ""), FundingInstrument.values, _("Förderinstrument"))
        f.district = f._key(query.get("kreis", ""), 5, _("Landkreis"))
        f.municipality = f._key(query.get("gemeinde", ""), 8, _("Gemeinde"))
        sort = query.get("sortierung", "").strip()
        if sort and sort not in SORTS:
            f.errors.append(_("Die Sortierung „%(value)s“ gibt es nicht; sortiert wird nach Titel.") % {"value": sort})
        f.sort = sort if sort in SORTS else DEFAULT_SORT
        return f

    def _number(self, raw: str, label: str) -> int | None:
        raw = raw.strip()
        if not raw:
            return None
        if raw.isdigit() and len(raw) <= 9:
            return int(raw)
        self.errors.append(_("Der Filter „%(label)s“ erwartet eine Nummer; er wurde ignoriert.") % {"label": label})
        return None

    def _choice(self, raw: str, allowed: list[str], label: str) -> str:
        raw = raw.strip()
        if not raw or raw in allowed:
            return raw
        self.errors.append(
            _("Den Wert „%(value)s“ gibt es für „%(label)s“ nicht; er wurde ignoriert.")
            % {
                "value": raw[:50],
                "label": label,
            }
        )
        return ""

    def _key(self, raw: str, length: int, label: str) -> str:
        raw = raw.strip()
        if not raw or (raw.isdigit() and len(raw) == length):
            return raw
        self.errors.append(
            _("„%(label)s“ erwartet einen amtlichen Schlüssel mit %(n)s Ziffern; der Filter wurde ignoriert.")
            % {"label": label, "n": length}
        )
        return ""

    @property
    def active(self) -> bool:
        return any((self.workshop, self.state, self.instrument, self.district, self.municipality, self.focus_area))

    def as_query(self, **changes: object) -> dict[str, str]:
        """The filters as query parameters, with ``changes`` applied (for sort and page links)."""
        values: dict[str, object] = {
            "werkstatt": self.workshop,
            "stand": self.state,
            "foerderung": self.instrument,
            "kreis": self.district,
            "gemeinde": self.municipality,
            "schwerpunkt": self.focus_area,
            "sortierung": "" if self.sort == DEFAULT_SORT else self.sort,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def apply(self, qs: QuerySet[Project]) -> QuerySet[Project]:
        if self.workshop is not None:
            qs = qs.filter(Q(lead_workshop__number=self.workshop) | Q(other_workshops__number=self.workshop))
        if self.state:
            qs = qs.filter(state=self.state)
        if self.instrument:
            qs = qs.filter(instrument=self.instrument)
        if self.district:
            qs = qs.filter(district__ags=self.district)
        if self.municipality:
            qs = qs.filter(municipality__ags=self.municipality)
        if self.focus_area is not None:
            qs = qs.filter(focus_areas=self.focus_area)
        return qs


def _state_rank() -> object:
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *(When(state=state, then=Value(rank)) for state, rank in STATE_RANK.items()),
        output_field=IntegerField(),
    )


def project_register(user: object, filters: ProjectFilter) -> QuerySet[Project]:
    """The register as ``user`` may see it, filtered and sorted, with what a row shows in one query."""
    qs = filters.apply(projects_visible_to(user))
    # A project may match through several workshops or focus areas: the subquery lists it once.
    return (
        Project.objects.filter(pk__in=qs.values("pk"))
        .select_related("sponsor", "lead_workshop", "municipality", "district")
        .annotate(state_rank=_state_rank())
        .order_by(*SORTS[filters.sort])
    )

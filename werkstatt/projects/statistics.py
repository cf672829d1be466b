"""The register in figures, as the page "Zahlen und Fakten" (``portal:facts``) and its CSV files show them.

Every figure counts what ``user`` may see: the projects of ``projects_visible_to`` and the milestones of
``milestones_visible_to``, grants only where ``project_finances_visible_q`` lets the reader see the money.
Each function costs a fixed number of queries (GROUP BY in the database; Python only adds up the grouped
rows), on SQLite and PostgreSQL alike (years and quarters by ``ExtractYear``/``ExtractQuarter``). What each
figure counts exactly is written in ``docs/facts.md``; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from werkstatt.geo.models import District
from werkstatt.organizations.models import Workshop
from werkstatt.projects.models import APPROVED_STATES, MilestoneKind
from werkstatt.projects.selectors import milestones_visible_to, project_finances_visible_q, projects_visible_to
from werkstatt.projects.workflow import PIPELINE_ORDER, SIDE_EXITS, FundingInstrument, state_label

# The IMAG confirmed its first projects in March 2021: the time line starts with that quarter.
CONFIRMATIONS_START = (2021, 1)
CENT = decimal.Decimal("0.01")


# --- the pipeline as a funnel ----------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    state: str
    label: str
    current: int  # projects in this state now
    reached: int  # projects on the main line in this state or a later one


@dataclass(frozen=True)
class SideExit:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class Funnel:
    stages: list[Stage]
    exits: list[SideExit]

    @property
    def on_main_line(self) -> int:
        return self.stages[0].reached if self.stages else 0

    @property
    def total(self) -> int:
        return self.on_main_line + sum(side.count for side in self.exits)


def state_funnel(user: object) -> Funnel:
    """Projects per stage of ``PIPELINE_ORDER``: how many are in it now, and how many have reached at least it
    (are in it or in a later stage of the main line). Projects in a side exit (deferred, withdrawn, rejected)
    are not in the funnel but counted apart. One query."""
    counts = dict(
        projects_visible_to(user).order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    stages: list[Stage] = []
    reached = 0
    for state in reversed(PIPELINE_ORDER):
        current = counts.get(state, 0)
        reached += current
        stages.append(Stage(str(state), state_label(state), current, reached))
    stages.reverse()
    exits = [SideExit(str(state), state_label(state), counts.get(state, 0)) for state in SIDE_EXITS]
    return Funnel(stages, exits)


# --- projects per workshop, district, instrument ---------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    key: str  # the workshop's number, the Kreisschlüssel, the instrument's code; "" for "none given"
    label: str
    count: int
    detail: str = ""  # e.g. the workshop's title


def projects_per_workshop(user: object) -> list[CountRow]:
    """Projects per lead workshop (each project once, by its lead workshop), every workshop listed, then the
    projects without a lead workshop if there are any. Two queries."""
    counts: dict[int | None, int] = dict(
        projects_visible_to(user)
        .order_by()
        .values("lead_workshop")
        .annotate(n=Count("pk"))
        .values_list("lead_workshop", "n")
    )
    rows = [
        CountRow(str(w.number), w.label, counts.get(w.pk, 0), w.title)
        for w in Workshop.objects.order_by("number", "pk").only("pk", "number", "title")
    ]
    if counts.get(None):
        rows.append(CountRow("", _("ohne federführende Werkstatt"), counts[None]))
    return rows


def projects_per_instrument(user: object) -> list[CountRow]:
    """Projects per funding instrument, in the order of ``FundingInstrument``, every instrument listed. One query."""
    counts = dict(
        projects_visible_to(user).order_by().values("instrument").annotate(n=Count("pk")).values_list("instrument", "n")
    )
    return [CountRow(str(value), str(label), counts.get(value, 0)) for value, label in FundingInstrument.choices]


@dataclass(frozen=True)
class DistrictRow:
    ags: str  # "" for projects without a district
    name: str
    projects: int
    grant_projects: int  # approved projects with a grant the reader may see
    grant_sum: decimal.Decimal
    population: int | None
    population_date: dt.date | None

    @property
    def per_inhabitant(self) -> decimal.Decimal | None:
        """Euros of grant per inhabitant, to the cent; None without a population."""
        if not self.population:
            return None
        return (self.grant_sum / self.population).quantize(CENT, rounding=decimal.ROUND_HALF_UP)


@dataclass(frozen=True)
class Districts:
    rows: list[DistrictRow]  # the districts by name, then "without district" if there are such projects
    total: DistrictRow  # the region: every district with a population (and the projects in them)

    @property
    def population_dates(self) -> list[dt.date]:
        """The distinct dates of the population figures used, oldest first."""
        return sorted({row.population_date for row in self.rows if row.population_date is not None})


def projects_per_district(user: object) -> Districts:
    """Projects and approved grants per district, with the population to divide by. Two queries.

    The grant sum adds up ``Project.grant`` of the approved projects (``approved_on`` set or a state from
    "bewilligt" on) whose money ``user`` may see (``project_finances_visible_q``)."""
    approved = Q(approved_on__isnull=False) | Q(state__in=APPROVED_STATES)
    with_grant = project_finances_visible_q(user) & approved & Q(grant__isnull=False)
    grouped = {
        row["district"]: row
        for row in projects_visible_to(user)
        .order_by()
        .values("district")
        .annotate(n=Count("pk"), granted=Count("pk", filter=with_grant), grant_sum=Sum("grant", filter=with_grant))
    }
    zero = decimal.Decimal(0)
    rows: list[DistrictRow] = []
    for district in District.objects.order_by("name", "pk").only(
        "pk", "ags", "name", "name_dsb", "population", "population_date"
    ):
        row = grouped.get(district.pk, {})
        rows.append(
            DistrictRow(
                ags=district.ags,
                name=district.display_name,
                projects=row.get("n", 0),
                grant_projects=row.get("granted", 0),
                grant_sum=row.get("grant_sum") or zero,
                population=district.population,
                population_date=district.population_date,
            )
        )
    counted = [row for row in rows if row.population]
    dates = sorted({row.population_date for row in counted if row.population_date is not None})
    total = DistrictRow(
        ags="",
        name=_("Lausitz (alle Landkreise mit Einwohnerzahl)"),
        projects=sum(row.projects for row in counted),
        grant_projects=sum(row.grant_projects for row in counted),
        grant_sum=sum((row.grant_sum for row in counted), zero),
        population=sum(row.population or 0 for row in counted) or None,
        population_date=dates[-1] if len(dates) == 1 else None,
    )
    if None in grouped:
        row = grouped[None]
        rows.append(
            DistrictRow(
                ags="",
                name=_("ohne Landkreis"),
                projects=row["n"],
                grant_projects=row["granted"],
                grant_sum=row["grant_sum"] or zero,
                population=None,
                population_date=None,
            )
        )
    return Districts(rows, total)


# --- milestones per year ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneYear:
    year: int
    counts: dict[str, int]  # MilestoneKind value -> milestones
    done: int  # of them happened (with an actual date)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def planned(self) -> int:
        return self.total - self.done


@dataclass(frozen=True)
class MilestoneYears:
    kinds: list[tuple[str, str]]  # (MilestoneKind value, German label), in the order of MilestoneKind
    years: list[MilestoneYear]  # every year from the first to the last with a milestone


def milestones_per_year(user: object) -> MilestoneYears:
    """Milestones of the projects ``user`` may see, per year and kind. A milestone counts in the year it
    happened (``actual_date``), one that has not happened yet in the year it is planned for. One query."""
    rows = (
        milestones_visible_to(user)
        .select_related(None)
        .order_by()
        .annotate(year=ExtractYear(Coalesce("actual_date", "planned_date")))
        .values("year", "kind")
        .annotate(n=Count("pk"), happened=Count("pk", filter=Q(actual_date__isnull=False)))
        .values_list("year", "kind", "n", "happened")
    )
    per_year: dict[int, dict[str, int]] = {}
    done: dict[int, int] = {}
    for year, kind, n, happened in rows:
        per_year.setdefault(year, {})[kind] = n
        done[year] = done.get(year, 0) + happened
    kinds = [(str(value), str(label)) for value, label in MilestoneKind.choices]
    years = []
    if per_year:
        for year in range(min(per_year), max(per_year) + 1):
            counts = per_year.get(year, {})
            years.append(MilestoneYear(year, {kind: counts.get(kind, 0) for kind, _label in kinds}, done.get(year, 0)))
    return MilestoneYears(kinds, years)


# --- IMAG confirmations over time ------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    quarter: int  # 1..4
    confirmed: int  # confirmed in this quarter (for the first quarter: also all earlier ones)
    cumulative: int  # confirmed up to the end of this quarter

    @property
    def label(self) -> str:
        return _("%(quarter)s. Quartal %(year)s") % {"quarter": self.quarter, "year": self.year}

    @property
    def last_day(self) -> dt.date:
        month = self.quarter * 3
        return dt.date(self.year, month, 1).replace(day=31 if month in (3, 12) else 30)


def confirmations_per_quarter(user: object, *, today: dt.date | None = None) -> list[Quarter]:
    """Projects confirmed by the IMAG (``confirmed_on``, set with the step to "durch die IMAG bestätigt"),
    counted up quarter by quarter from the first quarter of 2021 to the current one (or to the last quarter
    with a confirmation, if that is later). Projects that later went on, were withdrawn or rejected still
    count: the date of their confirmation stays. One query."""
    today = today or timezone.localdate()
    counts = {
        (year, quarter): n
        for year, quarter, n in projects_visible_to(user)
        .filter(confirmed_on__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("confirmed_on"), quarter=ExtractQuarter("confirmed_on"))
        .values("year", "quarter")
        .annotate(n=Count("pk"))
        .values_list("year", "quarter", "n")
    }
    end = max([(today.year, (today.month - 1) // 3 + 1), *counts])
    quarters: list[Quarter] = []
    cumulative = sum(n for key, n in counts.items() if key < CONFIRMATIONS_START)
    year, quarter = CONFIRMATIONS_START
    while (year, quarter) <= end:
        new = counts.get((year, quarter), 0) + (cumulative if not quarters else 0)
        cumulative += counts.get((year, quarter), 0)
        quarters.append(Quarter(year, quarter, new, cumulative))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return quarters

"""The figures of the page "Zahlen und Fakten": for each one a table (shown on the page and downloadable as
CSV) and a chart drawn from the same numbers.

The counting happens in ``projects.statistics`` (what ``user`` may see, a fixed number of queries); this
module only lays the results out. A ``Cell`` keeps the value (written to the CSV in the German Excel
format of ``exports.csv_excel``: ``1234``, ``1234,50``, ``31.12.2018``) and the text the page shows
(``1.234``, ``1.234,50 €``, ``31.12.2018``), so table, chart and CSV cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from werkstatt.core.dates import format_date
from werkstatt.core.numbers import format_eur, format_percent
from werkstatt.exports.csv_excel import escape_row
from werkstatt.portal import charts
from werkstatt.projects import csv_format as fmt
from werkstatt.projects import statistics

Value = int | decimal.Decimal | dt.date | str | None


@dataclass(frozen=True)
class Cell:
    value: Value
    text: str

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, int | decimal.Decimal)

    @property
    def csv(self) -> str:
        value = self.value
        if value is None:
            return ""
        if isinstance(value, decimal.Decimal):
            exponent = value.as_tuple().exponent
            return fmt.format_decimal(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
        if isinstance(value, dt.date):
            return fmt.format_date(value)
        return str(value)


def count(n: int) -> Cell:
    return Cell(n, number_format(n, decimal_pos=0, use_l10n=True, force_grouping=True))


def euros(amount: decimal.Decimal | None, *, cents: bool = False) -> Cell:
    """A sum as the platform writes money (``650.000 €``, cents only where there are some); ``cents``: always
    with two decimals (``0,67 €``), for amounts per inhabitant. The CSV gets ``650000,00``."""
    if amount is None:
        return Cell(None, "–")
    amount = decimal.Decimal(amount).quantize(statistics.CENT)
    if cents:
        return Cell(amount, f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} €")
    return Cell(amount, format_eur(amount))


def share(part: int, whole: int) -> Cell:
    """A share in per cent with one decimal: value ``Decimal("12.3")``, text ``12,3 %``."""
    if not whole:
        return Cell(None, "–")
    ratio = decimal.Decimal(part) / decimal.Decimal(whole)
    percent = (ratio * 100).quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)
    return Cell(percent, format_percent(percent / 100))


def text(value: str) -> Cell:
    return Cell(value, value)


def date(value: dt.date | None) -> Cell:
    return Cell(value, format_date(value) if value else "–")


def nothing() -> Cell:
    return Cell(None, "–")


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]  # the first cell of a row is its header (th scope="row")
    footer: list[list[Cell]] = field(default_factory=list)  # totals

    def csv_rows(self) -> Iterator[list[str]]:
        yield escape_row(self.headers)
        for row in (*self.rows, *self.footer):
            yield escape_row(cell.csv for cell in row)


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    values: list[str]  # the value texts the chart shows, in order (tests compare them with the table)


@dataclass(frozen=True)
class Figure:
    key: str  # the name in the CSV's URL
    title: str
    explanation: list[str]  # what exactly is counted, in German sentences
    table: Table
    charts: list[Chart]
    empty: bool  # nothing to count yet

    @property
    def csv_filename(self) -> str:
        return f"zahlen-und-fakten-{self.key}.csv"


def _chart(svg: SafeString, bars: list[charts.Bar]) -> Chart:
    return Chart(svg, [bar.text for bar in bars])


# --- the figures -----------------------------------------------------------------------------------


def funnel_figure(user: object) -> Figure:
    funnel = statistics.state_funnel(user)
    main = funnel.on_main_line
    rows = [
        [
            text(stage.label),
            text(_("Hauptstrecke")),
            count(stage.current),
            count(stage.reached),
            share(stage.reached, main),
        ]
        for stage in funnel.stages
    ]
    rows += [
        [text(side.label), text(_("Seitenausgang")), count(side.count), nothing(), nothing()] for side in funnel.exits
    ]
    table = Table(
        _("Projekte je Stufe: derzeit in der Stufe und mindestens bis zu ihr gelangt"),
        [_("Stufe"), _("Art"), _("derzeit in dieser Stufe"), _("mindestens bis hier gelangt"), _("Anteil (%)")],
        rows,
        [[text(_("Alle Projekte")), nothing(), count(funnel.total), nothing(), nothing()]],
    )
    funnel_bars = [charts.Bar(stage.label, stage.reached, count(stage.reached).text) for stage in funnel.stages]
    exit_bars = [charts.Bar(side.label, side.count, count(side.count).text) for side in funnel.exits]
    return Figure(
        key="projektstand",
        title=_("Projekte auf dem Weg durch die Förderung"),
        explanation=[
            _(
                "Der Trichter zählt für jede Stufe der Hauptstrecke, wie viele Projekte sie mindestens erreicht "
                "haben: Projekte, die jetzt in dieser Stufe oder in einer späteren stehen. Die Tabelle nennt "
                "zusätzlich, wie viele Projekte derzeit genau in der Stufe stehen."
            ),
            _(
                "Eine Stufe, die ein Förderinstrument nicht vorsieht (STARK-Projekte werden nicht von der IMAG "
                "bestätigt, sonstige Förderungen stellen keinen Antrag über die Förderbank), gilt als durchlaufen, "
                "sobald das Projekt weiter ist."
            ),
            _(
                "Zurückgestellte, zurückgezogene und abgelehnte Projekte stehen nicht im Trichter, sondern "
                "gesondert darunter, mit ihrem derzeitigen Stand."
            ),
        ],
        table=table,
        charts=[
            _chart(
                charts.bar_chart(
                    chart_id="chart-projektstand",
                    title=_("Trichter: Projekte, die mindestens diese Stufe erreicht haben"),
                    desc=_("%(n)s Projekte auf der Hauptstrecke; die längste Leiste ist die erste Stufe.")
                    % {"n": count(main).text},
                    bars=funnel_bars,
                    centred=True,
                ),
                funnel_bars,
            ),
            _chart(
                charts.bar_chart(
                    chart_id="chart-seitenausgaenge",
                    title=_("Zurückgestellte, zurückgezogene und abgelehnte Projekte"),
                    desc=_(
                        "Projekte, die derzeit nicht auf der Hauptstrecke sind, nach ihrem Stand; im selben Maßstab "
                        "wie der Trichter."
                    ),
                    bars=exit_bars,
                    series=2,
                    scale=max(main, *(side.count for side in funnel.exits)),
                ),
                exit_bars,
            ),
        ],
        empty=funnel.total == 0,
    )


def _count_figure(
    key: str, title: str, explanation: list[str], header: str, rows: list[statistics.CountRow], detail: str = ""
) -> Figure:
    total = sum(row.count for row in rows)
    table_rows = []
    for row in rows:
        cells = [text(row.label)]
        if detail:
            cells.append(text(row.detail))
        cells += [count(row.count), share(row.count, total)]
        table_rows.append(cells)
    footer = [[text(_("Insgesamt")), *([text("")] if detail else []), count(total), share(total, total)]]
    headers = [header, *([detail] if detail else []), _("Projekte"), _("Anteil (%)")]
    bars = [charts.Bar(row.label, row.count, count(row.count).text) for row in rows]
    return Figure(
        key=key,
        title=title,
        explanation=explanation,
        table=Table(title, headers, table_rows, footer),
        charts=[
            _chart(
                charts.bar_chart(
                    chart_id=f"chart-{key}",
                    title=title,
                    desc=_("%(n)s Projekte insgesamt, eine Leiste je Zeile der Tabelle.") % {"n": count(total).text},
                    bars=bars,
                ),
                bars,
            )
        ],
        empty=total == 0,
    )


def workshops_figure(user: object) -> Figure:
    return _count_figure(
        "werkstaetten",
        _("Projekte je federführender Werkstatt"),
        [_("Jedes Projekt zählt einmal, bei seiner federführenden Werkstatt; weitere beteiligte Werkstätten nicht.")],
        _("Werkstatt"),
        statistics.projects_per_workshop(user),
        detail=_("Thema"),
    )


def instruments_figure(user: object) -> Figure:
    return _count_figure(
        "foerderinstrumente",
        _("Projekte je Förderinstrument"),
        [_("Jedes Projekt zählt bei dem Förderinstrument, das sein Steckbrief nennt.")],
        _("Förderinstrument"),
        statistics.projects_per_instrument(user),
    )


def districts_figure(user: object, districts: statistics.Districts | None = None) -> Figure:
    districts = districts or statistics.projects_per_district(user)
    rows = [statistics.CountRow(row.ags, row.name, row.projects) for row in districts.rows]
    return _count_figure(
        "landkreise",
        _("Projekte je Landkreis"),
        [_("Jedes Projekt zählt in dem Landkreis oder der kreisfreien Stadt, die sein Steckbrief nennt.")],
        _("Landkreis / kreisfreie Stadt"),
        rows,
    )


def grants_figure(user: object, districts: statistics.Districts | None = None) -> Figure:
    districts = districts or statistics.projects_per_district(user)
    dates = districts.population_dates
    dates_text = ", ".join(format_date(day) for day in dates) or "–"

    def cells(row: statistics.DistrictRow) -> list[Cell]:
        return [
            text(row.name),
            count(row.population) if row.population else nothing(),
            date(row.population_date),
            count(row.grant_projects),
            euros(row.grant_sum),
            euros(row.per_inhabitant, cents=True),
        ]

    bars = [
        charts.Bar(row.name, float(row.per_inhabitant), euros(row.per_inhabitant, cents=True).text)
        for row in (*districts.rows, districts.total)
        if row.per_inhabitant is not None
    ]
    total = districts.total
    return Figure(
        key="zuwendungen-je-einwohner",
        title=_("Bewilligte Zuwendungen je Einwohnerin und Einwohner"),
        explanation=[
            _(
                "Summe der Zuwendungen der bewilligten Projekte eines Landkreises, geteilt durch seine Einwohnerzahl. "
                "Es zählen nur Zuwendungen, deren Beträge veröffentlicht sind (nach der Bewilligung, wenn der "
                "Projektträger zugestimmt hat)."
            ),
            _(
                "Einwohnerzahlen: Regionale Planungsgemeinschaft Lausitz-Spreewald nach Zahlen des Amtes für "
                "Statistik Berlin-Brandenburg, Stand %(dates)s. Die Zeile „Lausitz“ teilt die Summe der Landkreise "
                "mit Einwohnerzahl durch deren gemeinsame Einwohnerzahl; Projekte ohne Landkreis zählen dort nicht."
            )
            % {"dates": dates_text},
        ],
        table=Table(
            _("Bewilligte Zuwendungen je Landkreis und je Einwohner (Einwohnerzahl Stand %(dates)s)")
            % {"dates": dates_text},
            [
                _("Landkreis / kreisfreie Stadt"),
                _("Einwohner"),
                _("Stand der Einwohnerzahl"),
                _("Projekte mit veröffentlichter Zuwendung"),
                _("Zuwendungen (€)"),
                _("Zuwendung je Einwohner (€)"),
            ],
            [cells(row) for row in districts.rows],
            [cells(total)],
        ),
        charts=[
            _chart(
                charts.bar_chart(
                    chart_id="chart-zuwendungen-je-einwohner",
                    title=_("Veröffentlichte bewilligte Zuwendungen je Einwohner, in Euro"),
                    desc=_("Je Landkreis und für die Lausitz insgesamt; Einwohnerzahl Stand %(dates)s.")
                    % {"dates": dates_text},
                    bars=bars,
                ),
                bars,
            )
        ],
        empty=total.grant_projects == 0 and not any(row.grant_projects for row in districts.rows),
    )


def milestones_figure(user: object) -> Figure:
    result = statistics.milestones_per_year(user)
    kinds = result.kinds
    rows = [
        [
            text(str(year.year)),
            *(count(year.counts[kind]) for kind, _label in kinds),
            count(year.total),
            count(year.done),
            count(year.planned),
        ]
        for year in result.years
    ]
    totals = [sum(year.counts[kind] for year in result.years) for kind, _label in kinds]
    all_total = sum(totals)
    done = sum(year.done for year in result.years)
    footer = [
        [text(_("Insgesamt")), *(count(n) for n in totals), count(all_total), count(done), count(all_total - done)]
    ]
    totals_text = [count(year.total).text for year in result.years]
    svg = charts.stacked_columns(
        chart_id="chart-meilensteine",
        title=_("Meilensteine je Jahr nach Art"),
        desc=_("%(n)s Meilensteine; je Jahr eine Säule, nach Art gestapelt.") % {"n": count(all_total).text},
        categories=[str(year.year) for year in result.years],
        series=[charts.Series(label, [year.counts[kind] for year in result.years]) for kind, label in kinds],
        totals=totals_text,
    )
    return Figure(
        key="meilensteine",
        title=_("Meilensteine je Jahr"),
        explanation=[
            _(
                "Spatenstiche, Richtfeste, Eröffnungen und andere Meilensteine der Projekte. Ein Meilenstein zählt "
                "in dem Jahr, in dem er stattgefunden hat; einer, der noch nicht stattgefunden hat, in dem Jahr, "
                "für das er geplant ist. Die Tabelle trennt beides."
            )
        ],
        table=Table(
            _("Meilensteine je Jahr und Art"),
            [
                _("Jahr"),
                *(label for _kind, label in kinds),
                _("Insgesamt"),
                _("davon stattgefunden"),
                _("davon geplant"),
            ],
            rows,
            footer,
        ),
        charts=[Chart(svg, totals_text)],
        empty=all_total == 0,
    )


def confirmations_figure(user: object) -> Figure:
    quarters = statistics.confirmations_per_quarter(user)
    bars = [charts.Bar(q.label, q.cumulative, count(q.cumulative).text) for q in quarters]
    last = quarters[-1].cumulative if quarters else 0
    return Figure(
        key="imag-bestaetigungen",
        title=_("Durch die IMAG bestätigte Projekte seit März 2021"),
        explanation=[
            _(
                "Wie viele Projekte die Interministerielle Arbeitsgruppe (IMAG) bis zum Ende jedes Quartals "
                "bestätigt hat, gezählt nach dem Datum der Bestätigung. Ein Projekt, das danach weiter "
                "vorangekommen, zurückgezogen oder abgelehnt worden ist, bleibt mitgezählt. STARK-Projekte "
                "werden nicht von der IMAG bestätigt."
            ),
            _("Die erste Zeile enthält auch Bestätigungen, die mit einem früheren Datum erfasst sind."),
        ],
        table=Table(
            _("IMAG-Bestätigungen je Quartal und bis zum Quartalsende zusammen"),
            [_("Quartal"), _("bis zum"), _("bestätigt im Quartal"), _("bestätigt bis Quartalsende")],
            [[text(q.label), date(q.last_day), count(q.confirmed), count(q.cumulative)] for q in quarters],
        ),
        charts=[
            _chart(
                charts.columns(
                    chart_id="chart-imag-bestaetigungen",
                    title=_("Durch die IMAG bestätigte Projekte, bis zum Ende jedes Quartals zusammengezählt"),
                    desc=_("Eine Säule je Quartal vom 1. Quartal 2021 an; zuletzt %(n)s Projekte.")
                    % {"n": count(last).text},
                    bars=bars,
                    axis_labels=[str(q.year) if q.quarter == 1 else "" for q in quarters],
                ),
                bars,
            )
        ],
        empty=last == 0,
    )


# In the order of the page; the key is the figure's name in its CSV URL.
FIGURES: dict[str, Callable[[object], Figure]] = {
    "projektstand": funnel_figure,
    "werkstaetten": workshops_figure,
    "landkreise": districts_figure,
    "foerderinstrumente": instruments_figure,
    "zuwendungen-je-einwohner": grants_figure,
    "meilensteine": milestones_figure,
    "imag-bestaetigungen": confirmations_figure,
}


def all_figures(user: object) -> list[Figure]:
    """Every figure, in the order of ``FIGURES``; the two figures per district share their two queries."""
    districts = statistics.projects_per_district(user)
    shared: dict[str, Callable[[object], Figure]] = {
        "landkreise": lambda u: districts_figure(u, districts),
        "zuwendungen-je-einwohner": lambda u: grants_figure(u, districts),
    }
    return [shared.get(key, build)(user) for key, build in FIGURES.items()]

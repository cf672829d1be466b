"""Charts as server-rendered SVG: no script, no chart library, nothing inline that the CSP would block.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(``aria-labelledby``); the page puts the same figures in a data table beside it, which is what screen
readers and the CSV download use. Colours come from KERN UX through CSS classes (``portal/facts.css``:
``chart__bar``, ``chart__series--1`` … ``--6``, ``chart__text``), the palette values there keep at least
3:1 against the page's background; text uses KERN's text colour. Each value a bar stands for is also
written as text (``chart__value``), so the chart reads without the table too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
FONT = 14  # user units; the SVG scales with the page width
SERIES_COUNT = 6  # chart__series--1 … --6 in facts.css


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as German text, e.g. "1.234" or "12,34 €"


def _svg(chart_id: str, title: str, desc: str, height: float, body: Sequence[str], css: str = "") -> SafeString:
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart{}" role="img" viewBox="0 0 {} {}" '
        'aria-labelledby="{}-title {}-desc" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        f" {css}" if css else "",
        WIDTH,
        _n(height),
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every part is escaped above and below


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, text: str, css: str = "chart__text", anchor: str = "start", **data: str) -> str:
    extra = "".join(f' data-{name}="{escape(value)}"' for name, value in data.items())
    return f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _rect(x: float, y: float, width: float, height: float, css: str, **data: str) -> str:
    extra = "".join(f' data-{name}="{escape(value)}"' for name, value in data.items())
    return f'<rect class="{css}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}"{extra}></rect>'


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    centred: bool = False,
    series: int = 1,
    scale: float | None = None,
) -> SafeString:
    """Horizontal bars, one per row: the label above its bar, the value right of it. ``centred``: bars
    centred on the middle line (a funnel); ``scale``: the value of a full-width bar (default: the largest),
    so that two charts side by side share one scale."""
    value_room = 130  # for the longest value text right of a bar
    track = WIDTH - value_room
    top = scale or max((bar.value for bar in bars), default=0) or 1
    row = FONT + 6 + 22 + 10  # label line, bar, gap
    body: list[str] = []
    for index, bar in enumerate(bars):
        y = index * row
        width = track * bar.value / top
        x = (track - width) / 2 if centred else 0
        body.append(_text(0, y + FONT, bar.label))
        body.append(_rect(x, y + FONT + 6, max(width, 0), 22, f"chart__bar chart__series--{series}"))
        body.append(_text(x + width + 8, y + FONT + 6 + 16, bar.text, "chart__text chart__value"))
    return _svg(chart_id, title, desc, max(len(bars) * row, row), body)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]  # one per category


def stacked_columns(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    totals: Sequence[str],
) -> SafeString:
    """Vertical columns, one per category, stacked from ``series`` (up to six, with a legend above); the
    total above each column as text."""
    legend_row = FONT + 12
    legend_columns = 3
    legend_height = ((len(series) + legend_columns - 1) // legend_columns) * legend_row + 8
    plot_top = legend_height + FONT + 8
    plot_height = 220
    axis_y = plot_top + plot_height
    body: list[str] = []
    for index, item in enumerate(series):
        x = (index % legend_columns) * (WIDTH / legend_columns)
        y = float((index // legend_columns) * legend_row)
        body.append(_rect(x, y + 2, FONT, FONT, f"chart__bar chart__series--{index % SERIES_COUNT + 1}"))
        body.append(_text(x + FONT + 6, y + FONT, item.label))
    sums = [sum(item.values[i] for item in series) for i in range(len(categories))]
    top = max(sums, default=0) or 1
    slot = WIDTH / max(len(categories), 1)
    column = min(slot * 0.6, 60)
    for i, category in enumerate(categories):
        x = i * slot + (slot - column) / 2
        y = float(axis_y)
        for index, item in enumerate(series):
            value = item.values[i]
            if not value:
                continue
            height = plot_height * value / top
            y -= height
            body.append(
                _rect(
                    x,
                    y,
                    column,
                    height,
                    f"chart__bar chart__segment chart__series--{index % SERIES_COUNT + 1}",
                    series=item.label,
                    value=str(value),
                )
            )
        body.append(_text(x + column / 2, y - 6, totals[i], "chart__text chart__value", "middle"))
        body.append(_text(x + column / 2, axis_y + FONT + 6, category, "chart__text", "middle"))
    body.append(f'<line class="chart__axis" x1="0" y1="{_n(axis_y)}" x2="{WIDTH}" y2="{_n(axis_y)}"></line>')
    return _svg(chart_id, title, desc, axis_y + FONT + 12, body)


def columns(
    *,
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    axis_labels: Sequence[str],
) -> SafeString:
    """Vertical columns, e.g. a count over time; ``axis_labels`` under each column ("" for none), the value
    above each column."""
    plot_top = FONT + 8
    plot_height = 220
    axis_y = plot_top + plot_height
    top = max((bar.value for bar in bars), default=0) or 1
    slot = WIDTH / max(len(bars), 1)
    column = min(slot * 0.7, 60)
    small = "chart__text chart__value chart__value--small" if slot < 34 else "chart__text chart__value"
    body: list[str] = []
    for i, bar in enumerate(bars):
        x = i * slot + (slot - column) / 2
        height = plot_height * bar.value / top
        body.append(_rect(x, axis_y - height, column, height, "chart__bar chart__series--1", label=bar.label))
        body.append(_text(x + column / 2, axis_y - height - 6, bar.text, small, "middle"))
        if axis_labels[i]:
            body.append(_text(x, axis_y + FONT + 6, axis_labels[i]))
    body.append(f'<line class="chart__axis" x1="0" y1="{_n(axis_y)}" x2="{WIDTH}" y2="{_n(axis_y)}"></line>')
    return _svg(chart_id, title, desc, axis_y + FONT + 12, body)

"""Bar charts as server-rendered SVG: a breakdown's stacked bars per day, and its table.

No charting library and no script: each bar segment is an SVG link with a title, and the same
figures are a table beside it. The many bars and cells are written here with format_html (a
template loop over some two thousand of them cost most of the page's time); the figure around
them is the chart template's. Numbers are written by Python, never localised, so a comma never
becomes the decimal separator of an SVG attribute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from customers.insights.values import Breakdown

WIDTH = 720
HEIGHT = 210
LEFT = 48  # room for the count labels
RIGHT = 8
TOP = 10
BOTTOM = 24  # room for the day labels
TICKS = 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str
    url: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class DayLabel:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[DayLabel, ...]


def nice_ceiling(value: int) -> int:
    """The axis top: `value` rounded up to TICKS steps of 1, 2, 2.5 or 5 times a power of
    ten."""
    if value <= TICKS:
        return TICKS
    step = value / TICKS
    power = 10 ** math.floor(math.log10(step))
    # 2.5 only from 25 up, so every tick stays a whole number.
    multiples = (1, 2, 2.5, 5, 10) if power >= 10 else (1, 2, 5, 10)
    nice = next(m * power for m in multiples if m * power >= step)
    return int(nice * TICKS)


def day_title(day: date) -> str:
    """ "Mon 7 Dec 2026", with the names in the reader's language."""
    return formats.date_format(day, "D j M Y")


def _day_labels(days: list[date]) -> list[tuple[int, str]]:
    """Which days get a label under the axis: every day of a week, Mondays of a month, the
    first of each month beyond."""
    if len(days) <= 14:
        return [(i, formats.date_format(day, "D j")) for i, day in enumerate(days)]
    if len(days) <= 45:
        return [
            (i, formats.date_format(day, "j M"))
            for i, day in enumerate(days)
            if day.weekday() == 0
        ]
    return [(i, formats.date_format(day, "M")) for i, day in enumerate(days) if day.day == 1]


def bar_chart(breakdown: Breakdown) -> BarChart:
    days = breakdown.window.days
    plot_width = WIDTH - LEFT - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    plot_height = plot_bottom - TOP
    top_value = nice_ceiling(max((total for _, _, total in breakdown.rows), default=0))
    slot = plot_width / max(len(days), 1)
    bar_width = max(slot * 0.8, 1)
    bars = []
    for index, day in enumerate(days):
        x = LEFT + index * slot + (slot - bar_width) / 2
        stacked = 0
        for series in breakdown.series:
            value = breakdown.value(day, series.key)
            if not value:
                continue
            y_top = plot_bottom - (stacked + value) / top_value * plot_height
            height = value / top_value * plot_height
            stacked += value
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(y_top, 1),
                    width=round(bar_width, 1),
                    height=round(max(height, 0.5), 1),
                    css=series.css,
                    # Translators: a bar's tooltip: "Mon 7 Dec 2026: 12 found"; %(series)s is
                    # what the bar counts (an outcome, an action or a role).
                    title=_("%(day)s: %(count)s %(series)s")
                    % {"day": day_title(day), "count": f"{value:,}", "series": series.label},
                    url=breakdown.url(series.key, day),
                )
            )
    ticks = tuple(
        Tick(
            y=round(plot_bottom - step / TICKS * plot_height, 1),
            label=f"{top_value * step // TICKS:,}",
        )
        for step in range(TICKS + 1)
    )
    labels = tuple(
        DayLabel(x=round(LEFT + (index + 0.5) * slot, 1), label=label)
        for index, label in _day_labels(days)
    )
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=plot_bottom,
        bars=tuple(bars),
        ticks=ticks,
        labels=labels,
    )


def bars_markup(chart: BarChart, base_url: str = "", linked: bool = True) -> SafeString:
    """The chart's bar segments as SVG, each a link to its entries unless `linked` is off.
    Written with f-strings: the numbers are ours, and every text (class, title, address) is
    escaped."""
    rects = [
        f'<rect class="{escape(bar.css)}" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
        f'height="{bar.height}"><title>{escape(bar.title)}</title></rect>'
        for bar in chart.bars
    ]
    if linked:
        rects = [
            f'<a href="{escape(base_url + bar.url)}">{rect}</a>'
            for bar, rect in zip(chart.bars, rects, strict=True)
        ]
    return mark_safe("\n".join(rects))  # noqa: S308  (every text in it is escaped above)


def table_markup(breakdown: Breakdown, base_url: str = "", linked: bool = True) -> SafeString:
    """The table's rows, a day each, newest first; a count links to its entries."""

    def cell(value: int, url: str) -> SafeString:
        if value and linked:
            return format_html('<td><a href="{}">{}</a></td>', base_url + url, value)
        return format_html("<td>{}</td>", value)

    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th>{}<td>{}</td></tr>',
        (
            (day_title(day), SafeString("".join(cell(c.value, c.url) for c in cells)), total)
            for day, cells, total in breakdown.rows
        ),
    )

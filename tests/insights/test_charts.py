"""The SVG bar charts: an axis with round numbers, bars to scale, days labelled by period, and
text escaped."""

from datetime import date, timedelta

import pytest

from customers.insights.charts import bar_chart, bars_markup, nice_ceiling, table_markup
from customers.insights.rollup import Window
from customers.insights.values import Breakdown

LAST = date(2026, 11, 29)


def breakdown(days: int, counts: dict, keys: tuple[str, ...] = ("found", "not_found")):
    window = Window(LAST - timedelta(days=days - 1), LAST)
    return Breakdown("test", "Test", "A test chart.", window, "outcome", keys, counts)


@pytest.mark.parametrize(
    ("highest", "top"),
    [(0, 4), (3, 4), (7, 8), (9, 20), (41, 80), (100, 100), (101, 200), (2345, 4000)],
)
def test_the_axis_tops_out_at_a_round_number(highest, top):
    assert nice_ceiling(highest) == top


def test_bars_stack_to_scale_and_each_says_what_it_counts():
    """Two segments on one day: heights in proportion, stacked, titled with day and count."""
    chart = bar_chart(breakdown(7, {(LAST, "found"): 30, (LAST, "not_found"): 10}))
    found, not_found = chart.bars
    assert found.title == "Sun 29 Nov 2026: 30 found"
    assert not_found.title == "Sun 29 Nov 2026: 10 not found"
    assert found.height == pytest.approx(3 * not_found.height, abs=0.2)
    assert not_found.y + not_found.height == pytest.approx(found.y, abs=0.2)
    assert found.y + found.height == pytest.approx(chart.bottom, abs=0.2)
    assert [tick.label for tick in chart.ticks] == ["0", "10", "20", "30", "40"]


@pytest.mark.parametrize(
    ("days", "labels"),
    [(7, ["Mon 23", "Tue 24"]), (30, ["2 Nov", "9 Nov", "16 Nov", "23 Nov"]), (90, ["Sep"])],
)
def test_days_are_labelled_by_the_length_of_the_period(days, labels):
    """A week names each day, a month its Mondays, three months the months."""
    names = [label.label for label in bar_chart(breakdown(days, {})).labels]
    assert names[: len(labels)] == labels


def test_a_day_without_entries_has_no_bar_but_a_table_row():
    figures = breakdown(7, {(LAST, "found"): 2})
    assert len(bar_chart(figures).bars) == 1
    assert str(table_markup(figures)).count("<tr>") == 7


def test_text_in_a_chart_is_escaped():
    """A value with markup in it is shown as text, in the bars and in the table."""
    figures = breakdown(7, {(LAST, "<b>odd</b>"): 1}, keys=("<b>odd</b>",))
    markup = str(bars_markup(bar_chart(figures))) + str(table_markup(figures))
    assert "<b>" not in markup
    assert "&lt;b&gt;odd&lt;/b&gt;" in markup


def test_without_links_the_bars_are_plain_shapes():
    figures = breakdown(7, {(LAST, "found"): 2})
    assert "<a " not in str(bars_markup(bar_chart(figures), linked=False))
    assert "<a " not in str(table_markup(figures, linked=False))

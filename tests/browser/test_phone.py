"""The analysis and compare pages on a 375 px phone, in a real browser: two headline cards to
a row, chart titles whole and uncovered, the deepest drawdowns readable without scrolling
sideways (tests/browser/pages_seed.py's history)."""

from __future__ import annotations

import pytest

from dashboard import ids
from tests.browser.pages_seed import day
from tests.browser.test_dashboard import wait_for, wait_idle
from tests.browser.test_pages import drawn

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True}
# Each chart's title and the SVG it is drawn in (right edges), and whether a mode bar shows.
TITLES_JS = """
return arguments[0].map(id => {
    const chart = document.getElementById(id);
    const svg = chart.querySelector('.main-svg').getBoundingClientRect();
    const title = chart.querySelector('.gtitle').getBoundingClientRect();
    const bar = chart.querySelector('.modebar-container');
    return {id, title: Math.ceil(title.right), svg: Math.floor(svg.right),
            bar: bar ? getComputedStyle(bar).display : 'none'};
});
"""
# The top of the headline card holding each value.
TOPS_JS = """
return arguments[0].map(
    id => Math.round(document.getElementById(id).closest('.card').getBoundingClientRect().top));
"""
# The drawdown table's width against its box's; each cell of its first row: the label drawn
# above it, its value and the number of lines the value takes.
TABLE_JS = """
const table = document.getElementById(arguments[0]).querySelector('table');
const holder = table.parentElement;
const lines = cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set(Array.from(range.getClientRects()).map(rect => Math.round(rect.top))).size;
};
const cells = Array.from(table.querySelectorAll('tbody tr:first-child td'));
return {scroll: holder.scrollWidth, width: holder.clientWidth,
        cells: cells.map(cell => [
            getComputedStyle(cell, '::before').content, cell.innerText, lines(cell)]),
        right: Math.max(...cells.map(cell => cell.getBoundingClientRect().right)),
        box: holder.getBoundingClientRect().right};
"""


def on_a_phone(start_dashboard, query: str):
    duo = start_dashboard(query)
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    duo.driver.refresh()
    return duo


def assert_titles_whole_and_uncovered(duo, charts: tuple[str, ...]) -> None:
    for chart in charts:
        drawn(duo, chart)
    wait_idle(duo)
    for title in duo.driver.execute_script(TITLES_JS, list(charts)):
        assert title["title"] <= title["svg"], title  # not cut off at the chart's edge
        assert title["bar"] == "none", title  # no mode bar over it


def test_the_analysis_page_reads_on_a_phone(two_assets, start_dashboard):
    duo = on_a_phone(start_dashboard, "analysis?asset=bitcoin&range=ALL&cycles=1")
    duo.wait_for_text_to_equal("#ath-price", "$300.00", timeout=20)
    tops = duo.driver.execute_script(TOPS_JS, list(ids.CARD_VALUES))
    assert len(set(tops)) == 4, tops  # eight cards, two to a row
    assert tops[0] == tops[1], tops
    assert tops[6] == tops[7], tops
    assert_titles_whole_and_uncovered(
        duo,
        (
            ids.ANALYSIS_PRICE_CHART,
            ids.ANALYSIS_MAYER.chart,
            ids.UNDERWATER_CHART,
            ids.VOLATILITY_CHART,
            ids.SEASONALITY_CHART,
        ),
    )
    table = wait_for(
        lambda: duo.driver.execute_script(TABLE_JS, ids.DRAWDOWN_TABLE), what="the drawdowns"
    )
    assert table["scroll"] <= table["width"], table  # nothing to scroll sideways to
    assert table["right"] <= table["box"], table  # every column in view, Days too
    # The deepest drawdown (test_pages' hand-checked one), each value under its column's name
    # and on one line.
    assert table["cells"] == [
        ['"Peak"', f"{day(100):%Y-%m-%d}", 1],
        ['"Trough"', f"{day(150):%Y-%m-%d}", 1],
        ['"Depth"', "\N{MINUS SIGN}50.00%", 1],
        ['"Recovered"', f"{day(175):%Y-%m-%d}", 1],
        ['"Days"', "74", 1],
    ]


def test_the_compare_page_titles_read_on_a_phone(two_assets, start_dashboard):
    duo = on_a_phone(start_dashboard, "compare?assets=bitcoin,ethereum&range=ALL")
    assert_titles_whole_and_uncovered(
        duo, (ids.REBASED_CHART, ids.RATIO_CHART, ids.CORRELATION_CHART)
    )

"""How the charts sit on the page and read, in a real browser: a heatmap keeps its height
through a window resize, tick labels never repeat, a one-point series is drawn, reference lines
are labelled where nothing covers them (tests/browser/pages_seed.py's hand-checked history)."""

from __future__ import annotations

import pytest

from dashboard import ids
from tests.browser.pages_seed import day
from tests.browser.test_dashboard import wait_for, wait_idle
from tests.browser.test_pages import drawn

pytestmark = [pytest.mark.browser, pytest.mark.integration]

# The chart's box, the SVG plotly drew in it, and the top of the page's Definitions panel.
BOXES_JS = """
const chart = document.getElementById(arguments[0]);
const svg = chart.querySelector('.main-svg');
const next = document.querySelector('.definitions');
const box = element => {
    const rect = element.getBoundingClientRect();
    const y = window.scrollY;
    return {top: Math.round(rect.top + y), bottom: Math.round(rect.bottom + y),
            width: Math.round(rect.width), height: Math.round(rect.height)};
};
return {chart: box(chart), svg: box(svg), next: box(next)};
"""


def boxes(duo, chart_id: str) -> dict:
    return duo.driver.execute_script(BOXES_JS, chart_id)


@pytest.mark.parametrize(
    ("query", "chart"),
    [
        ("analysis?asset=bitcoin&range=ALL", ids.SEASONALITY_CHART),
        ("compare?assets=bitcoin,ethereum&range=ALL", ids.CORRELATION_CHART),
    ],
)
def test_a_heatmap_keeps_its_height_when_the_window_resizes(
    two_assets, start_dashboard, query, chart
):
    """A heatmap's height follows its rows; a window resize or a phone's rotation must not
    collapse its box and spill it over the section below."""
    duo = start_dashboard(query)
    drawn(duo, chart, lambda f: f["traces"])
    wait_idle(duo)
    before = boxes(duo, chart)
    assert before["chart"]["height"] == before["svg"]["height"] >= 170
    for width, height in ((1000, 800), (1400, 1000)):  # a narrower window, then back
        drawn_width = boxes(duo, chart)["svg"]["width"]
        duo.driver.set_window_size(width, height)
        wait_for(
            lambda w=drawn_width: boxes(duo, chart)["svg"]["width"] != w,
            what=f"the heatmap redrawn for a {width} px window",
        )
        wait_for(
            lambda: not duo.driver.find_elements_by_css_selector(".dash-graph--pending"),
            what="plotly to finish resizing",
        )
        after = boxes(duo, chart)
        assert after["chart"]["height"] == before["chart"]["height"], (width, after)
        assert after["svg"]["height"] == before["svg"]["height"], (width, after)
        # Inside its own box, above the Definitions panel that follows its section.
        assert after["svg"]["bottom"] <= after["chart"]["bottom"], (width, after)
        assert after["chart"]["bottom"] < after["next"]["top"], (width, after)


TICKS_JS = """
return Array.from(document.querySelectorAll('#' + arguments[0] + ' .ytick text'))
    .map(tick => tick.textContent);
"""


def tick_labels(duo, chart_id: str) -> list[str]:
    """The y-axis tick labels plotly drew, once it drew some."""
    return wait_for(
        lambda: duo.driver.execute_script(TICKS_JS, chart_id),
        timeout=20,
        what=f"{chart_id}'s tick labels",
    )


@pytest.mark.parametrize(
    ("query", "chart"),
    [
        # Ethereum's supply is 120,000,000 throughout: one flat line.
        ("?asset=ethereum&range=ALL", ids.SUPPLY_CHART),
        # The last 30 daily returns are all about -0.4 %: volatility barely moves.
        ("analysis?asset=bitcoin&range=7D", ids.VOLATILITY_CHART),
        # 300 on day 200, 299 on day 201: the drawdown goes from 0 to -0.33 %.
        (
            f"analysis?asset=bitcoin&from={day(200):%Y-%m-%d}&to={day(201):%Y-%m-%d}",
            ids.UNDERWATER_CHART,
        ),
    ],
)
def test_no_axis_repeats_a_tick_label(two_assets, start_dashboard, query, chart):
    duo = start_dashboard(query)
    drawn(duo, chart)
    labels = tick_labels(duo, chart)
    assert len(labels) >= 2, labels
    assert len(set(labels)) == len(labels), labels


POINTS_JS = "return document.querySelectorAll('#' + arguments[0] + ' .scatterlayer .point').length"


def test_a_single_day_draws_its_one_point(two_assets, start_dashboard):
    """A day's range has one daily volatility value: a line of one point draws nothing."""
    duo = start_dashboard(f"analysis?asset=bitcoin&from={day(249):%Y-%m-%d}&to={day(249):%Y-%m-%d}")
    volatility = drawn(duo, ids.VOLATILITY_CHART)
    assert len(volatility["traces"][0]["y"]) == 1
    assert wait_for(
        lambda: duo.driver.execute_script(POINTS_JS, ids.VOLATILITY_CHART) == 1,
        what="the one volatility point drawn",
    )


# The plot area, the mode bar, and the boxes of the texts drawn in the chart whose text
# contains arguments[1].
TEXTS_JS = """
const chart = document.getElementById(arguments[0]);
const box = element => {
    const rect = element.getBoundingClientRect();
    return {left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom};
};
return {
    plot: box(chart.querySelector('.nsewdrag')),
    bar: box(chart.querySelector('.modebar')),
    texts: Array.from(chart.querySelectorAll('text'))
        .filter(text => text.textContent.includes(arguments[1]))
        .map(text => ({text: text.textContent, ...box(text)})),
};
"""


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def test_the_mayer_reference_lines_are_labelled_in_view(two_assets, start_dashboard):
    duo = start_dashboard("analysis?asset=bitcoin&range=ALL&cycles=1")
    drawn(duo, ids.ANALYSIS_MAYER.chart)
    wait_idle(duo)
    found = duo.driver.execute_script(TEXTS_JS, ids.ANALYSIS_MAYER.chart, " · ")
    assert [text["text"] for text in found["texts"]] == [
        "1.0 · at the 200-day MA",
        "2.4 · historically stretched",
    ]
    plot = found["plot"]
    for text in found["texts"]:
        assert plot["top"] <= text["top"], (text, plot)
        assert text["bottom"] <= plot["bottom"], (text, plot)
        assert not overlaps(text, found["bar"]), (text, found["bar"])


def test_the_price_chart_s_notes_sit_above_the_plot(two_assets, start_dashboard):
    duo = start_dashboard("analysis?asset=ethereum&range=ALL&cycles=1")
    drawn(duo, ids.ANALYSIS_PRICE_CHART, lambda f: f["notes"])
    wait_idle(duo)
    found = duo.driver.execute_script(TEXTS_JS, ids.ANALYSIS_PRICE_CHART, "ethereum")
    (note,) = found["texts"]  # one text, a line for each note
    assert note["text"].endswith("(has 10)No cycle events recorded for ethereum")
    assert note["bottom"] <= found["plot"]["top"], (note, found["plot"])  # over no data

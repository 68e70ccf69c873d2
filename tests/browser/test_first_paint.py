"""The price first, then the cards and statistics, then the charts, in a real browser."""

from __future__ import annotations

import time

import pytest

from dashboard import ids
from dashboard.callbacks import price
from tools import paint_marks

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PRICE = "$68,891.88"  # seed.NEWEST's price as the card writes it
# Where each headline card's value sits: the page's own, or the copy in its HTML.
CARD_BOXES_JS = """
const prefix = arguments[0];
return arguments[1].map(id => {
    const box = document.getElementById(prefix + id).getBoundingClientRect();
    return [id, Math.round(box.left), Math.round(box.top), Math.round(box.width)];
});
"""


def wait_for(condition, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)
    return result


def open_watched(dash_duo, start_dashboard, query: str = ""):
    """The dashboard opened by a browser that records when things reach the screen."""
    paint_marks.install(dash_duo.driver)
    duo = start_dashboard(query)
    duo.driver.refresh()  # the first visit may have started before the watcher was in place
    return duo


def test_the_price_is_on_screen_before_any_chart_is_drawn(seeded_table, dash_duo, start_dashboard):
    duo = open_watched(dash_duo, start_dashboard)
    marks = wait_for(
        lambda: (m := paint_marks.read(duo.driver)) and paint_marks.complete(m) and m,
        what="the price and all four charts",
    )
    first_chart = min(marks[chart] for chart in ids.CHARTS)
    assert marks[paint_marks.PRICE] < first_chart, marks
    # Drawn on the server: on screen before the answer to any callback has come back.
    answers = [
        resource["end"]
        for resource in paint_marks.timing(duo.driver)["resources"]
        if "_dash-update-component" in resource["name"]
    ]
    assert marks[paint_marks.PRICE] < min(answers), (marks, answers)
    # The charts were drawn by the page's own plotly.js bundle, loaded once.
    traces = duo.driver.execute_script("return Object.keys(Plotly.PlotSchema.get().traces)")
    assert sorted(traces) == ["bar", "candlestick", "heatmap", "scatter"]
    plotly = [
        resource
        for resource in paint_marks.timing(duo.driver)["resources"]
        if "plotly" in resource["name"]
    ]
    assert len(plotly) == 1
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", PRICE, timeout=10)
    assert duo.get_logs() == []


def test_the_headline_in_the_html_sits_where_the_page_draws_it(seeded_table, start_dashboard):
    duo = start_dashboard()
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", PRICE, timeout=20)
    page_boxes = duo.driver.execute_script(CARD_BOXES_JS, "", list(ids.CARD_VALUES))
    assert duo.driver.find_elements_by_css_selector(f"#{ids.PAGE_SHELL}") == []  # gone

    # What the HTML alone shows, before any script has run: the same cards in the same boxes,
    # so nothing moves when the page takes over (Dash's "Loading..." stays hidden meanwhile).
    duo.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:

        def html_alone() -> list:
            duo.driver.refresh()  # the first visit found the test server's cache still cold
            return duo.driver.find_elements_by_css_selector(f"#shell-{ids.CARD_PRICE}")

        assert wait_for(html_alone, what="the headline in the HTML")[0].text == PRICE
        assert duo.find_element(f"#shell-{ids.CARD_MAX_SUPPLY}").text == "21M BTC"
        assert not duo.find_element("._dash-loading").is_displayed()
        shell_boxes = duo.driver.execute_script(CARD_BOXES_JS, "shell-", list(ids.CARD_VALUES))
    finally:
        duo.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    assert shell_boxes == page_boxes


def test_the_statistics_and_the_other_charts_do_not_wait_for_a_slow_chart(
    seeded_table, dash_duo, start_dashboard, monkeypatch
):
    """Each chart is drawn as soon as its own figure is ready: a price chart that takes 4 s
    holds up neither the range statistics nor the three other charts."""
    slow = price.price_figure

    def price_figure_taking_its_time(*args, **kwargs):
        time.sleep(4)
        return slow(*args, **kwargs)

    monkeypatch.setattr(price, "price_figure", price_figure_taking_its_time)
    duo = open_watched(dash_duo, start_dashboard)
    duo.wait_for_contains_text(f"#{ids.STATS}", "Avg daily volume", timeout=20)
    assert ids.PRICE_CHART not in paint_marks.read(duo.driver)
    marks = wait_for(
        lambda: (m := paint_marks.read(duo.driver)) and paint_marks.complete(m) and m,
        timeout=20,
        what="the charts",
    )
    others = [marks[chart] for chart in ids.CHARTS if chart != ids.PRICE_CHART]
    assert marks[ids.PRICE_CHART] - max(others) > 2000, marks

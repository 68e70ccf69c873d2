"""The analysis and compare pages and the overview's new charts, in a real browser, against a
history whose numbers are worked out by hand (tests/browser/pages_seed.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from selenium.webdriver.support.select import Select

from dashboard import ids, routes
from dashboard.timeranges import preset_window
from tests.browser import seed
from tests.browser.pages_seed import day
from tests.browser.test_dashboard import (
    DARK_FONT,
    axis_bounds,
    click_preset,
    relayout,
    wait_for,
    wait_idle,
    x_range,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

MINUS = "\N{MINUS SIGN}"
# What a chart holds, as plotly has it in the browser.
FIGURE_JS = """
const holder = document.getElementById(arguments[0]);
const plot = holder && holder.querySelector('.js-plotly-plot');
if (!plot || !plot.data) { return null; }
const list = values => (values ? Array.from(values) : null);
return {
    traces: plot.data.map(t => ({
        name: t.name, type: t.type, x: list(t.x), y: list(t.y), text: t.text || null,
        open: list(t.open), high: list(t.high), low: list(t.low), close: list(t.close),
    })),
    title: plot.layout.title ? plot.layout.title.text : null,
    notes: (plot.layout.annotations || []).map(a => a.text.replaceAll('<br>', ' ')),
    yType: plot._fullLayout.yaxis.type,
    font: plot._fullLayout.font.color,
    // What plotly.js really drew: a trace type missing from its bundle is made invisible.
    drawnTypes: plot._fullData.filter(t => t.visible !== false).map(t => t.type),
};
"""
SCROLL_WIDTH_JS = "return document.documentElement.scrollWidth"


def figure(duo, chart_id: str) -> dict | None:
    return duo.driver.execute_script(FIGURE_JS, chart_id)


def drawn(duo, chart_id: str, what=lambda f: f["traces"] or f["notes"]) -> dict:
    """The chart's figure once `what` holds for it."""
    return wait_for(
        lambda: (f := figure(duo, chart_id)) and what(f) and f,
        timeout=20,
        what=f"{chart_id} to be drawn",
    )


def text(duo, element_id: str) -> str:
    return duo.find_element(f"#{element_id}").text


def wait_text(duo, element_id: str, expected: str) -> None:
    duo.wait_for_text_to_equal(f"#{element_id}", expected, timeout=20)


def test_analysis_shows_drawdowns_risk_and_seasonality_of_the_range(two_assets, start_dashboard):
    duo = start_dashboard("analysis?asset=bitcoin&range=ALL")
    wait_text(duo, "ath-price", "$300.00")
    assert text(duo, "ath-below") == f"{MINUS}16.33%"  # 251 / 300 - 1
    assert text(duo, "ath-days") == "50"  # day 200 00:00 to day 249 18:00: 49.75 days
    assert f"{day(200):%Y-%m-%d} 00:00 UTC" in text(duo, ids.ALL_TIME_HIGH)
    rows = duo.find_elements(f"#{ids.DRAWDOWN_TABLE} tbody tr")
    assert [row.text for row in rows] == [
        f"{day(100):%Y-%m-%d} {day(150):%Y-%m-%d} {MINUS}50.00% {day(175):%Y-%m-%d} 74",
        f"{day(200):%Y-%m-%d} {day(249):%Y-%m-%d} {MINUS}16.33% not recovered 49",
    ]
    risk = text(duo, ids.RISK_PANEL)
    for expected in (
        "+151.00%",  # 251 / 100 - 1
        f"{MINUS}50.00%",  # the maximum drawdown
        f"+4.00%\n{day(151):%Y-%m-%d}",  # best day: 100 -> 104
        f"{MINUS}1.96%\n{day(150):%Y-%m-%d}",  # worst day: 102 -> 100
        "60.2%\nof 249 daily returns",  # 150 of 249 returns are gains
        "needs 365 days",  # no CAGR for 250 days
        "Sharpe and Sortino use a risk-free rate of 0.",
    ):
        assert expected in risk, expected
    underwater = drawn(duo, ids.UNDERWATER_CHART)
    assert min(underwater["traces"][0]["y"]) == -50.0
    heatmap = drawn(duo, ids.SEASONALITY_CHART)["traces"][0]
    years = list(range(day(0).year, day(249).year + 1))
    assert heatmap["type"] == "heatmap"
    assert heatmap["x"][-1] == "Year"
    assert [int(year) for year in heatmap["y"]] == years
    assert drawn(duo, ids.VOLATILITY_CHART)["traces"][0]["name"] == "Volatility"
    wait_idle(duo)
    assert duo.get_logs() == []


def test_the_cycle_layer_adds_the_averages_and_the_mayer_multiple(two_assets, start_dashboard):
    duo = start_dashboard("analysis?asset=bitcoin&range=ALL")
    drawn(duo, ids.ANALYSIS_PRICE_CHART)
    assert not duo.find_element(f"#{ids.ANALYSIS_MAYER.panel}").is_displayed()
    duo.find_element(f"label[for='{ids.CYCLES}']").click()
    wait_for(lambda: "cycles=1" in duo.driver.current_url, what="cycles=1 in the URL")
    # 251 / the mean of days 50-249 (39,950 / 200 = 199.75) = 1.2566
    wait_text(duo, ids.ANALYSIS_MAYER.value, f"Mayer multiple: 1.26 on {day(249):%Y-%m-%d}")
    price = drawn(duo, ids.ANALYSIS_PRICE_CHART, lambda f: len(f["traces"]) == 2)
    assert [trace["name"] for trace in price["traces"]] == ["Price", "200-day MA"]
    assert price["traces"][1]["y"][-1] == 199.75
    assert price["notes"] == ["200-week MA needs 1,400 daily closes (has 250)"]
    mayer = drawn(duo, ids.ANALYSIS_MAYER.chart)
    assert mayer["traces"][0]["y"][-1] == pytest.approx(251 / 199.75)


def test_compare_rebases_divides_and_correlates(two_assets, start_dashboard):
    duo = start_dashboard("compare?assets=bitcoin,ethereum&range=ALL")
    rebased = drawn(duo, ids.REBASED_CHART)
    btc, eth = rebased["traces"]
    assert (btc["name"], btc["y"][0]) == ("BTC", 100.0)
    assert btc["y"][-1] == pytest.approx(251.0)
    # ethereum opens at 0.99 x 20 x 260 = 5,148 and ends at 20 x 251 = 5,020
    assert (eth["name"], eth["y"][0]) == ("ETH", 100.0)
    assert eth["y"][-1] == pytest.approx(5020 / 5148 * 100)
    ratio = drawn(duo, ids.RATIO_CHART)
    assert ratio["title"] == "ETH/BTC price ratio"
    values = ratio["traces"][0]["y"]
    assert (values[-1], max(values), min(values)) == pytest.approx((20.0, 20.4, 19.4))
    correlation = drawn(duo, ids.CORRELATION_CHART)["traces"][0]
    assert correlation["text"] == [["1.00", "1.00"], ["1.00", "1.00"]]
    checked = duo.find_elements(f"#{ids.COMPARED_ASSETS} input:checked")
    assert [box.get_attribute("value") for box in checked] == ["bitcoin", "ethereum"]

    # Picking the denominator's asset as the numerator swaps the pair.
    Select(duo.find_element(f"#{ids.RATIO_TOP}")).select_by_value("bitcoin")
    wait_for(lambda: "ratio=bitcoin,ethereum" in duo.driver.current_url, what="the ratio link")
    swapped = drawn(duo, ids.RATIO_CHART, lambda f: f["title"] == "BTC/ETH price ratio")
    assert swapped["traces"][0]["y"][-1] == pytest.approx(0.05)
    duo.find_element(f"label[for='{ids.LOG_SCALE}']").click()
    drawn(duo, ids.REBASED_CHART, lambda f: f["yType"] == "log")
    assert "log=1" in duo.driver.current_url
    wait_idle(duo)
    assert duo.get_logs() == []


def test_links_carry_the_asset_and_range_between_pages(two_assets, start_dashboard):
    duo = start_dashboard("analysis?asset=ethereum&range=7D")
    wait_text(duo, ids.CARD_PRICE, "$5,020.00")
    compare = duo.find_element(f"#{ids.NAV_LINKS[routes.COMPARE]}")
    wait_for(
        lambda: compare.get_attribute("href").endswith("/compare?assets=ethereum,bitcoin&range=7D"),
        what="the compare link to carry the asset and range",
    )
    compare.click()
    ratio = drawn(duo, ids.RATIO_CHART, lambda f: f["title"] == "BTC/ETH price ratio")
    assert ratio["traces"]
    assert duo.driver.current_url.endswith("/compare?assets=ethereum,bitcoin&range=7D")
    assert not duo.find_element(f"#{ids.CARDS}").is_displayed()
    checked = duo.find_elements(f"#{ids.COMPARED_ASSETS} input:checked")
    assert sorted(box.get_attribute("value") for box in checked) == ["bitcoin", "ethereum"]

    duo.find_element(f"#{ids.NAV_LINKS[routes.OVERVIEW]}").click()
    wait_for(
        lambda: duo.driver.current_url.endswith("/?asset=ethereum&range=7D"),
        what="the overview's link",
    )
    wait_text(duo, ids.CARD_PRICE, "$5,020.00")
    first, last = day(249) - pd.Timedelta(days=9), day(249) + pd.Timedelta(hours=18)
    window = list(preset_window("7D", first, last))
    wait_for(lambda: x_range(duo, ids.PRICE_CHART) == window, what="the overview on 7D")

    duo.find_element(f"#{ids.NAV_LINKS[routes.ANALYSIS]}").click()
    drawn(duo, ids.UNDERWATER_CHART)
    click_preset(duo, "1M")
    wait_for(lambda: "range=1M" in duo.driver.current_url, what="1M in the link")
    duo.driver.back()
    wait_for(lambda: "range=7D" in duo.driver.current_url, what="Back to 7D")
    wait_for(lambda: x_range(duo, ids.UNDERWATER_CHART) == window, what="the 7D window again")
    wait_idle(duo)
    assert duo.get_logs() == []


def test_too_little_history_is_said_in_plain_words(two_assets, start_dashboard):
    duo = start_dashboard("analysis?asset=ethereum&range=ALL&cycles=1")
    volatility = drawn(duo, ids.VOLATILITY_CHART)
    assert volatility["notes"] == [
        "Not enough history for Ethereum: rolling volatility needs 30 daily returns (has 9)."
    ]
    wait_text(
        duo,
        ids.ANALYSIS_MAYER.value,
        "Not enough history for Ethereum: the Mayer multiple needs 200 daily closes (has 10).",
    )
    price = drawn(duo, ids.ANALYSIS_PRICE_CHART, lambda f: f["notes"])
    assert price["notes"] == [
        "200-day MA needs 200 daily closes (has 10) 200-week MA needs 1,400 daily closes "
        "(has 10) No cycle events recorded for ethereum"
    ]
    risk = text(duo, ids.RISK_PANEL)
    assert "needs 30 daily returns" in risk
    assert "needs 365 days" in risk
    assert "Traceback" not in duo.find_element("body").text


def test_an_unknown_asset_is_named_and_the_default_shown(two_assets, start_dashboard):
    duo = start_dashboard("analysis?asset=nosuchcoin&range=ALL")
    duo.wait_for_contains_text(f"#{ids.NOTICE}", "Unknown asset nosuchcoin — showing bitcoin.")
    wait_text(duo, "ath-price", "$300.00")
    duo.driver.get(f"{duo.server_url}/compare?assets=nosuchcoin,ethereum&range=ALL")
    duo.wait_for_contains_text(
        f"#{ids.NOTICE}", "Unknown asset nosuchcoin — comparing ethereum.", timeout=20
    )
    rebased = drawn(duo, ids.REBASED_CHART)
    assert [trace["name"] for trace in rebased["traces"]] == ["ETH"]
    ratio = drawn(duo, ids.RATIO_CHART)
    assert ratio["notes"] == ["Compare two assets to see their ratio."]
    assert "nosuchcoin" not in duo.driver.current_url


def test_daily_candles_and_daily_volume_on_the_overview(two_assets, start_dashboard):
    duo = start_dashboard("?asset=ethereum&range=7D")
    drawn(duo, ids.PRICE_CHART)
    duo.find_element(f"label[for='{ids.CANDLES}']").click()
    wait_for(lambda: "candles=1" in duo.driver.current_url, what="candles=1 in the URL")
    price = drawn(duo, ids.PRICE_CHART, lambda f: f["traces"][0]["type"] == "candlestick")
    assert price["drawnTypes"] == ["candlestick"]  # in the page's plotly.js bundle
    assert price["title"] == "Price (USD) · daily candles from 4 snapshots a day"
    candles = price["traces"][0]
    assert candles["x"][-1] == f"{day(249):%Y-%m-%d}T00:00"
    # The last day: 0.99, 1.02, 0.97 and 1.00 times 20 x 251.
    last = [candles[key][-1] for key in ("open", "high", "low", "close")]
    assert last == pytest.approx([4969.8, 5120.4, 4869.4, 5020.0])
    volume = drawn(duo, ids.VOLUME_CHART)["traces"][0]
    assert volume["name"] == "Volume (the day's last 24h reading)"
    assert volume["y"][-1] == 5_020_000_000  # 1,000,000 x the day's last price
    assert len(set(volume["x"])) == len(volume["x"])  # one bar per day


def test_halvings_are_marked_on_the_overview_price_chart(dynalite_table, start_dashboard):
    history = seed.history(1000)  # back to before 2024-04-20
    seed.write(dynalite_table, history)
    # 4,000 six-hourly snapshots touch 1,000 UTC days, or 1,001 when the newest is at 00:00.
    days = len({snapshot.ts // 86_400 for snapshot in history})
    duo = start_dashboard("?range=ALL&cycles=1")
    price = drawn(duo, ids.PRICE_CHART, lambda f: "4th halving · 2024-04-20" in f["notes"])
    assert f"200-week MA needs 1,400 daily closes (has {days:,})" in price["notes"]
    assert [trace["name"] for trace in price["traces"]] == ["Price", "200-day MA"]
    assert duo.find_element(f"#{ids.OVERVIEW_MAYER.panel}").is_displayed()


@pytest.mark.parametrize(
    ("query", "charts"),
    [
        (
            "analysis?asset=bitcoin&range=ALL&cycles=1",
            (ids.UNDERWATER_CHART, ids.SEASONALITY_CHART),
        ),
        ("compare?assets=bitcoin,ethereum&range=ALL", (ids.REBASED_CHART, ids.CORRELATION_CHART)),
    ],
)
def test_each_page_fits_a_phone_and_goes_dark(two_assets, start_dashboard, query, charts):
    duo = start_dashboard(query)
    duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True},
    )
    duo.driver.refresh()
    for chart in charts:
        drawn(duo, chart)
    wait_idle(duo)
    assert duo.driver.execute_script(SCROLL_WIDTH_JS) <= 375
    duo.find_element(f"label[for='{ids.THEME_SWITCH}']").click()
    for chart in charts:
        drawn(duo, chart, lambda f: f["font"] == DARK_FONT)
    assert duo.driver.execute_script(SCROLL_WIDTH_JS) <= 375
    assert "heatmap" in figure(duo, charts[1])["drawnTypes"]  # in the page's plotly.js bundle
    assert duo.get_logs() == []


def test_zooming_the_analysis_price_chart_re_samples_its_time_charts(
    two_assets, start_dashboard, monkeypatch
):
    monkeypatch.setenv("MAX_CHART_POINTS", "40")  # 1,000 snapshots, thinned to 40
    duo = start_dashboard("analysis?asset=bitcoin&range=ALL")
    charts = (ids.ANALYSIS_PRICE_CHART, ids.UNDERWATER_CHART, ids.VOLATILITY_CHART)
    for chart in charts:
        drawn(duo, chart)
    wait_idle(duo)
    assert len(figure(duo, ids.UNDERWATER_CHART)["traces"][0]["y"]) <= 40
    zoom = [day(140), day(145)]
    relayout(duo, ids.ANALYSIS_PRICE_CHART, {"xaxis.range": axis_bounds(zoom)})
    for chart in charts:
        wait_for(lambda c=chart: x_range(duo, c) == zoom, what=f"{chart} on the zoom")
    # Every snapshot of the five days (4 a day, both ends): the fall from 120 to 110.
    underwater = drawn(duo, ids.UNDERWATER_CHART, lambda f: len(f["traces"][0]["y"]) == 21)
    assert underwater["traces"][0]["y"][-1] == pytest.approx(-45.0)  # from the peak of 200
    relayout(duo, ids.UNDERWATER_CHART, {"xaxis.autorange": True})
    window = [day(0), day(249) + pd.Timedelta(hours=18)]
    for chart in charts:
        wait_for(lambda c=chart: x_range(duo, c) == window, what=f"{chart} back on the window")

"""What a visitor and an analyst see, in a real browser against a seeded dynalite."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal

import boto3
import pandas as pd
import pytest
from selenium.webdriver.common.keys import Keys

from dashboard import data, ids
from dashboard.resolve import DEFAULT_PRESET
from dashboard.timeranges import PRESETS, preset_window
from ingest.schema import table_definition
from tests.browser import seed

pytestmark = [pytest.mark.browser, pytest.mark.integration]

SEED_DAYS = seed.DAYS
LONG_SEED_DAYS = 400
X_RANGE_JS = """
const plot = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');
return plot && plot.layout && plot.layout.xaxis ? plot.layout.xaxis.range : null;
"""
Y_TYPE_JS = """
return document.getElementById(arguments[0])
    .querySelector('.js-plotly-plot')._fullLayout.yaxis.type;
"""

# The span of the price line's points, in the axis's own units, next to the axis range: a
# line whose x values plotly misreads still autoranges y but is drawn off-screen.
DRAWN_SPAN_JS = """
const plot = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');
const axis = plot._fullLayout.xaxis;
const xs = plot.calcdata[0].map(point => point.x);
return [axis.r2c(axis.range[0]), axis.r2c(axis.range[1]), Math.min(...xs), Math.max(...xs)];
"""
TRACE_NAMES_JS = """
const plot = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');
return plot.data.map(trace => trace.name);
"""
FONT_COLOR_JS = """
const plot = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');
return plot._fullLayout.font.color;
"""
POINTS_JS = """
const plot = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');
return plot.data[0].x.length;
"""
# Callback requests the page has made so far (the browser's resource timing entries).
UPDATE_REQUESTS_JS = """
return performance.getEntriesByType('resource')
    .filter(entry => entry.name.includes('_dash-update-component')).length;
"""
IDLE_JS = "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0;"


def x_range(duo, chart_id: str) -> list[pd.Timestamp] | None:
    value = duo.driver.execute_script(X_RANGE_JS, chart_id)
    return [pd.Timestamp(v, tz="UTC") for v in value] if value else None


def wait_for(condition, timeout: float = 10.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def wait_for_all_ranges(duo, expected: list[pd.Timestamp], timeout: float = 10.0) -> None:
    def all_match() -> bool:
        return all(x_range(duo, chart) == expected for chart in ids.CHARTS)

    try:
        wait_for(all_match, timeout, f"every chart's x-range to be {expected}")
    except AssertionError:
        actual = {chart: x_range(duo, chart) for chart in ids.CHARTS}
        raise AssertionError(f"expected {expected}, charts show {actual}") from None


def seeded_bounds(days: int = SEED_DAYS) -> tuple[pd.Timestamp, pd.Timestamp]:
    last = seed.newest_time()
    return last - seed.SLOT * (days * 4 - 1), last


def click_preset(duo, preset: str) -> None:
    for label in duo.find_elements(f"#{ids.PRESET} label"):
        if label.text == preset:
            label.click()
            return
    raise AssertionError(f"no preset button {preset}")


def wait_idle(duo) -> None:
    """No callback in flight: Dash marks components it is updating with data-dash-is-loading."""
    wait_for(
        lambda: duo.driver.execute_script(IDLE_JS),
        what="pending callbacks to finish",
    )


def wait_rendered(duo) -> None:
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$68,891.88", timeout=20)
    wait_for(lambda: x_range(duo, ids.VOLUME_CHART), what="the charts")
    wait_idle(duo)


def words_for_age(age: pd.Timedelta) -> str:
    """The "updated" card's wording for an age under a day, spelled out here by hand."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    return f"{minutes} min ago" if minutes < 60 else f"{minutes // 60} h ago"


def test_cards_show_the_newest_snapshot_formatted(seeded_table, start_dashboard):
    newest = seed.newest_time()  # seed.NEWEST's values, at most six hours ago
    opened = pd.Timestamp.now(tz="UTC")
    duo = start_dashboard()
    wait_rendered(duo)
    text = {
        key: duo.find_element(f"#{key}").text
        for key in (
            ids.CARD_CHANGE,
            ids.CARD_MARKET_CAP,
            ids.CARD_DOMINANCE,
            ids.CARD_VOLUME,
            ids.CARD_VOLUME_CHANGE,
            ids.CARD_SUPPLY,
            ids.CARD_MAX_SUPPLY,
            ids.CARD_RANK,
            ids.CARD_UPDATED,
            ids.CARD_UPDATED_AGO,
        )
    }
    read = pd.Timestamp.now(tz="UTC")
    ago = text.pop(ids.CARD_UPDATED_AGO)
    assert text == {
        ids.CARD_CHANGE: "▲ +2.31%",
        ids.CARD_MARKET_CAP: "$1.36T",
        ids.CARD_DOMINANCE: "54.32% dominance",
        ids.CARD_VOLUME: "$45.2B",
        ids.CARD_VOLUME_CHANGE: "▼ \N{MINUS SIGN}1.20% vs previous 24h",
        ids.CARD_SUPPLY: "19.7M BTC",
        ids.CARD_MAX_SUPPLY: "21M BTC",
        ids.CARD_RANK: "#1",
        ids.CARD_UPDATED: f"{newest:%Y-%m-%d %H:%M}",  # the label says "Snapshot (UTC)"
    }
    # Rendered between opening and reading the page: either end's wording (a minute may tick).
    assert ago in {words_for_age(opened - newest), words_for_age(read - newest)}
    assert "text-success" in duo.find_element(f"#{ids.CARD_CHANGE}").get_attribute("class")
    low, high, first_point, last_point = duo.driver.execute_script(DRAWN_SPAN_JS, ids.PRICE_CHART)
    assert low <= first_point < last_point <= high
    assert last_point == high  # the window ends at the newest snapshot
    bar = duo.find_element(f"#{ids.CARD_SUPPLY_BAR} .progress-bar")
    assert bar.text == "93.8% of max"
    assert duo.find_element(f"#{ids.STALE_WARNING}").text == ""
    assert duo.get_logs() == []


def test_presets_set_every_chart_to_the_window(dynalite_table, start_dashboard):
    # Over a year of history, so 1Y, YTD and ALL are three different windows.
    seed.write(dynalite_table, seed.history(LONG_SEED_DAYS))
    duo = start_dashboard()
    wait_rendered(duo)
    first, last = seeded_bounds(LONG_SEED_DAYS)
    windows = {preset: list(preset_window(preset, first, last)) for preset in PRESETS}
    # Each click must move the charts, or a preset that did nothing would pass. Two presets
    # can share a window on some days (YTD is 7D on 8 January before 06:00 UTC), but ALL
    # (400 days) never shares one: click it between the others.
    assert all(windows["ALL"] != window for p, window in windows.items() if p != "ALL")
    others = [p for p in PRESETS if p != "ALL"]
    for preset in [step for p in others for step in (p, "ALL")]:
        click_preset(duo, preset)
        wait_for(lambda p=preset: f"range={p}" in duo.driver.current_url, what=f"{preset} in URL")
        wait_for_all_ranges(duo, windows[preset])


def relayout(duo, chart_id: str, update: dict) -> None:
    """What plotly does on a zoom, pan or double-click in `chart_id`."""
    duo.driver.execute_script(
        "const plot = document.getElementById(arguments[0]).querySelector('.js-plotly-plot');"
        "Plotly.relayout(plot, arguments[1]);",
        chart_id,
        update,
    )


def axis_bounds(times: list[pd.Timestamp]) -> list[str]:
    return [t.tz_localize(None).isoformat(sep=" ") for t in times]


def test_zooming_price_moves_the_other_charts_and_double_click_resets(
    seeded_table, start_dashboard, monkeypatch
):
    # A budget below the month's 120 points, so the window is thinned and a zoom re-samples;
    # no refresh tick during the test, so every request counted below is the test's.
    monkeypatch.setenv("MAX_CHART_POINTS", "40")
    monkeypatch.setenv("CACHE_TTL_SECONDS", "3600")
    duo = start_dashboard("?range=1M")
    wait_rendered(duo)
    first, last = seeded_bounds()
    window = list(preset_window("1M", first, last))
    wait_for_all_ranges(duo, window)
    wait_idle(duo)
    assert duo.driver.execute_script(POINTS_JS, ids.PRICE_CHART) <= 40
    zoom = [last - pd.Timedelta(days=10), last - pd.Timedelta(days=3)]
    relayout(duo, ids.PRICE_CHART, {"xaxis.range": axis_bounds(zoom)})
    wait_for_all_ranges(duo, zoom)
    # The zoomed week comes back with every stored point (4 a day, both ends included).
    wait_for(lambda: duo.driver.execute_script(POINTS_JS, ids.PRICE_CHART) == 29, what="detail")
    # A resize is not a zoom: nothing is asked of the server, and the zoom stays.
    requests_before = duo.driver.execute_script(UPDATE_REQUESTS_JS)
    duo.driver.set_window_size(1100, 900)
    time.sleep(1)
    assert duo.driver.execute_script(UPDATE_REQUESTS_JS) == requests_before
    wait_for_all_ranges(duo, zoom)
    # Log scale and moving averages redraw the price line only: every chart keeps the zoom,
    # and the price line keeps the zoom's detail.
    duo.find_element(f"label[for='{ids.LOG_SCALE}']").click()
    wait_for(lambda: duo.driver.execute_script(Y_TYPE_JS, ids.PRICE_CHART) == "log", what="log")
    duo.find_element(f"#{ids.MOVING_AVERAGES} label").click()
    wait_for(lambda: "ma=7" in duo.driver.current_url, what="MA7 in the URL")
    wait_for(lambda: duo.driver.execute_script(TRACE_NAMES_JS, ids.PRICE_CHART) == ["Price", "MA7"])
    wait_idle(duo)
    wait_for_all_ranges(duo, zoom)
    assert duo.driver.execute_script(POINTS_JS, ids.PRICE_CHART) == 29
    relayout(duo, ids.PRICE_CHART, {"xaxis.autorange": True})
    wait_for_all_ranges(duo, window)
    # Plotly sends the very same event for the next double-click: it must still reset.
    relayout(duo, ids.VOLUME_CHART, {"xaxis.range": axis_bounds(zoom)})
    wait_for_all_ranges(duo, zoom)
    relayout(duo, ids.PRICE_CHART, {"xaxis.autorange": True})
    wait_for_all_ranges(duo, window)
    # Zooming out past the window stays on the window the preset chose.
    relayout(duo, ids.PRICE_CHART, {"xaxis.range": axis_bounds([first, last])})
    wait_idle(duo)
    wait_for_all_ranges(duo, window)


def test_url_round_trips_the_view(seeded_table, start_dashboard):
    duo = start_dashboard("?asset=bitcoin&range=7D&log=1&ma=7,30")
    wait_rendered(duo)
    first, last = seeded_bounds()
    wait_for_all_ranges(duo, list(preset_window("7D", first, last)))
    checked = duo.find_element(f"#{ids.PRESET} input:checked").get_attribute("value")
    assert checked == "7D"
    assert duo.find_element(f"#{ids.LOG_SCALE}").is_selected()
    ma_inputs = duo.find_elements(f"#{ids.MOVING_AVERAGES} input")
    assert [i.is_selected() for i in ma_inputs] == [True, True]
    assert duo.driver.execute_script(Y_TYPE_JS, ids.PRICE_CHART) == "log"

    click_preset(duo, "1M")
    wait_for(lambda: "range=1M" in duo.driver.current_url, what="the URL to follow the preset")
    duo.find_element(f"#{ids.LOG_SCALE}").click()
    wait_for(lambda: "log=1" not in duo.driver.current_url, what="log=1 to leave the URL")
    wait_for_all_ranges(duo, list(preset_window("1M", first, last)))

    duo.driver.back()
    wait_for(lambda: "log=1" in duo.driver.current_url, what="back to restore log=1")
    duo.driver.back()
    wait_for(lambda: "range=7D" in duo.driver.current_url, what="back to restore 7D")
    wait_for_all_ranges(duo, list(preset_window("7D", first, last)))
    wait_for(
        lambda: duo.find_element(f"#{ids.PRESET} input:checked").get_attribute("value") == "7D",
        what="the 7D button to be active again",
    )


def test_malformed_query_falls_back_with_a_notice(seeded_table, start_dashboard):
    duo = start_dashboard("?range=banana&log=maybe&from=yesterday")
    wait_rendered(duo)
    duo.wait_for_contains_text(f"#{ids.NOTICE}", "defaults apply", timeout=10)
    assert duo.find_element(f"#{ids.NOTICE}").text == (
        "Part of the link could not be used, so defaults apply: "
        "range 'banana' is not one of 24H, 7D, 1M, 3M, 1Y, YTD, ALL; "
        "from 'yesterday' is not a date like 2026-01-31; log 'maybe' should be 1 or 0."
    )
    checked = duo.find_element(f"#{ids.PRESET} input:checked").get_attribute("value")
    assert checked == DEFAULT_PRESET
    first, last = seeded_bounds()
    wait_for_all_ranges(duo, list(preset_window(DEFAULT_PRESET, first, last)))
    assert not duo.find_element(f"#{ids.LOG_SCALE}").is_selected()
    # The address bar now holds the view shown, so a reload or a copied link opens it quietly.
    wait_for(
        lambda: duo.driver.current_url.endswith(f"/?asset=bitcoin&range={DEFAULT_PRESET}"),
        what="the corrected link in the address bar",
    )
    # ...and history goes on from it: the faulty link is neither restored nor a Back stop.
    click_preset(duo, "1M")
    wait_for(lambda: duo.driver.current_url.endswith("/?asset=bitcoin&range=1M"), what="1M")
    duo.driver.back()
    wait_for(
        lambda: duo.driver.current_url.endswith(f"/?asset=bitcoin&range={DEFAULT_PRESET}"),
        what="Back to the corrected link",
    )
    wait_for_all_ranges(duo, list(preset_window(DEFAULT_PRESET, first, last)))
    wait_idle(duo)  # no render cut short when the test server stops
    assert duo.get_logs() == []


def test_empty_store_explains_how_to_ingest(dynalite_table, start_dashboard):
    duo = start_dashboard()
    duo.wait_for_contains_text(f"#{ids.EMPTY_STATE}", "python -m ingest fetch", timeout=20)
    assert "make run" in duo.find_element(f"#{ids.EMPTY_STATE}").text


def test_unreachable_store_shows_a_banner(table_name, monkeypatch, start_dashboard):
    from tools.dynalite import endpoint, free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint(free_port()))
    duo = start_dashboard()
    duo.wait_for_contains_text(f"#{ids.STORE_BANNER}", "unreachable", timeout=30)
    assert "Traceback" not in duo.find_element("body").text


def test_store_outage_keeps_the_cached_view_under_a_banner(
    seeded_table, monkeypatch, start_dashboard
):
    monkeypatch.setenv("CACHE_TTL_SECONDS", "1")
    duo = start_dashboard()
    wait_rendered(duo)
    definition = table_definition(seeded_table.name)
    seeded_table.delete()  # the store stops answering for this table
    try:
        duo.wait_for_contains_text(f"#{ids.STORE_BANNER}", "does not exist", timeout=15)
        assert "loaded before" in duo.find_element(f"#{ids.STORE_BANNER}").text
        assert duo.find_element(f"#{ids.CARD_PRICE}").text == "$68,891.88"
        assert x_range(duo, ids.PRICE_CHART)
    finally:
        boto3.resource("dynamodb").create_table(**definition).wait_until_exists()


def test_phone_width_has_no_horizontal_overflow(seeded_table, start_dashboard):
    duo = start_dashboard()
    duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True},
    )
    duo.driver.refresh()
    wait_rendered(duo)
    time.sleep(0.5)
    width = duo.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 375


def test_reversed_dates_in_a_link_are_swapped_with_a_notice(seeded_table, start_dashboard):
    last = seed.newest_time()
    later, earlier = (last - pd.Timedelta(days=5)).normalize(), last - pd.Timedelta(days=20)
    query = f"?from={later:%Y-%m-%d}&to={earlier:%Y-%m-%d}"
    duo = start_dashboard(query)
    wait_rendered(duo)
    duo.wait_for_text_to_equal(
        f"#{ids.NOTICE}",
        "The start date was after the end date, so the two were swapped.",
        timeout=10,
    )
    expected_end = later + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    window = [earlier.normalize(), expected_end]
    wait_for(
        lambda: (
            [t.floor("s") for t in x_range(duo, ids.PRICE_CHART)] == [t.floor("s") for t in window]
        ),
        what=f"the price chart on {window}",
    )
    assert duo.find_elements(f"#{ids.PRESET} input:checked") == []
    corrected = f"from={earlier:%Y-%m-%d}&to={later:%Y-%m-%d}"
    wait_for(lambda: corrected in duo.driver.current_url, what="the swapped dates in the URL")
    duo.driver.refresh()
    wait_rendered(duo)
    assert duo.find_element(f"#{ids.NOTICE}").text == ""
    assert [t.floor("s") for t in x_range(duo, ids.PRICE_CHART)] == [t.floor("s") for t in window]


def test_a_page_opened_on_an_empty_table_shows_data_once_it_arrives(
    dynalite_table, monkeypatch, start_dashboard
):
    monkeypatch.setenv("CACHE_TTL_SECONDS", "1")
    duo = start_dashboard("?range=7D")
    duo.wait_for_contains_text(f"#{ids.EMPTY_STATE}", "No snapshots yet", timeout=20)
    # The page reads the store every second and writing 480 items takes longer, so it could
    # lay out its 7D view on a half-written history: write while no background refresh is
    # out and none can start (one needs the cache's lock), so it sees the history whole, as
    # it would a finished backfill.
    entry = data.get_repository()._entry("bitcoin")
    while True:
        with entry.lock:
            if not entry.refreshing:
                seed.write(dynalite_table, seed.history(SEED_DAYS))
                break
        time.sleep(0.05)
    wait_rendered(duo)
    first, last = seeded_bounds()
    wait_for_all_ranges(duo, list(preset_window("7D", first, last)))
    assert duo.find_element(f"#{ids.EMPTY_STATE}").text == ""


def test_an_open_page_picks_up_new_snapshots_without_losing_the_view(
    seeded_table, monkeypatch, start_dashboard
):
    monkeypatch.setenv("CACHE_TTL_SECONDS", "1")
    duo = start_dashboard("?range=7D")
    wait_rendered(duo)
    window = x_range(duo, ids.PRICE_CHART)
    newer = seed.history(1)[-1]
    metrics = {**newer.metrics, "price": Decimal("70123.45")}
    # A minute after the newest slot (as a manual `ingest fetch` would be): never ahead of
    # the clock by more than the hour the reader tolerates.
    later = replace(newer, ts=newer.ts + 60, metrics=metrics)
    seed.write(seeded_table, [later])
    duo.wait_for_text_to_equal(f"#{ids.CARD_PRICE}", "$70,123.45", timeout=15)
    assert x_range(duo, ids.PRICE_CHART) == window


def test_picking_dates_sets_a_custom_range_on_every_chart(seeded_table, start_dashboard):
    duo = start_dashboard("?range=1M")
    wait_rendered(duo)
    last = seed.newest_time()
    start, end = (last - pd.Timedelta(days=40)).normalize(), (last - pd.Timedelta(days=30))
    for input_id, day in ((ids.DATE_FROM, start), (ids.DATE_TO, end)):
        field = duo.find_element(f"#{input_id}")
        field.click()
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(f"{day:%Y-%m-%d}", Keys.ENTER)
    wait_for(
        lambda: f"from={start:%Y-%m-%d}&to={end:%Y-%m-%d}" in duo.driver.current_url,
        what="the picked dates in the URL",
    )
    whole_last_day = end.normalize() + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    wait_for_all_ranges(duo, [start, whole_last_day])
    assert duo.find_elements(f"#{ids.PRESET} input:checked") == []


LIGHT_FONT, DARK_FONT = "#2a3f5f", "#f2f5fa"  # plotly_white's and plotly_dark's text


def test_dark_mode_switches_the_page_and_every_figure(seeded_table, start_dashboard):
    duo = start_dashboard()
    wait_rendered(duo)

    def chart_fonts() -> set[str]:
        return {duo.driver.execute_script(FONT_COLOR_JS, chart) for chart in ids.CHARTS}

    assert chart_fonts() == {LIGHT_FONT}
    duo.find_element(f"label[for='{ids.THEME_SWITCH}']").click()
    wait_for(
        lambda: (
            duo.driver.execute_script(
                "return document.documentElement.getAttribute('data-bs-theme')"
            )
            == "dark"
        ),
        what="Bootstrap's dark colour mode",
    )
    wait_for(lambda: chart_fonts() == {DARK_FONT}, what="every figure on the dark template")
    assert x_range(duo, ids.PRICE_CHART)  # the data stayed where it was

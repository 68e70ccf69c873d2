"""Callback logic that needs no browser: CSV rows, failure handling, zoom events, cards."""

from __future__ import annotations

import dataclasses
import logging

import pandas as pd
import pytest
from dash import no_update
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import config, headline, ids, resolve
from dashboard.callbacks import charts, download, guard, overview, price, view, zoom
from dashboard.data import LoadResult
from dashboard.urlstate import ViewState, parse_query, to_query
from tests.dashboard.links import queries
from tests.dashboard_ui.frames import frame


def test_the_download_button_says_when_a_window_holds_more_rows_than_one_file():
    assert download.label(100_000, 100_000) == "Download CSV"
    assert download.label(1_000_000, 100_000) == ("Download CSV (first 100,000 of 1,000,000 rows)")


def test_a_failing_callback_shows_a_plain_message_and_logs_the_traceback(caplog):
    def broken(**_: object) -> dict:
        raise RuntimeError("secret internals")

    run = guard.guard(broken, ["a", "b"])
    with caplog.at_level(logging.ERROR):
        result = run(x=1)
    assert result["a"] is no_update
    assert result["b"] is no_update
    message = result[guard.ERROR_KEY]
    assert message.children == guard.FAILURE_MESSAGE
    assert "secret internals" not in str(message.to_plotly_json())
    assert "secret internals" in caplog.text


def test_a_working_callback_fills_missing_outputs_with_no_update():
    run = guard.guard(lambda **_: {"a": 1}, ["a", "b"], clear_error=True)
    assert run() == {"a": 1, "b": no_update, guard.ERROR_KEY: None}


VIEW = {
    "page": "/",
    "asset": "bitcoin",
    "start": "2026-01-01T00:00:00+00:00",
    "end": "2026-03-01T00:00:00+00:00",
    "log": False,
    "ma": [7],
    "candles": False,
    "cycles": False,
}


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"range": ["2026-01-05 06:30:00", "2026-01-12"]}, ("2026-01-05 06:30", "2026-01-12")),
        ({"range": ["2026-01-12", "2026-01-05"]}, ("2026-01-05", "2026-01-12")),  # reversed
        ({"reset": True}, ("2026-01-01", "2026-03-01")),  # back to the view's window
        ({"range": ["2025-12-01", "2026-01-10"]}, ("2026-01-01", "2026-01-10")),  # kept inside
        ({"range": ["2025-12-01", "2026-06-01"]}, ("2026-01-01", "2026-03-01")),
        ({"range": ["2025-06-01", "2025-07-01"]}, ("2026-01-01", "2026-03-01")),  # all outside
        ({"range": ["not a date", "2026-01-12"]}, None),
        ({"range": [1, 2]}, None),
        ({"range": "2026-01-05"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_zoom_events_become_the_range_to_draw(event, expected):
    window = zoom.zoom_window(event, VIEW)
    assert window == (tuple(pd.Timestamp(t, tz="UTC") for t in expected) if expected else None)


def test_zoom_before_the_view_has_a_window_draws_nothing():
    assert zoom.zoom_window({"reset": True}, {**VIEW, "start": None}) is None
    assert zoom.zoom_window({"range": ["2026-01-05", "2026-01-12"]}, None) is None


def test_zooming_in_redraws_every_chart_with_the_range_own_points(monkeypatch):
    data = frame(240)  # 60 days at 6 h, thinned to 50 points over the whole window
    monkeypatch.setattr(price, "get_repository", lambda: _Repository(data))
    settings = dataclasses.replace(config.load(), max_points=50)
    start, end = pd.Timestamp("2026-01-20", tz="UTC"), pd.Timestamp("2026-01-27", tz="UTC")
    patches = zoom.zoom_patches(overview.GROUP, VIEW, start, end, settings)
    assert set(patches) == set(ids.OVERVIEW_CHARTS.charts)
    for patch in patches.values():
        assigned = _assigned(patch)
        assert assigned[("layout", "xaxis", "autorange")] is False
        x_axis = assigned.get(("layout", "xaxis"))
        if x_axis.get("visible", True):  # the Mayer chart waits for the cycle layer
            assert x_axis["range"] == ["2026-01-20 00:00:00", "2026-01-27 00:00:00"]
        assert ("layout", "template") not in assigned  # the theme stays the switch's
    price_line, ma7 = _assigned(patches[ids.PRICE_CHART])[("data",)]
    # Every stored point of the week is drawn (29 at 6 h, ends included), none outside it.
    assert len(price_line["x"]) == 29
    assert (price_line["x"][0], price_line["x"][-1]) == ("2026-01-20T00:00", "2026-01-27T00:00")
    assert list(price_line["y"]) == list(data["price"].loc[start:end])
    assert (ma7["name"], len(ma7["y"])) == ("MA7", 29)
    # The daily volume: one bar per day of the week, 2026-01-20 to 2026-01-27.
    (bars,) = _assigned(patches[ids.VOLUME_CHART])[("data",)]
    assert (len(bars["x"]), bars["x"][0], bars["x"][-1]) == (
        8,
        "2026-01-20T00:00",
        "2026-01-27T00:00",
    )


def _assigned(patch) -> dict[tuple[str, ...], object]:
    """What a Patch sets, by location."""
    operations = patch.to_plotly_json()["operations"]
    return {tuple(op["location"]): op["params"]["value"] for op in operations}


def test_headline_cards_format_the_newest_snapshot():
    data = frame(8)  # the newest snapshot is 2026-01-02 18:00 UTC
    newest = data.index[-1]
    data.loc[newest, ["price", "market_cap", "circulating_supply"]] = [
        97_123.456,
        1_363_456_789_012.5,
        19_600_007,
    ]
    data.loc[newest, ["percent_change_24h", "volume_change_24h"]] = [-3.456, 12.0]
    data.loc[newest, "market_cap_dominance"] = 54.321
    cards = headline.headline(data, newest + pd.Timedelta(hours=3, minutes=59))
    # The label says "Snapshot (UTC)"; on a narrow card the time goes below the day, whole.
    day, space, time = cards.pop("updated")
    assert (day.children, day.className, space, time.children) == (
        "2026-01-02",
        "text-nowrap",
        " ",
        "18:00",
    )
    assert cards == {
        "price": "$97,123.46",
        "name": "Bitcoin (BTC)",
        "change": "▼ \N{MINUS SIGN}3.46%",
        "change_class": "fs-4 fw-semibold text-danger",
        "market_cap": "$1.36T",
        "dominance": "54.32% dominance",
        "volume": "$30.0B",
        "volume_change": "▲ +12.00% vs previous 24h",
        "volume_change_class": "small text-success",
        "supply": "19.6M BTC",
        "supply_bar": pytest.approx(100 * 19_600_007 / 21_000_000),
        "supply_bar_label": "93.3% of max",
        "supply_bar_style": {"height": "1.1rem"},
        "max_supply": "21M BTC",
        "rank": "#1",
        "updated_ago": "3 h ago",
    }


def test_uncapped_asset_says_no_cap_and_hides_the_bar():
    cards = headline.headline(frame(3, max_supply=None), pd.Timestamp("2026-02-01", tz="UTC"))
    assert cards["max_supply"] == "No cap"
    assert cards["supply_bar_style"] == headline.HIDDEN


def test_stale_warning_only_past_the_threshold():
    assert headline.stale_warning(11 * 3600, 12) is None
    assert "out of date" in str(headline.stale_warning(13 * 3600, 12).to_plotly_json())


CONTROLS = {
    "asset": "bitcoin",
    "compared": [],
    "preset": "7D",
    "start_date": "2026-01-02",
    "end_date": "2026-01-05",
    "log": False,
    "moving_averages": [30, 7],
    "candles": True,
    "cycles": False,
    "ratio_top": None,
    "ratio_bottom": None,
}


def test_picked_dates_replace_the_preset_and_other_controls_keep_it():
    picked = resolve.state_from_controls("date-range", CONTROLS)
    assert picked == ViewState(
        "bitcoin",
        None,
        pd.Timestamp("2026-01-02", tz="UTC"),
        pd.Timestamp("2026-01-05", tz="UTC"),
        False,
        (7, 30),
        candles=True,
    )
    toggled = {**CONTROLS, "end_date": None, "log": True, "moving_averages": []}
    kept = resolve.state_from_controls("log-scale", toggled)
    assert (kept.preset, kept.start, kept.log, kept.candles) == ("7D", None, True, True)


def test_the_compare_controls_give_the_assets_in_the_order_picked_and_the_ratio():
    picked = {**CONTROLS, "compared": ["ethereum", "bitcoin", "ethereum"]}
    picked.update(ratio_top="bitcoin", ratio_bottom="ethereum")
    state = resolve.state_from_controls("compared-assets", picked)
    assert (state.assets, state.ratio) == (("ethereum", "bitcoin"), ("bitcoin", "ethereum"))


def test_reversed_picked_range_is_swapped_with_a_message():
    data = frame(40)
    asked = ViewState(
        "bitcoin",
        None,
        pd.Timestamp("2026-01-08", tz="UTC"),
        pd.Timestamp("2026-01-03", tz="UTC"),
        False,
        (),
    )
    shown, start, end, message = resolve.resolve_window(asked, data.index[0], data.index[-1])
    assert start == pd.Timestamp("2026-01-03", tz="UTC")
    assert end == pd.Timestamp("2026-01-09", tz="UTC") - pd.Timedelta(microseconds=1)
    assert "swapped" in message
    # The state carries the corrected days, so the link written back opens this window.
    assert (shown.start, shown.end) == (start, pd.Timestamp("2026-01-08", tz="UTC"))


def test_bare_url_opens_the_default_preset():
    data = frame(40)
    resolved, start, end, message = resolve.resolve_window(
        ViewState("bitcoin", None, None, None, False, ()), data.index[0], data.index[-1]
    )
    assert resolved.preset == resolve.DEFAULT_PRESET
    assert (start, end, message) == (data.index[0], data.index[-1], None)


LINK_FRAMES = [frame(40), frame(41, start="2026-01-01 06:00"), frame(1, start="2026-01-05 12:00")]


@settings(max_examples=100, deadline=None)
@given(queries(), st.sampled_from(LINK_FRAMES))
def test_any_link_draws_a_window_of_the_data_and_its_correction_reopens_it(search, data):
    """What the page does with a link: the view it resolves lies inside the data, and the
    link it writes back (a reload, a copy) opens the very same window, without a notice."""
    asked, _ = parse_query(search, "bitcoin")
    bounds = data.index[0], data.index[-1]
    shown, start, end, _ = resolve.resolve_window(asked, *bounds)
    assert data.index[0] <= start <= end <= data.index[-1]
    # The overview's link holds no comparison.
    assert parse_query(to_query(shown), "bitcoin") == (
        dataclasses.replace(shown, assets=(), ratio=None),
        None,
    )
    assert resolve.resolve_window(shown, *bounds) == (shown, start, end, None)


def test_changes_carry_an_arrow_and_sign_besides_the_colour():
    assert headline.change_text(2.314) == "▲ +2.31%"
    assert headline.change_text(-1.2) == "▼ \N{MINUS SIGN}1.20%"
    assert headline.change_text(0.001) == "0.00%"
    assert headline.change_text(None) == "—"


def test_badges_name_demo_and_backfilled_data():
    assert view.source_badges({"cmc"}) == []
    labels = [badge.children for badge in view.source_badges({"demo", "coingecko", "cmc"})]
    assert labels == ["Demo data", "Backfilled history"]


PRICE_CHART = overview.GROUP.chart(ids.PRICE_CHART)


def test_log_scale_alone_patches_the_price_axis_and_a_new_window_redraws():
    drawn = {**VIEW, "ma": []}
    settings = config.load()
    patch = charts.restyle_patch(PRICE_CHART, {**drawn, "log": True}, drawn, settings)
    operations = patch.to_plotly_json()["operations"]
    assert {
        "operation": "Assign",
        "location": ["layout", "yaxis", "type"],
        "params": {"value": "log"},
    } in operations
    assert all(op["location"][0] == "layout" for op in operations)  # no data resent
    # A new window is not a restyle: the chart is drawn afresh over it.
    assert not charts.same({**drawn, "start": "2026-01-15"}, drawn, overview.GROUP.window)


def test_a_moving_average_added_while_zoomed_keeps_the_zoom_detail(monkeypatch):
    data = frame(240)  # 60 days at 6 h
    monkeypatch.setattr(price, "get_repository", lambda: _Repository(data))
    settings = dataclasses.replace(config.load(), max_points=50)
    drawn = {**VIEW, "ma": []}
    zoomed = ["2026-01-20T00:00:00+00:00", "2026-01-27T00:00:00+00:00"]
    patch = charts.restyle_patch(PRICE_CHART, {**drawn, "ma": [7]}, drawn, settings, zoomed)
    assigned = _assigned(patch)
    price_line, ma7 = assigned[("data",)]
    assert len(price_line["x"]) == len(ma7["x"]) == 29  # every point of the zoomed week
    assert assigned[("layout", "xaxis")]["range"] == ["2026-01-20 00:00:00", "2026-01-27 00:00:00"]
    whole = charts.restyle_patch(PRICE_CHART, {**drawn, "ma": [7]}, drawn, settings)
    assert len(_assigned(whole)[("data",)][0]["x"]) <= 50  # the window, thinned


class _Repository:
    def __init__(self, data: pd.DataFrame) -> None:
        self.data = data

    def load(self, asset: str) -> LoadResult:
        return LoadResult(self.data, None)


def test_picking_the_other_side_s_asset_in_the_ratio_swaps_the_pair():
    picked = {**CONTROLS, "compared": ["bitcoin", "ethereum", "solana"]}
    picked.update(ratio_top="bitcoin", ratio_bottom="bitcoin")
    assert resolve.state_from_controls("ratio-numerator", picked).ratio == ("bitcoin", "ethereum")
    assert resolve.state_from_controls("ratio-denominator", picked).ratio == (
        "ethereum",
        "bitcoin",
    )

"""The new pages' figures and panels present the analytics exactly: candles, the cycle layer,
underwater, Mayer, seasonality, rebased, ratio and correlation, with hand-checked values, and
a sentence (never a blank chart) where the history is too short."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import panels
from dashboard.analytics.drawdowns import all_time_high, deepest_drawdowns
from dashboard.analytics.risk import risk_summary
from dashboard.figures_analysis import (
    mayer_figure,
    seasonality_figure,
    underwater_figure,
    volatility_figure,
)
from dashboard.figures_compare import correlation_figure, ratio_figure, rebased_figure
from dashboard.figures_price import price_figure
from tests.dashboard_ui.frames import frame


def _drawn(figure: dict) -> go.Figure:
    return go.Figure(figure)


def _window(data: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    return data.index[0], data.index[-1]


def _price(data: pd.DataFrame, **options) -> go.Figure:
    settings = {"asset": "bitcoin", "dark": False, "log": False, "moving_averages": ()}
    settings["max_points"] = options.pop("max_points", 2000)
    return _drawn(price_figure(data, *_window(data), **{**settings, **options}))


def _text(component) -> str:
    """The visible text of a component tree."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(t for t in (_text(c) for c in component) if t)
    return _text(getattr(component, "children", None))


def test_candles_are_one_per_utc_day_from_its_snapshots():
    data = frame(12)  # three days of four snapshots
    data["price"] = [10, 12, 9, 11, 11, 13, 10, 12, 12, 14, 11, 13]
    figure = _price(data, candles=True)
    (candles,) = figure.data
    assert candles.type == "candlestick"
    assert list(candles.x) == ["2026-01-01T00:00", "2026-01-02T00:00", "2026-01-03T00:00"]
    assert (list(candles.open), list(candles.high)) == ([10, 11, 12], [12, 13, 14])
    assert (list(candles.low), list(candles.close)) == ([9, 10, 11], [11, 12, 13])
    assert figure.layout.title.text == "Price (USD) · daily candles from 4 snapshots a day"
    assert figure.layout.xaxis.rangeslider.visible is False


def test_more_days_than_the_budget_keep_the_line_and_say_to_zoom_in():
    data = frame(40)  # ten days
    figure = _price(data, candles=True, max_points=5)
    assert [trace.type for trace in figure.data] == ["scatter"]
    assert figure.layout.title.text == "Price (USD) · candles show at most 5 days: zoom in"


def test_the_cycle_layer_marks_halvings_and_draws_the_200_day_and_week_averages():
    data = frame(1450, start="2022-01-01", freq="1D")
    data["price"] = np.arange(1450, dtype=float)  # a close of i on day i
    figure = _price(data, cycle_layer=True)
    _price_line, day_ma, week_ma = figure.data
    assert [day_ma.name, week_ma.name] == ["200-day MA", "200-week MA"]
    # Means of 0..199 on day 199 and of 1250..1449 on the last day; 0..1399 on day 1399.
    assert (day_ma.x[0], day_ma.y[0], day_ma.y[-1]) == ("2022-07-19T00:00", 99.5, 1349.5)
    assert (week_ma.x[0], week_ma.y[0], week_ma.y[-1]) == ("2025-10-31T00:00", 699.5, 749.5)
    (halving,) = figure.layout.shapes  # 2024-04-20 is the only halving in 2022-2025
    assert (halving.x0, halving.x1) == ("2024-04-20 00:00:00", "2024-04-20 00:00:00")
    (label,) = figure.layout.annotations
    assert label.text == "4th halving · 2024-04-20"
    assert "block 840,000" in label.hovertext


def test_the_cycle_layer_says_what_a_short_history_lacks():
    figure = _price(frame(40), asset="ethereum", cycle_layer=True)
    assert [trace.name for trace in figure.data] == ["Price"]
    (note,) = figure.layout.annotations
    assert note.text == (
        "200-day MA needs 200 daily closes (has 10)<br>"
        "200-week MA needs 1,400 daily closes (has 10)<br>"
        "No cycle events recorded for ethereum"
    )


def test_underwater_measures_from_the_window_peak_and_a_zoom_keeps_the_values():
    data = frame(5)
    data["price"] = [100.0, 120.0, 90.0, 120.0, 60.0]
    whole = _drawn(
        underwater_figure(data, _window(data), *_window(data), dark=False, max_points=50)
    )
    assert list(whole.data[0].y) == [0.0, 0.0, -25.0, 0.0, -50.0]
    zoomed = _drawn(
        underwater_figure(
            data, _window(data), data.index[2], data.index[4], dark=False, max_points=50
        )
    )
    assert list(zoomed.data[0].y) == [-25.0, 0.0, -50.0]  # still from the window's peak of 120


def test_too_short_a_history_is_said_in_words_on_the_chart():
    data = frame(20)  # five days: four daily returns
    volatility = _drawn(
        volatility_figure(data, *_window(data), name="Bitcoin", dark=False, max_points=50)
    )
    assert volatility.data == ()
    assert volatility.layout.annotations[0].text == (
        "Not enough history for Bitcoin: rolling<br>volatility needs 30 daily returns (has<br>4)."
    )
    mayer = _drawn(mayer_figure(data, *_window(data), name="Bitcoin", dark=True, max_points=50))
    assert "the Mayer multiple needs 200 daily closes (has 5)" in mayer.layout.annotations[
        0
    ].text.replace("<br>", " ")


def test_the_mayer_multiple_has_its_reference_lines():
    data = frame(210, freq="1D")
    data["price"] = 100.0  # every close at its 200-day mean: a multiple of 1
    figure = _drawn(mayer_figure(data, *_window(data), name="Bitcoin", dark=False, max_points=50))
    assert set(figure.data[0].y) == {1.0}
    assert len(figure.data[0].y) == 11  # days 199 to 209 have 200 closes behind them
    assert [shape.y0 for shape in figure.layout.shapes] == [1.0, 2.4]


def test_seasonality_is_a_month_by_year_grid_centred_on_zero():
    days = pd.date_range("2025-12-15", "2026-03-10", freq="1D", tz="UTC")
    data = frame(len(days), start="2025-12-15", freq="1D")
    month = days.month
    data["price"] = np.select([month == 12, month == 1, month == 2], [100.0, 110.0, 99.0], 99.0)
    (heatmap,) = _drawn(seasonality_figure(data, *_window(data), name="Bitcoin", dark=False)).data
    # December 2025, the first month, has no month before it: 2025 has no return and no row.
    assert list(heatmap.y) == ["2026"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert list(heatmap.x) == [*months, "Year"]
    jan, feb, mar, *later, year = heatmap.z[0]
    assert (jan, feb, mar, year) == pytest.approx((10.0, -10.0, 0.0, -1.0))
    assert later == [None] * 9
    assert (heatmap.zmid, heatmap.zmin, heatmap.zmax) == (
        0,
        pytest.approx(-10.0),
        pytest.approx(10.0),
    )
    assert heatmap.hovertemplate == "%{x} %{y}: %{z:+.2f}%<extra></extra>"


def _pair() -> dict[str, pd.DataFrame]:
    btc = frame(8)
    btc["price"] = [100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 200.0]
    eth = frame(6, start="2026-01-01 12:00")
    eth["price"] = [10.0, 12.0, 15.0, 16.0, 17.0, 30.0]
    eth["symbol"] = "ETH"
    return {"bitcoin": btc, "ethereum": eth}


def test_rebased_lines_start_at_100_at_each_asset_s_first_snapshot():
    frames = _pair()
    window = frames["bitcoin"].index[0], frames["bitcoin"].index[-1]
    figure = _drawn(rebased_figure(frames, window, *window, dark=False, log=True, max_points=50))
    btc, eth = figure.data
    assert btc.name == "BTC"
    assert list(btc.y) == pytest.approx([100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 200.0])
    assert eth.name == "ETH"
    assert list(eth.y) == pytest.approx([100.0, 120.0, 150.0, 160.0, 170.0, 300.0])
    assert figure.layout.yaxis.type == "log"
    assert figure.layout.shapes[0].y0 == 100


def test_the_ratio_pairs_snapshots_and_names_the_pair():
    frames = _pair()
    window = frames["bitcoin"].index[0], frames["bitcoin"].index[-1]
    figure = _drawn(
        ratio_figure(frames, ("ethereum", "bitcoin"), *window, dark=False, max_points=50)
    )
    assert figure.layout.title.text == "ETH/BTC price ratio"
    assert list(figure.data[0].y) == pytest.approx(
        [10 / 120, 12 / 130, 15 / 140, 16 / 150, 17 / 160, 30 / 200]
    )
    single = _drawn(ratio_figure(frames, None, *window, dark=False, max_points=50))
    assert single.layout.annotations[0].text == "Compare two assets to see their ratio."


def test_correlations_are_written_in_their_cells_and_a_thin_pair_says_so():
    closes = [100.0, 110.0, 99.0, 120.0, 90.0]
    frames = {}
    for asset, scale, days in (("bitcoin", 1.0, 5), ("ethereum", 20.0, 5), ("solana", 1.0, 2)):
        data = frame(days, freq="1D")
        data["price"] = [scale * c for c in closes[:days]]
        data["symbol"] = asset[:3].upper()
        frames[asset] = data
    first, last = frames["bitcoin"].index[0], frames["bitcoin"].index[-1]
    (heatmap,) = _drawn(correlation_figure(frames, first, last, dark=False)).data
    assert list(heatmap.x) == ["BIT", "ETH", "SOL"]
    assert list(heatmap.text[0][:2]) == ["1.00", "1.00"]  # proportional closes: identical returns
    assert heatmap.text[0][2] == "too few common days"  # one return in common
    lone = _drawn(correlation_figure({"bitcoin": frames["bitcoin"]}, first, last, dark=False))
    assert lone.layout.annotations[0].text == "Compare two or more assets to see<br>correlations."


def test_the_drawdown_panels_read_as_an_analyst_writes_them():
    data = frame(6, freq="1D")
    data["price"] = [100.0, 150.0, 75.0, 150.0, 160.0, 120.0]
    table = panels.drawdown_table(deepest_drawdowns(data, *_window(data)))
    header, body = table.children
    assert _text(header) == "Peak Trough Depth Recovered Days"
    assert [_text(row) for row in body.children] == [
        "2026-01-02 2026-01-03 \N{MINUS SIGN}50.00% 2026-01-04 2",
        "2026-01-05 2026-01-06 \N{MINUS SIGN}25.00% not recovered 1",
    ]
    cells = panels.ath_cells(all_time_high(data), "Bitcoin")
    assert _text(cells) == (
        "All-time high i $160.00 2026-01-05 00:00 UTC Below the high \N{MINUS SIGN}25.00% "
        "Days since the high 1"
    )


def test_the_risk_panel_states_the_risk_free_rate_and_what_a_short_range_lacks():
    data = frame(3)  # one day: no daily return
    text = _text(panels.risk_panel(risk_summary(data, *_window(data)), "Bitcoin"))
    assert (
        "Not enough history for Bitcoin in this range: volatility, Sharpe and Sortino need at "
        "least 2 daily returns (it has 0)."
    ) in text
    assert "Sharpe and Sortino use a risk-free rate of 0." in text
    assert "CAGR i — needs 365 days" in text

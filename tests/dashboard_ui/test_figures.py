"""Figures: the window pinned on every chart, thinned, drawn as SVG."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures, plotting
from dashboard.figures_price import price_figure
from tests.dashboard_ui.frames import frame


def _drawn(figure: dict) -> go.Figure:
    """The figure as plotly reads it (validated), to look at what the browser will draw."""
    return go.Figure(figure)


def _window(data: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    return data.index[0], data.index[-1]


def _price(data: pd.DataFrame, start, end, **options) -> go.Figure:
    """The price chart of bitcoin with `options` (light, linear, no averages by default)."""
    settings = {"asset": "bitcoin", "dark": False, "log": False, "moving_averages": ()}
    return _drawn(price_figure(data, start, end, **{**settings, **options}))


def test_small_range_keeps_every_point_as_svg_and_pins_the_window():
    data = frame(100)
    start, end = data.index[10], data.index[-1]
    fig = _price(data, start, end, max_points=2000)
    trace = fig.data[0]
    assert trace.type == "scatter"
    assert len(trace.x) == 90
    assert list(fig.layout.xaxis.range) == ["2026-01-03 12:00:00", "2026-01-25 18:00:00"]
    assert fig.layout.hovermode == "x unified"
    # $68,891.88 in the hover; the ticks' digits are plotly's to choose ($68,000, $0.9995).
    assert (fig.layout.yaxis.tickprefix, fig.layout.yaxis.hoverformat) == ("$", ",.2f")
    assert fig.layout.yaxis.tickformat is None


def test_a_flat_line_gets_a_range_of_one_percent_either_way():
    """plotly pads a flat line by one unit: around 120 million coins the ticks would read
    120.399999M, 120.3999995M, …"""
    data = frame(10, max_supply=None)
    data["circulating_supply"] = 120_000_000.0
    supply = _drawn(
        figures.supply_figure(data, *_window(data), dark=False, max_points=2000, symbol="ETH")
    )
    assert list(supply.layout.yaxis.range) == [118_800_000.0, 121_200_000.0]
    assert supply.layout.yaxis.hoverformat == ",d"  # 120,000,000 ETH
    assert supply.layout.yaxis.ticksuffix == " ETH"
    rising = _price(frame(10), *_window(frame(10)), max_points=2000)
    assert rising.layout.yaxis.range is None  # plotly's own autorange
    data["price"] = 0.0  # nothing to take a percent of: plotly's ±1 stays
    assert _price(data, *_window(data), max_points=2000).layout.yaxis.range is None


def test_large_range_is_downsampled_to_svg_with_extremes_kept():
    data = frame(5000)
    data.iloc[1234, data.columns.get_loc("price")] = 99_999.0  # an all-time high
    data.iloc[3210, data.columns.get_loc("price")] = 12_345.0  # and a crash
    start, end = _window(data)
    fig = _price(data, start, end, dark=True, log=True, moving_averages=(7, 30), max_points=500)
    price, ma7, ma30 = fig.data
    # 500 points are cheaper as SVG than as a WebGL context per chart.
    assert [price.type, ma7.type, ma30.type] == ["scatter", "scatter", "scatter"]
    assert len(price.x) <= 500
    assert max(price.y) == 99_999.0
    assert min(price.y) == 12_345.0
    assert [ma7.name, ma30.name] == ["MA7", "MA30"]
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis.tickformat == ",~r"  # every tick in full: $20,000, not a bare "2"
    assert fig.layout.template.layout.paper_bgcolor == "rgb(17,17,17)"  # plotly_dark


def test_moving_average_uses_history_before_the_window():
    data = frame(400, freq="1D")
    start, end = data.index[200], data.index[-1]
    fig = _price(data, start, end, moving_averages=(30,), max_points=2000)
    ma = fig.data[1]
    expected = data["price"].rolling("30D").mean().loc[start]
    assert ma.y[0] == expected


def test_supply_draws_max_supply_dashed_only_when_capped():
    capped = _drawn(
        figures.supply_figure(
            frame(10), *_window(frame(10)), dark=False, max_points=2000, symbol="BTC"
        )
    )
    assert [t.name for t in capped.data] == ["Circulating", "Max supply"]
    cap = capped.data[1]
    assert cap.line.dash == "dash"
    # The constant cap is one straight line across the whole window, not a point per snapshot.
    assert list(cap.y) == [21e6, 21e6]
    assert list(cap.x) == ["2026-01-01T00:00", "2026-01-03T06:00"]
    assert list(capped.layout.xaxis.range) == ["2026-01-01 00:00:00", "2026-01-03 06:00:00"]
    uncapped_data = frame(10, max_supply=None)
    uncapped = _drawn(
        figures.supply_figure(
            uncapped_data, *_window(uncapped_data), dark=False, max_points=2000, symbol="ETH"
        )
    )
    assert [t.name for t in uncapped.data] == ["Circulating"]


def test_volume_and_market_cap_axes_read_in_billions():
    data = frame(20)
    volume = _drawn(figures.volume_figure(data, *_window(data), dark=False, max_points=2000))
    assert volume.data[0].type == "bar"
    assert volume.layout.yaxis.exponentformat == "B"
    assert volume.layout.yaxis.tickprefix == "$"


def test_third_width_charts_keep_spikes_on_a_third_of_the_budget():
    data = frame(5000)  # 1,250 days of 6-hourly snapshots
    # A panic-selling day: its last reading (18:00, row 2,347) is the day's bar.
    data.iloc[2347, data.columns.get_loc("volume_24h")] = 9e11
    budget = figures.small_chart_points(2000)
    assert budget == 666
    volume = _drawn(figures.volume_figure(data, *_window(data), dark=False, max_points=budget))
    assert len(volume.data[0].y) <= budget
    assert max(volume.data[0].y) == 9e11


def test_volume_is_one_bar_per_day_the_day_s_last_reading():
    data = frame(10)  # 2026-01-01 00:00 to 2026-01-03 06:00, four snapshots a day
    data["volume_24h"] = [1e9, 2e9, 3e9, 4e9, 5e9, 6e9, 7e9, 8e9, 9e9, 1e10]
    volume = _drawn(figures.volume_figure(data, *_window(data), dark=False, max_points=2000))
    bars = volume.data[0]
    assert list(bars.x) == ["2026-01-01T00:00", "2026-01-02T00:00", "2026-01-03T00:00"]
    assert list(bars.y) == [4e9, 8e9, 1e10]  # 18:00, 18:00, and 06:00 on the last day
    assert bars.name == "Volume (the day's last 24h reading)"
    assert (bars.xperiod, bars.xperiodalignment) == (86_400_000, "middle")


def test_more_days_than_the_budget_draw_daily_volume_as_a_filled_line():
    data = frame(40)  # ten days
    data.iloc[23, data.columns.get_loc("volume_24h")] = 9e11  # 2026-01-06 18:00: its last
    volume = _drawn(figures.volume_figure(data, *_window(data), dark=False, max_points=5))
    (area,) = volume.data
    assert (area.type, area.fill) == ("scatter", "tozeroy")
    assert len(area.y) <= 5
    assert max(area.y) == 9e11


def test_a_single_point_is_drawn_as_a_dot_of_the_line_s_colour():
    one = pd.Series([52.5], index=pd.DatetimeIndex(["2026-01-01"], tz="UTC"))
    dot = plotting.line(one, "Drawdown", line={"width": 1.5, "color": "#c0392b"})
    assert (dot["mode"], dot["marker"]) == ("markers", {"size": 8, "color": "#c0392b"})
    assert plotting.line(one, "Volatility")["marker"] == {"size": 8}
    two = pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2026-01-01", "2026-01-02"], tz="UTC"))
    assert plotting.line(two, "Price")["mode"] == "lines"

"""Figures: the window pinned on every chart, thinned, drawn as SVG."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import figures
from tests.dashboard_ui.frames import frame


def _drawn(figure: dict) -> go.Figure:
    """The figure as plotly reads it (validated), to look at what the browser will draw."""
    return go.Figure(figure)


def _window(data: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    return data.index[0], data.index[-1]


def test_small_range_keeps_every_point_as_svg_and_pins_the_window():
    data = frame(100)
    start, end = data.index[10], data.index[-1]
    fig = _drawn(
        figures.price_figure(
            data, start, end, dark=False, log=False, moving_averages=(), max_points=2000
        )
    )
    trace = fig.data[0]
    assert trace.type == "scatter"
    assert len(trace.x) == 90
    assert list(fig.layout.xaxis.range) == [figures.axis_time(start), figures.axis_time(end)]
    assert fig.layout.hovermode == "x unified"
    assert fig.layout.yaxis.hoverformat == "$,.2f"  # $68,891.88
    assert fig.layout.yaxis.tickformat == "$,.2~f"  # $68,000


def test_large_range_is_downsampled_to_svg_with_extremes_kept():
    data = frame(5000)
    data.iloc[1234, data.columns.get_loc("price")] = 99_999.0  # an all-time high
    data.iloc[3210, data.columns.get_loc("price")] = 12_345.0  # and a crash
    start, end = _window(data)
    fig = _drawn(
        figures.price_figure(
            data, start, end, dark=True, log=True, moving_averages=(7, 30), max_points=500
        )
    )
    price, ma7, ma30 = fig.data
    # 500 points are cheaper as SVG than as a WebGL context per chart.
    assert [price.type, ma7.type, ma30.type] == ["scatter", "scatter", "scatter"]
    assert len(price.x) <= 500
    assert max(price.y) == 99_999.0
    assert min(price.y) == 12_345.0
    assert [ma7.name, ma30.name] == ["MA7", "MA30"]
    assert fig.layout.yaxis.type == "log"
    assert (
        fig.layout.template.layout.paper_bgcolor
        == figures.template(True)["layout"]["paper_bgcolor"]
    )


def test_moving_average_uses_history_before_the_window():
    data = frame(400, freq="1D")
    start, end = data.index[200], data.index[-1]
    fig = _drawn(
        figures.price_figure(
            data, start, end, dark=False, log=False, moving_averages=(30,), max_points=2000
        )
    )
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
    assert [pd.Timestamp(x) for x in cap.x] == [pd.Timestamp(x) for x in capped.layout.xaxis.range]
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
    data = frame(5000)
    data.iloc[2345, data.columns.get_loc("volume_24h")] = 9e11  # a panic-selling day
    budget = figures.small_chart_points(2000)
    assert budget == 666
    volume = _drawn(figures.volume_figure(data, *_window(data), dark=False, max_points=budget))
    assert len(volume.data[0].y) <= budget
    assert max(volume.data[0].y) == 9e11

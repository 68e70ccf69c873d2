"""Plotly figures for one asset over one time window.

Each figure holds only the window's points (downsampled with MinMaxLTTB when there are more
than a chart can show, then drawn with WebGL) and pins its x-range to the window, so every
chart opens on exactly the same span and the zoom-sync callback only has to move ranges.

Figures are returned as plain dicts with each theme's template built once: handing plotly a
template (by name or as an object) deep-copies and re-validates all of it, ~20 ms per figure,
which was most of a render's and of every `/_dash-layout`'s server time.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import formatting
from dashboard.config import MIN_MAX_POINTS
from dashboard.downsample import downsample
from dashboard.windows import between

LIGHT_TEMPLATE = "plotly_white"
DARK_TEMPLATE = "plotly_dark"
CHART_HEIGHT = 340
X_HOVER_FORMAT = formatting.UTC_FORMAT
MA_COLORS = {7: "#f39c12", 30: "#8e44ad"}
TRANSPARENT = "rgba(0,0,0,0)"
PRICE_TITLE = "Price (USD)"
VOLUME_TITLE = "24h volume (USD)"
MARKET_CAP_TITLE = "Market cap (USD)"
SUPPLY_TITLE = "Supply"
# Volume, market cap and supply sit three to a row on a wide screen: a third of the price
# chart's width, so a third of its point budget still gives more points than pixels.
SMALL_CHART_SHARE = 3


def small_chart_points(max_points: int) -> int:
    """The point budget of the third-width charts (extremes are kept at any budget)."""
    return max(MIN_MAX_POINTS, max_points // SMALL_CHART_SHARE)


def template_name(dark: bool) -> str:
    return DARK_TEMPLATE if dark else LIGHT_TEMPLATE


@functools.cache
def template(dark: bool) -> dict:
    """The theme's full template as JSON, built once per process; shared by every figure
    (and the Patch that switches theme in place), so nothing may modify it."""
    return pio.templates[template_name(dark)].to_plotly_json()


def axis_time(ts: pd.Timestamp) -> str:
    """A UTC instant as the naive date string plotly.js expects (it ignores offsets)."""
    return pd.Timestamp(ts).tz_convert("UTC").tz_localize(None).isoformat(sep=" ")


def _times(index: pd.Index) -> list[str]:
    """UTC times as the short naive strings plotly.js reads on a date axis (it ignores
    offsets, and typed-array numbers are not converted as dates); minutes are all we store."""
    return pd.DatetimeIndex(index).tz_convert("UTC").strftime("%Y-%m-%d %H:%M").tolist()


def _points(series: pd.Series, max_points: int) -> tuple[pd.Series, bool]:
    """The series to draw and whether it was thinned (then WebGL keeps panning smooth)."""
    series = series.dropna()
    return downsample(series, max_points), len(series) > max_points


def _line(series: pd.Series, name: str, webgl: bool, **style: object) -> go.Scatter:
    trace = go.Scattergl if webgl else go.Scatter
    return trace(x=_times(series.index), y=series.to_numpy(), name=name, mode="lines", **style)


def _figure(
    traces: list,
    *,
    title: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    dark: bool,
    y_format: str,
    y_suffix: str = "",
    log: bool = False,
    tick_format: str | None = None,
) -> dict[str, Any]:
    if y_format == formatting.D3_USD_COMPACT:
        # d3's SI prefixes write billions as "G"; plotly's exponentformat "B" writes "B" on the
        # ticks and, with no hoverformat, in the hover label too ($45.2B).
        y_axis = {"tickprefix": "$", "exponentformat": formatting.AXIS_EXPONENT_FORMAT}
    else:
        y_axis = {"tickformat": tick_format or y_format, "hoverformat": y_format}
    layout = {
        "template": template(dark),
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "hovermode": "x unified",
        "height": CHART_HEIGHT,
        "autosize": True,
        "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "showlegend": len(traces) > 1,
        # Under the x-axis: inside the plot it covered the lines, above it the mode bar.
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.2,
            "yanchor": "top",
            "bgcolor": TRANSPARENT,
        },
        "xaxis": {
            "type": "date",
            "range": [axis_time(start), axis_time(end)],
            "hoverformat": X_HOVER_FORMAT,
        },
        "yaxis": {
            **y_axis,
            "ticksuffix": y_suffix,
            "type": "log" if log else "linear",
            "automargin": True,
        },
    }
    return {"data": [trace.to_plotly_json() for trace in traces], "layout": layout}


def price_figure(
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    log: bool,
    moving_averages: tuple[int, ...],
    max_points: int,
) -> dict[str, Any]:
    """Price line plus optional N-day moving averages."""
    return _figure(
        price_traces(frame, start, end, moving_averages=moving_averages, max_points=max_points),
        title=PRICE_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_format=formatting.D3_USD,
        tick_format=formatting.D3_USD_TICK,
        log=log,
    )


def price_traces(
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    moving_averages: tuple[int, ...],
    max_points: int,
) -> list[go.Scatter]:
    """The price line and its N-day moving averages (computed on the full history, on a
    time window, so the first days of a short range still average real days)."""
    prices = frame["price"].dropna()
    series, webgl = _points(between(frame["price"], start, end), max_points)
    traces = [_line(series, "Price", webgl, line={"width": 2})]
    for days in moving_averages:
        average = prices.rolling(f"{days}D").mean()
        ma_series, ma_webgl = _points(between(average, start, end), max_points)
        style = {"line": {"width": 1.5, "color": MA_COLORS.get(days)}}
        traces.append(_line(ma_series, f"MA{days}", ma_webgl, **style))
    return traces


def volume_figure(
    frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, dark: bool, max_points: int
) -> dict[str, Any]:
    series, _ = _points(between(frame["volume_24h"], start, end), max_points)
    # No outline: with hundreds of bars the template's white edges would hide the bars.
    bars = go.Bar(
        x=_times(series.index), y=series.to_numpy(), name="24h volume", marker_line_width=0
    )
    return _figure(
        [bars],
        title=VOLUME_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_format=formatting.D3_USD_COMPACT,
    )


def market_cap_figure(
    frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, dark: bool, max_points: int
) -> dict[str, Any]:
    series, webgl = _points(between(frame["market_cap"], start, end), max_points)
    line = _line(series, "Market cap", webgl, fill="tozeroy", line={"width": 1.5})
    return _figure(
        [line],
        title=MARKET_CAP_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_format=formatting.D3_USD_COMPACT,
    )


def supply_figure(
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    max_points: int,
    symbol: str,
) -> dict[str, Any]:
    """Circulating supply, with max supply as a dashed line when the asset has a cap."""
    window = between(frame, start, end)
    series, webgl = _points(window["circulating_supply"], max_points)
    traces = [_line(series, "Circulating", webgl, line={"width": 2})]
    caps = window["max_supply"].dropna()
    if not caps.empty:
        # A cap is a constant: two points across the window draw it for ~100 bytes instead of
        # a trace as long as the circulating one (a cap that did change keeps its steps).
        if caps.nunique() == 1:
            cap = pd.Series(caps.iloc[-1], index=pd.DatetimeIndex([start, end]))
        else:
            cap = _points(caps, max_points)[0]
        traces.append(_line(cap, "Max supply", webgl, line={"width": 1.5, "dash": "dash"}))
    return _figure(
        traces,
        title=f"{SUPPLY_TITLE} ({symbol})" if symbol else SUPPLY_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_format=formatting.D3_SUPPLY,
        y_suffix=f" {symbol}" if symbol else "",
    )


def empty_figure(title: str, *, dark: bool) -> dict[str, Any]:
    """A blank chart of the normal size, so the page does not jump while data is missing."""
    layout = {
        "template": template(dark),
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}},
        "height": CHART_HEIGHT,
        "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    }
    return {"data": [], "layout": layout}

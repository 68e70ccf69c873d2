"""Plotly figures for one asset over one time window.

Each figure holds only the window's points (downsampled with MinMaxLTTB when there are more
than a chart can show) and pins its x-range to the window, so every chart opens on exactly the
same span; a zoom draws the same figures over the zoomed range. Lines are SVG `scatter`
traces: at the point budget (at most config.MAX_MAX_POINTS) SVG draws and hovers faster
than WebGL, which pays for a GL context per chart (in software where there is no GPU), and
the page's plotly.js bundle has no WebGL traces.

Figures are returned as plain dicts with each theme's template built once: handing plotly a
template (by name or as an object) deep-copies and re-validates all of it, ~20 ms per figure,
which was most of a render's and of every `/_dash-layout`'s server time. Traces are plain dicts
too: plotly's validators walk every point (~10 ms per 2,000-point trace); the tests hand each
figure to `go.Figure` to check what the browser will be given.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
import plotly.io as pio

from dashboard import formatting
from dashboard.averages import trailing_mean
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
    offsets, and typed-array numbers are not converted as dates); minutes are all we store.
    numpy writes them ten times faster than strftime."""
    naive = pd.DatetimeIndex(index).tz_convert("UTC").tz_localize(None).to_numpy()
    return np.datetime_as_string(naive, unit="m").tolist()


def _line(series: pd.Series, name: str, **style: object) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": _times(series.index),
        "y": series.to_numpy(),
        "name": name,
        "mode": "lines",
        **style,
    }


def _figure(
    traces: list[dict[str, Any]],
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
    return {"data": traces, "layout": layout}


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
) -> list[dict[str, Any]]:
    """The price line and its N-day moving averages, drawn at the price line's points and
    averaging the days before them, so the first days of a short range average real days."""
    series = downsample(between(frame["price"], start, end), max_points)
    traces = [_line(series, "Price", line={"width": 2})]
    for days in moving_averages:
        average = trailing_mean(frame["price"], days, series.index)
        style = {"line": {"width": 1.5, "color": MA_COLORS.get(days)}}
        traces.append(_line(average, f"MA{days}", **style))
    return traces


def volume_figure(
    frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, dark: bool, max_points: int
) -> dict[str, Any]:
    series = downsample(between(frame["volume_24h"], start, end), max_points)
    # No outline: with hundreds of bars the template's white edges would hide the bars.
    bars = {
        "type": "bar",
        "x": _times(series.index),
        "y": series.to_numpy(),
        "name": "24h volume",
        "marker": {"line": {"width": 0}},
    }
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
    series = downsample(between(frame["market_cap"], start, end), max_points)
    line = _line(series, "Market cap", fill="tozeroy", line={"width": 1.5})
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
    series = downsample(window["circulating_supply"], max_points)
    traces = [_line(series, "Circulating", line={"width": 2})]
    caps = window["max_supply"].dropna()
    if not caps.empty:
        # A cap is a constant: two points across the window draw it for ~100 bytes instead of
        # a trace as long as the circulating one (a cap that did change keeps its steps).
        if caps.min() == caps.max():
            cap = pd.Series(caps.iloc[-1], index=pd.DatetimeIndex([start, end]))
        else:
            cap = downsample(caps, max_points)
        traces.append(_line(cap, "Max supply", line={"width": 1.5, "dash": "dash"}))
    return _figure(
        traces,
        title=f"{SUPPLY_TITLE} ({symbol})" if symbol else SUPPLY_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_format=formatting.D3_SUPPLY,
        y_suffix=f" {symbol}" if symbol else "",
    )


def placeholder_figure() -> dict[str, Any]:
    """A blank chart of the normal size, so the page does not jump before the figure comes.
    No template or title: it is in every layout, and the real figure follows at once."""
    layout = {
        "height": CHART_HEIGHT,
        "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    }
    return {"data": [], "layout": layout}

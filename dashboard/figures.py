"""The overview's small charts for one asset over one time window: daily volume, market cap
and supply (the price chart is dashboard/figures_price.py's).

Each figure holds only the window's points (downsampled with MinMaxLTTB when there are more
than a chart can show) and pins its x-range to the window, so every chart opens on exactly the
same span; a zoom draws the same figures over the zoomed range.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard import formatting
from dashboard.analytics.daily import daily
from dashboard.config import MIN_MAX_POINTS
from dashboard.downsample import downsample
from dashboard.plotting import DAILY, DAY_HOVER_FORMAT, line, time_figure, times, value_axis
from dashboard.windows import between

VOLUME_TITLE = "Daily volume (USD)"
VOLUME_NAME = "Volume (the day's last 24h reading)"
MARKET_CAP_TITLE = "Market cap (USD)"
SUPPLY_TITLE = "Supply"
# Volume, market cap and supply sit three to a row on a wide screen: a third of the price
# chart's width, so a third of its point budget still gives more points than pixels.
SMALL_CHART_SHARE = 3
# $1.36T, $45.2B on the ticks and in the hover.
USD_COMPACT_AXIS = value_axis(prefix="$", compact=True)


def small_chart_points(max_points: int) -> int:
    """The point budget of the third-width charts (extremes are kept at any budget)."""
    return max(MIN_MAX_POINTS, max_points // SMALL_CHART_SHARE)


def volume_figure(
    frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, dark: bool, max_points: int
) -> dict[str, Any]:
    """One bar per UTC day: the day's last `volume_24h` reading. CoinMarketCap's volume is a
    rolling 24-hour total, so the four readings of a day overlap and a bar for each would
    draw a misleading barcode. A range of more days than `max_points` gets the same daily
    values as a filled line, thinned with its spikes kept (thinned bars would leave gaps)."""
    days = daily(frame, start, end)["volume_24h"].dropna()
    if len(days) <= max_points:
        # No outline: with hundreds of bars the template's white edges would hide the bars.
        trace = {
            "type": "bar",
            "x": times(days.index),
            "y": days.to_numpy(),
            "name": VOLUME_NAME,
            "marker": {"line": {"width": 0}},
            **DAILY,
        }
    else:
        thinned = downsample(days, max_points)
        trace = line(
            thinned, VOLUME_NAME, fill="tozeroy", line={"width": 1}, xhoverformat=DAY_HOVER_FORMAT
        )
    figure = time_figure(
        [trace],
        title=VOLUME_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_axis=USD_COMPACT_AXIS,
    )
    figure["layout"]["showlegend"] = False
    return figure


def market_cap_figure(
    frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, dark: bool, max_points: int
) -> dict[str, Any]:
    series = downsample(between(frame["market_cap"], start, end), max_points)
    trace = line(series, "Market cap", fill="tozeroy", line={"width": 1.5})
    return time_figure(
        [trace],
        title=MARKET_CAP_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_axis=USD_COMPACT_AXIS,
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
    traces = [line(series, "Circulating", line={"width": 2})]
    caps = window["max_supply"].dropna()
    if not caps.empty:
        # A cap is a constant: two points across the window draw it for ~100 bytes instead of
        # a trace as long as the circulating one (a cap that did change keeps its steps).
        if caps.min() == caps.max():
            cap = pd.Series(caps.iloc[-1], index=pd.DatetimeIndex([start, end]))
        else:
            cap = downsample(caps, max_points)
        traces.append(line(cap, "Max supply", line={"width": 1.5, "dash": "dash"}))
    return time_figure(
        traces,
        title=f"{SUPPLY_TITLE} ({symbol})" if symbol else SUPPLY_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_axis=value_axis(formatting.D3_COUNT, suffix=f" {symbol}" if symbol else "", compact=True),
    )

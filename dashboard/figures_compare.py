"""The compare page's charts: every asset rebased to 100 on one chart, the price ratio of two
of them, and the correlation matrix of their daily log returns (dashboard/analytics/compare.py
computes all three; these only draw them).

The rebased lines share the point budget (each gets its share, extremes kept), so the page
sends about as much as the overview's price chart whatever the number of assets. A zoom keeps
the window's base: the values are rebased at the window's first snapshot, then drawn over the
zoomed range.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dashboard.analytics import compare
from dashboard.config import MIN_MAX_POINTS
from dashboard.downsample import downsample
from dashboard.figures_analysis import DIVERGING
from dashboard.plotting import (
    CHART_HEIGHT,
    base_layout,
    level_line,
    line,
    message_figure,
    time_figure,
    value_axis,
)
from dashboard.windows import between

# Short enough for a phone (plotly does not wrap titles); the Definitions panel says more.
REBASED_TITLE = "Rebased to 100 at the start of the range"
RATIO_TITLE = "Price ratio"
CORRELATION_TITLE = "Correlation of daily returns"


def label(frame: pd.DataFrame, asset: str) -> str:
    """An asset's ticker as stored (BTC), or its slug when it has none."""
    if "symbol" in frame and not frame.empty:
        symbol = frame["symbol"].iloc[-1]
        if isinstance(symbol, str) and symbol:
            return symbol
    return asset


def rebased_figure(
    frames: Mapping[str, pd.DataFrame],
    window: tuple[pd.Timestamp, pd.Timestamp],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    log: bool,
    max_points: int,
) -> dict[str, Any]:
    """Each asset's price over [start, end], rebased to 100 at its first snapshot in the
    window; a dashed line marks 100."""
    share = max(MIN_MAX_POINTS, max_points // max(1, len(frames)))
    traces = []
    for asset, series in compare.rebased(frames, *window).items():
        drawn = downsample(between(series, start, end), share)
        traces.append(line(drawn, label(frames[asset], asset), line={"width": 1.5}))
    figure = time_figure(
        traces,
        title=REBASED_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_axis=value_axis(",.1f"),
        log=log,
        shapes=[level_line(100)],
    )
    figure["layout"]["showlegend"] = True
    return figure


def ratio_figure(
    frames: Mapping[str, pd.DataFrame],
    pair: tuple[str, str] | None,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    max_points: int,
) -> dict[str, Any]:
    """The price of `pair`'s first asset in units of the second, over [start, end]."""
    if pair is None:
        return message_figure(RATIO_TITLE, "Compare two assets to see their ratio.", dark=dark)
    top, bottom = pair
    name = f"{label(frames[top], top)}/{label(frames[bottom], bottom)}"
    values = compare.ratio(frames[top], frames[bottom], start, end)
    if values.empty:
        return message_figure(
            f"{name} {RATIO_TITLE.lower()}",
            f"No snapshots of {top} and {bottom} close enough in time in this range "
            f"(at most {compare.RATIO_TOLERANCE // pd.Timedelta(minutes=1)} minutes apart).",
            dark=dark,
        )
    trace = line(downsample(values, max_points), name, line={"width": 1.5})
    return time_figure(
        [trace],
        title=f"{name} {RATIO_TITLE.lower()}",
        start=start,
        end=end,
        dark=dark,
        y_axis=value_axis(".6~g"),
    )


def correlation_figure(
    frames: Mapping[str, pd.DataFrame],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
) -> dict[str, Any]:
    """The assets x assets matrix of daily-return correlations over [start, end], the value
    written in each cell; a pair with too few common days is left blank and says so."""
    if len(frames) < 2:
        return message_figure(
            CORRELATION_TITLE, "Compare two or more assets to see correlations.", dark=dark
        )
    matrix = compare.return_correlation(frames, start, end)
    names = [label(frames[asset], asset) for asset in matrix.columns]
    values = matrix.to_numpy(dtype="float64")
    text = [["too few common days" if np.isnan(v) else f"{v:.2f}" for v in row] for row in values]
    heatmap = {
        "type": "heatmap",
        "x": names,
        "y": names,
        "z": [[None if np.isnan(v) else float(v) for v in row] for row in values],
        "text": text,
        "texttemplate": "%{text}",
        "zmin": -1,
        "zmax": 1,
        "zmid": 0,
        "colorscale": DIVERGING,
        "xgap": 1,
        "ygap": 1,
        "hovertemplate": "%{y} vs %{x}: %{text}<extra></extra>",
        "colorbar": {"thickness": 12},
    }
    side = max(CHART_HEIGHT * 2 // 3, 120 + 60 * len(names))
    layout = base_layout(
        dark,
        CORRELATION_TITLE,
        height=min(side, CHART_HEIGHT + 120),
        xaxis={"type": "category", "fixedrange": True},
        yaxis={"type": "category", "autorange": "reversed", "fixedrange": True},
    )
    return {"data": [heatmap], "layout": layout}

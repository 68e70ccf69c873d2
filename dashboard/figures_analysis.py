"""The analysis page's charts: underwater (drawdown from the running peak), rolling 30-day
volatility, the Mayer multiple with its reference lines, and the month x year heatmap of
monthly returns. Each only presents what dashboard/analytics computes; where the history is
too short for a chart, the chart says so in words.

Time charts take the view's window and the range to draw (the window, or a zoom inside it):
the drawdown's running peak starts at the window's first snapshot whatever is drawn, so a zoom
shows the same values in more detail.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard.analytics import cycles, risk
from dashboard.analytics.daily import daily_closes
from dashboard.analytics.drawdowns import drawdown
from dashboard.analytics.seasonality import SEASONALITY_COLUMNS, monthly_returns
from dashboard.downsample import downsample
from dashboard.plotting import (
    CHART_HEIGHT,
    DAILY,
    base_layout,
    level_line,
    line,
    message_figure,
    time_figure,
    value_axis,
)
from dashboard.windows import between

UNDERWATER_TITLE = "Drawdown from the running peak (%)"
VOLATILITY_TITLE = f"Rolling {risk.ROLLING_RETURNS}-day volatility (annualized, %)"
MAYER_TITLE = "Mayer multiple (price ÷ 200-day MA)"
SEASONALITY_TITLE = "Monthly returns (%)"
DOWN_COLOR = "#c0392b"
PERCENT_AXIS = value_axis(".2f", suffix="%")
# Red for losses, blue for gains (readable with red-green colour blindness), white at 0.
DIVERGING = [
    [0.0, "#b2182b"],
    [0.25, "#ef8a62"],
    [0.5, "#f7f7f7"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
# What the Mayer multiple's reference lines mark (dashboard/analytics/definitions.py).
MAYER_LEVEL_NAMES = {1.0: "at the 200-day MA", 2.4: "historically stretched"}
HEATMAP_ROW_PX = 28
HEATMAP_MARGIN_PX = 110


def underwater_figure(
    frame: pd.DataFrame,
    window: tuple[pd.Timestamp, pd.Timestamp],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    max_points: int,
) -> dict[str, Any]:
    """Drawdown (≤ 0 %) on every snapshot of the window, drawn over [start, end]."""
    below = between(drawdown(frame, *window), start, end)
    series = downsample(below, max_points)
    trace = line(series, "Drawdown", fill="tozeroy", line={"width": 1.5, "color": DOWN_COLOR})
    return time_figure(
        [trace], title=UNDERWATER_TITLE, start=start, end=end, dark=dark, y_axis=PERCENT_AXIS
    )


def volatility_figure(
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    name: str,
    dark: bool,
    max_points: int,
) -> dict[str, Any]:
    """Annualized volatility of the last 30 daily returns, for each day in [start, end]."""
    volatility = risk.rolling_volatility(frame, start, end)
    if volatility.empty:
        returns = max(0, len(daily_closes(frame, None, end)) - 1)
        return message_figure(
            VOLATILITY_TITLE,
            f"Not enough history for {name}: rolling volatility needs "
            f"{risk.ROLLING_RETURNS} daily returns (has {returns}).",
            dark=dark,
        )
    trace = line(downsample(volatility, max_points), "Volatility", line={"width": 1.5}, **DAILY)
    return time_figure(
        [trace], title=VOLATILITY_TITLE, start=start, end=end, dark=dark, y_axis=PERCENT_AXIS
    )


def mayer_figure(
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    name: str,
    dark: bool,
    max_points: int,
) -> dict[str, Any]:
    """The Mayer multiple for each day in [start, end], with its 1.0 and 2.4 lines."""
    multiple = cycles.mayer_multiple(frame, start, end)
    if multiple.empty:
        return message_figure(MAYER_TITLE, mayer_shortfall(frame, end, name), dark=dark)
    trace = line(downsample(multiple, max_points), "Mayer multiple", line={"width": 1.5}, **DAILY)
    top = max(cycles.MAYER_REFERENCE_LEVELS)
    levels = [
        level_line(level, f"{level:.1f} · {MAYER_LEVEL_NAMES[level]}", below=level == top)
        for level in cycles.MAYER_REFERENCE_LEVELS
    ]
    return time_figure(
        [trace],
        title=MAYER_TITLE,
        start=start,
        end=end,
        dark=dark,
        y_axis=value_axis(".2f"),
        shapes=levels,
    )


def mayer_shortfall(frame: pd.DataFrame, end: pd.Timestamp | None, name: str) -> str:
    closes = len(daily_closes(frame, None, end))
    return (
        f"Not enough history for {name}: the Mayer multiple needs "
        f"{cycles.MA_200_DAY_CLOSES} daily closes (has {closes})."
    )


def seasonality_figure(
    frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, name: str, dark: bool
) -> dict[str, Any]:
    """Monthly returns of [start, end] as a month x year heatmap with a yearly column,
    coloured on a scale centred on 0; each cell's value on hover."""
    table = monthly_returns(frame, start, end)
    if not table.notna().any().any():
        return message_figure(
            SEASONALITY_TITLE,
            f"Not enough history for {name} in this range: a monthly return needs the last "
            "daily close of the month before.",
            dark=dark,
        )
    values = table.to_numpy(dtype="float64")
    months = values[:, :-1]
    scale = np.nanmax(np.abs(months)) if np.isfinite(months).any() else np.nanmax(np.abs(values))
    heatmap = {
        "type": "heatmap",
        "x": list(SEASONALITY_COLUMNS),
        "y": [str(year) for year in table.index],
        "z": [[None if np.isnan(v) else float(v) for v in row] for row in values],
        "zmid": 0,
        "zmin": -scale,
        "zmax": scale,
        "colorscale": DIVERGING,
        "xgap": 1,
        "ygap": 1,
        "hoverongaps": False,
        "hovertemplate": "%{x} %{y}: %{z:+.2f}%<extra></extra>",
        "colorbar": {"ticksuffix": "%", "thickness": 12},
    }
    height = max(CHART_HEIGHT // 2, HEATMAP_MARGIN_PX + HEATMAP_ROW_PX * len(table))
    layout = base_layout(
        dark,
        SEASONALITY_TITLE,
        height=height,
        xaxis={"type": "category", "fixedrange": True},
        yaxis={"type": "category", "autorange": "reversed", "fixedrange": True},
    )
    return {"data": [heatmap], "layout": layout}

"""The price chart of the overview and analysis pages: the price line (or one candle per UTC
day), the 7- and 30-day moving averages, and the cycle layer (event markers, 200-day and
200-week moving averages).

The line is downsampled to the point budget; candles are drawn only while the range holds at
most that many days (more would be thinner than a pixel), otherwise the line stays and the
title says to zoom in: zooming re-samples, so the candles appear once the zoom is short
enough. What the chart cannot draw for lack of history it says in a note on the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard import formatting
from dashboard.analytics import cycles
from dashboard.analytics.daily import daily, daily_closes
from dashboard.averages import trailing_mean
from dashboard.downsample import downsample
from dashboard.plotting import (
    DAILY,
    MARGIN,
    axis_time,
    line,
    time_figure,
    times,
    value_axis,
)
from dashboard.windows import between

PRICE_TITLE = "Price (USD)"
MA_COLORS = {7: "#f39c12", 30: "#8e44ad"}
CYCLE_COLORS = {cycles.MA_200_DAY_CLOSES: "#16a085", cycles.MA_200_WEEK_CLOSES: "#c0392b"}
CYCLE_NAMES = {cycles.MA_200_DAY_CLOSES: "200-day MA", cycles.MA_200_WEEK_CLOSES: "200-week MA"}
EVENT_COLOR = "#7f8c8d"
DAY = pd.Timedelta(days=1)
NOTE_FONT_PX = 11
NOTE_LINE_PX = 15  # a line of 11 px text and its spacing


@dataclass
class PriceParts:
    """What the price chart draws: traces, the event markers and the notes on the chart."""

    heading: str = PRICE_TITLE
    traces: list[dict[str, Any]] = field(default_factory=list)
    shapes: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def candle_trace(days: pd.DataFrame) -> dict[str, Any]:
    """One candle per UTC day (daily.daily's open/high/low/close)."""
    return {
        "type": "candlestick",
        "x": times(days.index),
        "open": days["open"].to_numpy(),
        "high": days["high"].to_numpy(),
        "low": days["low"].to_numpy(),
        "close": days["close"].to_numpy(),
        "name": "Daily candle",
        **DAILY,
    }


def candle_heading(snapshots_per_day: float) -> str:
    count = max(1, round(snapshots_per_day))
    unit = "snapshot" if count == 1 else "snapshots"
    return f"{PRICE_TITLE} · daily candles from {count:,} {unit} a day"


def _price(
    parts: PriceParts,
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    candles: bool,
    budget: int,
) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex | None]:
    """The price as a line or as candles; returns the times the moving averages are read at
    and, for candles, the days they are drawn at."""
    if candles:
        days = daily(frame, start, end)
        if 0 < len(days) <= budget:
            parts.traces.append(candle_trace(days))
            parts.heading = candle_heading(float(days["snapshots"].median()))
            return days.index + DAY - pd.Timedelta(microseconds=1), days.index
        if len(days) > budget:
            parts.heading = f"{PRICE_TITLE} · candles show at most {budget:,} days: zoom in"
    series = downsample(between(frame["price"], start, end), budget)
    parts.traces.append(line(series, "Price", line={"width": 2}))
    return series.index, None


def _cycle_layer(
    parts: PriceParts,
    frame: pd.DataFrame,
    asset: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    budget: int,
) -> None:
    closes = len(daily_closes(frame, None, end))
    for window in (cycles.MA_200_DAY_CLOSES, cycles.MA_200_WEEK_CLOSES):
        average = cycles.moving_average(frame, window, start, end)
        if average.empty:
            parts.notes.append(
                f"{CYCLE_NAMES[window]} needs {window:,} daily closes (has {closes:,})"
            )
            continue
        style = {"line": {"width": 1.5, "color": CYCLE_COLORS[window]}, **DAILY}
        parts.traces.append(line(downsample(average, budget), CYCLE_NAMES[window], **style))
    if not cycles.events_for(asset):
        parts.notes.append(f"No cycle events recorded for {asset}")
    for event in cycles.events_for(asset, start, end):
        x = axis_time(event.date)
        parts.shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"color": EVENT_COLOR, "width": 1, "dash": "dot"},
            }
        )
        parts.annotations.append(
            {
                "x": x,
                "xref": "x",
                "yref": "paper",
                "y": 1,
                "yanchor": "top",
                "xanchor": "left",
                "text": f"{event.label} · {event.date:%Y-%m-%d}",
                "hovertext": f"{event.label}, {event.date:%Y-%m-%d}: {event.source}",
                "showarrow": False,
                "font": {"size": 11, "color": EVENT_COLOR},
            }
        )


def price_parts(
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    asset: str,
    moving_averages: tuple[int, ...],
    max_points: int,
    candles: bool = False,
    cycle_layer: bool = False,
) -> PriceParts:
    """Everything the price chart draws over [start, end]. The moving averages are read at
    the drawn points (or at each day's end for candles) and average the days before them, so
    the first days of a short range average real days."""
    parts = PriceParts()
    at, days = _price(parts, frame, start, end, candles, max_points)
    for n in moving_averages:
        average = trailing_mean(frame["price"], n, at)
        style = {"line": {"width": 1.5, "color": MA_COLORS.get(n)}}
        if days is not None:
            average.index = days
            style.update(DAILY)
        parts.traces.append(line(average, f"MA{n}", **style))
    if cycle_layer:
        _cycle_layer(parts, frame, asset, start, end, max_points)
    if parts.notes:
        parts.annotations.append(notes_annotation(parts.notes))
    return parts


def notes_annotation(notes: list[str]) -> dict[str, Any]:
    """The chart's notes, one per line, between the title and the plot (inside the plot they
    covered the data and the y-axis's ticks); notes_margin makes room for them."""
    return {
        "text": "<br>".join(notes),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1,
        "xanchor": "left",
        "yanchor": "bottom",
        "yshift": 2,
        "align": "left",
        "showarrow": False,
        "font": {"size": NOTE_FONT_PX},
        "bgcolor": "rgba(127,127,127,0.15)",
    }


def notes_margin(notes: list[str]) -> dict[str, int]:
    """The chart's margins with room above the plot for its notes."""
    return {**MARGIN, "t": MARGIN["t"] + NOTE_LINE_PX * len(notes)}


def price_figure(
    frame: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    asset: str,
    dark: bool,
    log: bool,
    moving_averages: tuple[int, ...],
    max_points: int,
    candles: bool = False,
    cycle_layer: bool = False,
) -> dict[str, Any]:
    """The price chart over [start, end]."""
    parts = price_parts(
        frame,
        start,
        end,
        asset=asset,
        moving_averages=moving_averages,
        max_points=max_points,
        candles=candles,
        cycle_layer=cycle_layer,
    )
    figure = time_figure(
        parts.traces,
        title=parts.heading,
        start=start,
        end=end,
        dark=dark,
        y_axis=value_axis(formatting.D3_USD, prefix="$"),
        log=log,
        shapes=parts.shapes,
        annotations=parts.annotations,
        **({"margin": notes_margin(parts.notes)} if parts.notes else {}),
    )
    # Candlestick charts get a range slider by default; the page's presets and zoom do its job.
    figure["layout"]["xaxis"]["rangeslider"] = {"visible": False}
    return figure

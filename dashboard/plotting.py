"""What every chart of every page shares: the themes' templates, the time axis, SVG-or-WebGL
lines, the common layout, the placeholder drawn before a figure arrives and the plain message
drawn where a chart has nothing to show.

Lines are SVG `scatter` traces: at the point budget (at most config.MAX_MAX_POINTS) SVG draws
and hovers faster than WebGL, which pays for a GL context per chart (in software where there
is no GPU), and the page's plotly.js bundle has no WebGL traces (dashboard/plotlyjs.py).

Figures are plain dicts with each theme's template built once: handing plotly a template (by
name or as an object) deep-copies and re-validates all of it, ~20 ms per figure, which was
most of a render's and of every `/_dash-layout`'s server time. Traces are plain dicts too:
plotly's validators walk every point (~10 ms per 2,000-point trace); the tests hand each
figure to `go.Figure` to check what the browser will be given.
"""

from __future__ import annotations

import functools
import textwrap
from typing import Any

import numpy as np
import pandas as pd
import plotly.io as pio

from dashboard import formatting

LIGHT_TEMPLATE = "plotly_white"
DARK_TEMPLATE = "plotly_dark"
CHART_HEIGHT = 340
X_HOVER_FORMAT = formatting.UTC_FORMAT
DAY_HOVER_FORMAT = "%Y-%m-%d (UTC day)"
DAY_MS = 24 * 3600 * 1000
# A daily value spans its UTC day, and its hover names the day, not a snapshot's minute.
DAILY = {"xperiod": DAY_MS, "xperiodalignment": "middle", "xhoverformat": DAY_HOVER_FORMAT}
TRANSPARENT = "rgba(0,0,0,0)"
MARGIN = {"l": 8, "r": 8, "t": 40, "b": 8}
TITLE_PAD_PX = 11
MESSAGE_LINE_CHARS = 40
REFERENCE_COLOR = "#7f8c8d"
# On a log axis plotly labels the ticks between powers of ten with a bare digit ("2", "5")
# and the powers oddly ("100.0"): six significant digits write every tick in full, and tick
# values there (1, 2, 5 x a power of ten, or finer steps within a decade) stay distinct.
LOG_AXIS = {"type": "log", "tickformat": ",~r"}
FLAT_PADDING = 0.01


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


def times(index: pd.Index) -> list[str]:
    """UTC times as the short naive strings plotly.js reads on a date axis (it ignores
    offsets, and typed-array numbers are not converted as dates); minutes are all we store.
    numpy writes them ten times faster than strftime."""
    naive = pd.DatetimeIndex(index).tz_convert("UTC").tz_localize(None).to_numpy()
    return np.datetime_as_string(naive, unit="m").tolist()


def line(series: pd.Series, name: str, **style: Any) -> dict[str, Any]:
    """A line trace; a single point, which a line cannot draw, is drawn as a dot of the
    line's colour."""
    trace = {
        "type": "scatter",
        "x": times(series.index),
        "y": series.to_numpy(),
        "name": name,
        "mode": "lines",
        **style,
    }
    if len(series) == 1:
        color = style.get("line", {}).get("color")
        trace.update(mode="markers", marker={"size": 8, **({"color": color} if color else {})})
    return trace


def title(text: str) -> dict[str, Any]:
    """Top left, pinned to the top of the chart (plotly would centre it in the top margin, and
    a chart that makes room there for notes would move its title onto them)."""
    return {
        "text": text,
        "x": 0.01,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": TITLE_PAD_PX},
        "font": {"size": 15},
    }


def base_layout(dark: bool, heading: str, **extra: Any) -> dict[str, Any]:
    """The layout every chart starts from: theme, title, size, margins, transparent paper."""
    return {
        "template": template(dark),
        "title": title(heading),
        "height": CHART_HEIGHT,
        "autosize": True,
        "margin": MARGIN,
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        **extra,
    }


def value_axis(
    hover: str | None = None, *, prefix: str = "", suffix: str = "", compact: bool = False
) -> dict[str, Any]:
    """A value (y) axis. Plotly writes its tick labels with as many digits as the spacing of
    the ticks needs, so neighbouring ticks never read alike (a fixed format repeats itself once
    the ticks are closer than its precision: "120M ETH" five times on a supply axis, "0%" on
    a shallow drawdown). `hover` is the d3 format of the exact value the hover shows;
    `compact` writes thousands, millions and billions as k, M and B (d3's "s" would write
    billions as "G")."""
    axis: dict[str, Any] = {
        "tickprefix": prefix,
        "ticksuffix": suffix,
        "separatethousands": True,
        "exponentformat": formatting.AXIS_EXPONENT_FORMAT if compact else "none",
    }
    if hover:
        axis["hoverformat"] = hover
    return axis


def time_figure(
    traces: list[dict[str, Any]],
    *,
    title: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    dark: bool,
    y_axis: dict[str, Any],
    log: bool = False,
    **layout: Any,
) -> dict[str, Any]:
    """A chart over [start, end] (the x-range pinned to it) with a unified hover and the value
    axis `y_axis` (see value_axis); `layout` adds or overrides layout keys (shapes, …)."""
    figure_layout = base_layout(
        dark,
        title,
        hovermode="x unified",
        showlegend=len(traces) > 1,
        # Under the x-axis: inside the plot it covered the lines, above it the mode bar.
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.2,
            "yanchor": "top",
            "bgcolor": TRANSPARENT,
        },
        xaxis={
            "type": "date",
            "range": [axis_time(start), axis_time(end)],
            "hoverformat": X_HOVER_FORMAT,
        },
        yaxis={**y_axis, **(LOG_AXIS if log else {"type": "linear"}), "automargin": True},
    )
    flat = None if log else flat_range(traces)
    if flat:
        figure_layout["yaxis"]["range"] = flat
    figure_layout.update(layout)
    return {"data": traces, "layout": figure_layout}


def flat_range(traces: list[dict[str, Any]]) -> list[float] | None:
    """A y-range for lines that all hold one non-zero value. plotly pads a flat line by one
    unit either way, and around 120 million coins the ticks then read "120.399999M"; one
    percent of the value either way reads like any other chart. None for anything else (and
    for candles or filled areas, whose own range plotly gets right)."""
    if not traces or any("y" not in trace or trace.get("fill") for trace in traces):
        return None
    values = np.concatenate([np.asarray(trace["y"], dtype="float64") for trace in traces])
    values = values[np.isfinite(values)]
    if not values.size or values.min() != values.max() or values[0] == 0:
        return None
    value = float(values[0])
    pad = abs(value) * FLAT_PADDING
    return [value - pad, value + pad]


def level_line(y: float, label: str | None = None, *, below: bool = False) -> dict[str, Any]:
    """A dashed horizontal line across the plot at `y` (a reference level), labelled at its
    left end when `label` is given (the mode bar covers the right end): above the line, or
    `below` it for the top level, which autorange puts at the plot's edge, above which a label
    would be cut off."""
    shape: dict[str, Any] = {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": y,
        "y1": y,
        "line": {"width": 1, "dash": "dash", "color": REFERENCE_COLOR},
    }
    if label:
        shape["label"] = {
            "text": label,
            "textposition": "start",
            "yanchor": "top" if below else "bottom",
        }
    return shape


def placeholder_figure() -> dict[str, Any]:
    """A blank chart of the normal size, so the page does not jump before the figure comes.
    No template or title: it is in every layout, and the real figure follows at once."""
    layout = {
        "height": CHART_HEIGHT,
        "margin": MARGIN,
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    }
    return {"data": [], "layout": layout}


def message_figure(heading: str, message: str, *, dark: bool) -> dict[str, Any]:
    """A chart that says in words why it has nothing to draw (never a blank panel)."""
    note = {
        # Annotations do not wrap: short lines keep the sentence inside a phone's chart.
        "text": "<br>".join(textwrap.wrap(message, MESSAGE_LINE_CHARS)),
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": 14},
    }
    layout = base_layout(
        dark,
        heading,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[note],
    )
    return {"data": [], "layout": layout}

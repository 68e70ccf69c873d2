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
TRANSPARENT = "rgba(0,0,0,0)"
MARGIN = {"l": 8, "r": 8, "t": 40, "b": 8}
MESSAGE_LINE_CHARS = 40
REFERENCE_COLOR = "#7f8c8d"


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


def line(series: pd.Series, name: str, **style: object) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": times(series.index),
        "y": series.to_numpy(),
        "name": name,
        "mode": "lines",
        **style,
    }


def title(text: str) -> dict[str, Any]:
    return {"text": text, "x": 0.01, "xanchor": "left", "font": {"size": 15}}


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


def time_figure(
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
    **layout: Any,
) -> dict[str, Any]:
    """A chart over [start, end] (the x-range pinned to it) with a unified hover; `layout`
    adds or overrides layout keys (shapes, annotations, …)."""
    if y_format == formatting.D3_USD_COMPACT:
        # d3's SI prefixes write billions as "G"; plotly's exponentformat "B" writes "B" on the
        # ticks and, with no hoverformat, in the hover label too ($45.2B).
        y_axis = {"tickprefix": "$", "exponentformat": formatting.AXIS_EXPONENT_FORMAT}
    else:
        y_axis = {"tickformat": tick_format or y_format, "hoverformat": y_format}
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
        yaxis={
            **y_axis,
            "ticksuffix": y_suffix,
            "type": "log" if log else "linear",
            "automargin": True,
        },
    )
    figure_layout.update(layout)
    return {"data": traces, "layout": figure_layout}


def level_line(y: float, label: str | None = None) -> dict[str, Any]:
    """A dashed horizontal line across the plot at `y` (a reference level), labelled at its
    right end when `label` is given."""
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
        shape["label"] = {"text": label, "textposition": "end"}
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

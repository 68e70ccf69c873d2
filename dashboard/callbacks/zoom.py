"""Zooming or panning one chart redraws every chart over the new x-range.

The browser turns plotly's relayout events into ZOOM only for a new x-range or a reset
(a clientside callback), so resizes and other layout events never reach the server. The
server then sends each chart the range's own points, downsampled afresh, with the range
(`dash.Patch` of data and x-axis): zooming into one week of a minute-level history shows
that week's minutes, not the few points the whole window's thinning left in it. A
double-click (autorange) puts every chart back on the selected window.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, Patch, State
from dash.exceptions import PreventUpdate

from dashboard import config, ids
from dashboard.callbacks.guard import arg_name, guarded_callback
from dashboard.callbacks.view import chart_figures
from dashboard.data import get_repository

# relayoutData → {"range": [start, end]} | {"reset": true}; anything else is no update.
ZOOM_EVENT = """
function () {
    const triggered = dash_clientside.callback_context.triggered;
    const change = triggered.length ? triggered[0].value : null;
    if (!change) {
        return dash_clientside.no_update;
    }
    if ('xaxis.range[0]' in change && 'xaxis.range[1]' in change) {
        return {range: [change['xaxis.range[0]'], change['xaxis.range[1]']]};
    }
    if (Array.isArray(change['xaxis.range'])) {
        return {range: change['xaxis.range']};
    }
    if (change['xaxis.autorange']) {
        return {reset: true};
    }
    return dash_clientside.no_update;
}
"""


def _utc(raw: Any) -> pd.Timestamp:
    """A plotly date-axis bound (a naive UTC string) as a UTC timestamp."""
    if not isinstance(raw, str):
        raise ValueError(f"not a date: {raw!r}")
    stamp = pd.Timestamp(raw)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def zoom_window(
    zoom: dict[str, Any] | None, view: dict[str, Any] | None
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The range to draw for a ZOOM event: its own, or the view's window for a reset; None
    when there is nothing to draw (no window yet, or bounds that are not dates)."""
    if not zoom or not view or not view.get("start"):
        return None
    if zoom.get("reset"):
        return pd.Timestamp(view["start"]), pd.Timestamp(view["end"])
    try:
        first, last = (_utc(bound) for bound in zoom["range"])
    except (KeyError, TypeError, ValueError):
        return None
    return (first, last) if first <= last else (last, first)


def zoom_patches(
    frame: pd.DataFrame,
    view: dict[str, Any],
    start: pd.Timestamp,
    end: pd.Timestamp,
    settings: config.DashboardSettings,
) -> dict[str, Patch]:
    """Every chart's data and x-range for [start, end]; titles, theme and y-scale stay."""
    patches = {}
    drawn = chart_figures(frame, view, start, end, dark=False, settings=settings)
    for chart, figure in drawn.items():
        patch = Patch()
        patch["data"] = figure["data"]
        patch["layout"]["xaxis"]["range"] = figure["layout"]["xaxis"]["range"]
        patch["layout"]["xaxis"]["autorange"] = False
        patches[chart] = patch
    return patches


def register(app: Dash) -> None:
    settings = config.load()
    app.clientside_callback(
        ZOOM_EVENT,
        Output(ids.ZOOM, "data"),
        [Input(chart, "relayoutData") for chart in ids.CHARTS],
        prevent_initial_call=True,
    )

    @guarded_callback(
        app,
        output={
            arg_name(chart): Output(chart, "figure", allow_duplicate=True) for chart in ids.CHARTS
        },
        inputs={"zoom": Input(ids.ZOOM, "data")},
        state={"view": State(ids.VIEW, "data")},
        prevent_initial_call=True,
    )
    def sync_zoom(zoom: dict[str, Any] | None, view: dict[str, Any] | None) -> dict[str, Patch]:
        window = zoom_window(zoom, view)
        if window is None:
            raise PreventUpdate
        frame = get_repository().load(view["asset"]).frame
        if frame.empty:
            raise PreventUpdate  # the store is down and nothing was cached: keep what is drawn
        return zoom_patches(frame, view, *window, settings)

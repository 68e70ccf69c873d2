"""Zooming or panning one chart redraws every chart over the new x-range.

The browser turns plotly's relayout events into ZOOM only for a new x-range or a reset
(a clientside callback), so resizes and other layout events never reach the server. The
server then sends each chart the range's own points, downsampled afresh, with the range
(`dash.Patch` of data and x-axis): zooming into one week of a minute-level history shows
that week's minutes, not the few points the whole window's thinning left in it. Ranges stay
inside the selected window, and a double-click (autorange) puts every chart back on it.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, Patch, State
from dash.exceptions import PreventUpdate

from dashboard import config, ids
from dashboard.callbacks.charts import chart_figures
from dashboard.callbacks.guard import arg_name, guarded_callback
from dashboard.data import get_repository
from dashboard.timeranges import utc, view_window

# relayoutData → ZOOM {"range": [start, end]} | {"reset": true}, or no update. The event is
# then cleared on its chart: Dash reports a relayoutData equal to the last one as no change,
# and plotly sends the very same event for every double-click.
ZOOM_EVENT = """
function () {
    const charts = CHART_IDS;
    const triggered = dash_clientside.callback_context.triggered;
    const change = triggered.length ? triggered[0].value : null;
    const source = triggered.length ? triggered[0].prop_id.split('.')[0] : null;
    const cleared = charts.map(id => (id === source && change ? null : dash_clientside.no_update));
    let zoom = dash_clientside.no_update;
    if (change && 'xaxis.range[0]' in change && 'xaxis.range[1]' in change) {
        zoom = {range: [change['xaxis.range[0]'], change['xaxis.range[1]']]};
    } else if (change && Array.isArray(change['xaxis.range'])) {
        zoom = {range: change['xaxis.range']};
    } else if (change && change['xaxis.autorange']) {
        zoom = {reset: true};
    }
    return [zoom, ...cleared];
}
""".replace("CHART_IDS", json.dumps(list(ids.CHARTS)))


def _bound(raw: Any) -> pd.Timestamp:
    """A plotly date-axis bound (a naive UTC string) as a UTC timestamp."""
    if not isinstance(raw, str):
        raise ValueError(f"not a date: {raw!r}")
    return utc(raw)


def zoom_window(
    zoom: dict[str, Any] | None, view: dict[str, Any] | None
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The range to draw for a ZOOM event, within the view's window (the whole window for a
    reset, or a range wholly outside it); None when there is nothing to draw (no window yet,
    or bounds that are not dates).

    Clamping also makes plotly's "Reset axes" right after a preset change land on the new
    window: plotly resets to the range of the first figure it drew, not to an autorange.
    """
    if not zoom or not view or not view.get("start"):
        return None
    window = view_window(view)
    if zoom.get("reset"):
        return window
    try:
        first, last = sorted(_bound(bound) for bound in zoom["range"])
    except (KeyError, TypeError, ValueError):
        return None
    first, last = max(first, window[0]), min(last, window[1])
    return (first, last) if first < last else window


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
        [Output(ids.ZOOM, "data")] + [Output(chart, "relayoutData") for chart in ids.CHARTS],
        [Input(chart, "relayoutData") for chart in ids.CHARTS],
        prevent_initial_call=True,
    )

    @guarded_callback(
        app,
        output={
            **{
                arg_name(chart): Output(chart, "figure", allow_duplicate=True)
                for chart in ids.CHARTS
            },
            "zoomed": Output(ids.ZOOMED_RANGE, "data", allow_duplicate=True),
        },
        inputs={"zoom": Input(ids.ZOOM, "data")},
        state={"view": State(ids.VIEW, "data")},
        prevent_initial_call=True,
    )
    def sync_zoom(zoom: dict[str, Any] | None, view: dict[str, Any] | None) -> dict[str, Any]:
        window = zoom_window(zoom, view)
        if window is None:
            raise PreventUpdate
        frame = get_repository().load(view["asset"]).frame
        if frame.empty:
            raise PreventUpdate  # the store is down and nothing was cached: keep what is drawn
        whole = window == view_window(view)
        zoomed = None if whole else [bound.isoformat() for bound in window]
        return {**zoom_patches(frame, view, *window, settings), "zoomed": zoomed}

"""Zooming or panning one of a page's time charts redraws all of them over the new x-range.

The browser turns plotly's relayout events into ZOOM only for a new x-range or a reset
(a clientside callback), so resizes and other layout events never reach the server. The
server then sends each chart the range's own points, downsampled afresh, with the range
(`dash.Patch` of data and x-axis): zooming into one week of a minute-level history shows
that week's minutes, not the few points the whole window's thinning left in it. Ranges stay
inside the selected window, and a double-click (autorange) puts every chart back on it.
Each page registers its own group of charts (dashboard/callbacks/charts.py's ChartGroup).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, Patch, State
from dash.exceptions import PreventUpdate

from dashboard import config, ids
from dashboard.callbacks.charts import ChartGroup, Drawing, figure_patch
from dashboard.callbacks.guard import arg_name, guarded_callback
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
"""


def zoom_event(charts: tuple[str, ...]) -> str:
    """ZOOM_EVENT for a page's charts."""
    return ZOOM_EVENT.replace("CHART_IDS", json.dumps(list(charts)))


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
    group: ChartGroup,
    view: dict[str, Any],
    start: pd.Timestamp,
    end: pd.Timestamp,
    settings: config.DashboardSettings,
) -> dict[str, Patch]:
    """Every chart of `group` drawn over [start, end], keyed by chart id (those with nothing
    to draw are left out); the theme stays."""
    patches = {}
    for chart in group.charts:
        figure = chart.draw(Drawing(view, start, end, False, settings))
        if figure is not None:
            patches[chart.id] = figure_patch(figure)
    return patches


def register(app: Dash, group: ChartGroup) -> None:
    settings = config.load()
    chart_set: ids.ChartSet = group.ids
    app.clientside_callback(
        zoom_event(chart_set.charts),
        [Output(chart_set.zoom, "data")]
        + [Output(chart, "relayoutData") for chart in chart_set.charts],
        [Input(chart, "relayoutData") for chart in chart_set.charts],
        prevent_initial_call=True,
    )

    @guarded_callback(
        app,
        output={
            **{
                arg_name(chart): Output(chart, "figure", allow_duplicate=True)
                for chart in chart_set.charts
            },
            "zoomed": Output(chart_set.zoomed, "data", allow_duplicate=True),
        },
        inputs={"zoom": Input(chart_set.zoom, "data")},
        state={"view": State(ids.VIEW, "data")},
        error_id=chart_set.error,
        prevent_initial_call=True,
    )
    def sync_zoom(zoom: dict[str, Any] | None, view: dict[str, Any] | None) -> dict[str, Any]:
        window = zoom_window(zoom, view)
        if window is None or view.get("page") != chart_set.page:
            raise PreventUpdate
        patches = zoom_patches(group, view, *window, settings)
        if not patches:
            raise PreventUpdate  # the store is down and nothing was cached: keep what is drawn
        whole = window == view_window(view)
        zoomed = None if whole else [bound.isoformat() for bound in window]
        return {**{arg_name(chart): patch for chart, patch in patches.items()}, "zoomed": zoomed}

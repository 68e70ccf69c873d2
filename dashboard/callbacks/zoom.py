"""Zooming or panning one chart moves every chart to the same x-range.

Only the axis range travels (a `dash.Patch` per chart), never the data. A double-click
(autorange) on any chart puts all charts back on the selected window.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import figures, ids
from dashboard.callbacks.guard import arg_name, guarded_callback


def x_range_change(relayout: dict[str, Any] | None) -> list[Any] | str | None:
    """[start, end] for a new x-range, "reset" for autorange, None for anything else."""
    if not relayout:
        return None
    if "xaxis.range[0]" in relayout and "xaxis.range[1]" in relayout:
        return [relayout["xaxis.range[0]"], relayout["xaxis.range[1]"]]
    if "xaxis.range" in relayout:
        return list(relayout["xaxis.range"])
    if relayout.get("xaxis.autorange"):
        return "reset"
    return None


def register(app: Dash) -> None:
    @guarded_callback(
        app,
        output={
            arg_name(chart): Output(chart, "figure", allow_duplicate=True) for chart in ids.CHARTS
        },
        inputs={arg_name(chart): Input(chart, "relayoutData") for chart in ids.CHARTS},
        state={"view": State(ids.VIEW, "data")},
        prevent_initial_call=True,
    )
    def sync_zoom(view: dict[str, Any] | None, **relayouts: dict[str, Any] | None) -> dict:
        source = ctx.triggered_id
        change = x_range_change(relayouts.get(arg_name(source)))
        if change is None:
            raise PreventUpdate
        reset = change == "reset"
        if reset:
            if not view or not view.get("start"):
                raise PreventUpdate
            change = [figures.axis_time(view["start"]), figures.axis_time(view["end"])]
        patches: dict[str, Any] = {}
        for chart in ids.CHARTS:
            patch = Patch()
            patch["layout"]["xaxis"]["range"] = change
            patch["layout"]["xaxis"]["autorange"] = False
            # The source chart already shows this range unless it was a reset to autorange.
            patches[arg_name(chart)] = no_update if chart == source and not reset else patch
        return patches

"""The compare page's callbacks: the rebased and ratio charts zoomed together, the correlation
matrix (which depends only on the data shown, the WINDOW store) and the figures' theme."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids, routes
from dashboard.callbacks import charts, theme, zoom
from dashboard.callbacks.charts import SEVERAL_ASSETS_WINDOW, ChartGroup, Drawing, TimeChart
from dashboard.callbacks.guard import guarded_callback
from dashboard.components import graph_style
from dashboard.data import get_repository
from dashboard.figures_compare import correlation_figure, ratio_figure, rebased_figure
from dashboard.timeranges import view_window

PAGE = routes.COMPARE


def compared_frames(view: dict[str, Any]) -> dict[str, pd.DataFrame] | None:
    """The compared assets' cached snapshots, in the view's order (None when none has any)."""
    repository = get_repository()
    frames = {asset: repository.load(asset).frame for asset in view["assets"]}
    return frames if any(not frame.empty for frame in frames.values()) else None


def _rebased(at: Drawing) -> dict[str, Any] | None:
    frames = compared_frames(at.view)
    if frames is None:
        return None
    points, log = at.settings.max_points, at.view["log"]
    return rebased_figure(
        frames, at.window, at.start, at.end, dark=at.dark, log=log, max_points=points
    )


def _ratio(at: Drawing) -> dict[str, Any] | None:
    frames = compared_frames(at.view)
    if frames is None:
        return None
    pair = tuple(at.view["ratio"]) if at.view.get("ratio") else None
    points = at.settings.max_points
    return ratio_figure(frames, pair, at.start, at.end, dark=at.dark, max_points=points)


GROUP = ChartGroup(
    ids.COMPARE_CHARTS,
    (
        TimeChart(ids.REBASED_CHART, _rebased, ("log",)),
        TimeChart(ids.RATIO_CHART, _ratio, ("ratio",)),
    ),
    window=SEVERAL_ASSETS_WINDOW,
)


def register(app: Dash) -> None:
    charts.register(app, GROUP)
    zoom.register(app, GROUP)
    figures = (*ids.COMPARE_CHARTS.charts, ids.CORRELATION_CHART)
    theme.register_figures(app, figures, ids.COMPARE_ERROR)

    @guarded_callback(
        app,
        output={
            "figure": Output(ids.CORRELATION_CHART, "figure"),
            "style": Output(ids.CORRELATION_CHART, "style"),
        },
        inputs={"window": Input(ids.WINDOW, "data")},
        state={"dark": State(ids.THEME_SWITCH, "value")},
        error_id=ids.COMPARE_ERROR,
        clear_error=True,
    )
    def show_correlation(window: dict[str, Any] | None, dark: bool | None) -> dict[str, Any]:
        if not window or window.get("page") != PAGE or not window.get("start"):
            raise PreventUpdate
        frames = compared_frames(window)
        if frames is None:
            raise PreventUpdate
        figure = correlation_figure(frames, *view_window(window), dark=bool(dark))
        return {"figure": figure, "style": graph_style(figure)}

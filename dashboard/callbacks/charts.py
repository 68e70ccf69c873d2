"""A page's time charts, each drawn by a callback of its own.

Each chart's figure travels in its own response and is drawn as soon as it lands, and the
cards and panels never wait for a figure. Every chart listens to the VIEW store and remembers
the view it last drew (its `drawn` store): a new window (the group's window keys: asset or
assets, start, end) redraws it over that window and resets the zoom; a change of one of the
chart's own restyle keys (log scale, moving averages, candles, cycle layer, the ratio pair)
redraws it in place over the zoomed range when there is one, leaving the other charts and the
zoom as they are. A log-scale change alone only flips the axis. Each chart keeps its own record
because Dash drops the answer of a call superseded by a newer call of the same callback: a
chart whose answer was dropped has not drawn the view, whatever the other charts have.

A view published for another page (VIEW's "page") is not drawn: a page's charts appear when
the view for their page arrives, whichever of the page and the view lands first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import Dash, Input, Output, Patch, State
from dash.exceptions import PreventUpdate

from dashboard import config, ids
from dashboard.callbacks.guard import guarded_callback
from dashboard.timeranges import view_window

SINGLE_ASSET_WINDOW = ("asset", "start", "end")
SEVERAL_ASSETS_WINDOW = ("assets", "start", "end")


@dataclass(frozen=True)
class Drawing:
    """What a chart is drawn for: the view, the range to draw (the view's window or a zoom
    inside it), the theme and the settings."""

    view: dict[str, Any]
    start: pd.Timestamp
    end: pd.Timestamp
    dark: bool
    settings: config.DashboardSettings

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        return view_window(self.view)


# The figure for a Drawing, or None when there is nothing to draw (the store is down and
# nothing was cached).
FigureFn = Callable[[Drawing], dict[str, Any] | None]


@dataclass(frozen=True)
class TimeChart:
    id: str
    draw: FigureFn
    restyle: tuple[str, ...] = ()  # view keys redrawn in place, keeping the zoom


@dataclass(frozen=True)
class ChartGroup:
    """A page's time charts (ids.ChartSet) with how to draw each."""

    ids: ids.ChartSet
    charts: tuple[TimeChart, ...]
    window: tuple[str, ...] = SINGLE_ASSET_WINDOW

    def chart(self, chart_id: str) -> TimeChart:
        return next(chart for chart in self.charts if chart.id == chart_id)


def same(view: dict[str, Any], drawn: dict[str, Any] | None, keys: tuple[str, ...]) -> bool:
    return bool(drawn) and all(view.get(key) == drawn.get(key) for key in keys)


def figure_patch(figure: dict[str, Any]) -> Patch:
    """`figure` as an update of the one drawn: its data and layout, but not its template
    (the theme is the theme switch's) and never an autorange of x (the range is the one to
    show)."""
    patch = Patch()
    patch["data"] = figure["data"]
    for key, value in figure["layout"].items():
        if key != "template":
            patch["layout"][key] = value
    patch["layout"]["xaxis"]["autorange"] = False
    return patch


def restyle_patch(
    chart: TimeChart,
    view: dict[str, Any],
    drawn: dict[str, Any],
    settings: config.DashboardSettings,
    zoomed: list[str] | None = None,
    dark: bool = False,
) -> Patch | None:
    """The chart's update when only its restyle keys changed: the axis alone for the log
    scale, else the chart redrawn over the `zoomed` range (or the window), with its detail.
    None when there is nothing to draw."""
    changed = {key for key in chart.restyle if view.get(key) != drawn.get(key)}
    if changed == {"log"}:
        patch = Patch()
        patch["layout"]["yaxis"]["type"] = "log" if view["log"] else "linear"
        patch["layout"]["yaxis"]["autorange"] = True
        return patch
    start, end = (pd.Timestamp(t) for t in zoomed) if zoomed else view_window(view)
    figure = chart.draw(Drawing(view, start, end, dark, settings))
    return None if figure is None else figure_patch(figure)


def _register_chart(
    app: Dash, group: ChartGroup, chart: TimeChart, settings: config.DashboardSettings
) -> None:
    lead = chart is group.charts[0]
    chart_set = group.ids
    output = {
        "figure": Output(chart.id, "figure"),
        "drawn": Output(chart_set.drawn(chart.id), "data"),
    }
    if lead:  # a new window resets the zoom once, for every chart of the page
        output["zoomed"] = Output(chart_set.zoomed, "data", allow_duplicate=True)

    @guarded_callback(
        app,
        output=output,
        inputs={"view": Input(ids.VIEW, "data")},
        state={
            "dark": State(ids.THEME_SWITCH, "value"),
            "drawn": State(chart_set.drawn(chart.id), "data"),
            "zoomed": State(chart_set.zoomed, "data"),
        },
        error_id=chart_set.error,
    )
    def draw_chart(
        view: dict[str, Any] | None,
        dark: bool | None,
        drawn: dict[str, Any] | None,
        zoomed: list[str] | None,
    ) -> dict[str, Any]:
        if not view or view.get("page") != chart_set.page:
            raise PreventUpdate
        if same(view, drawn, group.window + chart.restyle):
            raise PreventUpdate
        if not view.get("start"):
            return {"drawn": None}  # no window yet: whatever comes next is drawn afresh
        if same(view, drawn, group.window):
            patch = restyle_patch(chart, view, drawn, settings, zoomed, bool(dark))
            if patch is None:
                raise PreventUpdate
            return {"figure": patch, "drawn": view}
        figure = chart.draw(Drawing(view, *view_window(view), bool(dark), settings))
        if figure is None:
            raise PreventUpdate
        return {"figure": figure, "drawn": view, "zoomed": None}


def register(app: Dash, group: ChartGroup) -> None:
    settings = config.load()
    for chart in group.charts:
        _register_chart(app, group, chart, settings)

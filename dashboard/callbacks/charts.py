"""The four charts, each drawn by a callback of its own.

Each chart's figure travels in its own response and is drawn as soon as it lands, and the
cards and statistics (view.py) never wait for a figure. Every chart listens to the VIEW
store and remembers the view it last drew (its DRAWN_VIEWS store): a new window (asset,
start or end) redraws it over that window; a change of log scale or moving averages patches
the price chart alone, over the zoomed range when there is one, and leaves the other charts
and the zoom as they are. Each chart keeps its own record because Dash drops the answer of a
call superseded by a newer call of the same callback: a chart whose answer was dropped has
not drawn the view, whatever the other charts have.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, Patch, State
from dash.exceptions import PreventUpdate

from dashboard import config, figures, ids
from dashboard.callbacks.guard import arg_name, guarded_callback
from dashboard.data import get_repository
from dashboard.timeranges import view_window

WINDOW_KEYS = ("asset", "start", "end")


def same_window(view: dict[str, Any], drawn: dict[str, Any] | None) -> bool:
    return bool(drawn) and all(view.get(key) == drawn.get(key) for key in WINDOW_KEYS)


def chart_figure(
    chart: str,
    frame: pd.DataFrame,
    view: dict[str, Any],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    settings: config.DashboardSettings,
) -> dict[str, Any]:
    """`chart` over [start, end] (the view's window, or a zoom inside it)."""
    if chart == ids.PRICE_CHART:
        return figures.price_figure(
            frame,
            start,
            end,
            log=view["log"],
            moving_averages=tuple(view["ma"]),
            dark=dark,
            max_points=settings.max_points,
        )
    small = {"dark": dark, "max_points": figures.small_chart_points(settings.max_points)}
    if chart == ids.VOLUME_CHART:
        return figures.volume_figure(frame, start, end, **small)
    if chart == ids.MARKET_CAP_CHART:
        return figures.market_cap_figure(frame, start, end, **small)
    symbol = str(frame["symbol"].iloc[-1])
    return figures.supply_figure(frame, start, end, symbol=symbol, **small)


def chart_figures(
    frame: pd.DataFrame,
    view: dict[str, Any],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    settings: config.DashboardSettings,
) -> dict[str, dict[str, Any]]:
    """All four charts over [start, end], keyed like the chart outputs."""
    return {
        arg_name(chart): chart_figure(chart, frame, view, start, end, dark=dark, settings=settings)
        for chart in ids.CHARTS
    }


def price_patch(
    view: dict[str, Any],
    drawn: dict[str, Any],
    settings: config.DashboardSettings,
    zoomed: list[str] | None = None,
) -> Patch | None:
    """The price chart's update when only its log scale or moving averages changed (None
    otherwise): the lines are drawn over the `zoomed` range when there is one, with its
    detail."""
    if not same_window(view, drawn):
        return None
    patch = Patch()
    if view["log"] != drawn.get("log"):
        patch["layout"]["yaxis"]["type"] = "log" if view["log"] else "linear"
        patch["layout"]["yaxis"]["autorange"] = True
    if list(view["ma"]) != list(drawn.get("ma", ())):
        frame = get_repository().load(view["asset"]).frame
        start, end = (pd.Timestamp(t) for t in zoomed) if zoomed else view_window(view)
        traces = figures.price_traces(
            frame, start, end, moving_averages=tuple(view["ma"]), max_points=settings.max_points
        )
        patch["data"] = traces
        patch["layout"]["showlegend"] = len(traces) > 1
    return patch


def _window_figure(
    chart: str, view: dict[str, Any], dark: bool | None, settings: config.DashboardSettings
) -> dict[str, Any] | None:
    """`chart` over the view's whole window; None when there is nothing to draw (the store is
    down and nothing was cached)."""
    frame = get_repository().load(view["asset"]).frame
    if frame.empty:
        return None
    start, end = view_window(view)
    return chart_figure(chart, frame, view, start, end, dark=bool(dark), settings=settings)


def _register_price(app: Dash, settings: config.DashboardSettings) -> None:
    @guarded_callback(
        app,
        output={
            "figure": Output(ids.PRICE_CHART, "figure"),
            "drawn": Output(ids.DRAWN_VIEWS[ids.PRICE_CHART], "data"),
            "zoomed": Output(ids.ZOOMED_RANGE, "data"),
        },
        inputs={"view": Input(ids.VIEW, "data")},
        state={
            "dark": State(ids.THEME_SWITCH, "value"),
            "drawn": State(ids.DRAWN_VIEWS[ids.PRICE_CHART], "data"),
            "zoomed": State(ids.ZOOMED_RANGE, "data"),
        },
    )
    def draw_price(
        view: dict[str, Any] | None,
        dark: bool | None,
        drawn: dict[str, Any] | None,
        zoomed: list[str] | None,
    ) -> dict[str, Any]:
        if not view or view == drawn:
            raise PreventUpdate
        if not view.get("start"):
            return {"drawn": None}  # no window yet: whatever comes next is drawn afresh
        patch = price_patch(view, drawn, settings, zoomed) if drawn else None
        if patch is not None:
            return {"figure": patch, "drawn": view}
        figure = _window_figure(ids.PRICE_CHART, view, dark, settings)
        if figure is None:
            raise PreventUpdate
        return {"figure": figure, "drawn": view, "zoomed": None}


def _register_window_chart(app: Dash, chart: str, settings: config.DashboardSettings) -> None:
    """A chart that depends only on the window: volume, market cap, supply."""

    @guarded_callback(
        app,
        output={
            "figure": Output(chart, "figure"),
            "drawn": Output(ids.DRAWN_VIEWS[chart], "data"),
        },
        inputs={"view": Input(ids.VIEW, "data")},
        state={
            "dark": State(ids.THEME_SWITCH, "value"),
            "drawn": State(ids.DRAWN_VIEWS[chart], "data"),
        },
    )
    def draw_chart(
        view: dict[str, Any] | None, dark: bool | None, drawn: dict[str, Any] | None
    ) -> dict[str, Any]:
        if not view or same_window(view, drawn):
            raise PreventUpdate
        if not view.get("start"):
            return {"drawn": None}
        figure = _window_figure(chart, view, dark, settings)
        if figure is None:
            raise PreventUpdate
        return {"figure": figure, "drawn": view}


def register(app: Dash) -> None:
    settings = config.load()
    _register_price(app, settings)
    for chart in ids.CHARTS:
        if chart != ids.PRICE_CHART:
            _register_window_chart(app, chart, settings)

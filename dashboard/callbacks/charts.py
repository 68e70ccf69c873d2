"""The four charts, drawn by a callback of their own, apart from the cards and statistics.

The cards and statistics (view.py) answer without waiting for a figure, and the four figures
come in one response. A callback per chart was tried and measured in headless Chromium: the
figures are ready within milliseconds of each other, and four responses meant four requests,
four Dash updates and four redraws on the browser's one main thread, so the first of four
separate charts was drawn no sooner than all four together, and the last ~0.2-0.4 s later
(docs/performance.md). A new window (asset, start or end) redraws all four; a change of log
scale or moving averages patches the price chart alone, over the zoomed range when there is
one, and leaves the zoom as it is. The callback remembers the view it drew (RENDERED_VIEW).
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


def chart_figures(
    frame: pd.DataFrame,
    view: dict[str, Any],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    settings: config.DashboardSettings,
) -> dict[str, dict[str, Any]]:
    """The four charts over [start, end] (the view's window, or a zoom inside it), keyed like
    the chart outputs."""
    symbol = str(frame["symbol"].iloc[-1])
    small = {"dark": dark, "max_points": figures.small_chart_points(settings.max_points)}
    return {
        arg_name(ids.PRICE_CHART): figures.price_figure(
            frame,
            start,
            end,
            log=view["log"],
            moving_averages=tuple(view["ma"]),
            dark=dark,
            max_points=settings.max_points,
        ),
        arg_name(ids.VOLUME_CHART): figures.volume_figure(frame, start, end, **small),
        arg_name(ids.MARKET_CAP_CHART): figures.market_cap_figure(frame, start, end, **small),
        arg_name(ids.SUPPLY_CHART): figures.supply_figure(
            frame, start, end, symbol=symbol, **small
        ),
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


def register(app: Dash) -> None:
    settings = config.load()

    @guarded_callback(
        app,
        output={
            **{arg_name(chart): Output(chart, "figure") for chart in ids.CHARTS},
            "drawn": Output(ids.RENDERED_VIEW, "data"),
            "zoomed": Output(ids.ZOOMED_RANGE, "data"),
        },
        inputs={"view": Input(ids.VIEW, "data")},
        state={
            "dark": State(ids.THEME_SWITCH, "value"),
            "drawn": State(ids.RENDERED_VIEW, "data"),
            "zoomed": State(ids.ZOOMED_RANGE, "data"),
        },
    )
    def draw_charts(
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
            return {arg_name(ids.PRICE_CHART): patch, "drawn": view}
        frame = get_repository().load(view["asset"]).frame
        if frame.empty:
            raise PreventUpdate  # the store is down and nothing was cached: keep what is drawn
        start, end = view_window(view)
        drawn_now = chart_figures(frame, view, start, end, dark=bool(dark), settings=settings)
        return {**drawn_now, "drawn": view, "zoomed": None}

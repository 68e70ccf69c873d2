"""The analysis page's callbacks: its time charts (price with the cycle layer, underwater,
rolling volatility, Mayer multiple) zoomed together; the drawdowns, risk and seasonality
panels, which depend only on the data shown (the WINDOW store), so a chart toggle never
recomputes them; the Mayer panel and the figures' theme."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

from dashboard import ids, panels, routes
from dashboard.analytics.drawdowns import all_time_high, deepest_drawdowns
from dashboard.analytics.risk import risk_summary
from dashboard.callbacks import charts, theme, zoom
from dashboard.callbacks.charts import ChartGroup, Drawing, TimeChart
from dashboard.callbacks.guard import guarded_callback
from dashboard.callbacks.price import (
    asset_name,
    load_frame,
    of_asset,
    price_charts,
    register_mayer_panel,
)
from dashboard.components import graph_style
from dashboard.figures_analysis import seasonality_figure, underwater_figure, volatility_figure
from dashboard.timeranges import view_window

PAGE = routes.ANALYSIS


@of_asset
def _underwater(frame: pd.DataFrame, at: Drawing) -> dict[str, Any]:
    points = at.settings.max_points
    return underwater_figure(frame, at.window, at.start, at.end, dark=at.dark, max_points=points)


@of_asset
def _volatility(frame: pd.DataFrame, at: Drawing) -> dict[str, Any]:
    name, points = asset_name(frame, at.view["asset"]), at.settings.max_points
    return volatility_figure(frame, at.start, at.end, name=name, dark=at.dark, max_points=points)


price, mayer = price_charts(ids.ANALYSIS_PRICE_CHART, ids.ANALYSIS_MAYER.chart)
GROUP = ChartGroup(
    ids.ANALYSIS_CHARTS,
    (
        price,
        TimeChart(ids.UNDERWATER_CHART, _underwater),
        TimeChart(ids.VOLATILITY_CHART, _volatility),
        mayer,
    ),
)


def _window_frame(window: dict[str, Any] | None) -> tuple[pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """The frame and [start, end] of this page's window; PreventUpdate for another page's or
    before there is data."""
    if not window or window.get("page") != PAGE or not window.get("start"):
        raise PreventUpdate
    frame = load_frame(window["asset"])
    if frame is None:
        raise PreventUpdate
    return frame, *view_window(window)


def register(app: Dash) -> None:
    charts.register(app, GROUP)
    zoom.register(app, GROUP)
    register_mayer_panel(app, ids.ANALYSIS_MAYER, PAGE, ids.ANALYSIS_ERROR)
    figures = (*ids.ANALYSIS_CHARTS.charts, ids.SEASONALITY_CHART)
    theme.register_figures(app, figures, ids.ANALYSIS_ERROR)

    @guarded_callback(
        app,
        output={
            "ath": Output(ids.ALL_TIME_HIGH, "children"),
            "table": Output(ids.DRAWDOWN_TABLE, "children"),
        },
        inputs={"window": Input(ids.WINDOW, "data")},
        error_id=ids.ANALYSIS_ERROR,
        clear_error=True,
    )
    def show_drawdowns(window: dict[str, Any] | None) -> dict[str, Any]:
        frame, start, end = _window_frame(window)
        name = asset_name(frame, window["asset"])
        return {
            "ath": panels.ath_cells(all_time_high(frame), name),
            "table": panels.drawdown_table(deepest_drawdowns(frame, start, end)),
        }

    @guarded_callback(
        app,
        output={"risk": Output(ids.RISK_PANEL, "children")},
        inputs={"window": Input(ids.WINDOW, "data")},
        error_id=ids.ANALYSIS_ERROR,
    )
    def show_risk(window: dict[str, Any] | None) -> dict[str, Any]:
        frame, start, end = _window_frame(window)
        name = asset_name(frame, window["asset"])
        return {"risk": panels.risk_panel(risk_summary(frame, start, end), name)}

    @guarded_callback(
        app,
        output={
            "figure": Output(ids.SEASONALITY_CHART, "figure"),
            "style": Output(ids.SEASONALITY_CHART, "style"),
        },
        inputs={"window": Input(ids.WINDOW, "data")},
        state={"dark": State(ids.THEME_SWITCH, "value")},
        error_id=ids.ANALYSIS_ERROR,
    )
    def show_seasonality(window: dict[str, Any] | None, dark: bool | None) -> dict[str, Any]:
        frame, start, end = _window_frame(window)
        name = asset_name(frame, window["asset"])
        figure = seasonality_figure(frame, start, end, name=name, dark=bool(dark))
        return {"figure": figure, "style": graph_style(figure)}

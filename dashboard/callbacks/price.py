"""The price chart and the cycle layer's Mayer panel, drawn alike on the overview and the
analysis page (each page has its own ids for them: see dashboard/ids.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd
from dash import Dash, Input, Output
from dash.exceptions import PreventUpdate

from dashboard import ids, panels, plotting
from dashboard.analytics import cycles
from dashboard.callbacks.charts import Drawing, FigureFn, TimeChart
from dashboard.callbacks.guard import guarded_callback
from dashboard.components import COLLAPSED, PANEL_SHOWN
from dashboard.data import get_repository
from dashboard.figures_analysis import mayer_figure, mayer_shortfall
from dashboard.figures_price import price_figure
from dashboard.timeranges import view_window

PRICE_RESTYLE = ("log", "ma", "candles", "cycles")


def load_frame(asset: str) -> pd.DataFrame | None:
    """The asset's cached snapshots, or None when there are none to draw (the store is down
    and nothing was cached)."""
    frame = get_repository().load(asset).frame
    return None if frame.empty else frame


def asset_name(frame: pd.DataFrame, asset: str) -> str:
    """The asset's name as stored (Bitcoin), or its slug made readable."""
    if "name" in frame and not frame.empty:
        name = frame["name"].iloc[-1]
        if isinstance(name, str) and name:
            return name
    return asset.replace("-", " ").title()


# A figure of one asset: its snapshots and what to draw.
AssetFigure = Callable[[pd.DataFrame, Drawing], dict[str, Any]]


def of_asset(draw: AssetFigure) -> FigureFn:
    """`draw` handed the view's asset's cached snapshots (nothing drawn when there are none)."""

    @functools.wraps(draw)
    def figure(drawing: Drawing) -> dict[str, Any] | None:
        frame = load_frame(drawing.view["asset"])
        return None if frame is None else draw(frame, drawing)

    return figure


@of_asset
def draw_price(frame: pd.DataFrame, at: Drawing) -> dict[str, Any]:
    view = at.view
    return price_figure(
        frame,
        at.start,
        at.end,
        asset=view["asset"],
        dark=at.dark,
        log=view["log"],
        moving_averages=tuple(view["ma"]),
        max_points=at.settings.max_points,
        candles=bool(view.get("candles")),
        cycle_layer=bool(view.get("cycles")),
    )


@of_asset
def draw_mayer(frame: pd.DataFrame, at: Drawing) -> dict[str, Any]:
    """The Mayer multiple chart, while the cycle layer is on (a placeholder otherwise)."""
    if not at.view.get("cycles"):
        return plotting.placeholder_figure()
    name = asset_name(frame, at.view["asset"])
    return mayer_figure(
        frame, at.start, at.end, name=name, dark=at.dark, max_points=at.settings.max_points
    )


def price_charts(price_chart: str, mayer_chart: str) -> tuple[TimeChart, TimeChart]:
    return (
        TimeChart(price_chart, draw_price, PRICE_RESTYLE),
        TimeChart(mayer_chart, draw_mayer, ("cycles",)),
    )


def mayer_panel(view: dict[str, Any]) -> dict[str, Any]:
    """The panel's visibility and the latest Mayer multiple of the range's end."""
    if not view.get("cycles") or not view.get("start"):
        return {"style": COLLAPSED}
    frame = load_frame(view["asset"])
    if frame is None:
        raise PreventUpdate
    _, end = view_window(view)
    multiple = cycles.mayer_multiple(frame, None, end)
    name = asset_name(frame, view["asset"])
    latest = float(multiple.iloc[-1]) if len(multiple) else None
    as_of = multiple.index[-1] if len(multiple) else None
    value = panels.mayer_value(latest, as_of, mayer_shortfall(frame, end, name))
    return {"style": PANEL_SHOWN, "value": value}


def register_mayer_panel(app: Dash, panel: ids.CyclePanel, page: str, error_id: str) -> None:
    @guarded_callback(
        app,
        output={"style": Output(panel.panel, "style"), "value": Output(panel.value, "children")},
        inputs={"view": Input(ids.VIEW, "data")},
        error_id=error_id,
    )
    def show_mayer(view: dict[str, Any] | None) -> dict[str, Any]:
        if not view or view.get("page") != page:
            raise PreventUpdate
        return mayer_panel(view)

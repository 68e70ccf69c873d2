"""The overview's callbacks: its five time charts (price, daily volume, market cap, supply and
the cycle layer's Mayer multiple), zoomed together, the Mayer panel and the charts' theme.
The range statistics are drawn with the frame (dashboard/callbacks/view.py)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import Dash

from dashboard import figures, ids
from dashboard.callbacks import charts, theme, zoom
from dashboard.callbacks.charts import ChartGroup, Drawing, TimeChart
from dashboard.callbacks.price import of_asset, price_charts, register_mayer_panel


@of_asset
def _volume(frame: pd.DataFrame, at: Drawing) -> dict[str, Any]:
    # A day has one reading: daily volume may take the whole point budget.
    points = at.settings.max_points
    return figures.volume_figure(frame, at.start, at.end, dark=at.dark, max_points=points)


@of_asset
def _market_cap(frame: pd.DataFrame, at: Drawing) -> dict[str, Any]:
    points = figures.small_chart_points(at.settings.max_points)
    return figures.market_cap_figure(frame, at.start, at.end, dark=at.dark, max_points=points)


@of_asset
def _supply(frame: pd.DataFrame, at: Drawing) -> dict[str, Any]:
    points = figures.small_chart_points(at.settings.max_points)
    symbol = str(frame["symbol"].iloc[-1])
    return figures.supply_figure(
        frame, at.start, at.end, dark=at.dark, max_points=points, symbol=symbol
    )


price, mayer = price_charts(ids.PRICE_CHART, ids.OVERVIEW_MAYER.chart)
GROUP = ChartGroup(
    ids.OVERVIEW_CHARTS,
    (
        price,
        TimeChart(ids.VOLUME_CHART, _volume),
        TimeChart(ids.MARKET_CAP_CHART, _market_cap),
        TimeChart(ids.SUPPLY_CHART, _supply),
        mayer,
    ),
)


def register(app: Dash) -> None:
    charts.register(app, GROUP)
    zoom.register(app, GROUP)
    register_mayer_panel(app, ids.OVERVIEW_MAYER, ids.OVERVIEW_CHARTS.page, ids.OVERVIEW_ERROR)
    theme.register_figures(app, ids.OVERVIEW_CHARTS.charts, ids.OVERVIEW_ERROR)

"""The overview's callbacks: its five time charts (price, daily volume, market cap, supply and
the cycle layer's Mayer multiple), zoomed together, the Mayer panel and the charts' theme.
The range statistics are drawn with the frame (dashboard/callbacks/view.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from dash import Dash

from dashboard import config, figures, ids
from dashboard.callbacks import charts, theme, zoom
from dashboard.callbacks.charts import ChartGroup, TimeChart
from dashboard.callbacks.price import load_frame, price_charts, register_mayer_panel

SmallChart = Callable[[pd.DataFrame, pd.Timestamp, pd.Timestamp, bool, int], dict[str, Any]]


def _small(draw: SmallChart, *, points: Callable[[int], int] = figures.small_chart_points):
    """A third-width chart's figure function: the frame, and by default a third of the point
    budget (daily volume has one point a day at most, so it may take the whole budget)."""

    def figure(
        view: dict[str, Any],
        start: pd.Timestamp,
        end: pd.Timestamp,
        dark: bool,
        settings: config.DashboardSettings,
    ) -> dict[str, Any] | None:
        frame = load_frame(view["asset"])
        if frame is None:
            return None
        return draw(frame, start, end, dark, points(settings.max_points))

    return figure


def _volume(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, dark: bool, n: int):
    return figures.volume_figure(frame, start, end, dark=dark, max_points=n)


def _market_cap(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, dark: bool, n: int):
    return figures.market_cap_figure(frame, start, end, dark=dark, max_points=n)


def _supply(frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, dark: bool, n: int):
    symbol = str(frame["symbol"].iloc[-1])
    return figures.supply_figure(frame, start, end, dark=dark, max_points=n, symbol=symbol)


price, mayer = price_charts(ids.PRICE_CHART, ids.OVERVIEW_MAYER.chart)
GROUP = ChartGroup(
    ids.OVERVIEW_CHARTS,
    (
        price,
        TimeChart(ids.VOLUME_CHART, _small(_volume, points=lambda budget: budget)),
        TimeChart(ids.MARKET_CAP_CHART, _small(_market_cap)),
        TimeChart(ids.SUPPLY_CHART, _small(_supply)),
        mayer,
    ),
)


def register(app: Dash) -> None:
    charts.register(app, GROUP)
    zoom.register(app, GROUP)
    register_mayer_panel(app, ids.OVERVIEW_MAYER, ids.OVERVIEW_CHARTS.page, ids.OVERVIEW_ERROR)
    theme.register_figures(app, ids.OVERVIEW_CHARTS.charts, ids.OVERVIEW_ERROR)

"""`/`: the overview of one asset: range statistics, price (with its candles and cycle layer),
daily volume, market cap and supply, each chart drawn as soon as its own figure is ready."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids, pages, routes
from dashboard.components import chart_card, chart_stores, cycle_panel, error_area, section
from dashboard.glossary import definitions_panel

PATH = routes.OVERVIEW
DESCRIPTION = "Bitcoin price, volume, market cap and supply from CoinMarketCap snapshots."
TERMS = (
    "Daily candle",
    "Daily volume, market cap, supply",
    "Cycle events",
    "200-day moving average",
    "200-week moving average",
    "Mayer multiple",
)


def content() -> html.Div:
    charts = dbc.Row(
        [
            dbc.Col(chart_card(ids.PRICE_CHART), xs=12),
            dbc.Col(chart_card(ids.VOLUME_CHART), xs=12, lg=4),
            dbc.Col(chart_card(ids.MARKET_CAP_CHART), xs=12, lg=4),
            dbc.Col(chart_card(ids.SUPPLY_CHART), xs=12, lg=4),
        ],
        class_name="g-2 mb-3",
    )
    return html.Div(
        [
            error_area(ids.OVERVIEW_ERROR),
            *chart_stores(ids.OVERVIEW_CHARTS),
            section("Selected range", html.Div(id=ids.STATS)),
            charts,
            cycle_panel(ids.OVERVIEW_MAYER),
            definitions_panel(TERMS, "overview-definitions"),
        ]
    )


def layout(shown: Any = None, **_query: Any) -> html.Div:
    pages.ask(PATH, shown)
    return content()

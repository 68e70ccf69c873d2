"""`/analysis`: one asset in depth: the price chart with its cycle layer, drawdowns (all-time
high, underwater chart, the deepest drawdowns), risk and return with rolling volatility, and
the seasonality of monthly returns, for the range the controls select."""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard import ids, pages, routes
from dashboard.components import (
    chart_card,
    chart_stores,
    cycle_panel,
    error_area,
    graph,
    section,
)
from dashboard.glossary import definitions_panel, info
from dashboard.panels import RISK_FREE_NOTE

PATH = routes.ANALYSIS
DESCRIPTION = "Drawdowns, risk and return, seasonality and cycles of one crypto asset."
TERMS = (
    "All-time high",
    "Drawdown",
    "Drawdown episodes",
    "Daily close",
    "Daily return",
    "Total return",
    "CAGR",
    "Volatility",
    "Rolling volatility",
    "Sharpe ratio",
    "Sortino ratio",
    "Maximum drawdown",
    "Best and worst day",
    "Positive days",
    "Monthly and yearly returns",
    "Cycle events",
    "200-day moving average",
    "200-week moving average",
    "Mayer multiple",
    "Daily candle",
)


def content() -> html.Div:
    drawdowns = section(
        "Drawdowns",
        html.Div(id=ids.ALL_TIME_HIGH),
        graph(ids.UNDERWATER_CHART),
        html.H3(
            ["Five deepest drawdowns in the range", info("Drawdown episodes")],
            className="fs-6 mt-2",
        ),
        html.Div(id=ids.DRAWDOWN_TABLE),
    )
    risk = section(
        "Risk and return",
        html.Div(id=ids.RISK_PANEL, children=html.P(RISK_FREE_NOTE)),
        graph(ids.VOLATILITY_CHART),
    )
    seasonality = section(
        "Seasonality",
        html.Div(["Monthly and yearly returns", info("Monthly and yearly returns")]),
        graph(ids.SEASONALITY_CHART),
    )
    return html.Div(
        [
            error_area(ids.ANALYSIS_ERROR),
            *chart_stores(ids.ANALYSIS_CHARTS),
            html.Div(chart_card(ids.ANALYSIS_PRICE_CHART), className="mb-3"),
            cycle_panel(ids.ANALYSIS_MAYER),
            drawdowns,
            risk,
            seasonality,
            definitions_panel(TERMS, "analysis-definitions"),
        ]
    )


def layout(shown: Any = None, **_query: Any) -> html.Div:
    pages.ask(PATH, shown)
    return content()

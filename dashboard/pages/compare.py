"""`/compare`: several assets side by side over one range: each rebased to 100, the price
ratio of two of them, and the correlation of their daily returns."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids, pages, routes
from dashboard.components import chart_card, chart_stores, error_area
from dashboard.glossary import definitions_panel

PATH = routes.COMPARE
DESCRIPTION = "Crypto assets side by side: rebased prices, price ratios and correlations."
TERMS = ("Rebased value", "Ratio", "Correlation", "Daily return")


def content() -> html.Div:
    charts = dbc.Row(
        [
            dbc.Col(chart_card(ids.REBASED_CHART), xs=12),
            dbc.Col(chart_card(ids.RATIO_CHART), xs=12, lg=7),
            dbc.Col(chart_card(ids.CORRELATION_CHART), xs=12, lg=5),
        ],
        class_name="g-2 mb-3",
    )
    return html.Div(
        [
            error_area(ids.COMPARE_ERROR),
            *chart_stores(ids.COMPARE_CHARTS),
            charts,
            definitions_panel(TERMS, "compare-definitions"),
        ]
    )


def layout(shown: Any = None, **_query: Any) -> html.Div:
    pages.ask(PATH, shown)
    return content()

"""Server and clientside callbacks, one module per concern, each with `register(app)`: the
frame's (state, view, nav, theme, download) and each page's (overview, analysis, compare)."""

from __future__ import annotations

from dash import Dash

from dashboard.callbacks import analysis, compare, download, nav, overview, state, theme, view


def register(app: Dash) -> None:
    for module in (state, view, nav, theme, download, overview, analysis, compare):
        module.register(app)

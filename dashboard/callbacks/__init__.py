"""Server and clientside callbacks, one module per concern, each with `register(app)`."""

from __future__ import annotations

from dash import Dash

from dashboard.callbacks import charts, download, state, theme, view, zoom


def register(app: Dash) -> None:
    for module in (state, view, charts, zoom, theme, download):
        module.register(app)

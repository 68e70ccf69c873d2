"""What any path the dashboard has no page for shows: a plain sentence and links to the pages
(Dash's router shows a module named not_found_404 for unknown paths)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import pages, routes

PATH = "/404"
DESCRIPTION = "This page does not exist."


def content() -> dbc.Alert:
    links = [html.Li(dcc.Link(routes.NAMES[path], href=path)) for path in routes.PATHS]
    return dbc.Alert(
        [
            html.H4("Page not found", className="alert-heading"),
            html.P("There is no page at this address. The dashboard has these pages:"),
            html.Ul(links, className="mb-0"),
        ],
        color="secondary",
        id="not-found",
    )


def layout(shown: Any = None, **_query: Any) -> dbc.Alert:
    pages.ask(PATH, shown)
    return content()

"""Building blocks the pages share: a chart in a card (with its placeholder, so nothing jumps
when the figure lands), a titled card section, a page's error area and the per-chart stores a
page's time charts keep (dashboard/ids.py's ChartSet)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, plotting

GRAPH_CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def graph(chart_id: str, *, fixed_height: bool = True) -> dcc.Graph:
    """A chart on its placeholder. Time charts keep the placeholder's height; a heatmap's
    height follows its rows (its figure's layout says how tall)."""
    return dcc.Graph(
        id=chart_id,
        figure=plotting.placeholder_figure(),
        config=GRAPH_CONFIG,
        style={"height": f"{plotting.CHART_HEIGHT}px"} if fixed_height else {},
    )


def chart_card(chart_id: str, *, fixed_height: bool = True) -> dbc.Card:
    body = dbc.CardBody(graph(chart_id, fixed_height=fixed_height), class_name="p-1")
    return dbc.Card(body, class_name="h-100 shadow-sm")


def section(heading: str, *children: object, section_id: str | None = None) -> dbc.Card:
    """A titled card of the page, with room below it."""
    extra = {"id": section_id} if section_id else {}
    return dbc.Card(
        [dbc.CardHeader(heading), dbc.CardBody(list(children), class_name="py-2")],
        class_name="mb-3 shadow-sm",
        **extra,
    )


def error_area(error_id: str) -> html.Div:
    return html.Div(id=error_id)


def chart_stores(chart_set: ids.ChartSet) -> list[dcc.Store]:
    """The stores a page's time charts keep: the view each was drawn for, the zoom event and
    the zoomed range."""
    drawn = [dcc.Store(id=chart_set.drawn(chart)) for chart in chart_set.charts]
    return [*drawn, dcc.Store(id=chart_set.zoom), dcc.Store(id=chart_set.zoomed)]


def cycle_panel(panel: ids.CyclePanel) -> html.Div:
    """The Mayer multiple's number and chart, hidden until the cycle layer is switched on."""
    return html.Div(
        dbc.Card(
            dbc.CardBody(
                [html.Div(id=panel.value, className="px-2 pt-1"), graph(panel.chart)],
                class_name="p-1",
            ),
            class_name="shadow-sm",
        ),
        id=panel.panel,
        className="mb-3",
        style={"display": "none"},
    )

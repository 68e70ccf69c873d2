"""Building blocks the pages share: a chart in a card (with its placeholder, so nothing jumps
when the figure lands), a titled card section, a page's error area and the per-chart stores a
page's time charts keep (dashboard/ids.py's ChartSet).

Every chart's box has a height of its own: with `responsive`, plotly.js re-measures the box
on each window resize or phone rotation, and a box that took its height from the chart inside
measures 0 (the chart then spills over what follows). A heatmap, whose height follows its rows,
gets its box's height with its figure (`graph_style`)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, plotting

GRAPH_CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def graph_style(figure: dict[str, Any]) -> dict[str, str]:
    """The style that gives a chart's box its figure's height."""
    return {"height": f"{figure['layout'].get('height', plotting.CHART_HEIGHT)}px"}


def graph(chart_id: str) -> dcc.Graph:
    """A chart on its placeholder, in a box of the placeholder's height."""
    placeholder = plotting.placeholder_figure()
    return dcc.Graph(
        id=chart_id, figure=placeholder, config=GRAPH_CONFIG, style=graph_style(placeholder)
    )


def chart_card(chart_id: str) -> dbc.Card:
    body = dbc.CardBody(graph(chart_id), class_name="p-1")
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


# Whatever holds charts is hidden by collapsing it, not with `display: none`: its charts keep
# their width, so a figure drawn while its box is still hidden (the box's visibility and the
# chart have callbacks of their own) is not drawn at plotly's default 700 px, wider than a
# phone and narrower than a desktop's card.
COLLAPSED = {"visibility": "hidden", "height": "0", "overflow": "hidden"}
PANEL_SHOWN = {"marginBottom": "1rem"}


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
        style=COLLAPSED,
    )

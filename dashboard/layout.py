"""The page's structure: header, messages, headline cards, controls, statistics and charts.

Structure lives here; callbacks fill in values, except the headline: the layout of a page
being opened already carries its newest snapshot's cards (dashboard/headline.py), so the
price is on screen as soon as Dash draws the page, without waiting for a callback. Columns
are sized for a phone first (xs=12, everything stacks) and widen on larger screens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import dash_bootstrap_components as dbc
import flask
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import config, figures, headline, ids
from dashboard.formatting import MISSING
from dashboard.timeranges import MOVING_AVERAGE_DAYS, PRESETS

# Bootstrap's display utilities are !important, so the row is shown and hidden by class.
ASSET_ROW_SHOWN = "d-flex align-items-center"
ASSET_ROW_HIDDEN = "d-none"
GRAPH_CONFIG = {
    "responsive": True,
    "displaylogo": False,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def header() -> html.Header:
    theme = dbc.Switch(
        id=ids.THEME_SWITCH,
        label="Dark mode",
        value=False,
        persistence=True,
        persistence_type="local",
        class_name="mb-0",
    )
    brand = html.Div(
        [
            html.H1("Bitcoin tracker", className="navbar-brand mb-0 fs-4"),
            html.Span(id=ids.SOURCE_BADGES),
        ],
        className="d-flex align-items-center flex-wrap gap-1",
    )
    return html.Header(
        dbc.Container(
            [brand, theme],
            fluid=True,
            class_name="d-flex flex-wrap justify-content-between align-items-center gap-2",
        ),
        className="navbar bg-body-tertiary border-bottom mb-3",
    )


def _card(label: str, value_id: str, *extra: object) -> dbc.Col:
    body = dbc.CardBody(
        [
            html.Div(label, className="small text-body-secondary text-uppercase"),
            html.Div(MISSING, id=value_id, className="fs-4 fw-semibold text-break"),
            *extra,
        ],
        class_name="py-2",
    )
    return dbc.Col(dbc.Card(body, class_name="h-100 shadow-sm"), xs=12, sm=6, lg=3)


def cards() -> dbc.Row:
    return dbc.Row(
        [
            _card("Price", ids.CARD_PRICE, html.Div(id=ids.CARD_NAME, className="small")),
            _card("24h change", ids.CARD_CHANGE),
            _card(
                "Market cap",
                ids.CARD_MARKET_CAP,
                html.Div(id=ids.CARD_DOMINANCE, className="small"),
            ),
            _card(
                "24h volume",
                ids.CARD_VOLUME,
                html.Div(id=ids.CARD_VOLUME_CHANGE, className="small"),
            ),
            _card(
                "Circulating supply",
                ids.CARD_SUPPLY,
                dbc.Progress(
                    id=ids.CARD_SUPPLY_BAR, value=0, class_name="mt-1", style={"height": "1.1rem"}
                ),
            ),
            _card("Max supply", ids.CARD_MAX_SUPPLY),
            _card("Rank", ids.CARD_RANK),
            _card(
                "Snapshot (UTC)",
                ids.CARD_UPDATED,
                html.Div(id=ids.CARD_UPDATED_AGO, className="small text-body-secondary"),
            ),
        ],
        class_name="g-2 mb-3",
    )


def _controls() -> dbc.Card:
    asset = html.Div(
        [
            dbc.Label("Asset", html_for=ids.ASSET, class_name="me-2 mb-0"),
            dbc.Select(id=ids.ASSET, options=[], size="sm", style={"width": "auto"}),
        ],
        id=ids.ASSET_ROW,
        className=ASSET_ROW_HIDDEN,
    )
    presets = dbc.RadioItems(
        id=ids.PRESET,
        options=[{"label": p, "value": p} for p in PRESETS],
        value=None,
        class_name="btn-group",
        input_class_name="btn-check",
        label_class_name="btn btn-outline-primary btn-sm",
        label_checked_class_name="active",
    )
    picker = dcc.DatePickerRange(
        id=ids.DATE_RANGE,
        start_date_id=ids.DATE_FROM,
        end_date_id=ids.DATE_TO,
        display_format="YYYY-MM-DD",
        start_date_placeholder_text="From",
        end_date_placeholder_text="To",
        minimum_nights=0,
        updatemode="bothdates",
        number_of_months_shown=1,
    )
    toggles = html.Div(
        [
            dbc.Switch(id=ids.LOG_SCALE, label="Log scale", value=False, class_name="mb-0"),
            dbc.Checklist(
                id=ids.MOVING_AVERAGES,
                options=[{"label": f"MA{d}", "value": d} for d in MOVING_AVERAGE_DAYS],
                value=[],
                switch=True,
                inline=True,
                class_name="mb-0",
            ),
        ],
        className="d-flex flex-wrap align-items-center gap-3",
    )
    download = dbc.Button(
        "Download CSV", id=ids.DOWNLOAD_BUTTON, color="secondary", outline=True, size="sm"
    )
    return dbc.Card(
        dbc.CardBody(
            html.Div(
                [asset, html.Div(presets, className="preset-group"), picker, toggles, download],
                className="d-flex flex-wrap align-items-center gap-3",
            ),
            class_name="py-2",
        ),
        class_name="mb-3 shadow-sm",
    )


def _graph(chart_id: str) -> dcc.Graph:
    return dcc.Graph(
        id=chart_id,
        figure=figures.placeholder_figure(),
        config=GRAPH_CONFIG,
        style={"height": f"{figures.CHART_HEIGHT}px"},
    )


def _chart_card(chart_id: str) -> dbc.Card:
    return dbc.Card(dbc.CardBody(_graph(chart_id), class_name="p-1"), class_name="h-100 shadow-sm")


def _charts() -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(_chart_card(ids.PRICE_CHART), xs=12),
            dbc.Col(_chart_card(ids.VOLUME_CHART), xs=12, lg=4),
            dbc.Col(_chart_card(ids.MARKET_CAP_CHART), xs=12, lg=4),
            dbc.Col(_chart_card(ids.SUPPLY_CHART), xs=12, lg=4),
        ],
        class_name="g-2 mb-3",
    )


def _stats() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader("Selected range"),
            dbc.CardBody(html.Div(id=ids.STATS), class_name="py-2"),
        ],
        class_name="mb-3 shadow-sm",
    )


def empty_state(table_name: str) -> dbc.Alert:
    """What an empty table looks like: how to get data into it, in the commands we ship."""
    commands = [
        (
            "python -m ingest fetch",
            "store one live snapshot from CoinMarketCap (needs CMC_API_KEY)",
        ),
        ("python -m ingest demo --days 730", "fill the table with generated demo history"),
        ("make run", "start the local store, seed demo data if empty and serve this dashboard"),
    ]
    return dbc.Alert(
        [
            html.H4("No snapshots yet", className="alert-heading"),
            html.P(
                [
                    "The table ",
                    html.Code(table_name),
                    " holds no snapshots for this asset. Run the ingest to fill it:",
                ]
            ),
            html.Ul(
                [html.Li([html.Code(cmd), f" — {what}"]) for cmd, what in commands],
                className="mb-0",
            ),
        ],
        color="info",
    )


def messages() -> list[html.Div]:
    return [
        html.Div(id=ids.ERROR),
        html.Div(id=ids.STORE_BANNER),
        html.Div(id=ids.STALE_WARNING),
        html.Div(id=ids.NOTICE),
        html.Div(id=ids.EMPTY_STATE),
    ]


def fill(page: Component, values: Mapping[str, Any]) -> None:
    """Set what `values` holds (keyed like headline.PROPS) on the components of `page`."""
    for key, value in values.items():
        component_id, prop = headline.PROPS[key]
        setattr(page[component_id], prop, value)


def _opened_query() -> str | None:
    """The query string of the page whose layout Dash asks for: its scripts send the request,
    so the page is the referrer. None outside a request (Dash validates the layout at start)
    or without a referrer (then the cards wait for the callbacks rather than guess)."""
    if not flask.has_request_context() or not flask.request.referrer:
        return None
    return urlsplit(flask.request.referrer).query


def build() -> html.Div:
    """The page, built per visit (Dash calls this for every page load)."""
    settings = config.load()
    page = html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEW),
            dcc.Store(id=ids.RENDERED_VIEW),
            dcc.Store(id=ids.CORRECTED_QUERY),
            dcc.Store(id=ids.VIEW_RETRY),
            dcc.Store(id=ids.THEME_STORE),
            dcc.Store(id=ids.ZOOM),
            dcc.Store(id=ids.ZOOMED_RANGE),
            dcc.Download(id=ids.DOWNLOAD),
            # Re-read the cache as often as it may change, so cards and warnings stay current.
            dcc.Interval(id=ids.REFRESH, interval=int(settings.cache_ttl_seconds * 1000)),
            header(),
            dbc.Container(
                [
                    *messages(),
                    html.Div([cards(), _controls(), _stats(), _charts()], id=ids.CONTENT),
                    html.Footer(
                        "Data: CoinMarketCap snapshots every 6 hours. Times are UTC.",
                        className="small text-body-secondary pb-3",
                    ),
                ],
                fluid=True,
            ),
        ],
        id=ids.PAGE,
    )
    query = _opened_query()
    values = headline.first_paint(query) if query is not None else None
    if values:
        fill(page, values)
    return page

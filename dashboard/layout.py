"""The frame every page shares: header with the navigation, messages, headline cards, the
controls card and the stores every page reads, around Dash Pages' page container.

Structure lives here; callbacks fill in values, except the headline: the layout of a page
being opened already carries its newest snapshot's cards (dashboard/headline.py), so the
price is on screen as soon as Dash draws the page, without waiting for a callback. The page
being opened is drawn into the container too, so its charts are asked for as soon as the
frame is drawn: Dash's router would deliver it one round trip later (it is still asked once
when the page opens, and answers in a few milliseconds that the page is already shown);
later page changes go through the router (dashboard/pages). Columns are sized for a phone
first (xs=12, everything stacks) and widen on larger screens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import dash_bootstrap_components as dbc
import flask
from dash import dcc, html
from dash.dash import _ID_CONTENT, _ID_DUMMY, _ID_LOCATION, _ID_STORE
from dash.development.base_component import Component

from dashboard import config, headline, ids, pages, routes
from dashboard.api.params import BASE as API_BASE
from dashboard.controls import controls
from dashboard.formatting import MISSING
from ingest.demo import SUGGESTED_DAYS

NAV_LINK = "nav-link py-1 px-2"


def page_class(path: str | None) -> str:
    """The root's class for the page at `path`: the stylesheet shows each page its controls."""
    slug = routes.NAMES[path].lower() if path in routes.NAMES else "other"
    return f"page-{slug}"


def nav_link_class(path: str, current: str | None) -> str:
    return f"{NAV_LINK} active" if path == current else NAV_LINK


def navigation(current: str | None) -> html.Nav:
    """Links to every page; their queries follow the view (dashboard/callbacks/nav.py)."""
    links = [
        dcc.Link(
            routes.NAMES[path],
            href=path,
            id=ids.NAV_LINKS[path],
            className=nav_link_class(path, current),
        )
        for path in routes.PATHS
    ]
    return html.Nav(links, className="nav nav-pills gap-1", **{"aria-label": "Pages"})


def header(current: str | None = routes.OVERVIEW) -> html.Header:
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
            html.H1(routes.SITE_TITLE, className="navbar-brand mb-0 fs-4"),
            html.Span(id=ids.SOURCE_BADGES),
        ],
        className="d-flex align-items-center flex-wrap gap-1",
    )
    return html.Header(
        dbc.Container(
            [brand, navigation(current), theme],
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
    # Two to a row from the narrowest phone: one a row put the first chart 1,600 px down.
    return dbc.Col(dbc.Card(body, class_name="h-100 shadow-sm"), xs=6, lg=3)


def cards() -> dbc.Row:
    return dbc.Row(
        id=ids.CARDS,
        children=[
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


def empty_state(table_name: str) -> dbc.Alert:
    """What an empty table looks like: how to get data into it, in the commands we ship."""
    commands = [
        (
            "python -m ingest fetch",
            "store one live snapshot from CoinMarketCap (needs CMC_API_KEY)",
        ),
        (
            f"python -m ingest demo --days {SUGGESTED_DAYS}",
            "fill the table with generated demo history",
        ),
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


def _opened() -> tuple[str, str] | None:
    """The page path and query string of the page whose layout Dash asks for: its scripts
    send the request, so the page is the referrer. None outside a request (Dash validates the
    layout at start) or without a referrer (then the router fetches the page, and the cards
    wait for the callbacks rather than guess)."""
    if not flask.has_request_context() or not flask.request.referrer:
        return None
    opened = urlsplit(flask.request.referrer)
    return routes.page_of(opened.path), opened.query


def page_container(path: str | None) -> html.Div:
    """Dash Pages' container (its router fills it by these ids) holding the page at `path`
    already, with that page's title: the router compares it to tell a new page from the one
    shown (dashboard/pages)."""
    content = pages.content(path) if path else None
    store = {"title": routes.title(path)} if path else None
    return html.Div(
        [
            dcc.Location(id=_ID_LOCATION, refresh="callback-nav"),
            html.Div(content, id=_ID_CONTENT, disable_n_clicks=True),
            dcc.Store(id=_ID_STORE, data=store),
            html.Div(id=_ID_DUMMY, disable_n_clicks=True),
        ]
    )


def build() -> html.Div:
    """The frame and the opened page, built per visit (Dash calls this for every page load)."""
    settings = config.load()
    opened = _opened()
    path = opened[0] if opened else None
    page = html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.VIEW),
            dcc.Store(id=ids.WINDOW),
            dcc.Store(id=ids.CORRECTED_QUERY),
            dcc.Store(id=ids.VIEW_RETRY),
            dcc.Store(id=ids.THEME_STORE),
            # Re-read the cache as often as it may change, so cards and warnings stay current.
            dcc.Interval(id=ids.REFRESH, interval=int(settings.cache_ttl_seconds * 1000)),
            header(path),
            dbc.Container(
                [
                    *messages(),
                    html.Div([cards(), controls(), page_container(path)], id=ids.CONTENT),
                    html.Footer(
                        [
                            "Data: CoinMarketCap snapshots every 6 hours. Times are UTC. ",
                            html.A("Data API (OpenAPI)", href=f"{API_BASE}/openapi.json"),
                        ],
                        className="small text-body-secondary pb-3",
                    ),
                ],
                fluid=True,
            ),
        ],
        id=ids.PAGE,
        className=page_class(path or routes.OVERVIEW),
    )
    if opened and path in routes.SINGLE_ASSET:
        values = headline.first_paint(opened[1])
        if values:
            fill(page, values)
    return page

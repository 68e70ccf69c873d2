"""The controls card: one component on every page (asset, range presets, dates, chart toggles,
the compare page's choices, CSV), so what a visitor picked stays put when they change page.

Each control says by a class which pages use it and the stylesheet hides the others
(assets/dashboard.css, keyed on the page's class on the layout's root): the single-asset pages
(overview, analysis) show the asset picker, the price chart's toggles and the CSV button; the
compare page shows its several assets and the ratio pair instead. A hidden control keeps its
value, so the compare link carries the asset picked on the overview.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.glossary import info
from dashboard.timeranges import MOVING_AVERAGE_DAYS, PRESETS

# Bootstrap's display utilities are !important, so the row is shown and hidden by class.
ASSET_ROW_SHOWN = "d-flex align-items-center"
ASSET_ROW_HIDDEN = "d-none"
SINGLE_ASSET = "single-asset-only"
COMPARE_ONLY = "compare-only"
GROUP = "d-flex flex-wrap align-items-center gap-2"


def _switch(control_id: str, label: str, *extra: object) -> html.Div:
    return html.Div(
        [dbc.Switch(id=control_id, label=label, value=False, class_name="mb-0"), *extra],
        className="d-flex align-items-center",
    )


def _asset_pickers() -> list[html.Div]:
    single = html.Div(
        html.Div(
            [
                dbc.Label("Asset", html_for=ids.ASSET, class_name="me-2 mb-0"),
                dbc.Select(id=ids.ASSET, options=[], size="sm", style={"width": "auto"}),
            ],
            id=ids.ASSET_ROW,
            className=ASSET_ROW_HIDDEN,
        ),
        className=SINGLE_ASSET,
    )
    several = html.Div(
        [
            html.Span("Assets", className="me-1"),
            dbc.Checklist(
                id=ids.COMPARED_ASSETS, options=[], value=[], inline=True, class_name="mb-0"
            ),
        ],
        className=f"{COMPARE_ONLY} {GROUP}",
    )
    return [single, several]


def _range_pickers() -> list[html.Div]:
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
    return [html.Div(presets, className="preset-group"), picker]


def _toggles() -> html.Div:
    price = html.Div(
        [
            dbc.Checklist(
                id=ids.MOVING_AVERAGES,
                options=[{"label": f"MA{d}", "value": d} for d in MOVING_AVERAGE_DAYS],
                value=[],
                switch=True,
                inline=True,
                class_name="mb-0",
            ),
            _switch(ids.CANDLES, "Candles (daily)", info("Daily candle")),
            _switch(ids.CYCLES, "Cycle layer", info("Cycle events")),
        ],
        className=f"{SINGLE_ASSET} {GROUP} column-gap-3",
    )
    ratio = html.Div(
        [
            dbc.Label("Ratio", html_for=ids.RATIO_TOP, class_name="mb-0"),
            dbc.Select(id=ids.RATIO_TOP, options=[], size="sm", style={"width": "auto"}),
            html.Span("/"),
            dbc.Select(id=ids.RATIO_BOTTOM, options=[], size="sm", style={"width": "auto"}),
            info("Ratio"),
        ],
        className=f"{COMPARE_ONLY} {GROUP}",
    )
    log = dbc.Switch(id=ids.LOG_SCALE, label="Log scale", value=False, class_name="mb-0")
    return html.Div([log, price, ratio], className="d-flex flex-wrap align-items-center gap-3")


def controls() -> dbc.Card:
    # A link to the data API's CSV of the view's window once the view has one.
    download = html.Div(
        dbc.Button(
            "Download CSV",
            id=ids.DOWNLOAD_BUTTON,
            external_link=True,
            color="secondary",
            outline=True,
            size="sm",
        ),
        className=SINGLE_ASSET,
    )
    row = [*_asset_pickers(), *_range_pickers(), _toggles(), download]
    return dbc.Card(
        dbc.CardBody(
            html.Div(row, className="d-flex flex-wrap align-items-center gap-3"),
            class_name="py-2",
        ),
        class_name="mb-3 shadow-sm page-controls",
    )

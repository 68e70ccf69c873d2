"""Render the frame of the chosen view: messages, headline cards, asset choices and badges.

Runs whenever the WINDOW store changes (the state callback publishes the data shown), and
on every refresh tick for what ages (cards, freshness, banners); both read the per-process
cached repository, so a re-render costs at most one small Query. The pages' charts and panels
have callbacks of their own, so nothing here waits for a figure.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard import config, formatting, ids, layout, routes
from dashboard.callbacks.guard import guarded_callback
from dashboard.components import COLLAPSED
from dashboard.controls import ASSET_ROW_HIDDEN, ASSET_ROW_SHOWN
from dashboard.data import get_repository
from dashboard.headline import PROPS, change_text, current, direction
from dashboard.stats import RangeStats, range_stats
from dashboard.timeranges import view_window
from dashboard.windows import between

SHOWN: dict[str, str] = {}
SOURCE_BADGES = {  # source → (label, colour, text colour readable on it)
    "demo": ("Demo data", "warning", "dark"),
    "coingecko": ("Backfilled history", "info", "dark"),
}


def source_badges(sources: set[str]) -> list[dbc.Badge]:
    return [
        dbc.Badge(text, color=color, text_color=text_color, class_name="ms-1", pill=True)
        for source, (text, color, text_color) in SOURCE_BADGES.items()
        if source in sources
    ]


def stats_panel(stats: RangeStats | None) -> dbc.Row | str:
    if stats is None:
        return "No snapshots in the selected range."
    # (label, value, extra class for the value, detail line under it)
    items = [
        ("Open", formatting.usd(stats.open), "", None),
        ("Close", formatting.usd(stats.close), "", None),
        ("Change", change_text(stats.change_pct), direction(stats.change_pct)[1], None),
        ("High", formatting.usd(stats.high), "", formatting.utc(stats.high_at)),
        ("Low", formatting.usd(stats.low), "", formatting.utc(stats.low_at)),
        ("Avg daily volume", formatting.usd_compact(stats.avg_daily_volume), "", None),
    ]
    cells = [
        dbc.Col(
            [
                html.Div(label, className="small text-body-secondary"),
                html.Div(value, className=f"fw-semibold {value_class}".strip()),
                html.Div(detail, className="small text-body-secondary") if detail else None,
            ],
            xs=6,
            md=4,
            xl=2,
        )
        for label, value, value_class, detail in items
    ]
    return dbc.Row(cells, class_name="g-2")


def render_view(view: dict[str, Any], *, settings: config.DashboardSettings) -> dict[str, Any]:
    """The frame's outputs for `view`, keyed like `_page_outputs`."""
    repository = get_repository()
    result = repository.load(view["asset"])
    frame = result.frame
    assets = repository.assets()
    options = [{"label": a.title(), "value": a} for a in assets]
    out: dict[str, Any] = {
        **current(result, settings, pd.Timestamp.now(tz="UTC")),
        "asset_options": options,
        "compared_options": options,
        "asset_row_class": ASSET_ROW_SHOWN if len(assets) > 1 else ASSET_ROW_HIDDEN,
    }
    if frame.empty or not view.get("start"):
        # No window: the store was empty or down when the view was resolved (the state
        # callback lays one out once data arrives), or it holds nothing for this asset.
        empty = frame.empty and not result.store_error
        out.update(
            badges=None,
            stale=None,
            empty=layout.empty_state(settings.store.table_name) if empty else None,
            content_style=COLLAPSED,
        )
        return out

    start, end = view_window(view)
    shown = view["assets"] if view.get("page") == routes.COMPARE else [view["asset"]]
    sources: set[str] = set()
    for asset in shown:
        in_range = between(repository.load(asset).frame, start, end)
        sources |= set(in_range["source"].dropna().unique()) if "source" in in_range else set()
    out.update(badges=source_badges(sources), empty=None, content_style=SHOWN)
    return out


def _page_outputs(allow_duplicate: bool) -> dict[str, Output]:
    """What a new view and a timer tick refresh."""
    outputs = {
        "badges": Output(ids.SOURCE_BADGES, "children"),
        "empty": Output(ids.EMPTY_STATE, "children"),
        "content_style": Output(ids.CONTENT, "style"),
        "asset_options": Output(ids.ASSET, "options"),
        "compared_options": Output(ids.COMPARED_ASSETS, "options"),
        "asset_row_class": Output(ids.ASSET_ROW, "className"),
        **{key: Output(*target) for key, target in PROPS.items()},
    }
    if not allow_duplicate:
        return outputs
    return {
        key: Output(o.component_id, o.component_property, allow_duplicate=True)
        for key, o in outputs.items()
    }


def register(app: Dash) -> None:
    settings = config.load()

    @guarded_callback(
        app,
        output=_page_outputs(allow_duplicate=False),
        inputs={"view": Input(ids.WINDOW, "data")},
        clear_error=True,
    )
    def render(view: dict[str, Any] | None) -> dict[str, Any]:
        if not view:
            raise PreventUpdate
        return render_view(view, settings=settings)

    # The overview's statistics: a page's own output, so a callback of its own.
    @guarded_callback(
        app,
        output={"stats": Output(ids.STATS, "children")},
        inputs={"view": Input(ids.WINDOW, "data")},
        error_id=ids.OVERVIEW_ERROR,
        clear_error=True,
    )
    def render_stats(view: dict[str, Any] | None) -> dict[str, Any]:
        if not view or view.get("page") != routes.OVERVIEW:
            raise PreventUpdate
        if not view.get("start"):
            return {}
        frame = get_repository().load(view["asset"]).frame
        return {"stats": stats_panel(range_stats(frame, *view_window(view)))}

    # A separate callback from `render`: Dash drops the answer of a call superseded by a newer
    # call of the same callback, so a tick landing while a new view renders would lose it.
    @guarded_callback(
        app,
        output=_page_outputs(allow_duplicate=True),
        inputs={"ticks": Input(ids.REFRESH, "n_intervals")},
        state={"view": State(ids.WINDOW, "data")},
        prevent_initial_call=True,
    )
    def refresh(ticks: int | None, view: dict[str, Any] | None) -> dict[str, Any]:
        if not view:
            raise PreventUpdate
        return render_view(view, settings=settings)

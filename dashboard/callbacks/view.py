"""Render the chosen view's page: messages, headline cards and range statistics.

Runs whenever the VIEW store changes (the state callback publishes the resolved window), and
on every refresh tick for what ages (cards, freshness, banners); both read the per-process
cached repository, so a re-render costs at most one small Query. The charts have a callback
of their own (charts.py), so nothing here waits for a figure.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard import config, formatting, ids, layout
from dashboard.callbacks.guard import guarded_callback
from dashboard.data import get_repository
from dashboard.headline import HIDDEN, PROPS, change_text, current, direction
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


def render_view(
    view: dict[str, Any], *, with_stats: bool, settings: config.DashboardSettings
) -> dict[str, Any]:
    """The page's outputs for `view` (all but the charts), keyed like `_page_outputs`; the
    range statistics only `with_stats` (a timer tick leaves them, and the reader's view, be)."""
    repository = get_repository()
    result = repository.load(view["asset"])
    frame = result.frame
    assets = repository.assets()
    out: dict[str, Any] = {
        **current(result, settings, pd.Timestamp.now(tz="UTC")),
        "asset_options": [{"label": a.title(), "value": a} for a in assets],
        "asset_row_class": layout.ASSET_ROW_SHOWN if len(assets) > 1 else layout.ASSET_ROW_HIDDEN,
    }
    if frame.empty or not view.get("start"):
        # No window: the store was empty or down when the view was resolved (the state
        # callback lays one out once data arrives), or it holds nothing for this asset.
        empty = frame.empty and not result.store_error
        out.update(
            badges=None,
            stale=None,
            empty=layout.empty_state(settings.store.table_name) if empty else None,
            content_style=HIDDEN,
        )
        return out

    start, end = view_window(view)
    in_range = between(frame, start, end)
    out.update(
        badges=source_badges(set(in_range["source"].dropna().unique())),
        empty=None,
        content_style=SHOWN,
    )
    if with_stats:
        out["stats"] = stats_panel(range_stats(frame, start, end))
    return out


def _page_outputs(allow_duplicate: bool) -> dict[str, Output]:
    """What a timer tick may refresh as well as a new view: everything but the statistics."""
    outputs = {
        "badges": Output(ids.SOURCE_BADGES, "children"),
        "empty": Output(ids.EMPTY_STATE, "children"),
        "content_style": Output(ids.CONTENT, "style"),
        "asset_options": Output(ids.ASSET, "options"),
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
        output={**_page_outputs(allow_duplicate=False), "stats": Output(ids.STATS, "children")},
        inputs={"view": Input(ids.VIEW, "data")},
        clear_error=True,
    )
    def render(view: dict[str, Any] | None) -> dict[str, Any]:
        if not view:
            raise PreventUpdate
        return render_view(view, with_stats=True, settings=settings)

    # A separate callback from `render`: Dash drops the answer of a call superseded by a newer
    # call of the same callback, so a tick landing while a new view renders would lose it.
    @guarded_callback(
        app,
        output=_page_outputs(allow_duplicate=True),
        inputs={"ticks": Input(ids.REFRESH, "n_intervals")},
        state={"view": State(ids.VIEW, "data")},
        prevent_initial_call=True,
    )
    def refresh(ticks: int | None, view: dict[str, Any] | None) -> dict[str, Any]:
        if not view:
            raise PreventUpdate
        return render_view(view, with_stats=False, settings=settings)

"""Render the chosen view: messages, headline cards, range statistics and the four charts.

Runs whenever the VIEW store changes (the state callback publishes the resolved window), and
on every refresh tick for what ages (cards, freshness, banners); both read the per-process
cached repository, so a re-render costs at most one small Query.
"""

from __future__ import annotations

import math
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, Patch, State, html
from dash.exceptions import PreventUpdate

from dashboard import config, figures, formatting, ids, layout
from dashboard.callbacks.guard import arg_name, guarded_callback
from dashboard.data import get_repository
from dashboard.stats import RangeStats, range_stats
from dashboard.timeranges import view_window
from dashboard.windows import between

HIDDEN = {"display": "none"}
SHOWN: dict[str, str] = {}
SOURCE_BADGES = {  # source → (label, colour, text colour readable on it)
    "demo": ("Demo data", "warning", "dark"),
    "coingecko": ("Backfilled history", "info", "dark"),
}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def direction(value: float | None) -> tuple[str, str]:
    """Arrow and colour class for a change, so the sign never rests on colour alone
    (none for a change that shows as 0.00%)."""
    if value is None or round(value, 2) == 0:
        return "", "text-body-secondary"
    return ("▲", "text-success") if value > 0 else ("▼", "text-danger")


def change_text(value: float | None) -> str:
    arrow, _ = direction(value)
    text = formatting.percent(value)
    return f"{arrow} {text}" if arrow else text


def headline(frame: pd.DataFrame, now: pd.Timestamp) -> dict[str, Any]:
    """Card contents for the newest snapshot, keyed like the render callback's outputs."""
    row = frame.iloc[-1]
    symbol = str(row.get("symbol") or "")
    circulating = _number(row.get("circulating_supply"))
    max_supply = _number(row.get("max_supply"))
    change = _number(row.get("percent_change_24h"))
    volume_change = _number(row.get("volume_change_24h"))
    dominance = _number(row.get("market_cap_dominance"))
    rank = _number(row.get("cmc_rank"))
    taken = frame.index[-1]
    share = circulating / max_supply * 100 if circulating and max_supply else None
    return {
        "price": formatting.usd(_number(row.get("price"))),
        "name": f"{row.get('name', '')} ({symbol})" if symbol else str(row.get("name", "")),
        "change": change_text(change),
        "change_class": f"fs-4 fw-semibold {direction(change)[1]}",
        "market_cap": formatting.usd_compact(_number(row.get("market_cap"))),
        "dominance": f"{dominance:.2f}% dominance" if dominance is not None else "",
        "volume": formatting.usd_compact(_number(row.get("volume_24h"))),
        "volume_change": f"{change_text(volume_change)} vs previous 24h"
        if volume_change is not None
        else "",
        "volume_change_class": f"small {direction(volume_change)[1]}",
        "supply": formatting.supply(circulating, symbol),
        "supply_bar": share or 0,
        "supply_bar_label": f"{share:.1f}% of max" if share is not None else "",
        "supply_bar_style": {"height": "1.1rem"} if share is not None else HIDDEN,
        "max_supply": formatting.supply(max_supply, symbol) if max_supply else "No cap",
        "rank": f"#{int(rank)}" if rank is not None else formatting.MISSING,
        "updated": formatting.utc(taken),
        "updated_ago": formatting.relative_age((now - taken).total_seconds()),
    }


def source_badges(sources: set[str]) -> list[dbc.Badge]:
    return [
        dbc.Badge(text, color=color, text_color=text_color, class_name="ms-1", pill=True)
        for source, (text, color, text_color) in SOURCE_BADGES.items()
        if source in sources
    ]


def stale_warning(age_seconds: float, stale_after_hours: float) -> dbc.Alert | None:
    if age_seconds <= stale_after_hours * 3600:
        return None
    return dbc.Alert(
        [
            html.Strong("Data may be out of date. "),
            f"The newest snapshot is from {formatting.relative_age(age_seconds)} "
            f"(more than {stale_after_hours:g} h ago); the scheduled ingest may have stopped.",
        ],
        color="warning",
        class_name="mb-2 py-2",
    )


def store_banner(error: str, has_cached: bool) -> dbc.Alert:
    """The store's fault in the data layer's plain words, then what this page does about it."""
    keeps = (
        "Showing the data loaded before the outage; it will refresh when the store answers."
        if has_cached
        else "No data could be loaded yet; this page fills in once the store answers."
    )
    return dbc.Alert(
        [html.Strong(error), " ", keeps],
        color="danger",
        class_name="mb-2 py-2",
    )


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


CARD_OUTPUTS = {
    "price": Output(ids.CARD_PRICE, "children"),
    "name": Output(ids.CARD_NAME, "children"),
    "change": Output(ids.CARD_CHANGE, "children"),
    "change_class": Output(ids.CARD_CHANGE, "className"),
    "market_cap": Output(ids.CARD_MARKET_CAP, "children"),
    "dominance": Output(ids.CARD_DOMINANCE, "children"),
    "volume": Output(ids.CARD_VOLUME, "children"),
    "volume_change": Output(ids.CARD_VOLUME_CHANGE, "children"),
    "volume_change_class": Output(ids.CARD_VOLUME_CHANGE, "className"),
    "supply": Output(ids.CARD_SUPPLY, "children"),
    "supply_bar": Output(ids.CARD_SUPPLY_BAR, "value"),
    "supply_bar_label": Output(ids.CARD_SUPPLY_BAR, "label"),
    "supply_bar_style": Output(ids.CARD_SUPPLY_BAR, "style"),
    "max_supply": Output(ids.CARD_MAX_SUPPLY, "children"),
    "rank": Output(ids.CARD_RANK, "children"),
    "updated": Output(ids.CARD_UPDATED, "children"),
    "updated_ago": Output(ids.CARD_UPDATED_AGO, "children"),
}


def render_view(
    view: dict[str, Any], *, dark: bool, refresh_only: bool, settings: config.DashboardSettings
) -> dict[str, Any]:
    """Every output of the page for `view`, keyed like PAGE_OUTPUTS and CHART_OUTPUTS.

    `refresh_only` (a timer tick) leaves the charts and statistics out, so a page left open
    keeps the reader's zoom while its cards, freshness and banners stay current.
    """
    repository = get_repository()
    result = repository.load(view["asset"])
    frame = result.frame
    assets = repository.assets()
    out: dict[str, Any] = {
        "store_banner": store_banner(result.store_error, not frame.empty)
        if result.store_error
        else None,
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

    now = pd.Timestamp.now(tz="UTC")
    start, end = view_window(view)
    in_range = between(frame, start, end)
    age = (now - frame.index[-1]).total_seconds()
    out.update(
        badges=source_badges(set(in_range["source"].dropna().unique())),
        stale=stale_warning(age, settings.stale_after_hours),
        empty=None,
        content_style=SHOWN,
        **headline(frame, now),
    )
    if refresh_only:
        return out
    out["stats"] = stats_panel(range_stats(frame, start, end))
    out.update(chart_figures(frame, view, start, end, dark=dark, settings=settings))
    return out


def chart_figures(
    frame: pd.DataFrame,
    view: dict[str, Any],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    dark: bool,
    settings: config.DashboardSettings,
) -> dict[str, dict[str, Any]]:
    """The four charts over [start, end] (the view's window, or a zoom inside it), keyed like
    the chart outputs."""
    symbol = str(frame["symbol"].iloc[-1])
    small = {"dark": dark, "max_points": figures.small_chart_points(settings.max_points)}
    return {
        arg_name(ids.PRICE_CHART): figures.price_figure(
            frame,
            start,
            end,
            log=view["log"],
            moving_averages=tuple(view["ma"]),
            dark=dark,
            max_points=settings.max_points,
        ),
        arg_name(ids.VOLUME_CHART): figures.volume_figure(frame, start, end, **small),
        arg_name(ids.MARKET_CAP_CHART): figures.market_cap_figure(frame, start, end, **small),
        arg_name(ids.SUPPLY_CHART): figures.supply_figure(
            frame, start, end, symbol=symbol, **small
        ),
    }


WINDOW_KEYS = ("asset", "start", "end")
PRICE_ONLY_KEYS = ("log", "ma")


def price_patch(
    view: dict[str, Any],
    drawn: dict[str, Any],
    settings: config.DashboardSettings,
    zoomed: list[str] | None = None,
) -> Patch | None:
    """The price chart's update when only its log scale or moving averages changed (None
    otherwise): the other charts, the statistics and the reader's zoom stay as they are, and
    the lines are drawn over the `zoomed` range when there is one, with its detail."""
    if any(view.get(key) != drawn.get(key) for key in WINDOW_KEYS):
        return None
    patch = Patch()
    if view["log"] != drawn.get("log"):
        patch["layout"]["yaxis"]["type"] = "log" if view["log"] else "linear"
        patch["layout"]["yaxis"]["autorange"] = True
    if list(view["ma"]) != list(drawn.get("ma", ())):
        frame = get_repository().load(view["asset"]).frame
        start, end = (pd.Timestamp(t) for t in zoomed) if zoomed else view_window(view)
        traces = figures.price_traces(
            frame, start, end, moving_averages=tuple(view["ma"]), max_points=settings.max_points
        )
        patch["data"] = traces
        patch["layout"]["showlegend"] = len(traces) > 1
    return patch


def _page_outputs(allow_duplicate: bool) -> dict[str, Output]:
    """What a timer tick may refresh as well as a new view: everything but charts and stats."""
    outputs = {
        "badges": Output(ids.SOURCE_BADGES, "children"),
        "store_banner": Output(ids.STORE_BANNER, "children"),
        "stale": Output(ids.STALE_WARNING, "children"),
        "empty": Output(ids.EMPTY_STATE, "children"),
        "content_style": Output(ids.CONTENT, "style"),
        "asset_options": Output(ids.ASSET, "options"),
        "asset_row_class": Output(ids.ASSET_ROW, "className"),
        **CARD_OUTPUTS,
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
        output={
            **_page_outputs(allow_duplicate=False),
            "stats": Output(ids.STATS, "children"),
            **{arg_name(chart): Output(chart, "figure") for chart in ids.CHARTS},
            "drawn": Output(ids.RENDERED_VIEW, "data"),
            "zoomed": Output(ids.ZOOMED_RANGE, "data"),
        },
        inputs={"view": Input(ids.VIEW, "data")},
        state={
            "dark": State(ids.THEME_SWITCH, "value"),
            "drawn": State(ids.RENDERED_VIEW, "data"),
            "zoomed": State(ids.ZOOMED_RANGE, "data"),
        },
        clear_error=True,
    )
    def render(
        view: dict[str, Any] | None,
        dark: bool | None,
        drawn: dict[str, Any] | None,
        zoomed: list[str] | None,
    ) -> dict[str, Any]:
        if not view:
            raise PreventUpdate
        if drawn and view.get("start") and tuple(view.items()) != tuple(drawn.items()):
            patch = price_patch(view, drawn, settings, zoomed)
            if patch is not None:
                return {arg_name(ids.PRICE_CHART): patch, "drawn": view}
        out = render_view(view, dark=bool(dark), refresh_only=False, settings=settings)
        # Only a view whose charts were drawn can be patched later; they show its whole window.
        out["drawn"] = view if arg_name(ids.PRICE_CHART) in out else None
        out["zoomed"] = None
        return out

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
        return render_view(view, dark=False, refresh_only=True, settings=settings)
